"""Economic and functional codes that describe the same money (cross-classification groups, D01).

The source is 财政部《政府收支分类科目》: its 支出经济分类科目 30108 机关事业单位基本养老保险缴费, 30109 职业年金
缴费, 30110 职工基本医疗保险缴费, 30111 公务员医疗补助缴费 and 30113 住房公积金 describe the same payments as its
支出功能分类科目 2080505 机关事业单位基本养老保险缴费支出, 2080506 机关事业单位职业年金缴费支出, 21011 行政事业单位
医疗 and 2210201 住房公积金. One kind of payment may be booked under several 项, and one 项 may hold several kinds
(21011 takes both 30110 and 30111), so each side of a group is a sum.
"""

from collections.abc import Iterator, Mapping

from domain.audit.model import ZERO, Cell, FigureRow, Figures, Severity, by_code, fmt, rule

# (economic 款 of 基本支出表, functional 款 or 项 of 一般公共预算财政拨款支出表's 基本支出, what they pay)
GROUPS: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...] = (
    (("30108", "30109"), ("2080505", "2080506"), "养老保险和职业年金缴费"),
    (("30110", "30111"), ("21011",), "行政事业单位医疗"),
    (("30113",), ("2210201",), "住房公积金"),
)


def _cells(rows: Mapping[str, FigureRow], codes: tuple[str, ...], column: str) -> list[Cell]:
    return [rows[code].cells[column] for code in codes if code in rows and column in rows[code].cells]


@rule(
    "D01",
    Severity.WARNING,
    "对应科目一致（基本支出）：30108 + 30109 = 2080505 + 2080506，30110 + 30111 = 21011（款），30113 = 2210201",
)
def groups_agree(figures: Figures) -> Iterator[tuple[Cell, str]]:
    economic_table, functional_table = figures.get("basic-economic"), figures.get("general-appropriation")
    economic, functional = by_code(economic_table), by_code(functional_table)
    if economic_table is None or functional_table is None or not economic or not functional:
        return
    for economic_codes, function_codes, what in GROUPS:
        # A code the table does not print counts as zero.
        economic_cells = _cells(economic, economic_codes, "total")
        function_cells = _cells(functional, function_codes, "basic")
        a = sum((cell.amount or ZERO for cell in economic_cells), ZERO)
        b = sum((cell.amount or ZERO for cell in function_cells), ZERO)
        # One printed cell on each side prints the same exact yuan alike; sums of several bring each its own rounding.
        parts = len(economic_cells) + len(function_cells)
        tail = functional_table.tail(parts) if parts > 2 else ZERO
        if abs(a - b) > tail:
            where = (economic_cells or function_cells)[0]
            yield (
                where,
                f"{what}：经济科目 {' + '.join(economic_codes)} 为 {fmt(a)}，"
                f"功能科目 {' + '.join(function_codes)} 基本支出为 {fmt(b)}",
            )
