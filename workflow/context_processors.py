from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from workflow.notifications import unread_count


def notifications(request: HttpRequest) -> dict:
    """The number of unread notifications, counted only if a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
