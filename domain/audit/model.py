"""What the rules see (the printed tables), what they say (violations), and the catalogue that lists them."""

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import NamedTuple, TypeVar

from domain.control import ControlItem
from domain.explanation import Explanation
from domain.money import CENT, DisplayUnit, in_unit
from domain.performance.targets import Performance

ZERO = Decimal("0")
HALF_CENT = Decimal("0.005")


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "notice": "提示"}[self.value]


class Cell(NamedTuple):  # a tuple, as the printed cells it is made from
    amount: Decimal | None  # the figure as printed, in its table's unit; None for a blank cell
    place: str  # "部门预算收入总表!F9", or "部门预算收入总表｜2013101 行政运行｜财政拨款收入"
    anchor: str = ""  # where the web page shows it (an element id), when there is one


@dataclass(frozen=True)
class FigureRow:
    key: str  # the classification code ("" for 合计), or the row's label in the fixed tables
    label: str
    cells: Mapping[str, Cell]
    texts: Mapping[str, str] = field(default_factory=dict)  # the label columns of the fixed tables
    label_place: str = ""  # where the row's name is printed (a workbook's sheet!cell), when it says

    def amount(self, column: str) -> Decimal:
        cell = self.cells.get(column)
        return cell.amount if cell is not None and cell.amount is not None else ZERO

    def place(self, column: str) -> str:
        cell = self.cells.get(column)
        return cell.place if cell is not None else self.label


@dataclass(frozen=True)
class FigureTable:
    key: str
    title: str
    in_wan: bool  # amounts printed in 万元 (each cell rounded on its own), rather than exact yuan
    rows: tuple[FigureRow, ...]

    def tail(self, parts: int) -> Decimal:
        """The most a printed total can differ from its printed parts (the 尾差): half a cent per part."""
        return HALF_CENT * parts if self.in_wan else ZERO

    def by_key(self) -> dict[str, FigureRow]:
        return {row.key: row for row in self.rows}


@dataclass(frozen=True)
class CodeNames:
    """The names the year's catalogue gives the codes, and the names they had in earlier catalogues (N01)."""

    function: Mapping[str, str] = field(default_factory=dict)
    economic: Mapping[str, str] = field(default_factory=dict)
    former_function: Mapping[str, frozenset[str]] = field(default_factory=dict)
    former_economic: Mapping[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Figures:
    tables: Mapping[str, FigureTable]
    year: int | None = None
    texts: Mapping[str, str] = field(default_factory=dict)  # place → narrative text (部门职责, 项目名称 …)
    control: tuple[ControlItem, ...] = ()  # the control figures against what the budget asks, once issued
    performance: Performance | None = None  # None: the source holds no performance targets to check
    project_amounts: Mapping[str, Decimal] | None = None  # yuan per project; None when the source does not say
    explanation: Explanation | None = None  # the generated 情况说明, whose numbers must equal the tables (X01)
    names: CodeNames | None = None  # the year's catalogue, for the names a workbook prints; None: not checked

    def get(self, key: str) -> FigureTable | None:
        return self.tables.get(key)


@dataclass(frozen=True)
class Violation:
    rule: str
    severity: Severity
    place: str
    message: str
    anchor: str = ""

    def __str__(self) -> str:
        return f"{self.rule} {self.severity.label} {self.place} {self.message}"

    @property
    def key(self) -> str:
        """What identifies it from one check to the next (a warning's explanation is kept under it)."""
        return f"{self.rule}|{self.place}"


Finding = tuple[Cell | str, str]  # (the cell, or a place, that is wrong; the message)
Check = Callable[[Figures], Iterable[Finding]]
CheckT = TypeVar("CheckT", bound=Check)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str  # what it checks, for the catalogue page
    check: Check = field(compare=False)

    def run(self, figures: Figures) -> Iterator[Violation]:
        for where, message in self.check(figures):
            place, anchor = (where.place, where.anchor) if isinstance(where, Cell) else (where, "")
            yield Violation(self.id, self.severity, place, message, anchor)


CATALOGUE: dict[str, Rule] = {}


def rule(rule_id: str, severity: Severity, title: str) -> Callable[[CheckT], CheckT]:
    """Register a check: it yields (cell or place, message) for each thing wrong."""

    def register(check: CheckT) -> CheckT:
        if rule_id in CATALOGUE:
            raise ValueError(f"duplicate rule id {rule_id}")
        CATALOGUE[rule_id] = Rule(rule_id, severity, title, check)
        return check

    return register


def run_rules(figures: Figures, rules: Iterable[Rule] | None = None) -> list[Violation]:
    selected = CATALOGUE.values() if rules is None else rules
    return [violation for item in selected for violation in item.run(figures)]


def fmt(amount: Decimal, unit: DisplayUnit | None = None, *, exact: bool = False) -> str:
    """An amount as every rule prints it, by the one rounding rule (domain.money): half-up to two decimals.

    Without ``unit``, ``amount`` is a figure of a table in that table's own unit, 万元 or 元, and prints bare, as the
    table prints it: ``888.25``. With ``unit``, ``amount`` is exact yuan (a project's amount, a control figure) and
    prints in that unit, named: ``888.25 万元``, ``8882530.00 元``. ``exact`` adds the exact yuan after a 万元 figure,
    where a rule compares in yuan what the 万元 figure rounds: ``888.25 万元（8,882,530.00 元）``.
    """
    if unit is None:
        return f"{_cents(amount):.2f}"
    shown = f"{_cents(in_unit(amount, unit)):.2f} {unit.value}"
    if exact and unit is DisplayUnit.WAN:
        return f"{shown}（{_cents(amount):,.2f} 元）"
    return shown


def _cents(amount: Decimal) -> Decimal:
    rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    return rounded if rounded else abs(rounded)  # no "-0.00" for a remainder that rounds away


def as_written(amount: Decimal) -> str:
    """A printed cell's own figure, for the rules that report the cell itself (E01, E02): ``121.783`` stays."""
    return f"{amount:.2f}" if amount == amount.quantize(CENT) else f"{amount.normalize():f}"


def amounts(rows: Iterable[FigureRow], column: str) -> Decimal:
    return sum((row.amount(column) for row in rows), ZERO)


def by_code(table: FigureTable | None) -> Mapping[str, FigureRow]:
    return table.by_key() if table else {}


def violations_to_json(violations: list[Violation]) -> list[list[str]]:
    """Violations as stored on the budget (Budget.violations): one [rule, severity, place, message, anchor] each."""
    return [[v.rule, v.severity.value, v.place, v.message, v.anchor] for v in violations]


def violations_from_json(rows: list[list[str]]) -> list[Violation]:
    return [
        Violation(rule, Severity(severity), place, message, anchor) for rule, severity, place, message, anchor in rows
    ]
