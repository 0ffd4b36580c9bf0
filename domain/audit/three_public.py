"""The “three public expenses” (三公经费): their sub-items, and their economic codes."""

from collections.abc import Iterator, Mapping

from domain.audit.agreement import plain
from domain.audit.model import ZERO, Cell, FigureRow, Figures, Finding, Severity, by_code, fmt, rule
from domain.classifications import (
    ECONOMIC_RECEPTION,
    ECONOMIC_TRAVEL_ABROAD,
    ECONOMIC_VEHICLE_PURCHASE,
    ECONOMIC_VEHICLE_RUNNING,
)
from domain.money import to_wan

COLUMNS = ("total", "general", "govfund", "statecap")
ABROAD, VEHICLES, PURCHASE, RUNNING, RECEPTION = (
    "因公出国（境）费",
    "公务用车购置及运维费",
    "其中：公务用车购置费",
    "公务用车运行维护费",
    "公务接待费",
)


# Each item of the 三公 and the economic 款 of 基本支出表 it must cover (C02, C03).
ECONOMIC_CHECKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (ABROAD, (ECONOMIC_TRAVEL_ABROAD,)),
    (PURCHASE, tuple(sorted(ECONOMIC_VEHICLE_PURCHASE))),
    (RUNNING, (ECONOMIC_VEHICLE_RUNNING,)),
    (RECEPTION, (ECONOMIC_RECEPTION,)),
)
# The 三公 as one row (Shanghai's, in 万元 beside tables in 元): item → its column.
ROW_ITEMS = {ABROAD: "abroad", PURCHASE: "vehicle_purchase", RUNNING: "vehicle_running", RECEPTION: "reception"}


def _rows(figures: Figures) -> Mapping[str, FigureRow]:
    table = figures.get("three-public")
    return {plain(row.texts.get("label", "")): row for row in table.rows} if table else {}


@rule(
    "C01", Severity.ERROR, "三公经费：合计 = 出国 + 车辆 + 接待，购置及运维 = 购置 + 运维；分项不为零时上级不能为空或零"
)
def sub_items_add_up(figures: Figures) -> Iterator[tuple[Cell, str]]:
    rows = _rows(figures)
    table = figures.get("three-public")
    if table is None or "合计" not in rows:
        return
    for parent, parts in (("合计", (ABROAD, VEHICLES, RECEPTION)), (VEHICLES, (PURCHASE, RUNNING))):
        if parent not in rows:
            continue
        for column in COLUMNS:
            printed = rows[parent].amount(column)
            total = sum((rows[part].amount(column) for part in parts if part in rows), ZERO)
            blank_parent = printed == 0 and total != 0
            if blank_parent or abs(printed - total) > table.tail(len(parts)):
                yield rows[parent].cells[column], f"{parent}为 {fmt(printed)}，其分项之和为 {fmt(total)}"


@rule(
    "C02",
    Severity.ERROR,
    "三公经费不少于基本支出表中对应经济科目：30212 出国、31013/30913 购车、30231 运维、30217 接待",
)
def covers_economic_codes(figures: Figures) -> Iterator[Finding]:
    rows = _rows(figures)
    basic = by_code(figures.get("basic-economic"))
    table = figures.get("three-public")
    if table is None or not basic:
        return
    for label, codes in ECONOMIC_CHECKS:
        present = [code for code in codes if code in basic]
        in_basic = sum((basic[code].amount("total") for code in present), ZERO)
        shown = rows[label].amount("general") if label in rows else ZERO
        # Several printed 款 against one printed sum: each brings its own rounding.
        if in_basic - shown > table.tail(max(len(present), 1)):
            where = rows[label].cells["general"] if label in rows else table.title
            yield where, f"{label}（一般公共预算）{fmt(shown)}，少于基本支出表科目 {'/'.join(codes)} 的 {fmt(in_basic)}"


@rule(
    "C03",
    Severity.ERROR,
    "三公经费（一行表）不少于基本支出表中对应经济科目：30212 出国、31013/30913 购车、30231 运行、30217 接待",
)
def row_covers_economic_codes(figures: Figures) -> Iterator[Finding]:
    table = figures.get("three-public-running")
    basic_table = figures.get("basic-economic")
    basic = by_code(basic_table)
    if table is None or not table.rows or basic_table is None or not basic:
        return
    row = table.rows[0]
    for label, codes in ECONOMIC_CHECKS:
        in_basic = sum((basic[code].amount("total") for code in codes if code in basic), ZERO)
        if table.in_wan and not basic_table.in_wan:
            in_basic = to_wan(in_basic)  # exact: rounding keeps the order of two amounts
        shown = row.amount(ROW_ITEMS[label])
        if in_basic - shown > (table.tail(len(codes)) if basic_table.in_wan else ZERO):
            column = ROW_ITEMS[label]
            yield row.cells[column], f"{label} {fmt(shown)}，少于基本支出表科目 {'/'.join(codes)} 的 {fmt(in_basic)}"
