from django.urls import path, register_converter

from budgetoffice.converters import YearConverter
from budgets import audit_views, import_views, views

register_converter(YearConverter, "year")

urlpatterns = [
    path("", views.home, name="home"),
    path("rules/", audit_views.rule_catalogue, name="rule_catalogue"),
    path("check/", audit_views.workbook_check, name="workbook_check"),
    path("budgets/<year:year>/<str:department_code>/", views.budget_detail, name="budget_detail"),
    path("budgets/<year:year>/<str:department_code>/workbook.xlsx", views.budget_workbook, name="budget_workbook"),
    path("budgets/<year:year>/<str:department_code>/import/", import_views.budget_import_upload, name="budget_import"),
    path(
        "budgets/<year:year>/<str:department_code>/transitions/<slug:action>/",
        views.budget_transition_view,
        name="budget_transition",
    ),
    path(
        "budgets/<year:year>/<str:department_code>/import/confirm/",
        import_views.budget_import_confirm,
        name="budget_import_confirm",
    ),
    path(
        "budgets/<year:year>/<str:department_code>/tables/<slug:table_key>/",
        views.budget_table,
        name="budget_table",
    ),
]
