from importlib import import_module

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "审核"

    def ready(self) -> None:
        # Connects the verdict to budgets.signals.budget_changed; it reads models, so only once the registry is ready.
        import_module("audit.receivers")
