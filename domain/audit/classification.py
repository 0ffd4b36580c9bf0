"""Economic and functional codes that describe the same money (cross-classification pairs)."""

from collections.abc import Iterator

from domain.audit.model import ZERO, Cell, Figures, Severity, by_code, fmt, rule

# (economic 款 in table 6, functional code in table 5's 基本支出, what it is)
PAIRS = (
    ("30108", "2080505", "机关事业单位基本养老保险缴费"),
    ("30109", "2080506", "职业年金缴费"),
    ("30110", "21011", "职工基本医疗保险缴费"),
    ("30113", "2210201", "住房公积金"),
)


@rule(
    "D01",
    Severity.WARNING,
    "对应科目一致：30108 = 2080505，30109 = 2080506，30110 = 21011（款），30113 = 2210201（基本支出）",
)
def pairs_agree(figures: Figures) -> Iterator[tuple[Cell, str]]:
    economic = by_code(figures.get("basic-economic"))
    functional = by_code(figures.get("general-appropriation"))
    if not economic or not functional:
        return
    for economic_code, function_code, what in PAIRS:
        a = economic[economic_code].amount("total") if economic_code in economic else ZERO
        b = functional[function_code].amount("basic") if function_code in functional else ZERO
        if a != b:
            where = (
                economic[economic_code].cells["total"]
                if economic_code in economic
                else functional[function_code].cells["basic"]
            )
            yield where, f"{what}：经济科目 {economic_code} 为 {fmt(a)}，功能科目 {function_code} 基本支出为 {fmt(b)}"
