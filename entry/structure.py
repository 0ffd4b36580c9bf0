"""Entry pages of a budget's structure and texts: its department's units (单位), its projects (项目) and the
department's duties (部门职责与说明).

The same people open them as the figures grid (entry.figures.editable_budget_or_404: the department's accountant or
an administrator, while the budget is 草稿 or 退回; a reviewer gets 403, a budget the user may not see 404).

Each page posts every row with the revision it was built on, and its service writes all of it or nothing. What
cannot be read (an order that is not a whole number, a 单位性质 that is none of the choices, a posted id that is
not one of the page's rows) is reported at its row before the service is called; what the service refuses comes
back by row. Either way the page shows again with everything as typed, on top of the budget's current revision.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from budgets.access import editable_budget_or_404
from budgets.models import Budget
from budgets.services.errors import StaleRevision
from budgets.services.structure import (
    ProjectEdit,
    UnitInput,
    budget_replace_projects,
    budget_set_duties,
    department_replace_units,
)
from departments.models import UnitNature
from domain.classifications import Source
from domain.errors import BudgetFiguresError, FigureError
from domain.money import DisplayUnit
from entry.figures import FORM_INCOMPLETE, NOT_SAVED, STALE_KEPT, printed_total
from web.forms import posted_revision

MAX_ROWS = 500
MAX_ORDER = 9999
MAX_DUTIES = 5000
_TRUE = {"1", "on", "true", "yes"}


@dataclass
class Row:
    """One row of a page's table as typed, with its messages by field ("row" for the row as a whole)."""

    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)
    derived: dict[str, Any] = field(default_factory=dict)  # what the page shows and nobody types

    def add_error(self, name: str, message: str) -> None:
        self.errors.setdefault(name or "row", []).append(message)

    @property
    def deleted(self) -> bool:
        return self.values.get("delete", "").strip().lower() in _TRUE


def posted_rows(data: Any, prefix: str, fields: tuple[str, ...]) -> list[dict[str, str]] | None:
    """The posted rows in order (rows removed in the page leave gaps in the numbering); None when the post does
    not say how many rows it has (a mangled form must never read as "no rows", which would remove everything)."""
    total = data.get(f"{prefix}-TOTAL_FORMS", "")
    if not (total.isascii() and total.isdigit() and len(total) < 6):
        return None
    rows = []
    for index in range(min(int(total), MAX_ROWS * 2)):
        names = [f"{prefix}-{index}-{name}" for name in fields]
        if any(name in data for name in names):
            rows.append({name: data.get(f"{prefix}-{index}-{name}", "").strip() for name in fields})
    return rows


def _id(text: str) -> int | None:
    """A posted id: ASCII digits only (str.isdigit() also takes "²"), short enough for the database."""
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def _current_revision(budget: Budget) -> int:
    return Budget.objects.values_list("revision", flat=True).get(pk=budget.pk)


def _save(
    request: HttpRequest, budget: Budget, rows: list[Row], what: str, write: Callable[[int | None], int]
) -> tuple[bool, int]:
    """Call the service; on a refusal put its messages at their rows (the others on top). (saved, changes)."""
    try:
        return True, write(posted_revision(request.POST))
    except BudgetFiguresError as refused:
        placed = _place(rows, refused.errors)
        if placed:
            messages.error(request, NOT_SAVED)
        for error in refused.errors:
            if not 1 <= error.index <= len(rows):
                messages.error(request, f"{what}未保存：{error.message}")
        if isinstance(refused, StaleRevision):
            messages.warning(request, STALE_KEPT)
        return False, 0


def _place(rows: list[Row], errors: list[FigureError]) -> int:
    placed = 0
    for error in errors:
        if 1 <= error.index <= len(rows):
            name = next((name for word, name in _ERROR_FIELDS if word in error.message), "row")
            rows[error.index - 1].add_error(name, error.message)
            placed += 1
    return placed


# Where a message of a service belongs in its row (the first keyword found; the row as a whole otherwise).
_ERROR_FIELDS = (
    ("单位名称", "name"),
    ("项目名称", "name"),
    ("单位性质", "nature"),
    ("单位规格", "rank"),
    ("经费保障形式", "funding_form"),
    ("单位", "unit"),
)


# --- 单位 -------------------------------------------------------------------------------------------------------

UNIT_PREFIX = "unit"
UNIT_FIELDS = ("id", "name", "nature", "rank", "funding_form", "order", "delete")


def read_unit_rows(data: Any, stored_ids: set[int]) -> tuple[list[Row], list[tuple[int, Row]]]:
    """All posted rows (blank new ones dropped), and the kept ones with the order typed, each with its messages."""
    rows, kept = [], []
    for values in posted_rows(data, UNIT_PREFIX, UNIT_FIELDS) or []:
        row = Row(values)
        if not values["id"] and not any(values[name] for name in ("name", "rank", "funding_form")):
            continue  # a blank new row
        rows.append(row)
        if values["id"] and _id(values["id"]) not in stored_ids:
            row.add_error("row", "该单位不存在或不属于本部门，请重新打开页面。")
        if row.deleted:
            continue
        order = values["order"]
        if not order:
            number = MAX_ORDER + 1  # no order typed: after the numbered ones, in the order of the page
        elif order.isascii() and order.isdigit() and 1 <= int(order) <= MAX_ORDER:
            number = int(order)
        else:
            row.add_error("order", f"排序只能填 1 到 {MAX_ORDER} 的整数，如 1、2、3。")
            number = 0
        if values["nature"] not in UnitNature.values:
            row.add_error("nature", f"单位性质请从列表中选择（{'、'.join(UnitNature.values)}）。")
        kept.append((number, row))
    kept.sort(key=lambda pair: pair[0])  # stable: equal orders keep the page's order
    return rows, kept


def stored_unit_rows(budget: Budget) -> list[Row]:
    units = budget.department.units.order_by("position", "id")
    rows = []
    for number, unit in enumerate(units.values("pk", "name", "nature", "rank", "funding_form"), start=1):
        values = {name: str(unit[name]) for name in ("name", "nature", "rank", "funding_form")}
        rows.append(Row({**values, "id": str(unit["pk"]), "order": str(number), "delete": ""}))
    return rows


def _unit_usage(budget: Budget) -> dict[str, dict[str, int]]:
    """For each unit id: how many lines and projects name it (in this budget), shown so removal is no surprise."""
    usage: dict[str, dict[str, int]] = {}
    for unit_id in budget.lines.values_list("unit_id", flat=True):
        usage.setdefault(str(unit_id), {"lines": 0, "projects": 0})["lines"] += 1
    for unit_id in budget.projects.values_list("unit_id", flat=True):
        usage.setdefault(str(unit_id), {"lines": 0, "projects": 0})["projects"] += 1
    return usage


@require_http_methods(["GET", "POST"])
@login_required
def budget_units_edit(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    budget = editable_budget_or_404(request.user, year, department_code, what="修改预算数字")
    revision = budget.revision
    failed = False
    if request.method == "POST":
        stored_ids = set(budget.department.units.values_list("pk", flat=True))
        rows, kept = read_unit_rows(request.POST, stored_ids)
        if posted_rows(request.POST, UNIT_PREFIX, UNIT_FIELDS) is None:
            messages.error(request, FORM_INCOMPLETE)
            failed = True
        elif any(row.errors for row in rows):
            messages.error(request, NOT_SAVED)
            failed = True
        else:
            units = [
                UnitInput(
                    id=_id(row.values["id"]) if row.values["id"] else None,
                    name=row.values["name"],
                    nature=row.values["nature"],
                    rank=row.values["rank"],
                    funding_form=row.values["funding_form"],
                )
                for _, row in kept
            ]

            def write(expected: int | None) -> int:
                return department_replace_units(
                    budget=budget, units=units, actor=request.user, expected_revision=expected
                )

            saved, changed = _save(request, budget, [row for _, row in kept], "单位", write)
            if saved:
                messages.success(request, f"单位已保存（{changed} 处修改）。" if changed else "单位没有变化。")
                return redirect("budget_units_edit", year, department_code)
            failed = True
        revision = _current_revision(budget)
    else:
        rows = stored_unit_rows(budget)
    usage = _unit_usage(budget)
    for row in rows:
        row.derived = usage.get(row.values.get("id", ""), {"lines": 0, "projects": 0})
    context = {
        "budget": budget,
        "revision": revision,
        "rows": rows,
        "prefix": UNIT_PREFIX,
        "natures": UnitNature.values,
        "failed": failed,
        "active": "units",
        "max_order": MAX_ORDER,
    }
    return render(request, "entry/units_edit.html", context)


# --- 项目 -------------------------------------------------------------------------------------------------------

PROJECT_PREFIX = "project"
PROJECT_FIELDS = ("id", "name", "unit", "delete")


def project_facts(budget: Budget) -> dict[str, dict[str, Any]]:
    """By project id: what its lines say (amount in 万元, functional and economic codes, fund sources, count)."""
    facts: dict[str, dict[str, Any]] = {}
    lines = budget.lines.filter(project__isnull=False).values_list(
        "project_id", "function__code", "economic__code", "source"
    )
    amounts = dict(
        budget.lines.filter(project__isnull=False)
        .values("project_id")
        .annotate(total=Sum("amount"))
        .values_list("project_id", "total")
    )
    sources = dict(Source.choices)
    for project_id, function, economic, source in lines:
        fact = facts.setdefault(
            str(project_id), {"functions": set(), "economics": set(), "sources": set(), "count": 0, "amount": ""}
        )
        fact["functions"].add(function)
        fact["economics"].add(economic)
        fact["sources"].add(sources.get(source, source))
        fact["count"] += 1
    for key, fact in facts.items():
        fact["amount"] = printed_total(amounts.get(int(key)) or Decimal("0"), DisplayUnit.WAN)
        for name in ("functions", "economics", "sources"):
            fact[name] = sorted(fact[name])
    return facts


def read_project_rows(data: Any, stored_ids: set[int], unit_names: list[str]) -> tuple[list[Row], list[Row]]:
    """All posted rows (blank new ones dropped) and the kept ones, each with its messages."""
    rows, kept = [], []
    for values in posted_rows(data, PROJECT_PREFIX, PROJECT_FIELDS) or []:
        if not values["id"] and not values["name"]:
            continue  # a blank new row (its unit select always holds a value)
        row = Row(values)
        rows.append(row)
        if values["id"] and _id(values["id"]) not in stored_ids:
            row.add_error("row", "该项目不存在或不属于本预算，请重新打开页面。")
        if row.deleted:
            if not values["id"]:
                rows.pop()  # a new row ticked for deletion: nothing to delete
            continue
        if values["unit"] not in unit_names:
            row.add_error("unit", "请从列表中选择本部门的单位。")
        kept.append(row)
    return rows, kept


def stored_project_rows(budget: Budget) -> list[Row]:
    projects = budget.projects.order_by("position", "id").values_list("pk", "name", "unit__name")
    return [Row({"id": str(pk), "name": name, "unit": unit, "delete": ""}) for pk, name, unit in projects]


@require_http_methods(["GET", "POST"])
@login_required
def budget_projects_edit(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    budget = editable_budget_or_404(request.user, year, department_code, what="修改预算数字")
    unit_names = list(budget.department.units.order_by("position", "id").values_list("name", flat=True))
    revision = budget.revision
    failed = False
    if request.method == "POST":
        stored_ids = set(budget.projects.values_list("pk", flat=True))
        rows, kept = read_project_rows(request.POST, stored_ids, unit_names)
        if posted_rows(request.POST, PROJECT_PREFIX, PROJECT_FIELDS) is None:
            messages.error(request, FORM_INCOMPLETE)
            failed = True
        elif any(row.errors for row in rows):
            messages.error(request, NOT_SAVED)
            failed = True
        else:
            projects = [
                ProjectEdit(
                    id=_id(row.values["id"]) if row.values["id"] else None,
                    name=row.values["name"],
                    unit=row.values["unit"],
                )
                for row in kept
            ]

            def write(expected: int | None) -> int:
                return budget_replace_projects(
                    budget=budget, projects=projects, actor=request.user, expected_revision=expected
                )

            saved, changed = _save(request, budget, kept, "项目", write)
            if saved:
                messages.success(request, f"项目已保存（{changed} 处修改）。" if changed else "项目没有变化。")
                return redirect("budget_projects_edit", year, department_code)
            failed = True
        revision = _current_revision(budget)
    else:
        rows = stored_project_rows(budget)
    facts = project_facts(budget)
    for row in rows:
        row.derived = facts.get(row.values.get("id", ""), {})
    total = budget.lines.filter(project__isnull=False).aggregate(total=Sum("amount"))["total"] or Decimal("0")
    context = {
        "budget": budget,
        "revision": revision,
        "rows": rows,
        "prefix": PROJECT_PREFIX,
        "units": unit_names,
        "failed": failed,
        "active": "projects",
        "total": printed_total(total, DisplayUnit.WAN),
    }
    return render(request, "entry/projects_edit.html", context)


# --- 部门职责与说明 -------------------------------------------------------------------------------------------


def clean_duties(text: str) -> str:
    """The text as stored: line breaks as \\n (browsers post \\r\\n), no trailing blanks."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")).strip()


@require_http_methods(["GET", "POST"])
@login_required
def budget_duties_edit(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    budget = editable_budget_or_404(request.user, year, department_code, what="修改预算数字")
    duties, revision, error = budget.duties, budget.revision, ""
    if request.method == "POST":
        duties = clean_duties(request.POST.get("duties", ""))
        if len(duties) > MAX_DUTIES:
            error = f"部门职责最多 {MAX_DUTIES} 字（现有 {len(duties)} 字），请精简后再保存。"
            messages.error(request, NOT_SAVED)
        else:
            try:
                budget_set_duties(
                    budget=budget,
                    duties=duties,
                    actor=request.user,
                    expected_revision=posted_revision(request.POST),
                )
            except BudgetFiguresError as refused:
                for refusal in refused.errors:
                    messages.error(request, f"部门职责未保存：{refusal.message}")
                if isinstance(refused, StaleRevision):
                    messages.warning(request, STALE_KEPT)
            else:
                changed = _current_revision(budget) != budget.revision
                messages.success(request, "部门职责已保存。" if changed else "部门职责没有变化。")
                return redirect("budget_duties_edit", year, department_code)
        revision = _current_revision(budget)
    context = {
        "budget": budget,
        "revision": revision,
        "duties": duties,
        "error": error,
        "failed": request.method == "POST",
        "max_duties": MAX_DUTIES,
        "active": "duties",
    }
    return render(request, "entry/duties_edit.html", context)
