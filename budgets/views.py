import io
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_tables2 import RequestConfig

from budgets.auditing import stored_violations
from budgets.domain.audit.model import Severity
from budgets.domain.control import control_items
from budgets.domain.ledger import BudgetData
from budgets.domain.money import DisplayUnit
from budgets.domain.snapshot import snapshot_from_json
from budgets.domain.workflow import TRANSITIONS, BudgetState, available
from budgets.forms import ControlFiguresForm, posted_revision
from budgets.listings import BudgetTable
from budgets.models import Budget, BudgetSnapshot, SnapshotKind
from budgets.official.definitions import OFFICIAL_TABLES, TABLES_BY_KEY
from budgets.official.diff import table_changes
from budgets.official.render import print_table
from budgets.official.targets_layout import GOAL_LABEL, TARGET_COLUMNS, print_goals, print_targets
from budgets.official.workbook import write_workbook
from budgets.permissions import can_edit_figures
from budgets.selectors import budget_data, budget_snapshots, budgets_visible_to, issued_control, last_return
from budgets.services import BudgetFiguresError, budget_explain_warnings, warning_explanations
from budgets.transitions import WorkflowError, budget_set_control, budget_transition, may_act, may_set_control
from performance.selectors import budget_performance

# The tables a reviewer compares after a return: the nine, procurement and assets (units have no amounts).
DIFF_TABLES = tuple(layout for layout in OFFICIAL_TABLES if layout.key != "units")


def visible_budget_or_404(request: HttpRequest, year: int, department_code: str) -> Budget:
    # A budget the user may not see answers 404, exactly like one that does not exist.
    return get_object_or_404(budgets_visible_to(request.user), year_id=year, department__code=department_code)


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    budgets = budgets_visible_to(request.user).defer("violations").annotate(spending=Sum("lines__amount"))
    table = BudgetTable(budgets)
    RequestConfig(request, paginate=False).configure(table)  # ordering from the query string, paging below
    page = request.GET.get("page", "1")
    try:
        table.paginate(page=int(page) if page.isdigit() and int(page) > 0 else 1, per_page=50)
    except EmptyPage as error:
        raise Http404("没有这一页。") from error
    return render(request, "budgets/home.html", {"table": table})


@require_GET
@login_required
def budget_detail(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    budget = visible_budget_or_404(request, year, department_code)
    data = budget_data(budget)
    control = issued_control(budget)
    snapshots = budget_snapshots(budget)
    violations = stored_violations(budget, data)
    has_warnings = any(v.severity is Severity.WARNING for v in violations)
    context = {
        "budget": budget,
        "tables": [print_table(layout, data) for layout in OFFICIAL_TABLES],
        "can_import": can_edit_figures(request.user, budget),
        "violations": violations,
        "explanations": warning_explanations(budget) if has_warnings else {},
        "can_explain": can_edit_figures(request.user, budget),
        "warnings_open": has_warnings,
        "actions": [t for t in available(budget.state, budget.round) if may_act(request.user, budget, t)],
        "events": budget.events.select_related("actor").order_by("-created_at", "-id")[:50],
        "control": control_items(control.limits(), data.lines) if control else (),
        "control_form": (
            ControlFiguresForm.for_limits(control.limits() if control else None, budget.revision)
            if may_set_control(request.user, budget)
            else None
        ),
        "versions": [snapshot for snapshot in snapshots if snapshot.kind == SnapshotKind.APPROVED],
        "last_return": last_return(budget, snapshots),
    }
    return render(request, "budgets/budget_detail.html", context)


@require_GET
@login_required
def budget_table(request: HttpRequest, year: int, department_code: str, table_key: str) -> HttpResponse:
    layout = TABLES_BY_KEY.get(table_key)
    if layout is None:
        raise Http404("没有这张表。")
    budget = visible_budget_or_404(request, year, department_code)
    printed = print_table(layout, budget_data(budget))
    return render(request, "budgets/budget_table.html", {"budget": budget, "table": printed})


@require_GET
@login_required
def budget_targets(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    """预算绩效信息 in the official layout: 部门整体绩效目标, then each project's 绩效目标表 (id target-N)."""
    budget = visible_budget_or_404(request, year, department_code)
    performance = budget_performance(budget)
    department_line = f"{budget.department.code} {budget.department.name}"
    editable = can_edit_figures(request.user, budget)
    projects = list(budget.projects.order_by("position", "id").values_list("name", "pk")) if editable else []
    with_table = {table.project for table in performance.targets}
    context = {
        "budget": budget,
        "goals": print_goals(performance.goals, department_line, year),
        "tables": print_targets(performance, department_line, year),
        "columns": TARGET_COLUMNS,
        "goal_label": GOAL_LABEL,
        "editable": editable,
        "project_ids": {name: str(pk) for name, pk in projects},
        "without_table": [(name, pk) for name, pk in projects if name not in with_table],
    }
    return render(request, "budgets/budget_targets.html", context)


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook_response(data: BudgetData, name: str, unit: DisplayUnit = DisplayUnit.WAN) -> HttpResponse:
    buffer = io.BytesIO()
    write_workbook(buffer, data, unit)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name + '.xlsx')}"
    return response


@require_GET
@login_required
def budget_workbook(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    budget = visible_budget_or_404(request, year, department_code)
    unit = DisplayUnit.YUAN if request.GET.get("unit") == DisplayUnit.YUAN.value else DisplayUnit.WAN
    return _workbook_response(budget_data(budget), f"{year}年部门预算公开表_{department_code}", unit)


@require_POST
@login_required
def budget_transition_view(request: HttpRequest, year: int, department_code: str, action: str) -> HttpResponse:
    budget = visible_budget_or_404(request, year, department_code)
    if action not in TRANSITIONS:
        raise Http404("没有这项操作。")
    try:
        budget = budget_transition(
            budget=budget,
            action=action,
            user=request.user,
            comment=request.POST.get("comment", ""),
            expected_revision=posted_revision(request.POST),
        )
    except WorkflowError as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        state = BudgetState(budget.state).label
        messages.success(request, f"{TRANSITIONS[action].label}成功，预算当前为“{state}”。")
    return redirect("budget_detail", year, department_code)


MAX_EXPLAINED = 500


@require_POST
@login_required
def budget_explanations_view(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    """The department's explanations of the warnings, one text per warning (key-N names it, text-N explains)."""
    budget = visible_budget_or_404(request, year, department_code)
    if not can_edit_figures(request.user, budget):
        raise PermissionDenied("只有本部门填报人可以说明警告。")
    explanations = {}
    for name, key in list(request.POST.items())[: MAX_EXPLAINED * 3]:
        if name.startswith("key-"):
            explanations[key] = request.POST.get(f"text-{name[4:]}", "")
    try:
        changed = budget_explain_warnings(budget=budget, actor=request.user, explanations=explanations)
    except BudgetFiguresError as refused:
        for error in refused.errors:
            messages.error(request, f"说明未保存：{error}")
    else:
        messages.success(request, f"已保存 {changed} 条警告说明。" if changed else "警告说明没有变化。")
    return redirect(reverse("budget_detail", args=[year, department_code]) + "#audit")


@require_POST
@login_required
def budget_control_view(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    budget = visible_budget_or_404(request, year, department_code)
    if not may_set_control(request.user, budget):
        raise PermissionDenied("只有财政审核人可以设置控制数。")
    form = ControlFiguresForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"控制数未保存：{label}{error}")
        return redirect("budget_detail", year, department_code)
    try:
        budget_set_control(
            budget=budget, user=request.user, limits=form.limits(), expected_revision=posted_revision(request.POST)
        )
    except WorkflowError as refused:
        for message in refused.messages:
            messages.error(request, f"控制数未保存：{message}")
    else:
        messages.success(request, "控制数已保存。")
    return redirect(reverse("budget_detail", args=[year, department_code]) + "#control")


def _approved_version(budget: Budget, version: int) -> BudgetSnapshot:
    return get_object_or_404(
        budget.snapshots.select_related("event__actor"), kind=SnapshotKind.APPROVED, version=version
    )


@require_GET
@login_required
def budget_version(request: HttpRequest, year: int, department_code: str, version: int) -> HttpResponse:
    """An approved version, exactly as it was approved (its own copy of the figures and catalogue names)."""
    budget = visible_budget_or_404(request, year, department_code)
    snapshot = _approved_version(budget, version)
    data = snapshot_from_json(snapshot.data)
    tables = [print_table(layout, data) for layout in OFFICIAL_TABLES]
    return render(request, "budgets/budget_version.html", {"budget": budget, "snapshot": snapshot, "tables": tables})


@require_GET
@login_required
def budget_version_workbook(request: HttpRequest, year: int, department_code: str, version: int) -> HttpResponse:
    budget = visible_budget_or_404(request, year, department_code)
    snapshot = _approved_version(budget, version)
    return _workbook_response(
        snapshot_from_json(snapshot.data), f"{year}年部门预算公开表_{department_code}_第{version}版"
    )


@require_GET
@login_required
def budget_changes(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    """What changed, table by table, since the bureau last returned the budget."""
    budget = visible_budget_or_404(request, year, department_code)
    snapshot = last_return(budget)
    if snapshot is None:
        raise Http404("该预算没有被退回过。")
    changes = table_changes(snapshot_from_json(snapshot.data), budget_data(budget), DIFF_TABLES)
    by_table: dict[str, list] = {}
    for change in changes:
        by_table.setdefault(change.table, []).append(change)
    return render(
        request, "budgets/budget_changes.html", {"budget": budget, "snapshot": snapshot, "by_table": by_table}
    )
