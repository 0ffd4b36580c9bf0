"""The formal budget (二上) against the control figures the bureau issued (一下)."""

from collections.abc import Iterator

from domain.audit.model import Figures, Severity, fmt, rule
from domain.money import DisplayUnit


@rule("K01", Severity.ERROR, "二上预算不得超过财政局下达的控制数（财政拨款支出合计、基本支出、项目支出、“三公”经费）")
def over_control(figures: Figures) -> Iterator[tuple[str, str]]:
    # Compared exactly in yuan: the excess also shows its yuan, which the 万元 figures may round away.
    for item in figures.control:
        if item.variance > 0:
            yield (
                f"控制数｜{item.label}",
                f"{item.label} {fmt(item.actual, DisplayUnit.WAN)}，超过控制数 {fmt(item.limit, DisplayUnit.WAN)}，"
                f"超出 {fmt(item.variance, DisplayUnit.WAN, exact=True)}。",
            )
