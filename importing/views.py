"""Uploading an official workbook to a budget: a preview of every problem and change, then a confirmation; and
检查工作簿, which shows the problems of the same preview for any workbook and forgets it.

The uploaded file waits in storage under a random token recorded in the user's session, so the confirmed
import reads exactly the file that was previewed, into exactly the budget it was previewed for.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from budgets.access import UNIT_EDIT_REFUSED, editable_budget_or_404, may_edit_unit, require, unit_of_budget_or_404
from budgets.models import Budget
from budgets.selectors import part_state
from departments.models import Unit
from domain.audit.model import Severity
from domain.errors import BudgetFiguresError
from importing import pending as pending_files
from importing.check import workbook_check
from importing.services import ImportRefused, budget_import_apply, budget_import_preview
from official.diff import Change
from official.edition import edition_choices, editions
from official.xlsx_safety import MAX_FILE_BYTES
from web.middleware import refuse_oversized_upload

SESSION_KEY = "pending_imports"
MAX_LISTED = 300


def _by_table(changes: list[Change]) -> list[tuple[str, list[Change]]]:
    """The printed cells that change, table by table (each collapsed on the page), at most MAX_LISTED per table."""
    tables: dict[str, list[Change]] = {}
    for change in changes:
        tables.setdefault(change.table, []).append(change)
    return [(table, rows[:MAX_LISTED]) for table, rows in tables.items()]


@require_POST
@login_required
@refuse_oversized_upload(back="budget_detail")
def budget_import_upload(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    budget = editable_budget_or_404(request.user, year, department_code, what="导入工作簿")
    return _upload(request, budget, None)


@require_POST
@login_required
@refuse_oversized_upload(back="budget_unit_part")
def budget_unit_import_upload(request: HttpRequest, year: int, department_code: str, unit_id: int) -> HttpResponse:
    """A unit's accountant's import: his unit's 录入模板 or 单位预算 workbook, into his unit's part only."""
    budget, unit = _unit_part(request, year, department_code, unit_id)
    return _upload(request, budget, unit)


@require_POST
@login_required
def budget_import_confirm(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    budget = editable_budget_or_404(request.user, year, department_code, what="导入工作簿")
    return _confirm(request, budget, None)


@require_POST
@login_required
def budget_unit_import_confirm(request: HttpRequest, year: int, department_code: str, unit_id: int) -> HttpResponse:
    budget, unit = _unit_part(request, year, department_code, unit_id)
    return _confirm(request, budget, unit)


def _unit_part(request: HttpRequest, year: int, department_code: str, unit_id: int) -> tuple[Budget, Unit]:
    budget, unit = unit_of_budget_or_404(request.user, year, department_code, unit_id)
    require(may_edit_unit(request.user, budget, unit, part_state(budget, unit)), UNIT_EDIT_REFUSED)
    return budget, unit


def _back(budget: Budget, unit: Unit | None) -> HttpResponse:
    if unit is None:
        return redirect("budget_detail", budget.year_id, budget.department.code)
    return redirect("budget_unit_part", budget.year_id, budget.department.code, unit.pk)


def _upload(request: HttpRequest, budget: Budget, unit: Unit | None) -> HttpResponse:
    upload = request.FILES.get("workbook")
    back = _back(budget, unit)
    if upload is None:
        messages.error(request, "请选择要导入的 xlsx 文件。")
        return back
    if upload.size > MAX_FILE_BYTES:
        messages.error(request, f"文件过大（{upload.size // 1024} KB），上限为 {MAX_FILE_BYTES // 1024 // 1024} MB。")
        return back
    edition = request.POST.get("edition") or None
    if edition is not None and edition not in editions():
        messages.error(request, "没有这种公开表版式。")
        return back
    data = upload.read()
    preview = budget_import_preview(
        data=data,
        year=budget.year_id,
        department_code=budget.department.code,
        edition=edition,
        unit=unit.name if unit is not None else "",
    )
    token = ""
    pending_files.purge()  # the previews never confirmed, whoever made them
    if preview.ok and not preview.unchanged:
        token = pending_files.store(data)
        pending = request.session.get(SESSION_KEY, {})
        pending[token] = {
            "budget": budget.pk,
            "unit": unit.pk if unit is not None else None,
            "name": upload.name,
            "revision": budget.revision,
            "edition": edition,
        }
        request.session[SESSION_KEY] = pending
    if unit is None:
        confirm_url = reverse("budget_import_confirm", args=[budget.year_id, budget.department.code])
    else:
        confirm_url = reverse("budget_unit_import_confirm", args=[budget.year_id, budget.department.code, unit.pk])
    return render(
        request,
        "importing/import_preview.html",
        {
            "budget": budget,
            "scope": unit,
            "back_url": back.url,
            "confirm_url": confirm_url,
            "preview": preview,
            "problems": preview.problems[:MAX_LISTED],
            "figure_changes": preview.figure_changes[:MAX_LISTED],
            "changes": preview.changes,
            "appearing_errors": sum(v.severity is Severity.ERROR for v in preview.audit_appearing),
            "changes_by_table": _by_table(preview.changes),
            "text_parts": [
                ("单位构成的变化", preview.unit_changes),
                ("政府采购和固定资产的变化", preview.text_changes),
                ("绩效目标的变化", preview.target_text_changes),
            ],
            "token": token,
            "filename": upload.name,
        },
    )


def _confirm(request: HttpRequest, budget: Budget, unit: Unit | None) -> HttpResponse:
    token = request.POST.get("token", "")
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.get(token)
    back = _back(budget, unit)
    scope = unit.pk if unit is not None else None
    if entry is None or entry["budget"] != budget.pk or entry.get("unit") != scope or not pending_files.exists(token):
        messages.error(request, "导入已过期或不属于本预算，请重新上传文件。")
        return back
    # The token is spent before the work starts: a second click finds it gone.
    pending.pop(token)
    request.session[SESSION_KEY] = pending
    request.session.save()
    data = pending_files.take(token)
    if data is None:
        messages.error(request, "导入已过期或不属于本预算，请重新上传文件。")
        return back
    try:
        budget_import_apply(
            data=data,
            year=budget.year_id,
            department_code=budget.department.code,
            actor=request.user,
            expected_revision=entry.get("revision"),
            edition=entry.get("edition"),
            unit=unit,
        )
    except ImportRefused as refused:
        messages.error(request, f"导入未完成，数据未改变：{refused.preview.problems[0]}")
    except BudgetFiguresError as refused:
        messages.error(request, f"导入未完成，数据未改变：{refused.errors[0]}")
    else:
        messages.success(request, f"已导入“{entry['name']}”。")
    return back


@require_http_methods(["GET", "POST"])
@login_required
@refuse_oversized_upload(back="workbook_check")
def workbook_check_view(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "importing/workbook_check.html", {"editions": edition_choices()})
    upload = request.FILES.get("workbook")
    if upload is None:
        messages.error(request, "请选择要检查的 xlsx 文件。")
        return redirect("workbook_check")
    if upload.size > MAX_FILE_BYTES:
        messages.error(request, f"文件过大（{upload.size // 1024} KB），上限为 {MAX_FILE_BYTES // 1024 // 1024} MB。")
        return redirect("workbook_check")
    edition = request.POST.get("edition") or None
    if edition is not None and edition not in editions():
        messages.error(request, "没有这种公开表版式。")
        return redirect("workbook_check")
    check = workbook_check(upload.read(), edition=edition)
    context = {"check": check, "filename": upload.name, "editions": edition_choices()}
    return render(request, "importing/workbook_check.html", context)
