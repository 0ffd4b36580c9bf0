"""The rule catalogue page and the 检查工作簿 page (a workbook is checked and forgotten)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

# The tables a reviewer compares after a return: the nine, procurement and assets (units have no amounts).
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import budget_explain_warnings
from budgets.access import editable_budget_or_404
from domain.audit.rules import CATALOGUE
from domain.errors import BudgetFiguresError
from official.audit import audit_workbook
from official.edition import edition_choices, editions
from official.xlsx_safety import MAX_FILE_BYTES
from web.middleware import refuse_oversized_upload


@require_GET
@login_required
def rule_catalogue(request: HttpRequest) -> HttpResponse:
    rules = sorted(CATALOGUE.values(), key=lambda rule: rule.id)
    return render(request, "audit/rules.html", {"rules": rules})


@require_http_methods(["GET", "POST"])
@login_required
@refuse_oversized_upload(back="workbook_check")
def workbook_check(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "audit/workbook_check.html", {"editions": edition_choices()})
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
    audit = audit_workbook(upload.read(), edition)
    context = {"audit": audit, "filename": upload.name, "editions": edition_choices()}
    return render(request, "audit/workbook_check.html", context)


MAX_EXPLAINED = 500


@require_POST
@login_required
def budget_explanations_view(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    """The department's explanations of the warnings, one text per warning (key-N names it, text-N explains)."""
    budget = editable_budget_or_404(request.user, year, department_code, what="说明警告")
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
