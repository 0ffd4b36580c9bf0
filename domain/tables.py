"""The official disclosure tables, derived from the stored lines.

Each function returns the rows of one table as plain data: exact yuan amounts keyed by column, before
any rounding. Layouts (official) decide how the rows are printed; the relations between the
tables (spec §4) hold exactly on these values.
"""

from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from domain.choices import TextChoices
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
from domain.structure import UnitNature

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
    # Summed by code first, then rolled up: a large budget has thousands of lines but a hundred or so codes.
    by_code: dict[str, dict[str, Decimal]] = {}
    for line in lines:
        code = code_of(line)
        sums = by_code.get(code)
        if sums is None:
            sums = by_code[code] = dict.fromkeys(columns, ZERO)
        for column in columns_of(line):
            sums[column] += line.amount
    nodes: dict[str, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(columns, ZERO))
    grand = dict.fromkeys(columns, ZERO)
    for code, sums in by_code.items():
        targets = [nodes[code[:width]] for width in widths] + [grand]
        for column, amount in sums.items():
            for target in targets:
                target[column] += amount
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
# By source whatever year the money was received in (editions without 上年结转, such as Shanghai's): 财政拨款, 事业收入,
# 事业单位经营收入, and everything else as 其他收入.
INCOME_BY_SOURCE_COLUMNS: Mapping[Source, str] = {
    Source.GENERAL: "all_fiscal",
    Source.GOVFUND: "all_fiscal",
    Source.STATECAP: "all_fiscal",
    Source.BUSINESS: "all_business",
    Source.OPERATING: "all_operating",
}
ALL_OTHER = "all_other"
INCOME_COLUMNS = (
    "total",
    "subtotal",
    *dict.fromkeys(INCOME_SOURCE_COLUMNS.values()),
    "carried",
    *dict.fromkeys(INCOME_BY_SOURCE_COLUMNS.values()),
    ALL_OTHER,
)


def _income_columns(line: Line) -> Sequence[str]:
    by_source = INCOME_BY_SOURCE_COLUMNS.get(line.source, ALL_OTHER)
    if line.carried_over:
        return ("total", "carried", by_source)
    return ("total", "subtotal", INCOME_SOURCE_COLUMNS[line.source], by_source)


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


@dataclass(frozen=True)
class IncomeRow:
    """One income row of the summary: its label and the sources it adds up, or the rows it is the sum of
    (Shanghai's 一、财政拨款收入 over 1. 一般公共预算, 2. 政府性基金预算 …, printed below it). Every source is in
    exactly one row."""

    label: str
    sources: tuple[Source, ...] = ()
    parts: tuple["IncomeRow", ...] = ()

    @property
    def all_sources(self) -> tuple[Source, ...]:
        return self.sources + tuple(source for part in self.parts for source in part.all_sources)


INCOME_ROWS: Sequence[IncomeRow] = tuple(IncomeRow(label, (source,)) for source, label in INCOME_ROW_LABELS)


class Classes(TextChoices):
    """Which functional 类 the spending side of tables 1 and 4 lists."""

    ALL = "all", "every 类 of the year's catalogue"
    WITH_MONEY = "with-money", "only the 类 the budget spends on"


class CarriedOver(TextChoices):
    """How tables 1 and 4 show money received in earlier years (上年结转)."""

    ROW = "row", "本年收入合计, then 上年结转 rows, then 收入总计 (Hebei)"
    BY_SOURCE = "by-source", "with the income of its source; one 收入总计 row (Shanghai: 本年收入 / 本年支出)"


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


def _spending_classes(data: BudgetData, classes: str, with_money: Container[object]) -> list[tuple[str, str]]:
    listed = data.catalogue.expenditure_classes
    return listed if classes == Classes.ALL else [(code, name) for code, name in listed if code in with_money]


PART_NUMBERING = "{n}. "  # before an income row's parts: 1. 一般公共预算 (Shanghai's 单位 template: "{n}、")


def _income_cells(
    rows: Sequence[IncomeRow], by_source: Mapping[object, Decimal], part_numbering: str
) -> list[dict[str, Cell]]:
    def amount(row: IncomeRow) -> Decimal:
        return sum((by_source.get(source, ZERO) for source in row.all_sources), ZERO)

    cells: list[dict[str, Cell]] = []
    for i, row in enumerate(rows, start=1):
        cells.append({"in_label": numbered(i, row.label), "in_amount": amount(row)})
        cells += [
            {"in_label": part_numbering.format(n=j) + part.label, "in_amount": amount(part)}
            for j, part in enumerate(row.parts, start=1)
        ]
    return cells


# The spending side of the summary by kind (Shanghai's 单位 template): 合计 | 基本支出 (人员经费 | 公用经费) | 项目支出.
SUMMARY_SPENDING_COLUMNS = ("out_basic", "out_personnel", "out_public", "out_project")


def _spending_columns(line: Line) -> Sequence[str]:
    if line.kind == Kind.BASIC:
        return ("out_basic", "out_personnel" if is_personnel(line.economic) else "out_public")
    return ("out_project",) if line.kind == Kind.PROJECT else ()


def _spending_cells(lines: Iterable[Line]) -> dict[str, dict[str, Decimal]]:
    """Per functional 类 and in all ("" ), the summary's spending by kind."""
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(SUMMARY_SPENDING_COLUMNS, ZERO))
    for line in lines:
        for column in _spending_columns(line):
            sums[line.function[:3]][column] += line.amount
            sums[""][column] += line.amount
    return sums


def summary_rows(
    data: BudgetData,
    income_rows: Sequence[IncomeRow] = INCOME_ROWS,
    extra_rows: Sequence[str] = (),
    classes: str = Classes.ALL,
    carried_over: str = CarriedOver.ROW,
    part_numbering: str = PART_NUMBERING,
) -> list[Row]:
    """Income by source on the left, spending by functional 类 on the right (its total and by kind), then the totals.
    ``income_rows`` groups the sources into the edition's rows (``part_numbering`` before the parts of one);
    ``extra_rows`` are fixed spending rows after the 类 that no line of the ledger reaches (Hebei 2025's 人行科目),
    printed empty; ``classes`` and ``carried_over`` as their choices say."""
    by_source = carried_over == CarriedOver.BY_SOURCE
    current = [line for line in data.lines if by_source or not line.carried_over]
    income_by_source = _sum_by(current, lambda line: line.source)
    spending_by_class = _sum_by(data.lines, lambda line: line.function[:3])
    income_current = sum(income_by_source.values(), ZERO)
    carried = sum((line.amount for line in data.lines if line.carried_over), ZERO)
    spending = sum(spending_by_class.values(), ZERO)
    carried_forward = ZERO  # a budget plans to spend what it receives: nothing is left at year end

    left = _income_cells(income_rows, income_by_source, part_numbering)
    listed = _spending_classes(data, classes, {code for code, amount in spending_by_class.items() if amount})
    by_kind = _spending_cells(data.lines)
    right: list[dict[str, Cell]] = [
        {"out_label": numbered(i, name), "out_amount": spending_by_class.get(code, ZERO), **by_kind[code]}
        for i, (code, name) in enumerate(listed, start=1)
    ]
    right += [
        {"out_label": numbered(i, name), "out_amount": ZERO} for i, name in enumerate(extra_rows, len(listed) + 1)
    ]
    rows = _side_by_side(left, right)
    if by_source:
        totals: dict[str, Cell] = {
            "in_label": "收入总计",
            "in_amount": income_current,
            "out_label": "支出总计",
            "out_amount": spending,
            **by_kind[""],
        }
        return [*rows, Row(totals, emphasis=True)]
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


FUND_LABELS: Sequence[str] = tuple(label for _, label in FUND_ROW_LABELS)


def fiscal_summary_rows(
    data: BudgetData,
    fund_labels: Sequence[str] = FUND_LABELS,
    classes: str = Classes.ALL,
    carried_over: str = CarriedOver.ROW,
) -> list[Row]:
    """Appropriations received by fund type on the left (``fund_labels`` their rows' labels), spent by functional 类
    on the right; ``classes`` and ``carried_over`` as in summary_rows."""
    by_source = carried_over == CarriedOver.BY_SOURCE
    fiscal = [line for line in data.lines if line.is_fiscal]
    received = _sum_by((line for line in fiscal if by_source or not line.carried_over), lambda line: line.source)
    brought_forward = _sum_by((line for line in fiscal if line.carried_over), lambda line: line.source)
    spent_by_class: dict[str, dict[object, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for line in fiscal:
        spent_by_class[line.function[:3]][line.source] += line.amount
    spent = _sum_by(fiscal, lambda line: line.source)
    received_total = sum(received.values(), ZERO)
    brought_forward_total = sum(brought_forward.values(), ZERO)

    left: list[dict[str, Cell]] = [
        {"in_label": numbered(i, label), "in_amount": received.get(source, ZERO)}
        for i, (source, label) in enumerate(zip(FISCAL_SOURCES, fund_labels, strict=True), start=1)
    ]
    right: list[dict[str, Cell]] = [
        {"out_label": numbered(i, name), **_fund_cells("out_", spent_by_class.get(code, {}))}
        for i, (code, name) in enumerate(
            _spending_classes(data, classes, {code for code, by in spent_by_class.items() if any(by.values())}), start=1
        )
    ]
    rows = _side_by_side(left, right)
    if by_source:
        totals: dict[str, Cell] = {"in_label": "收入总计", "in_amount": received_total, "out_label": "支出总计"}
        return [*rows, Row({**totals, **_fund_cells("out_", spent)}, emphasis=True)]
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
        for i, (source, label) in enumerate(zip(FISCAL_SOURCES, fund_labels, strict=True), start=1)
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


def three_public_item(line: Line) -> str | None:
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
    return three_public_item(line) is not None


def three_public_rows(data: BudgetData) -> list[Row]:
    by_item: dict[str, dict[object, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for line in data.lines:
        item = three_public_item(line)
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


THREE_PUBLIC_ROW_COLUMNS = (
    "total",
    "abroad",
    "reception",
    "vehicle_total",
    "vehicle_purchase",
    "vehicle_running",
    "running_costs",
)


def three_public_row(data: BudgetData) -> list[Row]:
    """The 三公 as one row (Shanghai): every appropriated fund together, item by item, then 机关运行经费."""
    items = _sum_by((line for line in data.lines if line.source in FISCAL_SOURCES), three_public_item)
    vehicles = items.get("vehicle_purchase", ZERO) + items.get("vehicle_running", ZERO)
    cells: dict[str, Cell] = {
        "total": items.get("abroad", ZERO) + items.get("reception", ZERO) + vehicles,
        "abroad": items.get("abroad", ZERO),
        "reception": items.get("reception", ZERO),
        "vehicle_total": vehicles,
        "vehicle_purchase": items.get("vehicle_purchase", ZERO),
        "vehicle_running": items.get("vehicle_running", ZERO),
        "running_costs": running_costs(data),
    }
    return [Row(cells, emphasis=True)]


# 机关运行经费 ---------------------------------------------------------------------------------------

# Units whose 公用经费 is 机关运行经费: 行政单位 and 事业单位 managed under the civil-service law (参公).
RUNNING_COST_NATURES = frozenset({UnitNature.ADMINISTRATIVE, UnitNature.CIVIL_SERVICE})


def running_costs(data: BudgetData) -> Decimal:
    """机关运行经费: the 公用经费 (every economic class but 301 and 303) of general-budget basic expenditure of the
    administrative and 参公 units. A line whose unit the budget does not list (a workbook rebuilt before its lines
    are placed), and every line of a budget that lists no unit, belongs to the department's first unit, as an
    import places it; the first unit of a budget without units is its own office, an administrative unit."""
    natures = {unit.name: unit.nature for unit in data.units}
    first = data.units[0].nature if data.units else UnitNature.ADMINISTRATIVE
    return sum(
        (
            line.amount
            for line in data.lines
            if line.source == Source.GENERAL
            and line.kind == Kind.BASIC
            and not is_personnel(line.economic)
            and natures.get(line.unit, first) in RUNNING_COST_NATURES
        ),
        ZERO,
    )


# 部门机构设置情况 -------------------------------------------------------------------------------


def unit_rows(data: BudgetData) -> list[Row]:
    return [
        Row({"name": unit.name, "nature": unit.nature, "rank": unit.rank, "funding_form": unit.funding_form})
        for unit in data.units
    ]
