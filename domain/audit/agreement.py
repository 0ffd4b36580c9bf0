"""Agreement between tables (spec §4): every figure that two tables print must be the same figure."""

import re
from collections.abc import Iterator, Mapping
from decimal import Decimal

from domain.audit.model import ZERO, Cell, FigureRow, Figures, FigureTable, Severity, by_code, fmt, rule

_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")

# 部门预算收支总表 income rows → the 收入总表 合计 columns they repeat.
SUMMARY_INCOME: Mapping[str, tuple[str, ...]] = {
    "一般公共预算拨款收入": ("fiscal",),
    "政府性基金预算拨款收入": ("fiscal",),
    "国有资本经营预算拨款收入": ("fiscal",),
    "财政专户管理资金收入": ("special",),
    "事业收入": ("business",),
    "事业单位经营收入": ("operating",),
    "上级补助收入": ("superior",),
    "附属单位上缴收入": ("affiliate",),
    "其他收入": ("other",),
    # Hebei 2025 prints the units' own money as one row.
    "单位资金": ("business", "operating", "superior", "affiliate", "other"),
}
# The same for an income table by source whatever the year of the money (Shanghai's), whose summary prints
# 一、财政拨款收入 with its fund types below it as 1. 一般公共预算 ….
SUMMARY_INCOME_BY_SOURCE: Mapping[str, tuple[str, ...]] = {
    "财政拨款收入": ("all_fiscal",),
    "事业收入": ("all_business",),
    "事业单位经营收入": ("all_operating",),
    "其他收入": ("all_other",),
}
FUND_TABLES = {
    "out_general": "general-appropriation",
    "out_govfund": "govfund-appropriation",
    "out_statecap": "statecap-appropriation",
}


def plain(label: str) -> str:
    return _ORDINAL.sub("", label.replace(" ", ""))


def _side(table: FigureTable | None, label_column: str) -> dict[str, FigureRow]:
    return (
        {plain(row.texts.get(label_column, "")): row for row in table.rows if row.texts.get(label_column)}
        if table
        else {}
    )


def _differs(a: Decimal, b: Decimal, tail: Decimal) -> bool:
    return abs(a - b) > tail


def _class_totals(table: FigureTable | None, column: str) -> dict[str, tuple[str, Decimal]]:
    """类 name → (code, amount) of a functional table."""
    return {row.label: (row.key, row.amount(column)) for row in table.rows if len(row.key) == 3} if table else {}


@rule("B01", Severity.ERROR, "收支平衡：收入总表与支出总表每个功能科目的合计相同，收入总计 = 支出总计")
def income_equals_expenditure(figures: Figures) -> Iterator[tuple[Cell, str]]:
    income, spending = by_code(figures.get("income")), by_code(figures.get("expenditure"))
    if income and spending:
        for code in sorted(set(income) | set(spending)):
            a = income[code].amount("total") if code in income else ZERO
            b = spending[code].amount("total") if code in spending else ZERO
            if a != b:
                where = income[code].cells["total"] if code in income else spending[code].cells["total"]
                yield where, f"{code or '合计'} 收入 {fmt(a)}，支出 {fmt(b)}"
    summary = _side(figures.get("summary"), "in_label")
    totals = _side(figures.get("summary"), "out_label")
    if "收入总计" in summary and "支出总计" in totals:
        a, b = summary["收入总计"].amount("in_amount"), totals["支出总计"].amount("out_amount")
        if a != b:
            yield summary["收入总计"].cells["in_amount"], f"收入总计 {fmt(a)} ≠ 支出总计 {fmt(b)}"


def _summary_against_income(figures: Figures) -> Iterator[tuple[Cell, str]]:
    table = figures.get("summary")
    income_table = figures.get("income")
    left = _side(table, "in_label")
    grand = by_code(income_table).get("")
    if table is None or grand is None:
        return
    if "all_fiscal" in grand.cells:
        yield from _summary_by_source(table, left, grand)
        return
    fiscal_rows = [label for label, columns in SUMMARY_INCOME.items() if columns == ("fiscal",)]
    fiscal = sum((left[label].amount("in_amount") for label in fiscal_rows if label in left), ZERO)
    if _differs(fiscal, grand.amount("fiscal"), table.tail(len(fiscal_rows))):
        yield (
            left[fiscal_rows[0]].cells["in_amount"],
            (f"三项财政拨款收入之和 {fmt(fiscal)}，收入总表财政拨款收入为 {fmt(grand.amount('fiscal'))}"),
        )
    for label, columns in SUMMARY_INCOME.items():
        if columns == ("fiscal",) or label not in left:
            continue
        expected = sum((grand.amount(column) for column in columns), ZERO)
        # One income column is printed as the income table prints it; several are summed from rounded cells.
        if _differs(left[label].amount("in_amount"), expected, table.tail(len(columns)) if len(columns) > 1 else ZERO):
            yield (
                left[label].cells["in_amount"],
                (f"{label} {fmt(left[label].amount('in_amount'))}，收入总表为 {fmt(expected)}"),
            )
    for label, column in (("本年收入合计", "subtotal"), ("上年结转结余", "carried")):
        if label in left and left[label].amount("in_amount") != grand.amount(column):
            yield (
                left[label].cells["in_amount"],
                (f"{label} {fmt(left[label].amount('in_amount'))}，收入总表为 {fmt(grand.amount(column))}"),
            )


def _summary_by_source(
    table: FigureTable, left: Mapping[str, FigureRow], grand: FigureRow
) -> Iterator[tuple[Cell, str]]:
    for label, columns in SUMMARY_INCOME_BY_SOURCE.items():
        expected = sum((grand.amount(column) for column in columns), ZERO)
        if label in left and left[label].amount("in_amount") != expected:
            yield (
                left[label].cells["in_amount"],
                f"{label} {fmt(left[label].amount('in_amount'))}，收入总表为 {fmt(expected)}",
            )
    parts = [row for label, row in left.items() if re.match(r"^\d+\.", label)]
    if "财政拨款收入" in left and parts:
        whole, summed = left["财政拨款收入"].amount("in_amount"), sum((row.amount("in_amount") for row in parts), ZERO)
        if _differs(whole, summed, table.tail(len(parts))):
            yield left["财政拨款收入"].cells["in_amount"], f"财政拨款收入 {fmt(whole)}，其下各项之和为 {fmt(summed)}"
    if "收入总计" in left and left["收入总计"].amount("in_amount") != grand.amount("total"):
        a, b = fmt(left["收入总计"].amount("in_amount")), fmt(grand.amount("total"))
        yield left["收入总计"].cells["in_amount"], f"收入总计 {a}，收入总表合计为 {b}"


def _summary_against_expenditure(figures: Figures) -> Iterator[tuple[Cell, str]]:
    right = _side(figures.get("summary"), "out_label")
    spending = figures.get("expenditure")
    classes = _class_totals(spending, "total")
    if not right or spending is None:
        return
    for label, row in right.items():
        if label in ("本年支出合计", "年终结转结余", "支出总计"):
            continue
        expected = classes.get(label, ("", ZERO))[1]
        if row.amount("out_amount") != expected:
            yield row.cells["out_amount"], f"{label} {fmt(row.amount('out_amount'))}，支出总表为 {fmt(expected)}"
    grand = by_code(spending).get("")
    if "本年支出合计" in right and grand is not None:
        a, b = right["本年支出合计"].amount("out_amount"), grand.amount("total")
        if a != b:
            yield right["本年支出合计"].cells["out_amount"], f"本年支出合计 {fmt(a)}，支出总表合计为 {fmt(b)}"


@rule("B02", Severity.ERROR, "收支总表与收入总表、支出总表一致：各收入来源、各支出功能类、本年合计、上年结转")
def summary_agrees(figures: Figures) -> Iterator[tuple[Cell, str]]:
    yield from _summary_against_income(figures)
    yield from _summary_against_expenditure(figures)


@rule("B03", Severity.ERROR, "财政拨款收支总表与一般公共预算、政府性基金、国有资本经营预算财政拨款支出表一致")
def fiscal_summary_agrees(figures: Figures) -> Iterator[tuple[Cell, str]]:
    table = figures.get("fiscal-summary")
    right = _side(table, "out_label")
    if table is None:
        return
    for column, key in FUND_TABLES.items():
        fund_table = figures.get(key)
        classes = _class_totals(fund_table, "total")
        for label, row in right.items():
            if label in ("年末财政拨款结转和结余",):
                continue
            if label in ("本年支出合计", "支出总计"):
                grand = by_code(fund_table).get("")
                expected = grand.amount("total") if grand else ZERO
            else:
                expected = classes.get(label, ("", ZERO))[1]
            if row.amount(column) != expected:
                yield (
                    row.cells[column],
                    f"{label} {fmt(row.amount(column))}，{fund_table.title if fund_table else key}为 {fmt(expected)}",
                )
    left = _side(table, "in_label")
    grand = by_code(figures.get("income")).get("")
    if grand is not None and "all_fiscal" in grand.cells and "收入总计" in left:  # by source: no 本年收入合计 row
        a, b = left["收入总计"].amount("in_amount"), grand.amount("all_fiscal")
        if a != b:
            yield left["收入总计"].cells["in_amount"], f"收入总计 {fmt(a)}，收入总表财政拨款收入为 {fmt(b)}"
    if "本年收入合计" in left and grand is not None:
        a, b = left["本年收入合计"].amount("in_amount"), grand.amount("fiscal")
        if a != b:
            yield left["本年收入合计"].cells["in_amount"], f"本年收入合计 {fmt(a)}，收入总表财政拨款收入为 {fmt(b)}"


@rule("B04", Severity.ERROR, "基本支出表合计 = 一般公共预算财政拨款支出表的基本支出合计")
def basic_economic_agrees(figures: Figures) -> Iterator[tuple[Cell, str]]:
    basic = by_code(figures.get("basic-economic")).get("")
    general = by_code(figures.get("general-appropriation")).get("")
    if basic is not None and general is not None and basic.amount("total") != general.amount("basic"):
        a, b = fmt(basic.amount("total")), fmt(general.amount("basic"))
        yield basic.cells["total"], f"基本支出表合计 {a}，一般公共预算财政拨款基本支出为 {b}"


@rule("B05", Severity.ERROR, "财政拨款支出不超过支出总表：每个功能科目三张财政拨款支出表之和不大于支出总表")
def appropriations_within_expenditure(figures: Figures) -> Iterator[tuple[Cell, str]]:
    spending = by_code(figures.get("expenditure"))
    funds = [by_code(figures.get(key)) for key in FUND_TABLES.values()]
    table = figures.get("expenditure")
    for code, row in spending.items():
        for column in ("total", "basic", "project"):
            fiscal = sum((fund[code].amount(column) for fund in funds if code in fund), ZERO)
            if table and fiscal - row.amount(column) > table.tail(3):
                yield (
                    row.cells[column],
                    f"{code or '合计'} 财政拨款 {fmt(fiscal)} 超过支出总表 {fmt(row.amount(column))}",
                )
