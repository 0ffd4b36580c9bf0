"""The budget as plain data: the stored figures and the catalogue names they need for printing."""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from domain.changes import FigureKey
from domain.classifications import (
    ECONOMIC_CODE_WIDTHS,
    FISCAL_KINDS,
    FISCAL_SOURCES,
    FUNCTION_CODE_WIDTHS,
    Kind,
    Source,
)
from domain.errors import FigureError
from domain.performance.targets import Performance

# What the ledger's DecimalField(16, 2) holds: up to 14 integer digits of yuan.
MAX_AMOUNT = Decimal("1e14")


@dataclass(frozen=True, slots=True)
class Line:
    """One stored figure: an amount in yuan for one functional 项, economic 款, kind and source.

    Every official table is a sum over lines; nothing else about money is stored.
    """

    function: str  # 7-digit 功能分类 项 code
    economic: str  # 5-digit 经济分类 款 code
    kind: Kind
    source: Source
    amount: Decimal  # yuan
    carried_over: bool = False  # 上年结转: spent this year from money received in earlier years
    project: str = ""  # the project's name for 项目支出, "" otherwise
    unit: str = ""  # the unit's name; "" (a workbook rebuilt before its lines are placed): the department's first

    @property
    def is_fiscal(self) -> bool:
        return self.source in FISCAL_SOURCES


@dataclass(frozen=True, slots=True)
class UnitInfo:
    name: str
    nature: str
    rank: str
    funding_form: str


@dataclass(frozen=True, slots=True)
class ProcurementInfo:
    """One item of 部门政府采购预算; amounts in yuan. Its project's 预算资金 comes from the lines."""

    project: str  # 政府采购项目来源: the project's name, "" when the item names none
    item_name: str
    catalogue_number: str = ""
    measure_unit: str = ""
    quantity: Decimal = Decimal("0.00")
    unit_price: Decimal = Decimal("0.00")
    general: Decimal = Decimal("0.00")  # 一般公共预算拨款
    govfund: Decimal = Decimal("0.00")  # 基金预算拨款
    statecap: Decimal = Decimal("0.00")  # 国有资本经营预算拨款
    special_account: Decimal = Decimal("0.00")  # 财政专户核拨

    @property
    def total(self) -> Decimal:
        return self.general + self.govfund + self.statecap + self.special_account


@dataclass(frozen=True, slots=True)
class AssetInfo:
    """One item of 部门固定资产占用情况表; its value in yuan. The table prints the department's items summed by name
    (domain.supplementary.asset_rows): each unit holds and enters its own."""

    item: str
    quantity: Decimal
    value: Decimal
    unit: str = ""  # the unit that holds it; "" for an item the department enters for itself


@dataclass(frozen=True)
class Catalogue:
    """Names of one budget year's classification codes."""

    function_names: Mapping[str, str]
    economic_names: Mapping[str, str]

    @property
    def expenditure_classes(self) -> list[tuple[str, str]]:
        """The functional 类 in code order: the fixed expenditure rows of tables 1 and 4."""
        return sorted((code, name) for code, name in self.function_names.items() if len(code) == 3)


@dataclass(frozen=True)
class BudgetData:
    department_code: str
    department_name: str
    year: int
    catalogue: Catalogue
    lines: tuple[Line, ...]
    units: tuple[UnitInfo, ...] = field(default=())
    procurement: tuple[ProcurementInfo, ...] = ()
    assets: tuple[AssetInfo, ...] = ()
    assets_as_of: date | None = None  # 截止时间 of the asset table; None: 31 December of the previous year
    performance: Performance = field(default_factory=Performance)  # 绩效目标: department goals, project targets

    @property
    def department_line(self) -> str:
        return f"{self.department_code} {self.department_name}"


# --- The one rule of a figure: the words users see wherever a figure is refused (grid, services, imports, admin) ----

FUNCTION_NOT_LEAF = "功能分类科目必须是7位的项级科目：{code}"
ECONOMIC_NOT_LEAF = "经济分类科目必须是5位的款级科目：{code}"
FUNCTION_NOT_IN_CATALOGUE = "{year}年度科目表中没有功能分类项级科目 {code}。"
ECONOMIC_NOT_IN_CATALOGUE = "{year}年度科目表中没有经济分类款级科目 {code}。"
AMOUNT_NOT_DECIMAL = "金额必须是精确的十进制数，实际为 {type}。"
AMOUNT_INVALID = "金额无效：{amount}。"
AMOUNT_NEGATIVE = "金额不能为负数。"
AMOUNT_TOO_PRECISE = "金额最多保留两位小数（元）。"
FISCAL_KIND_ONLY = "财政拨款资金只能用于基本支出或项目支出，不能用于{kind}。"
UNIT_NOT_OF_DEPARTMENT = "单位“{unit}”不属于本部门，请从列表中选择本部门的单位。"
PROJECT_REQUIRED = "项目支出必须填写项目名称（已有项目可从列表选择，新名称将新建项目）。"
PROJECT_NOT_ALLOWED = "只有项目支出可以填写项目；请清空项目或把支出类型改为项目支出。"
PROJECT_UNKNOWN = "项目支出必须指定已登记的项目，“{project}”不存在。"
PROJECT_OF_OTHER_UNIT = "项目“{project}”属于“{owner}”，不是“{unit}”。"
PROJECT_NAME_TOO_LONG = "项目名称最多 {limit} 字。"
PROJECT_UNIT_NOT_OF_DEPARTMENT = "项目“{project}”的单位“{unit}”不属于本部门。"
PROJECT_TWICE = "项目名称重复：同一部门预算中每个项目只能登记一次。"
SAME_CELL = "与第{first}条是同一格（单位或项目、科目、类型、来源都相同），请合并。"
PROJECT_NAME_MAX = 200


def line_errors(line: Line, index: int = 0) -> list[FigureError]:
    """What is wrong with one figure on its own, each at its field (``index`` names its row)."""
    errors = []

    def refuse(field: str, message: str) -> None:
        errors.append(FigureError(index, message, field))

    if not re.fullmatch(rf"[0-9]{{{FUNCTION_CODE_WIDTHS[-1]}}}", line.function):
        refuse("function", FUNCTION_NOT_LEAF.format(code=line.function))
    if not re.fullmatch(rf"[0-9]{{{ECONOMIC_CODE_WIDTHS[-1]}}}", line.economic):
        refuse("economic", ECONOMIC_NOT_LEAF.format(code=line.economic))
    if not isinstance(line.amount, Decimal):
        refuse("amount", AMOUNT_NOT_DECIMAL.format(type=type(line.amount).__name__))
    elif not line.amount.is_finite() or abs(line.amount) >= MAX_AMOUNT:
        refuse("amount", AMOUNT_INVALID.format(amount=line.amount))
    else:
        if line.amount < 0:
            refuse("amount", AMOUNT_NEGATIVE)
        if line.amount != line.amount.quantize(Decimal("0.01")):
            refuse("amount", AMOUNT_TOO_PRECISE)
    if line.is_fiscal and line.kind not in FISCAL_KINDS:
        refuse("source", FISCAL_KIND_ONLY.format(kind=Kind(line.kind).label))
    return errors


@dataclass(frozen=True)
class LineInput:
    """A figure as it is entered (the grid, a flat file, a workbook rebuilt, last year's copy): its unit and project
    by name. The ledger stores it as a BudgetLine."""

    unit: str  # unit name within the department
    function: str
    economic: str
    kind: Kind
    source: Source
    amount: Decimal  # yuan
    project: str = ""
    carried_over: bool = False

    @property
    def line(self) -> Line:
        line = (self.function, self.economic, self.kind, self.source, self.amount, self.carried_over, self.project)
        return Line(*line, self.unit)

    @classmethod
    def of(cls, line: Line) -> "LineInput":
        """A stored (or derived) line entered again, as it is: a write that keeps it."""
        kept = (line.function, line.economic, line.kind, line.source, line.amount, line.project, line.carried_over)
        return cls(line.unit, *kept)

    @property
    def key(self) -> FigureKey:
        """Where the ledger keeps it (domain.changes): the figures of a write, a page or a merge, by place."""
        return (self.unit, self.function, self.economic, self.kind, self.source, self.carried_over, self.project)

    @property
    def cell(self) -> tuple[object, ...]:
        """What one figure is the only one of: a project's lines are told apart by project, the others by unit."""
        owner = ("project", self.project) if self.project else ("unit", self.unit)
        return (owner, self.function, self.economic, self.kind, self.source, self.carried_over)


@dataclass(frozen=True)
class ProjectInput:
    name: str
    unit: str  # unit name within the department


def projects_for(lines: list[LineInput], existing: dict[str, str]) -> list[ProjectInput]:
    """The projects the rows name: existing ones keep their unit (in their order), new ones take their first row's
    unit (after them, in the order they first appear)."""
    named = {line.project: line.unit for line in reversed(lines) if line.project}
    kept = [ProjectInput(name, unit) for name, unit in existing.items() if name in named]
    new = [ProjectInput(name, named[name]) for name in dict.fromkeys(line.project for line in lines if line.project)]
    return kept + [project for project in new if project.name not in existing]


@dataclass(frozen=True)
class EntryContext:
    """What entered figures are checked against: the budget's year, its department's units, the year's leaf codes
    (功能分类 项, 经济分类 款) and the budget's projects by name with their unit."""

    year: int
    units: frozenset[str]
    functions: frozenset[str]
    economics: frozenset[str]
    projects: Mapping[str, str]


def input_errors(item: LineInput, context: EntryContext, index: int = 0) -> list[FigureError]:
    """Everything wrong with one entered figure: on its own (line_errors), then against the budget."""
    errors = line_errors(item.line, index)

    def refuse(field: str, message: str) -> None:
        errors.append(FigureError(index, message, field))

    if item.unit not in context.units:
        refuse("unit", UNIT_NOT_OF_DEPARTMENT.format(unit=item.unit))
    if not any(error.field == "function" for error in errors) and item.function not in context.functions:
        refuse("function", FUNCTION_NOT_IN_CATALOGUE.format(year=context.year, code=item.function))
    if not any(error.field == "economic" for error in errors) and item.economic not in context.economics:
        refuse("economic", ECONOMIC_NOT_IN_CATALOGUE.format(year=context.year, code=item.economic))
    if item.kind == Kind.PROJECT:
        owner = context.projects.get(item.project)
        if not item.project:
            refuse("project", PROJECT_REQUIRED)
        elif len(item.project) > PROJECT_NAME_MAX:
            refuse("project", PROJECT_NAME_TOO_LONG.format(limit=PROJECT_NAME_MAX))
        elif owner is None:
            refuse("project", PROJECT_UNKNOWN.format(project=item.project))
        elif owner != item.unit and item.unit in context.units:
            refuse("project", PROJECT_OF_OTHER_UNIT.format(project=item.project, owner=owner, unit=item.unit))
    elif item.project:
        refuse("project", PROJECT_NOT_ALLOWED)
    return errors


def inputs_errors(
    items: Sequence[LineInput], context: EntryContext, projects: Sequence[ProjectInput] = ()
) -> list[FigureError]:
    """Everything wrong with a budget's entered figures (by 1-based row) and the projects they name: each figure,
    and no two for one cell (the database's unique constraints). A project's problem is told at the first row
    naming it, else about the list (row 0)."""
    errors: list[FigureError] = []
    first_row: dict[str, int] = {}  # a project's first row
    for index, item in enumerate(items, start=1):
        if item.project:
            first_row.setdefault(item.project, index)
    seen: set[str] = set()
    for project in projects:
        at = first_row.get(project.name, 0)
        if project.unit not in context.units:
            field = "project" if at else ""
            errors.append(
                FigureError(at, PROJECT_UNIT_NOT_OF_DEPARTMENT.format(project=project.name, unit=project.unit), field)
            )
        if project.name in seen:
            errors.append(FigureError(at, PROJECT_TWICE, "project" if at else ""))
        seen.add(project.name)
    first_cell: dict[tuple[object, ...], int] = {}
    for index, item in enumerate(items, start=1):
        if item.cell in first_cell:
            errors.append(FigureError(index, SAME_CELL.format(first=first_cell[item.cell])))
        first_cell.setdefault(item.cell, index)
        errors += input_errors(item, context, index)
    return sorted(errors, key=lambda error: error.index)


def total(lines: Iterable[Line]) -> Decimal:
    return sum((line.amount for line in lines), Decimal("0.00"))
