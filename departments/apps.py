from importlib import import_module

from django.apps import AppConfig


class DepartmentsConfig(AppConfig):
    name = "departments"
    verbose_name = "部门与单位"

    def ready(self) -> None:
        # Connects the revision to every change of the models; they must be loaded first.
        import_module("departments.signals")
