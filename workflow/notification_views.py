"""The user's inbox: messages about their budgets (returned, approved, control figures issued)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from budgets.models import Notification


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.filter(user=request.user).select_related("budget__department")
    page = Paginator(notifications, 50).get_page(request.GET.get("page"))
    return render(request, "workflow/notifications.html", {"page": page})


@require_POST
@login_required
def notifications_mark_read(request: HttpRequest) -> HttpResponse:
    # Only the user's own: another user's notification ids simply match nothing.
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notifications")
