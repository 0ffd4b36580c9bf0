"""Comparing verdicts found in different places (a stored budget, its workbook)."""

from collections import Counter
from collections.abc import Iterable

from domain.audit.model import Violation

# What a workbook cannot say, so that these rules run on a stored budget only: what each project spends (P01,
# P10), the control figures (K01), the generated 情况说明 (X01) and the narrative fields (T01, T02).
STORED_ONLY = {"P01", "P10", "K01", "X01", "T01", "T02"}


def findings(violations: Iterable[Violation]) -> Counter:
    """What each finding says, wherever it is placed (a stored budget's 表｜行｜列, a workbook's sheet!cell)."""
    return Counter((v.rule, v.severity, v.message) for v in violations if v.rule not in STORED_ONLY)
