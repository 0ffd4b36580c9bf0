"""The whole catalogue: importing this module registers every rule."""

from domain.audit import agreement, arithmetic, classification, control, names, numbers, targets, text, three_public
from domain.audit import explanation as disclosure
from domain.audit.model import CATALOGUE, Figures, Violation, run_rules

__all__ = [
    "CATALOGUE",
    "Figures",
    "Violation",
    "agreement",
    "arithmetic",
    "classification",
    "control",
    "disclosure",
    "names",
    "numbers",
    "run_rules",
    "targets",
    "text",
    "three_public",
]
