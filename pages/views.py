"""The pages that read a budget: the home list, the budget page, each official table, the targets, approved
versions, the workbook downloads (the official tables, and the 录入模板 to edit the budget in Excel) and what
changed since the last return."""

import io
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.paginator import EmptyPage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from audit.verdict import stored_violations
from budgets.access import (
    budgets_visible_to,
    may_act,
    may_edit,
    may_set_control,
    unit_of_budget_or_404,
    visible_budget_or_404,
)
from budgets.computed import kept_budget_data
from budgets.models import Budget, BudgetSnapshot, SnapshotKind
from budgets.selectors import (
    approved_previous_data,
    budget_data,
    budget_snapshots,
    issued_control,
    last_return,
    warning_explanations,
)
from disclosure.selectors import prose_inputs
from domain.audit.model import Severity
from domain.comparison import compare_years
from domain.control import control_items
from domain.ledger import BudgetData
from domain.money import DisplayUnit
from domain.snapshot import snapshot_from_json
from domain.unit_budget import unit_budget, unit_names
from domain.workflow import available
from exports.entry_template import entry_workbook
from importing.consequences import ledger_changes
from official.diff import table_changes
from official.edition import Edition, department_edition_choices, edition, edition_choices, editions, unit_edition_of
from official.render import print_table
from official.targets_layout import GOAL_LABEL, TARGET_COLUMNS, print_goals, print_targets
from official.workbook import write_workbook
from pages.listings import BudgetTable
from pages.printed import budget_unit_names, control_spending, table_html, workbook_bytes
from workflow.comment_places import table_places, target_places
from workflow.comment_views import comments_context
from workflow.deadlines import round_deadline
from workflow.forms import ControlFiguresForm, take_kept_comment

# The tables a reviewer compares after a return: the nine, procurement and assets (units have no amounts).


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    budgets = budgets_visible_to(request.user).defer("violations", "duties")  # its stored total, not its lines
    if request.user.is_unit_accountant:  # his unit's part of each year's budget, not the department's pages
        return render(
            request, "pages/home_unit.html", {"budgets": budgets.order_by("-year"), "unit": request.user.unit}
        )
    table = BudgetTable(budgets)
    RequestConfig(request, paginate=False).configure(table)  # ordering from the query string, paging below
    page = request.GET.get("page", "1")
    try:
        table.paginate(page=int(page) if page.isdigit() and int(page) > 0 else 1, per_page=50)
    except EmptyPage as error:
        raise Http404("没有这一页。") from error
    return render(request, "pages/home.html", {"table": table})


@require_GET
@login_required
def budget_detail(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    budget = visible_budget_or_404(request.user, year, department_code)
    control = issued_control(budget)
    snapshots = budget_snapshots(budget)
    violations = stored_violations(budget)
    has_warnings = any(v.severity is Severity.WARNING for v in violations)
    context = {
        "budget": budget,
        "layouts": budget.year.layouts.tables,  # the page lists them; each prints on its own page
        "other_editions": [(key, name) for key, name in department_edition_choices() if key != budget.year.edition],
        "unit_budgets": budget_unit_names(budget) if budget.year.layouts.unit_edition else [],
        "editions": edition_choices(),
        "can_import": may_edit(request.user, budget),
        "violations": violations,
        "explanations": warning_explanations(budget) if has_warnings else {},
        "can_explain": may_edit(request.user, budget),
        "warnings_open": has_warnings,
        "actions": [t for t in available(budget.state, budget.round) if may_act(request.user, budget, t)],
        "events": budget.events.select_related("actor").order_by("-created_at", "-id")[:50],
        "control": control_items(control.limits(), control_spending(budget)) if control else (),
        "control_issued": control,
        "control_form": (
            ControlFiguresForm.for_limits(control.limits() if control else None, budget.revision)
            if may_set_control(request.user, budget)
            else None
        ),
        "versions": [snapshot for snapshot in snapshots if snapshot.kind == SnapshotKind.APPROVED],
        "last_return": last_return(budget, snapshots),
        "kept_comment": take_kept_comment(request, budget.pk),
        "deadline": round_deadline(budget),
    }
    return render(request, "pages/budget_detail.html", context)


@require_GET
@login_required
def budget_table(request: HttpRequest, year: int, department_code: str, table_key: str) -> HttpResponse:
    budget = visible_budget_or_404(request.user, year, department_code)
    layouts = budget.year.layouts
    layout = layouts.by_key.get(table_key)
    if layout is None:
        raise Http404("没有这张表。")
    context = {
        "budget": budget,
        "layout": layout,
        "tables": [table_html(budget, layouts, layout)],
        **comments_context(request, budget, [table_places(budget, layout.key)]),
    }
    return render(request, "pages/budget_table.html", context)


@require_GET
@login_required
def budget_tables(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    """All the official tables of the budget on one page, to read through or print."""
    budget = visible_budget_or_404(request.user, year, department_code)
    layouts = budget.year.layouts
    tables = [table_html(budget, layouts, layout) for layout in layouts.tables]
    return render(request, "pages/budget_table.html", {"budget": budget, "layout": None, "tables": tables})


@require_GET
@login_required
def budget_compare(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    """与上年对比: last year's approved budget beside this one, by functional and economic code and 三公 item."""
    budget = visible_budget_or_404(request.user, year, department_code)
    previous = approved_previous_data(budget)
    comparison = compare_years(previous, kept_budget_data(budget)) if previous is not None else None
    return render(request, "pages/budget_compare.html", {"budget": budget, "comparison": comparison})


@require_GET
@login_required
def budget_targets(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    """预算绩效信息 in the official layout: 部门整体绩效目标, then each project's 绩效目标表 (id target-N)."""
    budget = visible_budget_or_404(request.user, year, department_code)
    performance = kept_budget_data(budget).performance
    department_line = f"{budget.department.code} {budget.department.name}"
    editable = may_edit(request.user, budget)
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
        **comments_context(request, budget, target_places(budget)),
    }
    return render(request, "pages/budget_targets.html", context)


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _chosen_edition(request: HttpRequest, budget: Budget) -> Edition:
    """The edition a download asks for (?edition=KEY, offered next to the download), else the year's."""
    key = request.GET.get("edition")
    if not key:
        return budget.year.layouts
    if key not in editions():
        raise Http404("没有这种公开表版式。")
    return edition(key).for_year(budget.year_id)


def _unit_download(data: BudgetData, layouts: Edition, unit_name: str) -> tuple[BudgetData, Edition]:
    """One unit's 单位预算 (?unit_budget=NAME) in the 单位 variant of the edition asked for."""
    variant = layouts if layouts.level == "单位" else unit_edition_of(layouts)
    if variant is None:
        raise Http404(f"版式“{layouts.name}”没有单位预算表。")
    if unit_name not in unit_names(data):
        raise Http404("本部门没有这个单位。")
    return unit_budget(data, unit_name), variant


def _workbook_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name + '.xlsx')}"
    return response


@require_GET
@login_required
def budget_workbook(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    budget = visible_budget_or_404(request.user, year, department_code)
    unit = DisplayUnit.YUAN if request.GET.get("unit") == DisplayUnit.YUAN.value else DisplayUnit.WAN
    layouts = _chosen_edition(request, budget)
    data = kept_budget_data(budget)
    unit_name = request.GET.get("unit_budget")
    if unit_name:
        data, layouts = _unit_download(data, layouts, unit_name)
        name = f"{year}年单位预算公开表_{department_code}_{unit_name}_{unit.value}"
        return _workbook_response(workbook_bytes(budget, data, unit, layouts, unit_name=unit_name), name)
    if layouts.level == "单位":
        raise Http404("单位预算表须指定单位。")
    # The unit in the name: the 万元 and the 元 download of one budget are two files, not one overwriting the other.
    name = f"{year}年部门预算公开表_{department_code}_{unit.value}"
    texts = prose_inputs(budget, layouts)
    return _workbook_response(workbook_bytes(budget, data, unit, layouts, texts), name)


@require_GET
@login_required
def budget_unit_workbook(request: HttpRequest, year: int, department_code: str, unit_id: int) -> HttpResponse:
    """One unit's 单位预算 as its page prints it (the year's 单位 edition, the 部门 one where there is none), for
    whoever may open that page: the unit's own accountant included, who may not download the department's."""
    budget, unit_row = unit_of_budget_or_404(request.user, year, department_code, unit_id)
    unit = DisplayUnit.YUAN if request.GET.get("unit") == DisplayUnit.YUAN.value else DisplayUnit.WAN
    layouts = budget.year.layouts
    variant = unit_edition_of(layouts) or layouts
    data = unit_budget(kept_budget_data(budget), unit_row.name)
    name = f"{year}年单位预算公开表_{department_code}_{unit_row.name}_{unit.value}"
    return _workbook_response(workbook_bytes(budget, data, unit, variant, unit_name=unit_row.name), name)


def entry_template_name(department_code: str, year: int) -> str:
    return f"录入模板-{department_code}-{year}.xlsx"


@require_GET
@login_required
def budget_entry_template(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    """The budget's 录入模板 (exports.entry_template), for anyone who may read the budget: editing it in Excel and
    uploading it back goes through the import, which only the budget's editors may do."""
    budget = visible_budget_or_404(request.user, year, department_code)
    response = HttpResponse(entry_workbook(budget_data(budget)), content_type=XLSX_CONTENT_TYPE)
    name = entry_template_name(budget.department.code, year)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@require_GET
@login_required
def budget_unit_entry_template(request: HttpRequest, year: int, department_code: str, unit_id: int) -> HttpResponse:
    """A unit's 录入模板: its lines, its projects' procurement and 绩效目标表, to edit in Excel and upload back to its
    page (importing.unit_scope), for whoever may open that page."""
    budget, unit = unit_of_budget_or_404(request.user, year, department_code, unit_id)
    response = HttpResponse(entry_workbook(unit_budget(budget_data(budget), unit.name)), content_type=XLSX_CONTENT_TYPE)
    name = f"录入模板-{budget.department.code}-{year}-{unit.name}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _approved_version(budget: Budget, version: int) -> BudgetSnapshot:
    return get_object_or_404(
        budget.snapshots.select_related("event__actor"), kind=SnapshotKind.APPROVED, version=version
    )


@require_GET
@login_required
def budget_version(request: HttpRequest, year: int, department_code: str, version: int) -> HttpResponse:
    """An approved version, exactly as it was approved (its own copy of the figures and catalogue names)."""
    budget = visible_budget_or_404(request.user, year, department_code)
    snapshot = _approved_version(budget, version)
    data = snapshot_from_json(snapshot.data)
    tables = [print_table(layout, data) for layout in budget.year.layouts.tables]
    return render(request, "pages/budget_version.html", {"budget": budget, "snapshot": snapshot, "tables": tables})


@require_GET
@login_required
def budget_version_workbook(request: HttpRequest, year: int, department_code: str, version: int) -> HttpResponse:
    budget = visible_budget_or_404(request.user, year, department_code)
    snapshot = _approved_version(budget, version)
    name = f"{year}年部门预算公开表_{department_code}_第{version}版"
    buffer = io.BytesIO()  # a version never changes, and is seldom asked for: written each time, not kept
    write_workbook(buffer, snapshot_from_json(snapshot.data), DisplayUnit.WAN, budget.year.layouts)
    return _workbook_response(buffer.getvalue(), name)


@require_GET
@login_required
def budget_changes(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    """What changed, table by table, since the bureau last returned the budget."""
    budget = visible_budget_or_404(request.user, year, department_code)
    snapshot = last_return(budget)
    if snapshot is None:
        raise Http404("该预算没有被退回过。")
    returned, now = snapshot_from_json(snapshot.data), budget_data(budget)
    # What the department changed (the figures as entered) first; what the tables derive from it after, folded.
    figures = ledger_changes(returned.lines, now.lines)
    changes = table_changes(returned, now, budget.year.layouts.compared_tables)
    by_table: dict[str, list] = {}
    for change in changes:
        by_table.setdefault(change.table, []).append(change)
    context = {"budget": budget, "snapshot": snapshot, "figures": figures, "by_table": by_table}
    return render(request, "pages/budget_changes.html", context)
