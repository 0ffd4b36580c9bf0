"""Arithmetic inside each table: 类 = Σ款 = Σ项, 合计 rows, and the columns that add up along a row."""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import NamedTuple

from domain.audit.model import Cell, FigureRow, Figures, FigureTable, Severity, fmt, rule
from domain.classifications import ECONOMIC_CODE_WIDTHS, FUNCTION_CODE_WIDTHS, PERSONNEL_ECONOMIC_CLASSES
from domain.tables import APPROPRIATION_COLUMNS, BASIC_ECONOMIC_COLUMNS, EXPENDITURE_COLUMNS, INCOME_COLUMNS

HIERARCHIES: dict[str, Sequence[int]] = {
    "income": FUNCTION_CODE_WIDTHS,
    "expenditure": FUNCTION_CODE_WIDTHS,
    "general-appropriation": FUNCTION_CODE_WIDTHS,
    "govfund-appropriation": FUNCTION_CODE_WIDTHS,
    "statecap-appropriation": FUNCTION_CODE_WIDTHS,
    "basic-economic": ECONOMIC_CODE_WIDTHS,
}
AMOUNT_COLUMNS: dict[str, Sequence[str]] = {
    "income": INCOME_COLUMNS,
    "expenditure": EXPENDITURE_COLUMNS,
    "general-appropriation": APPROPRIATION_COLUMNS,
    "govfund-appropriation": APPROPRIATION_COLUMNS,
    "statecap-appropriation": APPROPRIATION_COLUMNS,
    "basic-economic": BASIC_ECONOMIC_COLUMNS,
}
# Along a row: (total column, the columns it adds up). A sum is checked where the table prints all of its columns: an
# edition without some (Shanghai's 支出总表 has no 经营支出 column) is not checked on it.
ROW_SUMS: dict[str, Sequence[tuple[str, Sequence[str]]]] = {
    "income": (
        ("total", ("subtotal", "carried")),
        ("subtotal", ("fiscal", "special", "business", "operating", "superior", "affiliate", "other")),
        ("total", ("all_fiscal", "all_business", "all_operating", "all_other")),
    ),
    "expenditure": (("total", ("basic", "project", "operating", "remit", "subsidy")),),
    "general-appropriation": (("total", ("basic", "project")),),
    "govfund-appropriation": (("total", ("basic", "project")),),
    "statecap-appropriation": (("total", ("basic", "project")),),
    "basic-economic": (("total", ("personnel", "public")),),
    "fiscal-summary": (("out_total", ("out_general", "out_govfund", "out_statecap")),),
    "three-public": (("total", ("general", "govfund", "statecap")),),
    "three-public-running": (
        ("total", ("abroad", "reception", "vehicle_total")),
        ("vehicle_total", ("vehicle_purchase", "vehicle_running")),
    ),
}


def _level_name(code: str) -> str:
    return {0: "合计", 3: "类", 5: "款", 7: "项"}.get(len(code), "")


def _hierarchy_gaps(table: FigureTable, widths: Sequence[int]) -> Iterator[tuple[Cell, str, Decimal, Decimal, int]]:
    """(parent cell, what, parent, Σ children, number of children) for every parent that is not its sum."""
    rows = table.by_key()
    children_of: dict[str, list[FigureRow]] = defaultdict(list)  # one pass: a large table has thousands of rows
    for code, child in rows.items():
        if len(code) in widths:
            depth = widths.index(len(code))
            children_of[code[: widths[depth - 1]] if depth else ""].append(child)
    for parent, row in rows.items():
        if len(parent) not in (0, *widths[:-1]):
            continue
        children = children_of.get(parent)
        if not children:
            continue
        for column in AMOUNT_COLUMNS[table.key]:
            if column not in row.cells:
                continue
            total = sum((child.amount(column) for child in children), Decimal(0))
            if row.amount(column) != total:
                what = f"{_level_name(parent)} {parent}".strip()
                yield row.cells[column], what, row.amount(column), total, len(children)


def _row_gaps(table: FigureTable) -> Iterator[tuple[Cell, str, Decimal, Decimal, int]]:
    for row in table.rows:
        for total_column, parts in ROW_SUMS.get(table.key, ()):
            if total_column not in row.cells or not all(part in row.cells for part in parts):
                continue
            total = sum((row.amount(part) for part in parts), Decimal(0))
            if row.amount(total_column) != total:
                yield row.cells[total_column], f"{row.label}", row.amount(total_column), total, len(parts)


class Gap(NamedTuple):
    """A printed total that is not the sum of its printed parts."""

    table: FigureTable
    cell: Cell
    what: str
    printed: Decimal
    total: Decimal
    parts: int
    hierarchy: bool  # a 合计, 类 or 款 against the level below, rather than a total along its row

    @property
    def within_tail(self) -> bool:
        return abs(self.printed - self.total) <= self.table.tail(self.parts)


_last_gaps: tuple[Figures | None, list[Gap]] = (None, [])


def _gaps(figures: Figures) -> list[Gap]:
    """Every sum that does not add up, for A01–A03 alike: computed once per Figures (the three rules ask in turn)."""
    global _last_gaps
    last = _last_gaps  # one read: another thread may replace it meanwhile
    if last[0] is figures:
        return last[1]
    gaps = list(_find_gaps(figures))
    _last_gaps = (figures, gaps)
    return gaps


def _find_gaps(figures: Figures) -> Iterator[Gap]:
    for key, table in figures.tables.items():
        if key in HIERARCHIES:
            for cell, what, printed, total, parts in _hierarchy_gaps(table, HIERARCHIES[key]):
                yield Gap(table, cell, what, printed, total, parts, True)
        for cell, what, printed, total, parts in _row_gaps(table):
            yield Gap(table, cell, what, printed, total, parts, False)


def _one_per_cell(gaps: Iterable[Gap]) -> list[Gap]:
    """One gap per cell, in the order the cells are first found. A cell that misses several sums (a 合计 both Σ类
    and the sum of its row; an income 合计 against two sets of columns) keeps the widest gap, the first of equals."""
    kept: dict[tuple[str, str], Gap] = {}
    for gap in gaps:
        key = (gap.table.key, gap.cell.place)
        if key not in kept or abs(gap.printed - gap.total) > abs(kept[key].printed - kept[key].total):
            kept[key] = gap
    return list(kept.values())


@rule("A01", Severity.ERROR, "分级汇总：合计 = Σ类，类 = Σ款，款 = Σ项（各金额列），差额超过尾差即为错误")
def hierarchy_adds_up(figures: Figures) -> Iterator[tuple[Cell, str]]:
    for gap in _one_per_cell(gap for gap in _gaps(figures) if gap.hierarchy and not gap.within_tail):
        yield gap.cell, f"{gap.what}为 {fmt(gap.printed)}，其下各级之和为 {fmt(gap.total)}"


@rule("A02", Severity.NOTICE, "尾差：万元表各格分别四舍五入，合计与分项之和相差不超过每项 0.005 万元")
def rounding_remainder(figures: Figures) -> Iterator[tuple[Cell, str]]:
    for gap in _one_per_cell(gap for gap in _gaps(figures) if gap.within_tail):
        remainder = fmt(gap.printed - gap.total)
        yield gap.cell, f"尾差 {remainder}：{gap.what}为 {fmt(gap.printed)}，分项之和为 {fmt(gap.total)}"


@rule(
    "A03",
    Severity.ERROR,
    "行内合计：合计 = 小计 + 上年结转，小计 = 各收入来源，合计 = 各支出类型，合计 = 人员经费 + 公用经费 等",
)
def row_adds_up(figures: Figures) -> Iterator[tuple[Cell, str]]:
    for gap in _one_per_cell(gap for gap in _gaps(figures) if not gap.hierarchy and not gap.within_tail):
        yield gap.cell, f"{gap.what}：合计 {fmt(gap.printed)}，各列之和为 {fmt(gap.total)}"


@rule("A04", Severity.WARNING, "基本支出表：工资福利（301）和对个人和家庭的补助（303）是人员经费，其余是公用经费")
def personnel_by_class(figures: Figures) -> Iterator[tuple[Cell, str]]:
    table = figures.get("basic-economic")
    for row in table.rows if table else ():
        if not row.key:
            continue
        personnel = row.key[:3] in PERSONNEL_ECONOMIC_CLASSES
        wrong = "public" if personnel else "personnel"
        if row.amount(wrong):
            kind = "人员经费" if personnel else "公用经费"
            yield row.cells[wrong], f"{row.key} {row.label} 应全部列为{kind}"
