"""The entry page of a budget's figures: every line (单位 × 功能分类项 × 经济分类款 × 支出类型 × 资金来源 × 上年结转
(× 项目) → 金额) as one row of a table-shaped grid, saved all at once.

Only those who may enter the budget open it (budgets.access.editable_budget_or_404): a reviewer gets 403, a budget
the user may not see 404. Amounts are typed in 万元 by default, or in 元 (``?unit=元``; the page posts the unit it
was typed in), see entry.fields. Stored figures are shown exactly too (12.345678 万元 where the fen need it).

Every row is read by its form; the rows that read are then held to the ledger's one rule of a figure
(domain.ledger.inputs_errors: unit of the department, leaf codes of the year, project if and only if 项目支出, money
a kind may use, one figure per cell), the same the write service applies before it writes. Every message sits at
its cell; nothing is saved while any remains.

A page saved after someone else's save is refused and comes back merged (entry.figures_merge): the others'
changes taken in, a cell both changed marked with both values, on the current revision; nothing is written until
it is saved again, so a second click never reverts another's figure unseen.

Projects: a row's 项目 names an existing project of the budget or a new one, created for the row's unit. The
projects no row names any more are removed by the service, unless performance targets or the procurement plan
still name them (as with an import).
"""

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from budgets.access import (
    UNIT_EDIT_REFUSED,
    editable_budget_or_404,
    may_edit_unit,
    require,
    unit_of_budget_or_404,
)
from budgets.models import Budget, BudgetEvent
from budgets.selectors import budget_figures, entry_context, part_state
from budgets.services.errors import StaleRevision
from budgets.services.figures import budget_replace_figures
from budgets.services.unit_parts import unit_replace_figures
from catalog.models import EconomicCode, FunctionCode
from departments.models import Unit
from domain.changes import FigureKey, FigureMerge, merge_figures
from domain.classifications import PERSONNEL_ECONOMIC_CLASSES, Kind, Source
from domain.ledger import EntryContext, LineInput, ProjectInput, input_errors, inputs_errors, projects_for
from domain.money import DisplayUnit
from domain.names import codes_by_name, short_unit_names
from entry.fields import (
    PLACES,
    AmountField,
    CodeField,
    FlagField,
    LabelledChoiceField,
    code_of,
    display_unit,
    other_unit,
    printed_total,
    read_amount,
    typed_amount,
)
from entry.figures_merge import Mark, base_token, merge_report, merged_rows, read_base
from entry.rows import TRUE_WORDS, RowForm, RowFormSet, current_revision, save_page

PREFIX = "line"
MAX_ROWS = 2000
# The grid's columns, in order (also the order a pasted block fills them).
FIELDS = ("unit", "function", "economic", "kind", "source", "carried_over", "project", "amount")
UNIT_REQUIRED = "请从列表中选择本部门的单位。"
FUNCTION_REQUIRED = "请填写7位项级功能分类科目编码（可按编码或名称搜索后从列表选择）。"
ECONOMIC_REQUIRED = "请填写5位款级经济分类科目编码（可按编码或名称搜索后从列表选择）。"
KIND_REQUIRED = "请选择支出类型。"
SOURCE_REQUIRED = "请选择资金来源。"
STALE_MERGED = "预算数字未保存：该预算在您打开本页之后已被他人修改，为避免覆盖他人的修改，本次没有写入。"
MERGED = (
    "本页已改为他人保存后的最新数字，并保留您的修改：他人改过而您未改的 {taken} 处已并入（蓝色），"
    "双方都改过的 {conflicts} 处标为冲突（红色，格中为您的数）。请核对后再次保存；核对前不会写入任何数字。"
)


class FigureForm(RowForm):
    content_fields = ("function", "economic", "project", "amount")

    unit = forms.CharField(error_messages={"required": UNIT_REQUIRED})
    function = CodeField(width=7, error_messages={"required": FUNCTION_REQUIRED})
    economic = CodeField(width=5, error_messages={"required": ECONOMIC_REQUIRED})
    kind = LabelledChoiceField(
        choices=Kind, error_messages={"required": KIND_REQUIRED, "invalid_choice": KIND_REQUIRED}
    )
    source = LabelledChoiceField(
        choices=Source, error_messages={"required": SOURCE_REQUIRED, "invalid_choice": SOURCE_REQUIRED}
    )
    carried_over = FlagField(words=TRUE_WORDS | {"上年结转"})
    project = forms.CharField(required=False)
    amount = AmountField()

    def __init__(
        self,
        *args: Any,
        unit: DisplayUnit = DisplayUnit.WAN,
        units: Sequence[str] = (),
        by_name: dict[str, dict[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["amount"].unit = unit  # type: ignore[attr-defined]
        self.units = units
        self.by_name = by_name or {}
        self.function_name = self.economic_name = ""  # the names of the codes it holds, shown beside them
        self.mark: Mark | None = None  # set when a stale page was merged with others' changes
        self.group_start = False  # the first row of another unit

    def _named(self, column: str) -> str:
        """A code cell's code; a name that only one code of the year has ("办公费") stands for that code."""
        value = self.cleaned_data[column]
        return self.by_name.get(column, {}).get(value, value)

    def clean_function(self) -> str:
        return self._named("function")

    def clean_economic(self) -> str:
        return self._named("economic")

    @property
    def invalid(self) -> dict[str, str]:
        """The selects whose posted value is none of their options, with that value (to show it as such)."""
        if not self.is_bound and not self.initial:
            return {}
        # Bound rows, and merged ones (initial): a unit someone else renamed or removed meanwhile shows as invalid.
        values = {name: str(self[name].value() or "") for name in ("unit", "kind", "source")}
        invalid = {"unit": values["unit"]} if values["unit"] not in self.units else {}
        for name in ("kind", "source"):
            field = self.fields[name]
            if isinstance(field, LabelledChoiceField) and not field.valid(values[name]):
                invalid[name] = values[name]
        return invalid

    @property
    def selected(self) -> dict[str, str]:
        """The value each select shows: a pasted label ("基本支出") stands for its value."""
        chosen = {}
        for name in ("kind", "source"):
            value = str(self[name].value() or "").strip()
            field = self.fields[name]
            assert isinstance(field, LabelledChoiceField)
            chosen[name] = next((c.value for c in field.enumeration if value in (c.value, c.label)), value)
        return chosen

    @property
    def checked(self) -> bool:
        return self.fields["carried_over"].clean(self["carried_over"].value())

    def entry(self) -> LineInput:
        """The figure this (valid) row says."""
        data = self.cleaned_data
        return LineInput(
            unit=data["unit"].strip(),
            function=data["function"],
            economic=data["economic"],
            kind=data["kind"],
            source=data["source"],
            amount=data["amount"],
            project=data["project"].strip(),
            carried_over=data["carried_over"],
        )


class FigureFormSet(RowFormSet):
    """The grid. ``context``: the budget's units, the year's leaf codes and its projects by name (their unit)."""

    def __init__(self, *args: Any, context: EntryContext, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.context = context

    def rows(self) -> tuple[list[LineInput], list[ProjectInput]]:
        """The figures and projects the (valid) rows say."""
        lines = [form.entry() for form in self.kept_forms()]
        return lines, projects_for(lines, dict(self.context.projects))

    def clean(self) -> None:
        super().clean()
        kept = self.kept_forms()
        readable = [(number, form) for number, form in enumerate(kept, start=1) if not form.errors]
        lines = [form.entry() for _, form in readable]
        projects = projects_for(lines, dict(self.context.projects))
        context = replace(self.context, projects={project.name: project.unit for project in projects})
        if len(readable) == len(kept):
            errors = inputs_errors(lines, context, projects)
        else:  # the rows' own rule only: two rows for one cell are told once every row reads
            errors = [error for number, form in readable for error in input_errors(form.entry(), context, number)]
        self.place(errors)


FigureForms = forms.formset_factory(
    FigureForm, formset=FigureFormSet, extra=0, max_num=MAX_ROWS, validate_max=True, absolute_max=MAX_ROWS * 2
)


def stored_initial(
    budget: Budget, unit: DisplayUnit, scope: Unit | None = None
) -> tuple[list[dict[str, str]], dict[FigureKey, Decimal]]:
    """The grid's rows of the stored figures (of the unit ``scope`` only, when given), and those figures by key:
    from one read, so that the page's signed base is what it shows (a save between two reads would otherwise be
    merged away unseen)."""
    stored = budget.lines.filter(unit=scope) if scope is not None else budget.lines
    lines = list(
        stored.select_related("unit", "function", "economic", "project").order_by(
            "unit__position", "unit_id", "kind", "project__position", "function__code", "economic__code", "source", "id"
        )
    )
    figures = {
        (
            line.unit.name,
            line.function.code,
            line.economic.code,
            line.kind,
            line.source,
            line.carried_over,
            line.project.name if line.project else "",
        ): line.amount
        for line in lines
    }
    rows = [
        {
            "unit": line.unit.name,
            "function": line.function.code,
            "economic": line.economic.code,
            "kind": line.kind,
            "source": line.source,
            "carried_over": "1" if line.carried_over else "",
            "project": line.project.name if line.project else "",
            "amount": typed_amount(line.amount, unit),
        }
        for line in lines
    ]
    return rows, figures


def code_names(budget: Budget) -> tuple[dict[str, str], dict[str, str]]:
    """The year's 项 (as "name（款 name）": 项 names repeat across 款) and 款, by code."""
    functions = FunctionCode.objects.leaves(budget.year_id).select_related("parent").order_by("code")
    economics = EconomicCode.objects.leaves(budget.year_id).order_by("code")
    return (
        {code.code: f"{code.name}（{code.parent.name}）" if code.parent else code.name for code in functions},
        dict(economics.values_list("code", "name")),
    )


def names_to_codes(budget: Budget, functions: dict[str, str], economics: dict[str, str]) -> dict[str, dict[str, str]]:
    """The names a code cell may hold instead of a code (domain.names.codes_by_name): a 项's own name where no other
    项 has it, or its name with its 款's as the list shows it; a 款's name."""
    leaves = dict(FunctionCode.objects.leaves(budget.year_id).values_list("code", "name"))
    return {
        "function": codes_by_name(leaves) | codes_by_name(functions),
        "economic": codes_by_name(economics),
    }


def totals(formset: FigureFormSet, unit: DisplayUnit) -> tuple[list[tuple[str, str, str]], str]:
    """(kind value, label, printed total) per kind and the printed grand total, of the amounts that read."""
    sums = dict.fromkeys(Kind.values, Decimal("0.00"))
    for form in formset.shown_forms():
        kind = next((k for k in Kind if str(form["kind"].value() or "").strip() in (k.value, k.label)), None)
        amount = read_amount(form["amount"].value(), unit)
        if kind is not None and amount is not None:
            sums[kind.value] += amount
    by_kind = [(kind.value, kind.label, printed_total(sums[kind.value], unit)) for kind in Kind]
    return by_kind, printed_total(sum(sums.values(), Decimal("0.00")), unit)


def derived_headings(year: int) -> dict[str, object]:
    """The names the page's derived summaries print above the 项 and 款 the rows name: functional 类 and 款,
    economic 类, and which economic 类 are 人员经费."""
    return {
        "function": dict(
            FunctionCode.objects.filter(year_id=year, level__lt=FunctionCode.LEAF_LEVEL).values_list("code", "name")
        ),
        "economic": dict(
            EconomicCode.objects.filter(year_id=year, level__lt=EconomicCode.LEAF_LEVEL).values_list("code", "name")
        ),
        "personnel": sorted(PERSONNEL_ECONOMIC_CLASSES),
    }


def _page_url(budget: Budget, unit: DisplayUnit, scope: Unit | None) -> str:
    if scope is None:
        url = reverse("budget_figures_edit", args=[budget.year_id, budget.department.code])
    else:
        url = reverse("budget_unit_figures_edit", args=[budget.year_id, budget.department.code, scope.pk])
    return f"{url}?unit={DisplayUnit.YUAN.value}" if unit is DisplayUnit.YUAN else url


@require_http_methods(["GET", "POST"])
@login_required
def budget_figures_edit(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    budget = editable_budget_or_404(request.user, year, department_code, what="修改预算数字")
    return figures_page(request, budget)


@require_http_methods(["GET", "POST"])
@login_required
def budget_unit_figures_edit(request: HttpRequest, year: int, department_code: str, unit_id: int) -> HttpResponse:
    """A unit's accountant's grid: his unit's lines only; the other units' stay as stored (unit_replace_figures)."""
    budget, scope = unit_of_budget_or_404(request.user, year, department_code, unit_id)
    require(may_edit_unit(request.user, budget, scope, part_state(budget, scope)), UNIT_EDIT_REFUSED)
    return figures_page(request, budget, scope)


def figures_page(request: HttpRequest, budget: Budget, scope: Unit | None = None) -> HttpResponse:
    """The figures grid of the whole budget, or of one unit's part (``scope``)."""
    context = entry_context(budget)
    if scope is None:
        units = list(budget.department.units.order_by("position", "id").values_list("name", flat=True))
    else:
        units = [scope.name]
        context = replace(context, units=frozenset(units))
    functions, economics = code_names(budget)
    row_kwargs = {"units": units, "by_name": names_to_codes(budget, functions, economics)}
    revision: Any = budget.revision
    merge: FigureMerge | None = None
    failed = False
    if request.method == "POST":
        unit = display_unit(request.POST.get("unit"))
        # Until the service has looked, the page stays on the revision it was built on (a later save is refused).
        revision = request.POST.get("revision", "")
        base = request.POST.get("base", "")
        formset = FigureForms(request.POST, prefix=PREFIX, context=context, form_kwargs={"unit": unit, **row_kwargs})
        failed = True

        def write(expected_revision: int | None) -> int:
            lines, projects = formset.rows()
            before = budget.revision
            if scope is None:
                budget_replace_figures(
                    budget=budget,
                    projects=projects,
                    lines=lines,
                    actor=request.user,
                    expected_revision=expected_revision,
                )
            else:
                unit_replace_figures(
                    budget=budget, unit=scope, lines=lines, actor=request.user, expected_revision=expected_revision
                )
            if current_revision(budget) == before:
                return 0
            event = BudgetEvent.objects.filter(budget=budget, action="figures").order_by("-id").first()
            return event.data.get("changed", 0) if event else 0

        def merge_with_theirs(_: StaleRevision) -> None:
            nonlocal formset, merge, base, revision
            lines = formset.rows()[0]
            revision = current_revision(budget)  # before the figures: a save in between makes the page stale again
            theirs = budget_figures(budget)
            if scope is not None:
                theirs = {key: amount for key, amount in theirs.items() if key[0] == scope.name}
            built_on = read_base(budget, base) or {}
            merge = merge_figures(built_on, theirs, {line.key: line.amount for line in lines})
            rows, marks = merged_rows(lines, merge, unit)
            formset = FigureForms(
                initial=rows, prefix=PREFIX, context=context, form_kwargs={"unit": unit, **row_kwargs}
            )
            for index, form in enumerate(formset.shown_forms()):
                form.mark = marks.get(index)
            base = base_token(budget, theirs)
            messages.error(request, STALE_MERGED)
            messages.warning(request, MERGED.format(taken=len(merge.taken), conflicts=len(merge.conflicts)))

        if save_page(request, budget, "预算数字", write, [formset], placed=formset, on_stale=merge_with_theirs):
            return redirect(_page_url(budget, unit, scope))
        if merge is None:  # refused for the page's own errors: it stays on the revision and base it was built on
            revision = request.POST.get("revision", "")
    else:
        unit = display_unit(request.GET.get("unit"))
        initial, shown = stored_initial(budget, unit, scope)
        formset = FigureForms(initial=initial, prefix=PREFIX, context=context, form_kwargs={"unit": unit, **row_kwargs})
        base = base_token(budget, shown)
    previous_unit = None
    for form in formset.shown_forms():
        unit_name = str(form["unit"].value() or "")
        form.group_start = unit_name != previous_unit and previous_unit is not None  # the rows go unit by unit
        previous_unit = unit_name
        form.function_name = functions.get(code_of(str(form["function"].value() or ""), 7) or "", "")
        form.economic_name = economics.get(code_of(str(form["economic"].value() or ""), 5) or "", "")
    by_kind, grand_total = totals(formset, unit)
    page = {
        "budget": budget,
        "revision": revision,
        "base": base,
        "merge": merge,
        "merge_report": merge_report(merge, unit) if merge else [],
        "formset": formset,
        "rows": formset.shown_forms(),
        "prefix": PREFIX,
        "unit": unit.value,
        "other_unit": other_unit(unit).value,
        "places": PLACES[unit],
        "units": list(short_unit_names(budget.department.name, units).items()),
        "functions": functions,
        "economics": economics,
        "projects": dict(
            (budget.projects.filter(unit=scope) if scope else budget.projects)
            .order_by("position", "id")
            .values_list("name", "unit__name")
        ),
        "scope": scope,
        "back_url": (
            reverse("budget_unit_part", args=[budget.year_id, budget.department.code, scope.pk])
            if scope
            else reverse("budget_detail", args=[budget.year_id, budget.department.code])
        ),
        "kinds": Kind.choices,
        "sources": Source.choices,
        "by_kind": by_kind,
        "grand_total": grand_total,
        "failed": failed,
        "max_rows": MAX_ROWS,
        "headings": derived_headings(budget.year_id),
    }
    return render(request, "entry/figures_edit.html", page, status=200)
