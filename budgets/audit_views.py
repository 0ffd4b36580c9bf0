"""The rule catalogue page and the 检查工作簿 page (a workbook is checked and forgotten)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from budgetoffice.middleware import refuse_oversized_upload
from budgets.auditing import audit_workbook
from budgets.domain.audit.rules import CATALOGUE
from budgets.official.xlsx_safety import MAX_FILE_BYTES


@require_GET
@login_required
def rule_catalogue(request: HttpRequest) -> HttpResponse:
    rules = sorted(CATALOGUE.values(), key=lambda rule: rule.id)
    return render(request, "budgets/rules.html", {"rules": rules})


@require_http_methods(["GET", "POST"])
@login_required
@refuse_oversized_upload(back="workbook_check")
def workbook_check(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "budgets/workbook_check.html", {})
    upload = request.FILES.get("workbook")
    if upload is None:
        messages.error(request, "请选择要检查的 xlsx 文件。")
        return redirect("workbook_check")
    if upload.size > MAX_FILE_BYTES:
        messages.error(request, f"文件过大（{upload.size // 1024} KB），上限为 {MAX_FILE_BYTES // 1024 // 1024} MB。")
        return redirect("workbook_check")
    audit = audit_workbook(upload.read())
    return render(request, "budgets/workbook_check.html", {"audit": audit, "filename": upload.name})
