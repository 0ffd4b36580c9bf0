from django.urls import path

import budgets.urls  # noqa: F401  (registers the <year:…> converter)
from performance import views

urlpatterns = [
    path(
        "budgets/<year:year>/<str:department_code>/targets/goals/edit/",
        views.budget_goals_edit,
        name="budget_goals_edit",
    ),
    path(
        "budgets/<year:year>/<str:department_code>/targets/<int:project_id>/edit/",
        views.budget_target_edit,
        name="budget_target_edit",
    ),
    path("departments/<str:department_code>/indicators/", views.indicator_library, name="indicator_library"),
]
