from decimal import Decimal
from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from domain.money import to_wan
from official.render import PrintedCell, PrintedTable

register = template.Library()


@register.filter
def wan(yuan: Decimal | None) -> str:
    """Yuan shown in 万元 with two decimals (the documented half-up rule); zero as 0.00, not blank."""
    return "" if yuan is None else f"{to_wan(yuan):,.2f}"


@register.filter
def yuan(amount: Decimal | None) -> str:
    """An exact amount in 元 with thousands separators; None (no such figure) as —."""
    return "—" if amount is None else f"{amount:,.2f}"


@register.filter
def get_item(mapping: dict | None, key: str) -> str:
    return (mapping or {}).get(key, "")


def _cells(columns: list[tuple[str, bool]], cells: list[PrintedCell]) -> str:
    return "".join(
        f"{td}{escape(cell.text) if text else cell.text}</td>" for (td, text), cell in zip(columns, cells, strict=True)
    )


@register.filter
def official_rows(table: PrintedTable) -> SafeString:
    """The body rows of an official table (_official_table.html), written in one pass: a large department's page
    has some 14,000 cells, and a template loop over them took most of the page's time. The standard library's
    escape gives what the template's autoescape gives (& < > " ' as entities), without its lazy-string wrapper."""
    # per column, in a row's order: its opening tag, and whether its text needs escaping (amounts and quantities
    # are digits, point and sign only)
    columns = [(f'<td class="{c.kind.value}">', not (c.is_money or c.is_number)) for c in table.layout.columns]
    span = table.layout.total_label_span
    rows = []
    for row in table.rows:
        emphasis = " emphasis" if row.emphasis else ""
        serial = f'<td class="serial">{row.serial}</td>' if row.serial else ""
        if span > 1 and row.is_total:  # 合计 across the code and name columns, as the edition prints it
            label = escape("".join(cell.text for cell in row.cells[:span]))
            cells = f'<td class="text" colspan="{span}">{label}</td>' + _cells(columns[span:], row.cells[span:])
        else:
            cells = _cells(columns, row.cells)
        label = escape(row.label)
        rows.append(f'<tr class="level-{row.level}{emphasis}" data-row="{label}">{serial}{cells}</tr>')
    return mark_safe("\n".join(rows))  # every text in it is escaped above


TARGETS_PAGE_ANCHORS = ("target-", "department-goals")


@register.simple_tag
def violation_href(violation, budget=None) -> str:
    """Where a violation's place is shown: a table of this page, or the targets page of the budget."""
    if not violation.anchor:
        return ""
    if violation.anchor.startswith(TARGETS_PAGE_ANCHORS):
        if not budget:  # no budget in the context (a workbook being checked or previewed): no page to link to
            return ""
        return f"{reverse('budget_targets', args=[budget.year_id, budget.department.code])}#{violation.anchor}"
    return f"#{violation.anchor}"
