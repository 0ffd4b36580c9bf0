"""The entry page of a budget's 政府采购预算 and 固定资产占用 (official tables 11 and 12): two table-shaped grids and
the assets' 截止日期, saved together.

Who may open it, and the amounts, follow the figures grid (entry.figures, entry.fields). A blank amount cell is zero
(most items are paid from one fund only), and a zero is shown blank. Quantities are not money: at most two decimals,
whatever the unit. The 合计 of an item is derived (the sum of its funds), shown and never typed.

An item names its source project among the budget's projects (or none). A name the budget does not have is
refused at its cell: budget_replace_supplementary would register it as a project without figures, which is what an
import of a printed table needs, not a typing slip. Two items with the same project, name and 目录序号 are one
item typed twice, and two assets with the same name one asset: refused at the second row.
"""

from collections.abc import Collection, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from budgets.access import UNIT_EDIT_REFUSED, editable_budget_or_404, may_edit_unit, require, unit_of_budget_or_404
from budgets.models import Budget
from budgets.selectors import budget_assets, budget_lines, budget_procurement, part_state
from budgets.services.supplementary import NO_SUCH_UNIT, budget_replace_supplementary
from budgets.services.unit_parts import UNIT_PROJECT_ONLY, unit_replace_supplementary
from departments.models import Unit
from domain.ledger import AssetInfo, ProcurementInfo
from domain.money import DisplayUnit
from domain.structure import UNIT_NAME_MAX
from domain.unit_budget import unit_projects
from entry.fields import (
    AS_OF_INVALID,
    PLACES,
    ZERO,
    AmountField,
    DateTextField,
    QuantityField,
    cell,
    display_unit,
    other_unit,
    printed_total,
    read_amount,
    text_messages,
    typed_amount,
)
from entry.rows import RowForm, RowFormSet, StaleWatch, save_page

ITEMS, ASSETS = "item", "asset"
MAX_ROWS = 500
# The item's amounts by fund: 一般公共预算拨款, 基金预算拨款, 国有资本经营预算拨款, 财政专户核拨 (the 合计 adds them).
FUNDS = ("general", "govfund", "statecap", "special_account")
FUND_LABELS = dict(
    zip(FUNDS, ("一般公共预算拨款", "基金预算拨款", "国有资本经营预算拨款", "财政专户核拨"), strict=True)
)
ITEM_AMOUNTS = ("unit_price", *FUNDS)
# The grid's columns as shown (and as a block pasted from a copy of table 11 fills them): 合计 is derived, a value
# pasted into it is dropped.
ITEM_COLUMNS = ("project", "item_name", "catalogue_number", "measure_unit", "quantity", "unit_price", "total", *FUNDS)
ASSET_COLUMNS = ("item", "quantity", "value", "unit")
NO_SUCH_PROJECT = "本预算没有项目“{project}”：请从列表中选择本预算的项目，或留空（新项目请先在“编辑预算数字”中登记）。"
DUPLICATE_ITEM = "与第{first}行重复（项目、采购物品名称、目录序号都相同），请合并为一行或删除一行。"
DUPLICATE_ASSET = "与第{first}行重复（资产项目和单位都相同），请合并为一行或删除一行。"


def _text(label: str, column: str, limit: int, *, required: bool = False, **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required,
        error_messages=text_messages(label, limit),
        widget=cell(label, column, maxlength=limit, **attrs),
    )


def _amount(label: str, column: str, unit: DisplayUnit) -> AmountField:
    return AmountField(unit=unit, blank_is_zero=True, label=label, widget=cell(label, column, "amount"))


class ItemForm(RowForm):
    content_fields = ("project", *ITEM_COLUMNS[1:6], *FUNDS)
    unique_field = "item_name"
    duplicate_message = DUPLICATE_ITEM

    project = _text("项目名称", "project", 200, list="project-names", **{"data-in-list": "项目"})
    item_name = _text("采购物品名称", "item_name", 200, required=True, **{"data-required": "采购物品名称"})
    catalogue_number = _text("政府采购目录序号", "catalogue_number", 50, css="short")
    measure_unit = _text("计量单位", "measure_unit", 20, css="tiny")
    quantity = QuantityField(label="数量", widget=cell("数量", "quantity", "quantity", css="quantity"))

    def __init__(
        self, *args: Any, unit: DisplayUnit, projects: Sequence[str], unit_part: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in ITEM_AMOUNTS:
            label = "单价" if name == "unit_price" else FUND_LABELS[name]
            self.fields[name] = _amount(label, name, unit)
        self.projects = set(projects)
        self.unit_part = unit_part  # a unit's items are its projects' (budgets.services.unit_parts)

    def clean_project(self) -> str:
        project = self.cleaned_data["project"]
        if self.unit_part and project not in self.projects:
            raise forms.ValidationError(UNIT_PROJECT_ONLY)
        if project and project not in self.projects:
            raise forms.ValidationError(NO_SUCH_PROJECT.format(project=project))
        return project

    def unique_key(self) -> tuple[Any, ...]:
        data = self.cleaned_data
        return (data["project"], data["item_name"], data["catalogue_number"])

    def item(self) -> ProcurementInfo:
        data = self.cleaned_data
        return ProcurementInfo(
            data["project"],
            data["item_name"],
            data["catalogue_number"],
            data["measure_unit"],
            data["quantity"],
            **{name: data[name] for name in ITEM_AMOUNTS},
        )

    def total(self, unit: DisplayUnit) -> str:
        """The derived 合计 of the item's funds, of what reads."""
        return printed_total(sum((read_amount(self[name].value(), unit) or ZERO for name in FUNDS), ZERO), unit)


class AssetForm(RowForm):
    content_fields = ASSET_COLUMNS
    unique_field = "item"
    duplicate_message = DUPLICATE_ASSET

    item = _text("资产项目", "item", 100, required=True, css="wide", **{"data-required": "资产项目"})
    quantity = QuantityField(label="数量", widget=cell("数量", "quantity", "quantity", css="quantity"))

    def __init__(
        self, *args: Any, unit: DisplayUnit, units: Sequence[str] = (), holder: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["value"] = _amount("价值", "value", unit)
        self.units, self.holder = set(units), holder
        if holder:  # a unit's own page: every asset is the unit's, no column says so
            self.content_fields = ASSET_COLUMNS[:-1]
        else:
            self.fields["unit"] = _text("单位", "unit", UNIT_NAME_MAX, list="unit-names", **{"data-in-list": "单位"})

    def clean_unit(self) -> str:
        name = self.cleaned_data["unit"]
        if name and name not in self.units:
            raise forms.ValidationError(NO_SUCH_UNIT.format(unit=name))
        return name

    def unique_key(self) -> tuple[Any, ...]:
        return (self.cleaned_data["item"], self.holder or self.cleaned_data.get("unit", ""))

    def asset(self) -> AssetInfo:
        data = self.cleaned_data
        return AssetInfo(data["item"], data["quantity"], data["value"], self.holder or data.get("unit", ""))


class AsOfForm(forms.Form):
    assets_as_of = DateTextField(label="资产统计截止日期")


def _formset(form: type[RowForm]) -> type[RowFormSet]:
    return forms.formset_factory(
        form, formset=RowFormSet, extra=0, max_num=MAX_ROWS, validate_max=True, absolute_max=MAX_ROWS * 2
    )


ItemForms, AssetForms = _formset(ItemForm), _formset(AssetForm)


# --- Showing what is stored ---------------------------------------------------------------------------------------


def shown_amount(yuan: Decimal, unit: DisplayUnit) -> str:
    return typed_amount(yuan, unit) if yuan else ""


def shown_quantity(quantity: Decimal) -> str:
    return f"{quantity.normalize():f}" if quantity else ""


def stored_items(budget: Budget, unit: DisplayUnit, projects: Collection[str] | None = None) -> list[dict[str, str]]:
    """The grid's rows of the stored items (of ``projects`` only, when given)."""
    return [
        {
            "project": item.project,
            "item_name": item.item_name,
            "catalogue_number": item.catalogue_number,
            "measure_unit": item.measure_unit,
            "quantity": shown_quantity(item.quantity),
            **{name: shown_amount(getattr(item, name), unit) for name in ITEM_AMOUNTS},
        }
        for item in budget_procurement(budget)
        if projects is None or item.project in projects
    ]


def stored_assets(budget: Budget, unit: DisplayUnit, holder: str = "") -> list[dict[str, str]]:
    """The grid's rows of the stored assets (of the unit ``holder`` only, when given)."""
    return [
        {
            "item": asset.item,
            "quantity": shown_quantity(asset.quantity),
            "value": shown_amount(asset.value, unit),
            "unit": asset.unit,
        }
        for asset in budget_assets(budget)
        if not holder or asset.unit == holder
    ]


def _column_total(rows: Sequence[RowForm], name: str, unit: DisplayUnit) -> Decimal:
    return sum((read_amount(form[name].value(), unit) or ZERO for form in rows), ZERO)


# --- The page -----------------------------------------------------------------------------------------------------


def _page_url(budget: Budget, unit: DisplayUnit, scope: Unit | None) -> str:
    if scope is None:
        url = reverse("budget_procurement_edit", args=[budget.year_id, budget.department.code])
    else:
        url = reverse("budget_unit_procurement_edit", args=[budget.year_id, budget.department.code, scope.pk])
    return f"{url}?unit={DisplayUnit.YUAN.value}" if unit is DisplayUnit.YUAN else url


@require_http_methods(["GET", "POST"])
@login_required
def budget_procurement_edit(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    budget = editable_budget_or_404(request.user, year, department_code, what="修改预算数字")
    return procurement_page(request, budget)


@require_http_methods(["GET", "POST"])
@login_required
def budget_unit_procurement_edit(request: HttpRequest, year: int, department_code: str, unit_id: int) -> HttpResponse:
    """A unit's accountant's procurement: the items of his unit's projects; every other item stays as stored."""
    budget, scope = unit_of_budget_or_404(request.user, year, department_code, unit_id)
    require(may_edit_unit(request.user, budget, scope, part_state(budget, scope)), UNIT_EDIT_REFUSED)
    return procurement_page(request, budget, scope)


def procurement_page(request: HttpRequest, budget: Budget, scope: Unit | None = None) -> HttpResponse:
    """The procurement and assets of the whole budget, or those of one unit's part (``scope``): the items of its
    projects, the assets it holds."""
    holder = scope.name if scope is not None else ""
    units = list(budget.department.units.order_by("position", "id").values_list("name", flat=True))
    asset_kwargs: dict[str, Any] = {"units": units, "holder": holder}
    projects = list(budget.projects.order_by("position", "id").values_list("name", "unit__name"))
    if scope is not None:  # the unit's projects: those its figures name (domain.unit_budget)
        own = unit_projects(budget_lines(budget), scope.name)
        projects = [(name, unit_name) for name, unit_name in projects if name in own]
    names = [name for name, _unit in projects]
    item_kwargs = {"projects": names, "unit_part": scope is not None}
    revision: Any = budget.revision
    rehearsal = None
    failed = request.method == "POST"
    if request.method == "POST":
        unit = display_unit(request.POST.get("unit"))
        # Until the service has looked, the page stays on the revision it was built on (a later save is refused).
        revision = request.POST.get("revision", "")
        items = ItemForms(request.POST, prefix=ITEMS, form_kwargs={"unit": unit, **item_kwargs})
        assets = AssetForms(request.POST, prefix=ASSETS, form_kwargs={"unit": unit, **asset_kwargs})
        as_of = AsOfForm(request.POST if scope is None else None)
        pages = [items, assets, as_of] if scope is None else [items, assets]

        def write(expected_revision: int | None) -> None:
            procurement = [form.item() for form in items.kept_forms()]
            kept_assets = [form.asset() for form in assets.kept_forms()]
            if scope is not None:
                unit_replace_supplementary(
                    budget=budget,
                    unit=scope,
                    procurement=procurement,
                    assets=kept_assets,
                    actor=request.user,
                    expected_revision=expected_revision,
                )
                return
            budget_replace_supplementary(
                budget=budget,
                procurement=procurement,
                assets=kept_assets,
                assets_as_of=as_of.cleaned_data["assets_as_of"],
                actor=request.user,
                expected_revision=expected_revision,
            )

        what = "政府采购和资产" if scope is None else "本单位政府采购和资产"
        stale = StaleWatch(request, budget, what, write)
        if save_page(request, budget, what, write, pages, on_stale=stale):
            return redirect(_page_url(budget, unit, scope))
        revision, rehearsal = stale.revision(), stale.rehearsal
    else:
        unit = display_unit(request.GET.get("unit"))
        shown = stored_items(budget, unit, None if scope is None else set(names))
        items = ItemForms(initial=shown, prefix=ITEMS, form_kwargs={"unit": unit, **item_kwargs})
        assets = AssetForms(
            initial=stored_assets(budget, unit, holder), prefix=ASSETS, form_kwargs={"unit": unit, **asset_kwargs}
        )
        as_of = AsOfForm(initial={"assets_as_of": budget.assets_as_of.isoformat() if budget.assets_as_of else ""})
    item_rows, asset_rows = items.shown_forms(), assets.shown_forms()
    fund_totals = {name: _column_total(item_rows, name, unit) for name in FUNDS}
    context = {
        "budget": budget,
        "scope": scope,
        "revision": revision,
        "unit": unit.value,
        "other_unit": other_unit(unit).value,
        "places": PLACES[unit],
        "items": items,
        "item_rows": [(form, form.total(unit)) for form in item_rows],
        "item_columns": " ".join(ITEM_COLUMNS),
        "funds": [(name, FUND_LABELS[name], printed_total(fund_totals[name], unit)) for name in FUNDS],
        "fund_names": " ".join(FUNDS),
        "items_total": printed_total(sum(fund_totals.values(), ZERO), unit),
        "assets": assets,
        "asset_rows": asset_rows,
        "asset_columns": " ".join(ASSET_COLUMNS[:-1] if scope is not None else ASSET_COLUMNS),
        "unit_names": units,
        "assets_total": printed_total(_column_total(asset_rows, "value", unit), unit),
        "as_of": as_of,
        "as_of_message": AS_OF_INVALID,
        "default_as_of": date(budget.year_id - 1, 12, 31).isoformat(),
        "projects": projects,
        "failed": failed,
        "rehearsal": rehearsal,
        "max_rows": MAX_ROWS,
    }
    return render(request, "entry/procurement_edit.html", context)
