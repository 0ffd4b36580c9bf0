from django.urls import path

from audit import views

urlpatterns = [
    path("rules/", views.rule_catalogue, name="rule_catalogue"),
    path(
        "budgets/<year:year>/<str:department_code>/explanations/",
        views.budget_explanations_view,
        name="budget_explanations",
    ),
]
