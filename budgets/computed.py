"""What only a write can change, computed once and kept in Django's cache (settings.CACHES) under a key made of
everything it was computed from, so that a write makes it stale by key, never by a sweep.

A budget's key holds its revision (every write of the budget bumps it), its department's (the department's name
and units, departments.signals), its year's catalogue's (the names it prints, catalog.signals) and, through the
cache's KEY_PREFIX, the code's release. A caller adds whatever else its value depends on (an edition, a unit).

Only what is committed is kept: inside a transaction (a write, a rehearsal, a test's) a value is computed and not
kept, since a rollback would leave it under a revision that the next write then gives other contents.
"""

import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection

from budgets.models import Budget
from budgets.selectors import budget_data
from domain.ledger import BudgetData

T = TypeVar("T")
logger = logging.getLogger(__name__)


def budget_stamp(budget: Budget) -> str:
    """Everything stored that a budget's printed contents are computed from, as revisions (no query when the
    budget was read with its department and year). The time of the budget's last write too: a database restored
    from a backup reaches the same revisions again with other contents (clear_cache after a restore covers the
    department's and the catalogue's)."""
    written = budget.updated_at.timestamp() if budget.updated_at else 0
    return f"{budget.pk}.{budget.revision}.{written:.6f}.{budget.department.revision}.{budget.year.catalogue_revision}"


def computed(budget: Budget, what: str, produce: Callable[[], T], *parts: str) -> T:
    """``produce()``, kept under the budget's stamp, ``what`` and ``parts`` (what else the value depends on)."""
    if connection.in_atomic_block:
        return produce()
    return kept(":".join(("budget", what, budget_stamp(budget), *parts)), produce)


def kept(key: str, produce: Callable[[], T]) -> T:
    """``produce()``, kept under ``key``, which must name everything the value is computed from (a key that is a
    digest of the value's whole input, e.g. a document's HTML for its PDF, may be used inside transactions too)."""
    try:
        found: T | None = cache.get(key)
    except Exception:  # the cache is a saving, never a condition: a Redis that is down costs time, not the page
        logger.warning("cache unavailable, computing %s", key, exc_info=True)
        return produce()
    if found is not None:
        return found
    value = produce()
    try:
        cache.set(key, value)
    except Exception:
        logger.warning("cache unavailable, not keeping %s", key, exc_info=True)
    return value


def kept_budget_data(budget: Budget) -> BudgetData:
    """budget_data, computed once per stamp."""
    return computed(budget, "data", lambda: budget_data(budget))
