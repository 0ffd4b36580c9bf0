"""The whole catalogue: importing this module registers every rule."""

from budgets.domain.audit import agreement, arithmetic, classification, control, numbers, text, three_public
from budgets.domain.audit.model import CATALOGUE, Figures, Violation, run_rules

__all__ = [
    "CATALOGUE",
    "Figures",
    "Violation",
    "agreement",
    "arithmetic",
    "classification",
    "control",
    "numbers",
    "run_rules",
    "text",
    "three_public",
]
