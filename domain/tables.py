"""The official disclosure tables, derived from the stored lines.

Each function returns the rows of one table as plain data: exact yuan amounts keyed by column, before
any rounding. Layouts (official) decide how the rows are printed; the relations between the
tables (spec §4) hold exactly on these values.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from domain.classifications import (
    ECONOMIC_CODE_WIDTHS,
    ECONOMIC_RECEPTION,
    ECONOMIC_TRAVEL_ABROAD,
    ECONOMIC_VEHICLE_PURCHASE,
    ECONOMIC_VEHICLE_RUNNING,
    FISCAL_SOURCES,
    FUNCTION_CODE_WIDTHS,
    PERSONNEL_ECONOMIC_CLASSES,
    Kind,
    Source,
)
from domain.ledger import BudgetData, Line
from domain.numerals import chinese_ordinal

ZERO = Decimal("0.00")
Cell = Decimal | str | None


@dataclass(frozen=True)
class Row:
    cells: Mapping[str, Cell]
    level: int = 0  # 0: a total or fixed row; 1, 2, 3: 类, 款, 项
    code: str = ""
    emphasis: bool = False  # 合计 and 总计 rows

    def amount(self, key: str) -> Decimal:
        value = self.cells.get(key)
        return value if isinstance(value, Decimal) else ZERO


def hierarchy_rows(
    lines: Iterable[Line],
    *,
    code_of: Callable[[Line], str],
    columns_of: Callable[[Line], Sequence[str]],
    columns: Sequence[str],
    names: Mapping[str, str],
    widths: Sequence[int],
    total_last: bool = False,
) -> list[Row]:
    """合计, then every non-empty 类/款/项 in code order, each the exact sum of the lines below it (合计 last
    with ``total_last``). A row gives its code whole (``code``) and in parts (``class_code``, ``section_code``,
    ``item_code``: 201 | 06 | 01), for editions that print 类 | 款 | 项 in three columns.

    ``columns_of`` names the columns a line adds to. An empty table has no rows at all (it prints a note).
    """
    nodes: dict[str, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(columns, ZERO))
    grand = dict.fromkeys(columns, ZERO)
    for line in lines:
        code = code_of(line)
        targets = [nodes[code[:width]] for width in widths] + [grand]
        for column in columns_of(line):
            for target in targets:
                target[column] += line.amount
    if all(value == 0 for value in grand.values()):
        return []
    total = Row({"code": "", **code_parts(""), "name": "合计", **grand}, emphasis=True)
    rows = []
    # Prefix codes sort depth-first: 201 < 20131 < 2013101 < 2013102 < 208.
    for code in sorted(nodes):
        values = nodes[code]
        if all(value == 0 for value in values.values()):
            continue
        level = widths.index(len(code)) + 1
        cells: dict[str, Cell] = {"code": code, **code_parts(code), "name": names.get(code, ""), **values}
        rows.append(Row(cells, level=level, code=code))
    return [*rows, total] if total_last else [total, *rows]


CODE_PARTS = ("class_code", "section_code", "item_code")  # 类 | 款 | 项
_PART_SLICES = (slice(0, 3), slice(3, 5), slice(5, 7))


def code_parts(code: str) -> dict[str, str]:
    """A code in its 类 | 款 | 项 parts: 2010601 → 201 | 06 | 01; 30101 → 301 | 01 | ""."""
    return {name: code[part] for name, part in zip(CODE_PARTS, _PART_SLICES, strict=True)}


# Table 2 部门预算收入总表 -------------------------------------------------------------------------

INCOME_SOURCE_COLUMNS: Mapping[Source, str] = {
    Source.GENERAL: "fiscal",
    Source.GOVFUND: "fiscal",
    Source.STATECAP: "fiscal",
    Source.SPECIAL: "special",
    Source.BUSINESS: "business",
    Source.OPERATING: "operating",
    Source.SUPERIOR: "superior",
    Source.AFFILIATE: "affiliate",
    Source.OTHER: "other",
}
INCOME_COLUMNS = ("total", "subtotal", *dict.fromkeys(INCOME_SOURCE_COLUMNS.values()), "carried")


def _income_columns(line: Line) -> Sequence[str]:
    if line.carried_over:
        return ("total", "carried")
    return ("total", "subtotal", INCOME_SOURCE_COLUMNS[line.source])


def income_rows(data: BudgetData, total_last: bool = False) -> list[Row]:
    return hierarchy_rows(
        data.lines,
        code_of=lambda line: line.function,
        columns_of=_income_columns,
        columns=INCOME_COLUMNS,
        names=data.catalogue.function_names,
        widths=FUNCTION_CODE_WIDTHS,
        total_last=total_last,
    )


# Table 3 部门预算支出总表 -------------------------------------------------------------------------

EXPENDITURE_KIND_COLUMNS: Mapping[Kind, str] = {kind: kind.value for kind in Kind}
EXPENDITURE_COLUMNS = ("total", *EXPENDITURE_KIND_COLUMNS.values())


def expenditure_rows(data: BudgetData, total_last: bool = False) -> list[Row]:
    return hierarchy_rows(
        data.lines,
        code_of=lambda line: line.function,
        columns_of=lambda line: ("total", EXPENDITURE_KIND_COLUMNS[line.kind]),
        columns=EXPENDITURE_COLUMNS,
        names=data.catalogue.function_names,
        widths=FUNCTION_CODE_WIDTHS,
        total_last=total_last,
    )


# Tables 5, 7, 8: 财政拨款支出表 per fund type ----------------------------------------------------

APPROPRIATION_COLUMNS = ("total", "basic", "project")


def appropriation_rows(data: BudgetData, source: Source, total_last: bool = False) -> list[Row]:
    return hierarchy_rows(
        (line for line in data.lines if line.source == source),
        code_of=lambda line: line.function,
        columns_of=lambda line: ("total", str(line.kind)),
        columns=APPROPRIATION_COLUMNS,
        names=data.catalogue.function_names,
        widths=FUNCTION_CODE_WIDTHS,
        total_last=total_last,
    )


def general_appropriation_rows(data: BudgetData, total_last: bool = False) -> list[Row]:
    return appropriation_rows(data, Source.GENERAL, total_last)


def govfund_appropriation_rows(data: BudgetData, total_last: bool = False) -> list[Row]:
    return appropriation_rows(data, Source.GOVFUND, total_last)


def statecap_appropriation_rows(data: BudgetData, total_last: bool = False) -> list[Row]:
    return appropriation_rows(data, Source.STATECAP, total_last)


# Table 6 一般公共预算财政拨款基本支出表 ----------------------------------------------------------

BASIC_ECONOMIC_COLUMNS = ("total", "personnel", "public")


def is_personnel(economic_code: str) -> bool:
    return economic_code[:3] in PERSONNEL_ECONOMIC_CLASSES


def basic_economic_rows(data: BudgetData, total_last: bool = False) -> list[Row]:
    return hierarchy_rows(
        (line for line in data.lines if line.source == Source.GENERAL and line.kind == Kind.BASIC),
        code_of=lambda line: line.economic,
        columns_of=lambda line: ("total", "personnel" if is_personnel(line.economic) else "public"),
        columns=BASIC_ECONOMIC_COLUMNS,
        names=data.catalogue.economic_names,
        widths=ECONOMIC_CODE_WIDTHS,
        total_last=total_last,
    )


# Table 1 部门预算收支总表 -------------------------------------------------------------------------

INCOME_ROW_LABELS: Sequence[tuple[Source, str]] = (
    (Source.GENERAL, "一般公共预算拨款收入"),
    (Source.GOVFUND, "政府性基金预算拨款收入"),
    (Source.STATECAP, "国有资本经营预算拨款收入"),
    (Source.SPECIAL, "财政专户管理资金收入"),
    (Source.BUSINESS, "事业收入"),
    (Source.OPERATING, "事业单位经营收入"),
    (Source.SUPERIOR, "上级补助收入"),
    (Source.AFFILIATE, "附属单位上缴收入"),
    (Source.OTHER, "其他收入"),
)


# One income row of the summary: its label and the sources it adds up (every source in exactly one row).
IncomeRow = tuple[str, tuple[Source, ...]]
INCOME_ROWS: Sequence[IncomeRow] = tuple((label, (source,)) for source, label in INCOME_ROW_LABELS)


def numbered(index: int, label: str) -> str:
    return f"{chinese_ordinal(index)}、{label}"


def _sum_by(lines: Iterable[Line], key: Callable[[Line], object]) -> dict[object, Decimal]:
    sums: dict[object, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        sums[key(line)] += line.amount
    return sums


def _side_by_side(left: Sequence[Mapping[str, Cell]], right: Sequence[Mapping[str, Cell]]) -> list[Row]:
    height = max(len(left), len(right))
    return [Row({**(left[i] if i < len(left) else {}), **(right[i] if i < len(right) else {})}) for i in range(height)]


def summary_rows(
    data: BudgetData, income_rows: Sequence[IncomeRow] = INCOME_ROWS, extra_rows: Sequence[str] = ()
) -> list[Row]:
    """Income by source on the left, spending by functional 类 on the right (every 类 of the year's catalogue),
    then the totals. ``income_rows`` groups the sources into the edition's rows; ``extra_rows`` are fixed
    spending rows after the 类 that no line of the ledger reaches (Hebei 2025's 人行科目), printed empty."""
    current = [line for line in data.lines if not line.carried_over]
    income_by_source = _sum_by(current, lambda line: line.source)
    spending_by_class = _sum_by(data.lines, lambda line: line.function[:3])
    income_current = sum(income_by_source.values(), ZERO)
    carried = sum((line.amount for line in data.lines if line.carried_over), ZERO)
    spending = sum(spending_by_class.values(), ZERO)
    carried_forward = ZERO  # a budget plans to spend what it receives: nothing is left at year end

    left: list[dict[str, Cell]] = [
        {"in_label": numbered(i, label), "in_amount": sum((income_by_source.get(s, ZERO) for s in sources), ZERO)}
        for i, (label, sources) in enumerate(income_rows, start=1)
    ]
    classes = data.catalogue.expenditure_classes
    right: list[dict[str, Cell]] = [
        {"out_label": numbered(i, name), "out_amount": spending_by_class.get(code, ZERO)}
        for i, (code, name) in enumerate(classes, start=1)
    ]
    right += [
        {"out_label": numbered(i, name), "out_amount": ZERO} for i, name in enumerate(extra_rows, len(classes) + 1)
    ]
    rows = _side_by_side(left, right)
    rows += [
        Row(
            {
                "in_label": "本年收入合计",
                "in_amount": income_current,
                "out_label": "本年支出合计",
                "out_amount": spending,
            },
            emphasis=True,
        ),
        Row(
            {
                "in_label": "上年结转结余",
                "in_amount": carried,
                "out_label": "年终结转结余",
                "out_amount": carried_forward,
            },
        ),
        Row(
            {
                "in_label": "收入总计",
                "in_amount": income_current + carried,
                "out_label": "支出总计",
                "out_amount": spending + carried_forward,
            },
            emphasis=True,
        ),
    ]
    return rows


# Table 4 部门预算财政拨款收支总表 -----------------------------------------------------------------

FUND_COLUMNS: Mapping[Source, str] = {
    Source.GENERAL: "general",
    Source.GOVFUND: "govfund",
    Source.STATECAP: "statecap",
}
FUND_ROW_LABELS: Sequence[tuple[Source, str]] = (
    (Source.GENERAL, "一般公共预算拨款"),
    (Source.GOVFUND, "政府性基金预算拨款"),
    (Source.STATECAP, "国有资本经营预算拨款"),
)


def _fund_cells(prefix: str, amounts: Mapping[object, Decimal]) -> dict[str, Decimal]:
    cells = {f"{prefix}{column}": amounts.get(source, ZERO) for source, column in FUND_COLUMNS.items()}
    cells[f"{prefix}total"] = sum(cells.values(), ZERO)
    return cells


def fiscal_summary_rows(data: BudgetData) -> list[Row]:
    fiscal = [line for line in data.lines if line.is_fiscal]
    received = _sum_by((line for line in fiscal if not line.carried_over), lambda line: line.source)
    brought_forward = _sum_by((line for line in fiscal if line.carried_over), lambda line: line.source)
    spent_by_class: dict[str, dict[object, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for line in fiscal:
        spent_by_class[line.function[:3]][line.source] += line.amount
    spent = _sum_by(fiscal, lambda line: line.source)
    received_total = sum(received.values(), ZERO)
    brought_forward_total = sum(brought_forward.values(), ZERO)

    left: list[dict[str, Cell]] = [
        {"in_label": numbered(i, label), "in_amount": received.get(source, ZERO)}
        for i, (source, label) in enumerate(FUND_ROW_LABELS, start=1)
    ]
    right: list[dict[str, Cell]] = [
        {"out_label": numbered(i, name), **_fund_cells("out_", spent_by_class.get(code, {}))}
        for i, (code, name) in enumerate(data.catalogue.expenditure_classes, start=1)
    ]
    rows = _side_by_side(left, right)
    rows.append(
        Row(
            {
                "in_label": "本年收入合计",
                "in_amount": received_total,
                "out_label": "本年支出合计",
                **_fund_cells("out_", spent),
            },
            emphasis=True,
        )
    )
    rows.append(
        Row(
            {
                "in_label": "年初财政拨款结转和结余",
                "in_amount": brought_forward_total,
                "out_label": "年末财政拨款结转和结余",
            },
        )
    )
    rows += [
        Row({"in_label": numbered(i, label), "in_amount": brought_forward.get(source, ZERO)})
        for i, (source, label) in enumerate(FUND_ROW_LABELS, start=1)
    ]
    rows.append(
        Row(
            {
                "in_label": "收入总计",
                "in_amount": received_total + brought_forward_total,
                "out_label": "支出总计",
                **_fund_cells("out_", spent),
            },
            emphasis=True,
        )
    )
    return rows


# Table 9 财政拨款“三公”经费支出表 ----------------------------------------------------------------

THREE_PUBLIC_COLUMNS = ("total", "general", "govfund", "statecap")


def _three_public_item(line: Line) -> str | None:
    if line.economic == ECONOMIC_TRAVEL_ABROAD:
        return "abroad"
    if line.economic in ECONOMIC_VEHICLE_PURCHASE:
        return "vehicle_purchase"
    if line.economic == ECONOMIC_VEHICLE_RUNNING:
        return "vehicle_running"
    if line.economic == ECONOMIC_RECEPTION:
        return "reception"
    return None


def is_three_public(line: Line) -> bool:
    return _three_public_item(line) is not None


def three_public_rows(data: BudgetData) -> list[Row]:
    by_item: dict[str, dict[object, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for line in data.lines:
        item = _three_public_item(line)
        if item is not None and line.source in FISCAL_SOURCES:
            by_item[item][line.source] += line.amount

    def cells(*items: str) -> dict[str, Decimal]:
        merged: dict[object, Decimal] = defaultdict(lambda: ZERO)
        for item in items:
            for source, amount in by_item.get(item, {}).items():
                merged[source] += amount
        return _fund_cells("", merged)

    return [
        Row({"label": "合计", **cells("abroad", "vehicle_purchase", "vehicle_running", "reception")}, emphasis=True),
        Row({"label": "一、因公出国（境）费", **cells("abroad")}),
        Row({"label": "二、公务用车购置及运维费", **cells("vehicle_purchase", "vehicle_running")}),
        Row({"label": "其中：公务用车购置费", **cells("vehicle_purchase")}, level=1),
        Row({"label": "公务用车运行维护费", **cells("vehicle_running")}, level=1),
        Row({"label": "三、公务接待费", **cells("reception")}),
    ]


# 部门机构设置情况 -------------------------------------------------------------------------------


def unit_rows(data: BudgetData) -> list[Row]:
    return [
        Row({"name": unit.name, "nature": unit.nature, "rank": unit.rank, "funding_form": unit.funding_form})
        for unit in data.units
    ]
