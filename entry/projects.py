"""The 项目 entry page: a budget's projects (names, units, order), without figures: rename one, move it (with its
figures) to another unit, add one before it has figures, delete one that has none (nor targets or procurement).
What each project's lines say (amount, codes, fund sources) is shown beside it, derived."""

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from budgets.access import editable_budget_or_404
from budgets.models import Budget
from budgets.services.structure import budget_replace_projects
from domain.classifications import Source
from domain.money import DisplayUnit
from domain.structure import ProjectEdit
from entry.fields import FlagField, printed_total
from entry.rows import TRUE_WORDS, RowForm, RowFormSet, StaleWatch, posted_id, save_page

PREFIX = "project"
MAX_ROWS = 500
NO_SUCH_PROJECT = "该项目不存在或不属于本预算，请重新打开页面。"


class ProjectForm(RowForm):
    content_fields = ("id", "name")

    id = forms.CharField(required=False)
    name = forms.CharField(required=False)
    unit = forms.CharField(required=False)
    delete = FlagField(words=TRUE_WORDS)

    def __init__(self, *args: Any, stored_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stored_ids = stored_ids

    def is_blank(self) -> bool:
        # A new row ticked for deletion has nothing to delete.
        return super().is_blank() or (not str(self["id"].value() or "").strip() and self.is_deleted())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        text = data.get("id", "")
        if text and posted_id(text) not in self.stored_ids:
            self.add_error(None, NO_SUCH_PROJECT)
        data["id"] = posted_id(text) if text else None
        return data

    def project(self) -> ProjectEdit:
        data = self.cleaned_data
        return ProjectEdit(id=data["id"], name=data["name"], unit=data["unit"])


ProjectForms = forms.formset_factory(
    ProjectForm, formset=RowFormSet, extra=0, max_num=MAX_ROWS, validate_max=True, absolute_max=MAX_ROWS * 2
)


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


def stored_initial(budget: Budget) -> list[dict[str, str]]:
    projects = budget.projects.order_by("position", "id").values_list("pk", "name", "unit__name")
    return [{"id": str(pk), "name": name, "unit": unit} for pk, name, unit in projects]


@require_http_methods(["GET", "POST"])
@login_required
def budget_projects_edit(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    budget = editable_budget_or_404(request.user, year, department_code, what="修改项目")
    unit_names = list(budget.department.units.order_by("position", "id").values_list("name", flat=True))
    stored_ids = set(budget.projects.values_list("pk", flat=True))
    kwargs = {"prefix": PREFIX, "form_kwargs": {"stored_ids": stored_ids}}
    revision: Any = budget.revision
    rehearsal = None
    failed = request.method == "POST"
    if request.method == "POST":
        formset = ProjectForms(request.POST, **kwargs)

        def write(expected_revision: int | None) -> int:
            projects = [form.project() for form in formset.kept_forms()]
            return budget_replace_projects(
                budget=budget, projects=projects, actor=request.user, expected_revision=expected_revision
            )

        stale = StaleWatch(request, budget, "项目", write, [formset])
        if save_page(request, budget, "项目", write, [formset], placed=formset, on_stale=stale):
            return redirect("budget_projects_edit", year, department_code)
        revision, rehearsal = stale.revision(), stale.rehearsal
    else:
        formset = ProjectForms(initial=stored_initial(budget), **kwargs)
    facts = project_facts(budget)
    rows = formset.shown_forms()
    for form in rows:
        form.derived = facts.get(str(form["id"].value() or ""), {})
    total = budget.lines.filter(project__isnull=False).aggregate(total=Sum("amount"))["total"] or Decimal("0")
    context = {
        "budget": budget,
        "revision": revision,
        "formset": formset,
        "rows": rows,
        "spare": formset.spare_form(),
        "spare_index": formset.total_form_count(),
        "units": unit_names,
        "failed": failed,
        "rehearsal": rehearsal,
        "active": "projects",
        "total": printed_total(total, DisplayUnit.WAN),
    }
    return render(request, "entry/projects_edit.html", context)
