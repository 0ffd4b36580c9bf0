"""A department's revision follows every change of it or of its units, whichever way it is made (a write service,
the admin, an import): what is computed from its budgets is kept under it (budgets.computed)."""

from typing import Any

from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from departments.models import Department, Unit


def department_touch(department_id: int) -> None:
    """After a change of the department or its units that no save signal tells (a queryset's update)."""
    Department.objects.filter(pk=department_id).update(revision=F("revision") + 1)


@receiver([post_save, post_delete], sender=Unit, dispatch_uid="departments.unit_changed")
def unit_changed(sender: type[Unit], instance: Unit, **kwargs: Any) -> None:
    department_touch(instance.department_id)


@receiver(post_save, sender=Department, dispatch_uid="departments.department_changed")
def department_changed(sender: type[Department], instance: Department, created: bool, **kwargs: Any) -> None:
    if not created:
        department_touch(instance.pk)
