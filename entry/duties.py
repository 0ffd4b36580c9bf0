"""The 部门职责与说明 entry page: the department's duties, with links to the explanation's remarks and the goals.

A save after someone else's is refused and the page shows both texts, the one typed (kept in its box) and the one
stored now, so that saving again never replaces the other's text unseen."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from budgets.access import editable_budget_or_404
from budgets.models import Budget
from budgets.services.errors import StaleRevision
from budgets.services.structure import budget_set_duties
from entry.rows import current_revision, save_page

MAX_DUTIES = 5000
DUTIES_TOO_LONG = "部门职责最多 {limit} 字（现有 {length} 字），请精简后再保存。"
THEIRS_SHOWN = (
    "您填写的内容仍在输入框中，尚未保存；他人保存的部门职责列在下方，请对照后再保存（将以输入框中的内容为准）。"
)


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
    if request.method == "POST":
        form = DutiesForm(request.POST)

        def write(expected_revision: int | None) -> None:
            duties = form.cleaned_data["duties"]
            budget_set_duties(budget=budget, duties=duties, actor=request.user, expected_revision=expected_revision)

        theirs: str | None = None

        def show_theirs(refused: StaleRevision) -> None:
            nonlocal theirs, revision
            for error in refused.errors:
                messages.error(request, f"部门职责未保存：{error}")
            messages.warning(request, THEIRS_SHOWN)
            revision = current_revision(budget)  # before the text: a save in between makes the page stale again
            theirs = Budget.objects.values_list("duties", flat=True).get(pk=budget.pk)

        if save_page(request, budget, "部门职责", write, [form], on_stale=show_theirs):
            return redirect("budget_duties_edit", year, department_code)
        if theirs is None:  # refused for what was typed: the page stays on the revision it was built on
            revision = request.POST.get("revision", "")
        duties = clean_duties(request.POST.get("duties", ""))
    else:
        form, duties, theirs = DutiesForm(initial={"duties": budget.duties}), budget.duties, None
    context = {
        "budget": budget,
        "revision": revision,
        "duties": duties,
        "theirs": theirs,
        "error": " ".join(form.errors.get("duties", [])),
        "failed": request.method == "POST",
        "max_duties": MAX_DUTIES,
        "active": "duties",
    }
    return render(request, "entry/duties_edit.html", context)
