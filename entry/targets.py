"""Entry pages of performance targets: the department's goals, one project's target table, the indicator library.

Only those who may edit the budget's figures open the editors (the department's accountant, an administrator,
while the budget is 草稿 or 退回): a reviewer gets 403, a budget the user may not see 404. Saving goes through
performance.services; a save refused there (a frozen budget, someone else's save in between) shows the page again
with everything as typed.

Besides saving, the target editor's buttons fill rows without saving anything: 复制上年指标 (last year's table of
the project of the same name), 从指标库选取 (a library indicator as a new row; targets.js does it in the page) and
存入指标库 (a row into the department's library, which is no part of the budget).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from audit.verdict import stored_violations
from budgets.access import (
    OTHER_UNIT,
    UNIT_EDIT_REFUSED,
    editable_budget_or_404,
    library_department_or_404,
    may_edit_unit,
    require,
    unit_of_budget_or_404,
)
from budgets.models import Budget, Project
from budgets.selectors import budget_lines, part_state
from budgets.services.targets import budget_replace_goals, budget_replace_target
from departments.models import Department, Unit
from domain.errors import BudgetFiguresError
from domain.performance.framework import ORDER, UNITS
from domain.performance.targets import Indicator
from domain.unit_budget import unit_projects
from entry.rows import StaleWatch, posted_id, posted_on, save_page
from entry.targets_forms import (
    GoalsForm,
    IndicatorFormSet,
    LibraryRowForm,
    SubGoalFormSet,
    TargetForm,
    department_goals,
    indicator_initial,
    target_table,
)
from performance.models import LibraryIndicator
from performance.models import TargetTable as TableModel
from performance.selectors import budget_performance
from performance.services import library_delete, library_save

GOALS_PREFIX, ROWS_PREFIX = "sub", "ind"


def _violations_at(budget: Budget, *prefixes: str) -> list:
    """The audit rules' findings about these places (a project's table, the goals)."""
    return [
        violation
        for violation in stored_violations(budget)
        if any(violation.place == prefix or violation.place.startswith(f"{prefix}｜") for prefix in prefixes)
    ]


def _library(department: Department) -> list[LibraryIndicator]:
    """The department's library in the framework's order."""
    entries = department.indicator_library.all()
    return sorted(entries, key=lambda entry: (ORDER[entry.level1, entry.level2], entry.name))


def _projects(budget: Budget, unit: Unit | None = None) -> list[Project]:
    projects = budget.projects.filter(unit=unit) if unit is not None else budget.projects
    return list(projects.select_related("target").order_by("position", "id"))


def _target_of(
    request: HttpRequest, year: int, department_code: str, project_id: int
) -> tuple[Budget, Project, Unit | None]:
    """The budget and project a 绩效目标表 page edits; for a unit's accountant, a project of his unit while his
    part is his to change (the unit is the third item; None for the department's editors)."""
    user = request.user
    if not user.is_unit_accountant:
        budget = editable_budget_or_404(user, year, department_code, what="修改绩效目标")
        return budget, get_object_or_404(Project, pk=project_id, budget=budget), None
    budget, unit = unit_of_budget_or_404(user, year, department_code, user.unit_id)
    project = get_object_or_404(Project, pk=project_id, budget=budget)
    require(project.name in unit_projects(budget_lines(budget), unit.name), OTHER_UNIT)
    require(may_edit_unit(user, budget, unit, part_state(budget, unit)), UNIT_EDIT_REFUSED)
    return budget, project, unit


# --- 部门整体绩效目标 ---------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def budget_goals_edit(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    budget = editable_budget_or_404(request.user, year, department_code, what="修改绩效目标")
    rehearsal = None
    if request.method == "POST":
        form = GoalsForm(request.POST)
        formset = SubGoalFormSet(request.POST, prefix=GOALS_PREFIX)

        def write(expected_revision: int | None) -> int:
            goals = department_goals(form, formset)
            return budget_replace_goals(
                budget=budget, goals=goals, actor=request.user, expected_revision=expected_revision
            )

        stale = StaleWatch(request, budget, "部门整体绩效目标", write)
        if save_page(request, budget, "部门整体绩效目标", write, [form, formset], on_stale=stale):
            return redirect("budget_goals_edit", year, department_code)
        data, rehearsal = posted_on(request, stale.revision()), stale.rehearsal
        form, formset = GoalsForm(data), SubGoalFormSet(data, prefix=GOALS_PREFIX)
    else:
        goals = budget_performance(budget).goals
        form = GoalsForm(initial={"overall": goals.overall, "measures": goals.measures, "revision": budget.revision})
        formset = SubGoalFormSet(
            prefix=GOALS_PREFIX,
            initial=[{"title": sub.title, "goal": sub.goal, "indicators": sub.indicators} for sub in goals.sub_goals],
        )
    context = {
        "budget": budget,
        "form": form,
        "formset": formset,
        "projects": _projects(budget),
        "violations": _violations_at(budget, "部门整体绩效目标"),
        "rehearsal": rehearsal,
    }
    return render(request, "entry/targets/goals_edit.html", context)


# --- 项目绩效目标表 -----------------------------------------------------------------------------------------


def previous_table(budget: Budget, project_name: str) -> TableModel | None:
    """Last year's target table of the department's project of the same name, if there is one with rows."""
    return (
        TableModel.objects.filter(
            project__budget__department_id=budget.department_id,
            project__budget__year_id=budget.year_id - 1,
            project__name=project_name,
            indicators__isnull=False,
        )
        .distinct()
        .first()
    )


def _rows(table: TableModel | None) -> list[dict[str, Any]]:
    if table is None:
        return []
    return [
        indicator_initial(Indicator(row.level1, row.level2, row.name, row.description, row.value, row.basis))
        for row in table.indicators.order_by("position", "id")
    ]


def _same_indicator(row: dict[str, Any]) -> tuple:
    return (row.get("level1") or "", row.get("level2") or "", (row.get("name") or "").strip())


def _fill(request: HttpRequest, budget: Budget, project: Project, form: TargetForm, formset) -> tuple | None:
    """The editor's buttons other than 保存: (goal, rows) to show again, unsaved; None for a plain save."""
    goal, rows = form["goal"].value() or "", formset.typed_rows()
    if "copy_previous" in request.POST:
        previous = previous_table(budget, project.name)
        if previous is None:
            messages.error(request, f"{budget.year_id - 1}年没有同名项目“{project.name}”的绩效目标表，无可复制。")
            return goal, rows
        present = {_same_indicator(row) for row in rows}
        added = [row for row in _rows(previous) if _same_indicator(row) not in present]
        messages.info(
            request,
            f"已填入{budget.year_id - 1}年的 {len(added)} 项指标（与本表相同的指标不重复填入），"
            "请核对指标值、修改后保存（尚未保存）。",
        )
        return (goal or previous.goal), rows + added
    if "from_library" in request.POST:
        picked = request.POST["from_library"]
        entry = budget.department.indicator_library.filter(pk=posted_id(picked)).first()
        if entry is None:
            messages.error(request, "指标库中没有这项指标（可能已被删除）。")
            return goal, rows
        row = {key: getattr(entry, key) for key in ("level1", "level2", "name", "description", "unit")}
        messages.info(request, f"已添加指标“{entry.name}”，请填写指标值后保存（尚未保存）。")
        return goal, [*rows, row]
    if "to_library" in request.POST:
        index = request.POST["to_library"]
        prefix = f"{ROWS_PREFIX}-{index}" if index.isascii() and index.isdigit() else None
        row = LibraryRowForm(request.POST, prefix=prefix) if prefix else None
        if row is None or row.is_blank():
            messages.error(request, "未存入指标库：这一行是空的。")
        elif not row.is_valid():
            for field, errors in row.errors.items():
                label = row.fields[field].label if field in row.fields else ""
                messages.error(request, f"未存入指标库：{label}{'；'.join(errors)}")
        else:
            try:
                entry, created = library_save(department=budget.department, **row.cleaned_data)
            except BudgetFiguresError as refused:
                for error in refused.errors:
                    messages.error(request, f"未存入指标库：{error}")
            else:
                messages.success(request, f"指标“{entry.name}”已{'存入' if created else '更新到'}本部门指标库。")
        return goal, rows
    return None


@require_http_methods(["GET", "POST"])
@login_required
def budget_target_edit(request: HttpRequest, year: int, department_code: str, project_id: int) -> HttpResponse:
    budget, project, scope = _target_of(request, year, department_code, project_id)
    rehearsal = None
    if request.method == "POST":
        form = TargetForm(request.POST)
        formset = IndicatorFormSet(request.POST, prefix=ROWS_PREFIX)
        filled = _fill(request, budget, project, form, formset)
        if filled is not None:
            goal, rows = filled
            form = TargetForm(initial={"goal": goal, "revision": request.POST.get("revision", "")})
            formset = IndicatorFormSet(prefix=ROWS_PREFIX, initial=rows)
        else:

            def write(expected_revision: int | None) -> int:
                table = target_table(project.name, form, formset)
                return budget_replace_target(
                    budget=budget,
                    project_name=project.name,
                    table=table,
                    actor=request.user,
                    expected_revision=expected_revision,
                )

            what = f"“{project.name}”绩效目标表"
            stale = StaleWatch(request, budget, what, write)
            if save_page(request, budget, what, write, [form, formset], on_stale=stale):
                return redirect("budget_target_edit", year, department_code, project.pk)
            data, rehearsal = posted_on(request, stale.revision()), stale.rehearsal
            form, formset = TargetForm(data), IndicatorFormSet(data, prefix=ROWS_PREFIX)
    else:
        stored = TableModel.objects.filter(project=project).first()
        form = TargetForm(initial={"goal": stored.goal if stored else "", "revision": budget.revision})
        formset = IndicatorFormSet(prefix=ROWS_PREFIX, initial=_rows(stored))
    context = {
        "budget": budget,
        "project": project,
        "form": form,
        "formset": formset,
        "projects": _projects(budget, scope),
        "scope": scope,
        "previous_year": budget.year_id - 1 if previous_table(budget, project.name) else None,
        "library": _library(budget.department),
        "units": UNITS,
        "violations": _violations_at(budget, f"绩效目标表｜{project.name}"),
        "rehearsal": rehearsal,
    }
    return render(request, "entry/targets/target_edit.html", context)


# --- 指标库 -------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def indicator_library(request: HttpRequest, department_code: str) -> HttpResponse:
    department = library_department_or_404(request.user, department_code)
    if request.method == "POST":
        picked = request.POST.get("delete", "")
        entry = LibraryIndicator.objects.filter(department=department, pk=posted_id(picked)).first()
        if entry is not None and library_delete(department=department, pk=entry.pk):
            messages.success(request, f"已从指标库删除“{entry.name}”。")
        else:
            messages.error(request, "指标库中没有这项指标（可能已被删除）。")
        return redirect("indicator_library", department.code)
    entries = _library(department)
    budgets = department.budgets.order_by("-year")[:3]
    return render(
        request, "entry/targets/library.html", {"department": department, "entries": entries, "budgets": budgets}
    )
