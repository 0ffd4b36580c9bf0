from django.urls import path

from entry import duties, explanation, figures, new_budget, procurement, projects, targets, unit_parts, units

BUDGET = "budgets/<year:year>/<str:department_code>/"

urlpatterns = [
    # Before the budgets/<year>/… patterns: "new" is never a year.
    path("budgets/new/", new_budget.budget_new, name="budget_new"),
    path(
        "budgets/new/<year:year>/<str:department_code>/",
        new_budget.budget_rollover_report,
        name="budget_rollover_report",
    ),
    path(f"{BUDGET}figures/edit/", figures.budget_figures_edit, name="budget_figures_edit"),
    path(f"{BUDGET}units/edit/", units.budget_units_edit, name="budget_units_edit"),
    # Units that enter their own part (单位填报人), and the department reviewing them.
    path(f"{BUDGET}parts/", unit_parts.budget_unit_parts, name="budget_unit_parts"),
    path(f"{BUDGET}parts/summary/", unit_parts.budget_unit_summary, name="budget_unit_summary"),
    path(f"{BUDGET}parts/<int:unit_id>/", unit_parts.budget_unit_part, name="budget_unit_part"),
    path(f"{BUDGET}parts/<int:unit_id>/figures/", figures.budget_unit_figures_edit, name="budget_unit_figures_edit"),
    path(
        f"{BUDGET}parts/<int:unit_id>/procurement/",
        procurement.budget_unit_procurement_edit,
        name="budget_unit_procurement_edit",
    ),
    path(f"{BUDGET}parts/<int:unit_id>/steps/<slug:action>/", unit_parts.budget_unit_step, name="budget_unit_step"),
    path(f"{BUDGET}projects/edit/", projects.budget_projects_edit, name="budget_projects_edit"),
    path(f"{BUDGET}duties/edit/", duties.budget_duties_edit, name="budget_duties_edit"),
    path(f"{BUDGET}procurement/edit/", procurement.budget_procurement_edit, name="budget_procurement_edit"),
    path(f"{BUDGET}targets/goals/edit/", targets.budget_goals_edit, name="budget_goals_edit"),
    path(f"{BUDGET}targets/<int:project_id>/edit/", targets.budget_target_edit, name="budget_target_edit"),
    path("departments/<str:department_code>/indicators/", targets.indicator_library, name="indicator_library"),
    # The generated explanation (部门预算信息公开情况说明) and its inputs.
    path(
        "budgets/<year:year>/<str:department_code>/explanation/",
        explanation.budget_explanation_view,
        name="budget_explanation",
    ),
    path(
        "budgets/<year:year>/<str:department_code>/explanation/edit/",
        explanation.budget_explanation_edit,
        name="budget_explanation_edit",
    ),
]
