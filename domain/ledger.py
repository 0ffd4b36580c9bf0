"""The budget as plain data: the stored figures and the catalogue names they need for printing."""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from domain.classifications import (
    ECONOMIC_CODE_WIDTHS,
    FISCAL_KINDS,
    FISCAL_SOURCES,
    FUNCTION_CODE_WIDTHS,
    Kind,
    Source,
)
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
    """One item of 部门固定资产占用情况表; its value in yuan."""

    item: str
    quantity: Decimal
    value: Decimal


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


def line_errors(line: Line) -> list[str]:
    """What is wrong with one figure on its own (messages are shown to users)."""
    errors = []
    if not re.fullmatch(rf"[0-9]{{{FUNCTION_CODE_WIDTHS[-1]}}}", line.function):
        errors.append(f"功能分类科目必须是7位的项级科目：{line.function}")
    if not re.fullmatch(rf"[0-9]{{{ECONOMIC_CODE_WIDTHS[-1]}}}", line.economic):
        errors.append(f"经济分类科目必须是5位的款级科目：{line.economic}")
    if not isinstance(line.amount, Decimal):
        errors.append(f"金额必须是精确的十进制数，实际为 {type(line.amount).__name__}。")
    elif not line.amount.is_finite() or abs(line.amount) >= MAX_AMOUNT:
        errors.append(f"金额无效：{line.amount}。")
    else:
        if line.amount < 0:
            errors.append("金额不能为负数。")
        if line.amount != line.amount.quantize(Decimal("0.01")):
            errors.append("金额最多保留两位小数（元）。")
    if line.is_fiscal and line.kind not in FISCAL_KINDS:
        errors.append(f"财政拨款资金只能用于基本支出或项目支出，不能用于{Kind(line.kind).label}。")
    return errors


def total(lines: Iterable[Line]) -> Decimal:
    return sum((line.amount for line in lines), Decimal("0.00"))
