from importlib import import_module

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "预算年度与科目"

    def ready(self) -> None:
        # Connects the revision to every change of the models; they must be loaded first.
        import_module("catalog.signals")
