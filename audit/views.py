"""The rule catalogue page, and the department's explanations of its warnings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from audit.services import budget_explain_warnings
from budgets.access import editable_budget_or_404
from domain.audit.rules import CATALOGUE
from domain.errors import BudgetFiguresError


@require_GET
@login_required
def rule_catalogue(request: HttpRequest) -> HttpResponse:
    rules = sorted(CATALOGUE.values(), key=lambda rule: rule.id)
    return render(request, "audit/rules.html", {"rules": rules})


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
