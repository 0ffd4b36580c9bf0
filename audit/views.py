"""The rule catalogue page, and the department's explanations of its warnings."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from audit.forms import save_explanations
from budgets.access import editable_budget_or_404
from domain.audit.rules import CATALOGUE


@require_GET
@login_required
def rule_catalogue(request: HttpRequest) -> HttpResponse:
    rules = sorted(CATALOGUE.values(), key=lambda rule: rule.id)
    return render(request, "audit/rules.html", {"rules": rules})


@require_POST
@login_required
def budget_explanations_view(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    """The department's explanations of the warnings, one text per warning (key-N names it, text-N explains)."""
    budget = editable_budget_or_404(request.user, year, department_code, what="说明警告")
    save_explanations(request, budget, quiet=False)
    return redirect(reverse("budget_detail", args=[year, department_code]) + "#audit")
