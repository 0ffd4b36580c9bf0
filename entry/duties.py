"""The 部门职责与说明 entry page: the department's duties, with links to the explanation's remarks and the goals.

A save after someone else's is refused and the page shows both texts, the one typed (kept in its box) and the one
stored now (entry.rows.StaleWatch), so that saving again never replaces the other's text unseen."""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from budgets.access import editable_budget_or_404
from budgets.services.structure import budget_set_duties
from entry.rows import StaleWatch, save_page

MAX_DUTIES = 5000
DUTIES_TOO_LONG = "部门职责最多 {limit} 字（现有 {length} 字），请精简后再保存。"


def clean_duties(text: str) -> str:
    """The text as stored: line breaks as \\n (browsers post \\r\\n), no trailing blanks."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")).strip()


class DutiesForm(forms.Form):
    duties = forms.CharField(required=False, strip=False)

    def clean_duties(self) -> str:
        duties = clean_duties(self.cleaned_data["duties"])
        if len(duties) > MAX_DUTIES:
            raise forms.ValidationError(DUTIES_TOO_LONG.format(limit=MAX_DUTIES, length=len(duties)))
        return duties


@require_http_methods(["GET", "POST"])
@login_required
def budget_duties_edit(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    budget = editable_budget_or_404(request.user, year, department_code, what="修改部门职责")
    revision: Any = budget.revision
    rehearsal = None
    if request.method == "POST":
        form = DutiesForm(request.POST)

        def write(expected_revision: int | None) -> None:
            duties = form.cleaned_data["duties"]
            budget_set_duties(budget=budget, duties=duties, actor=request.user, expected_revision=expected_revision)

        stale = StaleWatch(request, budget, "部门职责", write)
        if save_page(request, budget, "部门职责", write, [form], on_stale=stale):
            return redirect("budget_duties_edit", year, department_code)
        revision, rehearsal = stale.revision(), stale.rehearsal
        duties = clean_duties(request.POST.get("duties", ""))
    else:
        form, duties = DutiesForm(initial={"duties": budget.duties}), budget.duties
    context = {
        "budget": budget,
        "revision": revision,
        "duties": duties,
        "rehearsal": rehearsal,
        "error": " ".join(form.errors.get("duties", [])),
        "failed": request.method == "POST",
        "max_duties": MAX_DUTIES,
        "active": "duties",
    }
    return render(request, "entry/duties_edit.html", context)
