from django.urls import path, register_converter

from budgetoffice.converters import YearConverter
from budgets import (
    audit_views,
    dashboard_views,
    entry_views,
    import_views,
    new_budget_views,
    notification_views,
    procurement_views,
    structure_views,
    views,
)

register_converter(YearConverter, "year")

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("rules/", audit_views.rule_catalogue, name="rule_catalogue"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/read/", notification_views.notifications_mark_read, name="notifications_mark_read"),
    path("check/", audit_views.workbook_check, name="workbook_check"),
    # Before the budgets/<year>/… patterns: "new" is never a year.
    path("budgets/new/", new_budget_views.budget_new, name="budget_new"),
    path(
        "budgets/new/<year:year>/<str:department_code>/",
        new_budget_views.budget_rollover_report,
        name="budget_rollover_report",
    ),
    path("budgets/<year:year>/<str:department_code>/", views.budget_detail, name="budget_detail"),
    path("budgets/<year:year>/<str:department_code>/workbook.xlsx", views.budget_workbook, name="budget_workbook"),
    path("budgets/<year:year>/<str:department_code>/import/", import_views.budget_import_upload, name="budget_import"),
    path(
        "budgets/<year:year>/<str:department_code>/transitions/<slug:action>/",
        views.budget_transition_view,
        name="budget_transition",
    ),
    path(
        "budgets/<year:year>/<str:department_code>/figures/edit/",
        entry_views.budget_figures_edit,
        name="budget_figures_edit",
    ),
    path(
        "budgets/<year:year>/<str:department_code>/units/edit/",
        structure_views.budget_units_edit,
        name="budget_units_edit",
    ),
    path(
        "budgets/<year:year>/<str:department_code>/projects/edit/",
        structure_views.budget_projects_edit,
        name="budget_projects_edit",
    ),
    path(
        "budgets/<year:year>/<str:department_code>/duties/edit/",
        structure_views.budget_duties_edit,
        name="budget_duties_edit",
    ),
    path(
        "budgets/<year:year>/<str:department_code>/procurement/edit/",
        procurement_views.budget_procurement_edit,
        name="budget_procurement_edit",
    ),
    path("budgets/<year:year>/<str:department_code>/control/", views.budget_control_view, name="budget_control"),
    path(
        "budgets/<year:year>/<str:department_code>/explanations/",
        views.budget_explanations_view,
        name="budget_explanations",
    ),
    path("budgets/<year:year>/<str:department_code>/changes/", views.budget_changes, name="budget_changes"),
    path(
        "budgets/<year:year>/<str:department_code>/versions/<int:version>/",
        views.budget_version,
        name="budget_version",
    ),
    path(
        "budgets/<year:year>/<str:department_code>/versions/<int:version>/workbook.xlsx",
        views.budget_version_workbook,
        name="budget_version_workbook",
    ),
    path(
        "budgets/<year:year>/<str:department_code>/import/confirm/",
        import_views.budget_import_confirm,
        name="budget_import_confirm",
    ),
    path("budgets/<year:year>/<str:department_code>/targets/", views.budget_targets, name="budget_targets"),
    path(
        "budgets/<year:year>/<str:department_code>/tables/<slug:table_key>/",
        views.budget_table,
        name="budget_table",
    ),
]
