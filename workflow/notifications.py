"""Telling people about their budgets: an in-app message, and an email when they have an address.

Emails go out only once the transaction that caused them commits, through Django's email backend.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from accounts.models import Role, User
from budgets.models import Budget, Notification


def _notify(budget: Budget, users: list[User], message: str) -> None:
    Notification.objects.bulk_create(Notification(user=user, budget=budget, message=message) for user in users)
    addresses = [user.email for user in users if user.email]
    if addresses:
        transaction.on_commit(
            lambda: send_mail(
                subject=f"[部门预算] {message[:60]}",
                message=message,
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=addresses,
                fail_silently=True,  # the in-app message is there whatever the mail server does
            )
        )


def notify_department(budget: Budget, message: str) -> None:
    """The department's accountants."""
    users = list(User.objects.filter(department_id=budget.department_id, role=Role.ACCOUNTANT, is_active=True))
    _notify(budget, users, message)


def notify_unit(budget: Budget, unit_id: int, message: str) -> None:
    """The unit's own accountants (单位填报人)."""
    users = list(User.objects.filter(unit_id=unit_id, role=Role.UNIT_ACCOUNTANT, is_active=True))
    _notify(budget, users, message)


def notify_reviewer(budget: Budget, message: str) -> None:
    """The reviewer the department is assigned to, if any."""
    reviewer = budget.department.reviewer
    if reviewer is not None and reviewer.is_active:
        _notify(budget, [reviewer], message)


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
