"""The whole catalogue: importing this module registers every rule."""

from budgets.domain.audit import agreement, arithmetic, classification, control, numbers, text, three_public
from budgets.domain.audit.model import CATALOGUE, Figures, Violation, run_rules
from disclosure.domain import rules as disclosure
from performance.domain import rules as performance

__all__ = [
    "CATALOGUE",
    "Figures",
    "Violation",
    "agreement",
    "arithmetic",
    "classification",
    "control",
    "disclosure",
    "numbers",
    "performance",
    "run_rules",
    "text",
    "three_public",
]
