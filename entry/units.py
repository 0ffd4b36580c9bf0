"""The 单位 entry page: the department's units (名称, 性质, 规格, 经费保障形式, order), saved all at once.

Units belong to the department; they are entered with one of its budgets (budgets.services.structure). A unit that
figures or projects still name cannot be removed: the page shows how many, and the service refuses.
"""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from budgets.access import editable_budget_or_404
from budgets.models import Budget
from budgets.services.structure import department_replace_units
from domain.structure import UnitInput, UnitNature
from entry.fields import FlagField
from entry.rows import TRUE_WORDS, RowForm, RowFormSet, StaleWatch, posted_id, save_page

PREFIX = "unit"
MAX_ROWS = 500
MAX_ORDER = 9999
ORDER_INVALID = f"排序只能填 1 到 {MAX_ORDER} 的整数，如 1、2、3。"
NO_SUCH_UNIT = "该单位不存在或不属于本部门，请重新打开页面。"


class UnitForm(RowForm):
    content_fields = ("id", "name", "rank", "funding_form")
    order_field = "order"

    id = forms.CharField(required=False)
    name = forms.CharField(required=False)
    nature = forms.CharField(required=False)
    rank = forms.CharField(required=False)
    funding_form = forms.CharField(required=False)
    order = forms.CharField(required=False)
    delete = FlagField(words=TRUE_WORDS)

    def __init__(self, *args: Any, stored_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stored_ids = stored_ids

    def clean_id(self) -> int | None:
        text = self.cleaned_data["id"]
        if text and posted_id(text) not in self.stored_ids:
            raise forms.ValidationError(NO_SUCH_UNIT)
        return posted_id(text) if text else None

    def clean_order(self) -> str:
        order = self.cleaned_data["order"]
        if order and not (order.isascii() and order.isdigit() and 1 <= int(order) <= MAX_ORDER):
            raise forms.ValidationError(ORDER_INVALID)
        return order

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "id" in self.errors:  # the row as a whole is not one of the page's
            self.add_error(None, self.errors.pop("id")[0])
        return data

    def unit(self) -> UnitInput:
        data = self.cleaned_data
        return UnitInput(data["id"], data["name"], data["nature"], data["rank"], data["funding_form"])


UnitForms = forms.formset_factory(
    UnitForm, formset=RowFormSet, extra=0, max_num=MAX_ROWS, validate_max=True, absolute_max=MAX_ROWS * 2
)


def stored_initial(budget: Budget) -> list[dict[str, str]]:
    units = budget.department.units.order_by("position", "id").values("pk", "name", "nature", "rank", "funding_form")
    return [
        {
            **{name: str(unit[name]) for name in ("name", "nature", "rank", "funding_form")},
            "id": str(unit["pk"]),
            "order": str(number),
        }
        for number, unit in enumerate(units, start=1)
    ]


def unit_usage(budget: Budget) -> dict[str, dict[str, int]]:
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
    budget = editable_budget_or_404(request.user, year, department_code, what="修改单位")
    stored_ids = set(budget.department.units.values_list("pk", flat=True))
    kwargs = {"prefix": PREFIX, "form_kwargs": {"stored_ids": stored_ids}}
    revision: Any = budget.revision
    rehearsal = None
    failed = request.method == "POST"
    if request.method == "POST":
        formset = UnitForms(request.POST, **kwargs)

        def write(expected_revision: int | None) -> int:
            units = [form.unit() for form in formset.kept_forms()]
            return department_replace_units(
                budget=budget, units=units, actor=request.user, expected_revision=expected_revision
            )

        stale = StaleWatch(request, budget, "单位", write, [formset])
        if save_page(request, budget, "单位", write, [formset], placed=formset, on_stale=stale):
            return redirect("budget_units_edit", year, department_code)
        revision, rehearsal = stale.revision(), stale.rehearsal
    else:
        formset = UnitForms(initial=stored_initial(budget), **kwargs)
    usage = unit_usage(budget)
    rows = formset.shown_forms()
    for form in rows:
        form.derived = usage.get(str(form["id"].value() or ""), {"lines": 0, "projects": 0})
    context = {
        "budget": budget,
        "revision": revision,
        "formset": formset,
        "rows": rows,
        "spare": formset.spare_form(),
        "spare_index": formset.total_form_count(),
        "natures": UnitNature.values,
        "failed": failed,
        "rehearsal": rehearsal,
        "active": "units",
        "max_order": MAX_ORDER,
    }
    return render(request, "entry/units_edit.html", context)
