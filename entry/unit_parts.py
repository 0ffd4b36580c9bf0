"""Units that enter their own part of the budget (domain.unit_parts): the department's list of them with their
states and totals, each unit's page (its 单位预算 tables, its state, its steps) and the steps themselves."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from budgets.access import may_edit_unit, may_take_part_step, unit_of_budget_or_404, visible_budget_or_404
from budgets.computed import computed, kept_budget_data
from budgets.models import Budget
from budgets.selectors import part_state, reporting_units
from budgets.services.unit_parts import PartStepRefused, part_step
from departments.models import Unit
from domain.audit.model import Severity, Violation
from domain.ledger import BudgetData
from domain.money import DisplayUnit
from domain.unit_budget import unit_budget, unit_names, unit_projects
from domain.unit_parts import PART_STEPS, PartState, part_steps
from official.audit import audit_budget
from official.edition import unit_edition_of
from official.layout import TableLayout
from official.render import print_table
from web.forms import posted_revision
from workflow.notifications import notify_department, notify_unit

ZERO = Decimal("0.00")


def _tell(budget: Budget, unit: Unit, action: str, comment: str) -> None:
    title = f"{budget.year_id}年 {unit.name} 单位预算"
    if action == "report":
        notify_department(budget, f"{title}已报送部门，请审核。")
    elif action == "return":
        notify_unit(budget, unit.pk, f"{title}已被部门退回，请修改后重新报送。意见：{comment}")
    else:
        notify_unit(budget, unit.pk, f"{title}已经部门审核通过。")


@require_GET
@login_required
def budget_unit_parts(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    """单位填报: the units that enter their own part, each with its state and spending; the department submits
    once every one is 部门已审."""
    budget = visible_budget_or_404(request.user, year, department_code)
    data = kept_budget_data(budget)
    spending: dict[str, Decimal] = {}
    for line in data.lines:
        spending[line.unit] = spending.get(line.unit, ZERO) + line.amount
    rows = [(unit, PartState(state), spending.get(unit.name, ZERO)) for unit, state in reporting_units(budget)]
    return render(request, "entry/unit_parts.html", {"budget": budget, "rows": rows})


@require_GET
@login_required
def budget_unit_summary(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    """汇总: one official table of the budget (``?table=``), one of its amount columns (``?column=``), with a
    column per unit beside the department's; a row whose units do not add up to the department is marked (a line
    of no listed unit, which the department's tables count as its first unit's, cannot cause it)."""
    budget = visible_budget_or_404(request.user, year, department_code)
    layouts = budget.year.layouts
    money = {layout.key: [c for c in layout.columns if c.is_money] for layout in layouts.tables}
    choices = [layout for layout in layouts.tables if money[layout.key]]
    layout = layouts.by_key.get(request.GET.get("table", "")) or choices[0]
    if not money.get(layout.key):
        raise Http404("这张表没有金额列。")
    column = next((c for c in money[layout.key] if c.key == request.GET.get("column")), money[layout.key][0])
    data = kept_budget_data(budget)
    units = unit_names(data)
    by_unit = {name: _column_of(layout, unit_budget(data, name), column.key) for name in units}
    rows = []
    for label, total in _column_of(layout, data, column.key).items():
        shares = [by_unit[name].get(label) for name in units]
        adds_up = sum((share or ZERO for share in shares), ZERO) == (total or ZERO)
        rows.append((label, shares, total, adds_up))
    context = {
        "budget": budget,
        "layout": layout,
        "column": column,
        "tables": choices,
        "columns": money[layout.key],
        "units": units,
        "rows": rows,
    }
    return render(request, "entry/unit_summary.html", context)


def _column_of(layout: TableLayout, data: BudgetData, column: str) -> dict[str, Decimal | None]:
    """Each printed row's value of ``column`` in 元 (exact, so that the units add up to the fen), by its label."""
    values: dict[str, Decimal | None] = {}
    for row in print_table(layout, data, DisplayUnit.YUAN).rows:
        cell = next(cell for cell in row.cells if cell.column.key == column)
        values.setdefault(row.label, cell.number)
    return values


@require_GET
@login_required
def budget_unit_part(request: HttpRequest, year: int, department_code: str, unit_id: int) -> HttpResponse:
    """One unit's 单位预算: its tables in the year's 单位 edition (the 部门 one where there is none), its state and
    the steps the user may take."""
    budget, unit = unit_of_budget_or_404(request.user, year, department_code, unit_id)
    state = part_state(budget, unit)
    tables, violations = computed(budget, "unit-part", lambda: _printed_part(budget, unit.name), unit.name)
    steps = [step for step in part_steps(state) if may_take_part_step(request.user, budget, unit, step)]
    events = budget.events.filter(action__startswith="unit_", data__unit=unit.name).select_related("actor")
    context = {
        "budget": budget,
        "unit": unit,
        "state": PartState(state),
        "steps": steps,
        "editable": may_edit_unit(request.user, budget, unit, state),
        "tables": [mark_safe(table) for table in tables],  # our own template rendered them
        "violations": violations,
        "events": events.order_by("-created_at", "-id")[:50],
        "projects": budget.projects.filter(name__in=unit_projects(kept_budget_data(budget).lines, unit.name))
        .select_related("target")
        .order_by("position", "id"),
        "has_unit_edition": unit_edition_of(budget.year.layouts) is not None,
    }
    return render(request, "entry/unit_part.html", context)


def _printed_part(budget: Budget, unit_name: str) -> tuple[list[str], list[Violation]]:
    """The unit's tables in the year's 单位 edition (the 部门 one where there is none), and the rules on them: the
    narrative and the control figures are the department's, checked on the 部门预算 only."""
    layouts = budget.year.layouts
    variant = unit_edition_of(layouts) or layouts
    data = unit_budget(kept_budget_data(budget), unit_name)
    tables = [
        str(render_to_string("pages/_official_table.html", {"table": print_table(layout, data)}))
        for layout in variant.tables
    ]
    return tables, [v for v in audit_budget(data, layouts=variant) if v.severity is not Severity.NOTICE]


@require_POST
@login_required
def budget_unit_step(request: HttpRequest, year: int, department_code: str, unit_id: int, action: str) -> HttpResponse:
    budget, unit = unit_of_budget_or_404(request.user, year, department_code, unit_id)
    if action not in PART_STEPS:
        raise Http404("没有这项操作。")
    try:
        part = part_step(
            budget=budget,
            unit=unit,
            action=action,
            user=request.user,
            comment=request.POST.get("comment", ""),
            expected_revision=posted_revision(request.POST),
        )
    except PartStepRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request, f"{PART_STEPS[action].label}成功，{unit.name}的预算当前为“{part.get_state_display()}”。"
        )
        _tell(budget, unit, action, request.POST.get("comment", "").strip())
    return redirect("budget_unit_part", year, department_code, unit.pk)
