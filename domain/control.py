"""Control figures (控制数): what the finance bureau allows a department for the year, and what it asks for.

Control figures limit this year's appropriated money (本年财政拨款: 一般公共预算, 政府性基金 and 国有资本经营
预算拨款, without 上年结转): the department's own income is not the bureau's to limit, and money carried over
was appropriated in an earlier year. All amounts are yuan.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from domain.classifications import Kind
from domain.ledger import Line
from domain.tables import is_three_public

ZERO = Decimal("0.00")

# key, label: the four figures the bureau issues, in the order they are shown.
CONTROL_ITEMS: tuple[tuple[str, str], ...] = (
    ("total", "财政拨款支出合计"),
    ("basic", "基本支出"),
    ("project", "项目支出"),
    ("three_public", "“三公”经费"),
)
CONTROL_LABELS = dict(CONTROL_ITEMS)


@dataclass(frozen=True)
class ControlItem:
    key: str
    limit: Decimal  # the control figure
    actual: Decimal  # what the budget asks for

    @property
    def label(self) -> str:
        return CONTROL_LABELS[self.key]

    @property
    def variance(self) -> Decimal:
        """Positive when the budget asks for more than it is allowed."""
        return self.actual - self.limit


def control_actuals(lines: Iterable[Line]) -> dict[str, Decimal]:
    actual = dict.fromkeys(CONTROL_LABELS, ZERO)
    for line in lines:
        if not line.is_fiscal or line.carried_over:
            continue
        actual["total"] += line.amount
        if line.kind == Kind.BASIC:
            actual["basic"] += line.amount
        elif line.kind == Kind.PROJECT:
            actual["project"] += line.amount
        if is_three_public(line):
            actual["three_public"] += line.amount
    return actual


def control_items(limits: dict[str, Decimal], actual: Mapping[str, Decimal]) -> tuple[ControlItem, ...]:
    """Each item's limit beside what the budget spends of it (``control_actuals``)."""
    return tuple(ControlItem(key, limits[key], actual[key]) for key, _ in CONTROL_ITEMS)


def control_input_errors(limits: dict[str, Decimal]) -> list[str]:
    """What is wrong with control figures as the bureau typed them."""
    errors = []
    for key, label in CONTROL_ITEMS:
        value = limits.get(key)
        if value is None:
            errors.append(f"{label}：必须填写。")
        elif value < 0:
            errors.append(f"{label}：不能为负数。")
    if not errors and limits["basic"] + limits["project"] > limits["total"]:
        errors.append("基本支出与项目支出控制数之和不能超过财政拨款支出合计控制数。")
    if not errors and limits["three_public"] > limits["total"]:
        errors.append("“三公”经费控制数不能超过财政拨款支出合计控制数。")
    return errors
