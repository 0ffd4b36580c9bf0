"""The explanation page (部门预算信息公开情况说明): the generated text for whoever may read the budget, and for
those who may edit its figures (the department's accountant, an administrator, while a draft or returned) the
form of its inputs: last year's figures and the department's reasons and remarks."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from audit.verdict import budget_violations
from budgets.access import editable_budget_or_404, may_edit, visible_budget_or_404
from budgets.computed import kept_budget_data
from budgets.models import Budget
from budgets.services.rehearsal import Rehearsal
from disclosure.forms import ExplanationInputsForm
from disclosure.selectors import approved_previous, budget_explanation, entered_previous, explanation_remarks
from disclosure.services import explanation_inputs_set
from entry.rows import StaleWatch, posted_on, save_page
from official.render import print_table


def _page(
    request: HttpRequest, budget: Budget, form: ExplanationInputsForm | None, rehearsal: Rehearsal | None = None
) -> HttpResponse:
    data = kept_budget_data(budget)
    explanation = budget_explanation(budget, data)
    editable = may_edit(request.user, budget)
    if editable and form is None:
        form = ExplanationInputsForm.for_budget(entered_previous(budget), explanation_remarks(budget), budget.revision)
    violations = [
        violation
        for violation in budget_violations(budget, data)
        if violation.place.startswith("情况说明｜") or violation.rule == "X01"
    ]
    layouts = budget.year.layouts
    sections = [
        (section, [print_table(layouts.by_key[key], data) for key in section.tables if key in layouts.by_key])
        for section in explanation.sections
    ]
    context = {
        "budget": budget,
        "explanation": explanation,
        "sections": sections,
        "editable": editable,
        "form": form if editable else None,
        "approved_previous": approved_previous(budget) is not None,
        "violations": violations,
        "rehearsal": rehearsal,
    }
    return render(request, "entry/explanation.html", context)


@require_GET
@login_required
def budget_explanation_view(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    budget = visible_budget_or_404(request.user, year, department_code)
    return _page(request, budget, None)


@require_POST
@login_required
def budget_explanation_edit(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    budget = editable_budget_or_404(request.user, year, department_code, what="修改情况说明")
    form = ExplanationInputsForm(request.POST)

    def write(expected_revision: int | None) -> int:
        return explanation_inputs_set(
            budget=budget,
            previous=form.previous(budget.year_id - 1),
            remarks=form.remarks(),
            actor=request.user,
            expected_revision=expected_revision,
        )

    stale = StaleWatch(request, budget, "情况说明", write)
    if save_page(request, budget, "情况说明", write, [form], on_stale=stale):
        return redirect("budget_explanation", year, department_code)
    kept = ExplanationInputsForm(posted_on(request, stale.revision()))
    kept.is_valid()  # its errors, if any, at their fields
    return _page(request, budget, kept, rehearsal=stale.rehearsal)
