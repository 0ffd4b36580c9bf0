from django.urls import path

from workflow import comment_views, dashboard_views, notification_views, review_views, views

BUDGET = "budgets/<year:year>/<str:department_code>/"

urlpatterns = [
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/units/", dashboard_views.dashboard_units_view, name="dashboard_units"),
    path("dashboard/deadlines/", dashboard_views.dashboard_deadlines, name="dashboard_deadlines"),
    path("dashboard/remind/", dashboard_views.dashboard_remind, name="dashboard_remind"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/read/", notification_views.notifications_mark_read, name="notifications_mark_read"),
    path(f"{BUDGET}transitions/<slug:action>/", views.budget_transition_view, name="budget_transition"),
    path(f"{BUDGET}control/", views.budget_control_view, name="budget_control"),
    path(f"{BUDGET}review/", review_views.budget_review, name="budget_review"),
    path(f"{BUDGET}review/<int:figure_id>/answer/", review_views.budget_review_answer, name="budget_review_answer"),
    path(f"{BUDGET}comments/", comment_views.budget_comment_start, name="budget_comment_start"),
    path(f"{BUDGET}comments/<int:thread_id>/reply/", comment_views.budget_comment_reply, name="budget_comment_reply"),
    path(
        f"{BUDGET}comments/<int:thread_id>/resolve/",
        comment_views.budget_comment_resolve,
        name="budget_comment_resolve",
    ),
]
