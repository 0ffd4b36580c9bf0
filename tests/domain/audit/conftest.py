"""The demo budgets as printed figures, for the rule tests (tests.support.figures)."""

from tests.support.figures import example, other  # noqa: F401  (fixtures)
