from django.urls import path

from workflow import dashboard_views, notification_views, views

BUDGET = "budgets/<year:year>/<str:department_code>/"

urlpatterns = [
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/deadlines/", dashboard_views.dashboard_deadlines, name="dashboard_deadlines"),
    path("dashboard/remind/", dashboard_views.dashboard_remind, name="dashboard_remind"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/read/", notification_views.notifications_mark_read, name="notifications_mark_read"),
    path(f"{BUDGET}transitions/<slug:action>/", views.budget_transition_view, name="budget_transition"),
    path(f"{BUDGET}control/", views.budget_control_view, name="budget_control"),
]
