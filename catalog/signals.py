"""A year's catalogue revision follows every change of its classification codes, whichever way it is made (the
catalogue import, the admin): the names the year's budgets print are kept under it (budgets.computed)."""

from typing import Any

from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from catalog.models import BudgetYear, EconomicCode, FunctionCode


@receiver([post_save, post_delete], sender=FunctionCode, dispatch_uid="catalog.function_code_changed")
@receiver([post_save, post_delete], sender=EconomicCode, dispatch_uid="catalog.economic_code_changed")
def code_changed(
    sender: type[FunctionCode | EconomicCode], instance: FunctionCode | EconomicCode, **kwargs: Any
) -> None:
    BudgetYear.objects.filter(pk=instance.year_id).update(catalogue_revision=F("catalogue_revision") + 1)
