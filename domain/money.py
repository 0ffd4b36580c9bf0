"""Money: stored in yuan (元) to the fen, printed in 万元 with two decimals.

The one rounding rule: every printed 万元 cell is the exact yuan sum behind it, divided by 10,000 and
rounded half-up to two decimals. Cells are never summed after rounding, so a printed parent may differ
from the sum of its printed children by at most 0.005 万元 per child (the 尾差); the tables stay exact
in yuan; the audit rules (issue 4) are to report the printed remainder as a notice.
"""

from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
YUAN_PER_WAN = Decimal(10000)


class DisplayUnit(Enum):
    WAN = "万元"
    YUAN = "元"


def to_wan(yuan: Decimal) -> Decimal:
    """The printed 万元 figure of an exact yuan amount."""
    return (yuan / YUAN_PER_WAN).quantize(CENT, rounding=ROUND_HALF_UP)


def wan_to_yuan(wan: Decimal) -> Decimal:
    return (wan * YUAN_PER_WAN).quantize(CENT, rounding=ROUND_HALF_UP)


def in_unit(yuan: Decimal, unit: DisplayUnit) -> Decimal:
    if unit is DisplayUnit.WAN:
        return to_wan(yuan)
    return yuan.quantize(CENT, rounding=ROUND_HALF_UP)


def format_amount(yuan: Decimal | None, unit: DisplayUnit = DisplayUnit.WAN) -> str:
    """Official printing: two decimals, and an empty cell for zero."""
    if yuan is None:
        return ""
    value = in_unit(yuan, unit)
    if value == 0:
        return ""
    return f"{value:.2f}"
