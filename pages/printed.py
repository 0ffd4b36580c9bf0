"""A budget's official tables as the pages show them and its workbook as they download it, each computed once per
stamp of the budget (budgets.computed) and kept: pages opened again, by anyone, before the next write cost a
cache read."""

import hashlib
import io
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from budgets.computed import computed, kept_budget_data
from budgets.models import Budget
from domain.control import control_actuals
from domain.ledger import BudgetData
from domain.money import DisplayUnit
from domain.prose import ProseInputs
from domain.unit_budget import unit_names
from official.edition import Edition
from official.layout import TableLayout
from official.render import print_table
from official.workbook import write_workbook


def control_spending(budget: Budget) -> dict[str, Decimal]:
    """What the budget spends of each item control figures limit (the budget page's 控制数 table)."""
    return computed(budget, "control-spending", lambda: control_actuals(kept_budget_data(budget).lines))


def budget_unit_names(budget: Budget) -> list[str]:
    """The units a 单位预算 can be downloaded for."""
    return computed(budget, "unit-names", lambda: unit_names(kept_budget_data(budget)))


def _edition_parts(layouts: Edition) -> tuple[str, str]:
    return layouts.key, str(layouts.year)


def table_html(
    budget: Budget, layouts: Edition, layout: TableLayout, unit: DisplayUnit = DisplayUnit.WAN
) -> SafeString:
    """One table of ``layouts`` printed from the budget, as the pages include it (pages/_official_table.html)."""

    def produce() -> str:
        table = print_table(layout, kept_budget_data(budget), unit)
        return str(render_to_string("pages/_official_table.html", {"table": table}))

    html = computed(budget, "table-html", produce, *_edition_parts(layouts), layout.key, unit.value)
    return mark_safe(html)  # our own template rendered it, escaping what it prints


def workbook_bytes(
    budget: Budget,
    data: BudgetData,
    unit: DisplayUnit,
    layouts: Edition,
    texts: ProseInputs | None = None,
    unit_name: str = "",
) -> bytes:
    """The official workbook of the budget (or of its unit ``unit_name``, whose ``data`` it is). The narrative
    sheets' texts come from more than the budget (last year's approved figures): they are part of the key."""

    def produce() -> bytes:
        buffer = io.BytesIO()
        write_workbook(buffer, data, unit, layouts, texts)
        return buffer.getvalue()

    prose = hashlib.blake2b(repr(texts).encode(), digest_size=8).hexdigest() if texts is not None else ""
    return computed(budget, "workbook", produce, *_edition_parts(layouts), unit.value, unit_name, prose)
