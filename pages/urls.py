from django.urls import path

from pages import views

BUDGET = "budgets/<year:year>/<str:department_code>/"

urlpatterns = [
    path("", views.home, name="home"),
    path(BUDGET, views.budget_detail, name="budget_detail"),
    path(f"{BUDGET}workbook.xlsx", views.budget_workbook, name="budget_workbook"),
    path(f"{BUDGET}entry.xlsx", views.budget_entry_template, name="budget_entry_template"),
    path(f"{BUDGET}parts/<int:unit_id>/workbook.xlsx", views.budget_unit_workbook, name="budget_unit_workbook"),
    path(
        f"{BUDGET}parts/<int:unit_id>/entry.xlsx", views.budget_unit_entry_template, name="budget_unit_entry_template"
    ),
    path(f"{BUDGET}changes/", views.budget_changes, name="budget_changes"),
    path(f"{BUDGET}versions/<int:version>/", views.budget_version, name="budget_version"),
    path(
        f"{BUDGET}versions/<int:version>/workbook.xlsx", views.budget_version_workbook, name="budget_version_workbook"
    ),
    path(f"{BUDGET}targets/", views.budget_targets, name="budget_targets"),
    path(f"{BUDGET}tables/", views.budget_tables, name="budget_tables"),
    path(f"{BUDGET}compare/", views.budget_compare, name="budget_compare"),
    path(f"{BUDGET}tables/<slug:table_key>/", views.budget_table, name="budget_table"),
]
