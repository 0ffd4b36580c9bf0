"""Last year beside this year: last year's approved budget (its snapshot, its codes moved onto this year's
catalogue as 新建预算 moves them, domain.rollover) beside this year's budget, with 增减额 and 增减率.

Three views, each as the official table it follows counts: all expenditure by functional 类/款/项 (table 3, 支出总表),
basic expenditure of the general public budget by economic 类/款 (table 7) and the “三公” of the appropriated funds
by item (table 9). A code of last year that maps to none of this year's is shown apart, so that last year's 合计 is
still last year's whole budget.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from domain.classifications import ECONOMIC_CODE_WIDTHS, FISCAL_SOURCES, FUNCTION_CODE_WIDTHS, Kind, Source
from domain.ledger import BudgetData, Catalogue, Line
from domain.rollover import CodeMapping, Remapped, UnitLine, remap_lines
from domain.tables import three_public_item

ZERO = Decimal("0.00")
UNMAPPED_LABEL = "上年科目在本年目录中无对应"
THREE_PUBLIC_LABELS = (
    ("abroad", "因公出国（境）费"),
    ("vehicle_purchase", "公务用车购置费"),
    ("vehicle_running", "公务用车运行维护费"),
    ("reception", "公务接待费"),
)


@dataclass(frozen=True)
class Compared:
    """One row: last year's amount and this year's (yuan)."""

    label: str
    previous: Decimal
    current: Decimal
    code: str = ""
    level: int = 0  # 0: 合计 or a row of its own; 1, 2, 3: 类, 款, 项

    @property
    def change(self) -> Decimal:
        return self.current - self.previous

    @property
    def rate(self) -> Decimal | None:
        """增减率 in percent, two decimals (half up); None when last year had nothing to compare with."""
        if self.previous == 0:
            return None
        return (self.change * 100 / self.previous).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class YearComparison:
    previous_year: int
    year: int
    functional: tuple[Compared, ...]
    basic_economic: tuple[Compared, ...]
    three_public: tuple[Compared, ...]
    mappings: tuple[CodeMapping, ...]  # last year's codes that did not simply stay


def _sums(lines: Iterable[Line], code_of: Callable[[Line], str], widths: Sequence[int]) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        code = code_of(line)
        for width in widths:
            sums[code[:width]] += line.amount
    return sums


def _hierarchy(
    previous: Sequence[Line],
    current: Sequence[Line],
    unmapped: Sequence[Line],
    code_of: Callable[[Line], str],
    widths: Sequence[int],
    names: Mapping[str, str],
) -> tuple[Compared, ...]:
    before, after = _sums(previous, code_of, widths), _sums(current, code_of, widths)
    gone = sum((line.amount for line in unmapped), ZERO)
    total = Compared(
        "合计", sum((line.amount for line in previous), ZERO) + gone, sum((line.amount for line in current), ZERO)
    )
    rows = [total]
    for code in sorted(before.keys() | after.keys()):  # prefix codes sort depth-first: 201 < 20131 < 2013101
        if before.get(code, ZERO) == 0 and after.get(code, ZERO) == 0:
            continue
        level = widths.index(len(code)) + 1
        rows.append(Compared(names.get(code, ""), before.get(code, ZERO), after.get(code, ZERO), code, level))
    if gone:
        rows.append(Compared(UNMAPPED_LABEL, gone, ZERO))
    return tuple(rows) if total.previous or total.current else ()


def _three_public(previous: Sequence[Line], current: Sequence[Line]) -> tuple[Compared, ...]:
    def by_item(lines: Sequence[Line]) -> dict[str | None, Decimal]:
        sums: dict[str | None, Decimal] = defaultdict(lambda: ZERO)
        for line in lines:
            if line.source in FISCAL_SOURCES:
                sums[three_public_item(line)] += line.amount
        return sums

    before, after = by_item(previous), by_item(current)
    items = [Compared(label, before[key], after[key], level=1) for key, label in THREE_PUBLIC_LABELS]
    total = Compared("合计", sum((item.previous for item in items), ZERO), sum((item.current for item in items), ZERO))
    return (total, *items)


def compare_years(previous: BudgetData, current: BudgetData) -> YearComparison:
    """Each view moves only the codes it shows: a line whose 项 is gone still counts under its economic 款."""
    lines = [UnitLine("", line) for line in previous.lines]
    old, new = previous.catalogue, current.catalogue
    by_function = remap_lines(lines, old, Catalogue(new.function_names, old.economic_names))
    by_economic = remap_lines(lines, old, Catalogue(old.function_names, new.economic_names))

    def moved(remapped: Remapped) -> list[Line]:
        return [item.line for item in remapped.lines]

    def dropped(remapped: Remapped) -> list[Line]:
        return [item.line for item in remapped.dropped]

    def basic(lines: Iterable[Line]) -> list[Line]:
        return [line for line in lines if line.kind is Kind.BASIC and line.source == Source.GENERAL]

    function_names = {**old.function_names, **new.function_names}
    economic_names = {**old.economic_names, **new.economic_names}
    return YearComparison(
        previous_year=previous.year,
        year=current.year,
        functional=_hierarchy(
            moved(by_function),
            current.lines,
            dropped(by_function),
            lambda line: line.function,
            FUNCTION_CODE_WIDTHS,
            function_names,
        ),
        basic_economic=_hierarchy(
            basic(moved(by_economic)),
            basic(current.lines),
            basic(dropped(by_economic)),
            lambda line: line.economic,
            ECONOMIC_CODE_WIDTHS,
            economic_names,
        ),
        three_public=_three_public(moved(by_economic), current.lines),
        mappings=(*by_function.mappings, *by_economic.mappings),
    )
