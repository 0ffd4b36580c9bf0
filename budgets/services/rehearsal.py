"""A write tried on the budget as it is now, then rolled back: what it would change, to show before it is made.

A page whose save was refused because someone else saved first shows what saving it again would do: the others'
values (stored now) beside the page's, as the very service that would write them records them in the trail
([place, old, new]). The page then stands on the revision the rehearsal ran on, so that its next save is exactly
what was shown, and a save of someone else's in between makes it stale again.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import OperationalError, transaction
from django.db.models import Max

from budgets.models import Budget, BudgetEvent
from budgets.services.errors import StaleRevision
from domain.errors import BudgetFiguresError, FigureError
from web.middleware import database_busy

ATTEMPTS = 3  # others saving again and again while one rehearses: the page stays stale and says so next time


@dataclass(frozen=True)
class Rehearsal:
    revision: int | None  # the revision it ran on (None: it could not run; the page stays on its own)
    changes: list[list[str]] = field(default_factory=list)  # [place, stored now, the page's]
    refusals: list[FigureError] = field(default_factory=list)  # why saving again would be refused


class _Undo(Exception):
    def __init__(self, rehearsal: Rehearsal) -> None:
        self.rehearsal = rehearsal


def rehearse(budget: Budget, write: Callable[[int], object]) -> Rehearsal:
    """Run ``write`` (given the revision to expect) on the current revision and undo it: what it recorded."""
    for _ in range(ATTEMPTS):
        try:
            with transaction.atomic():
                revision = Budget.objects.values_list("revision", flat=True).get(pk=budget.pk)
                last = BudgetEvent.objects.filter(budget=budget).aggregate(last=Max("pk"))["last"] or 0
                try:
                    write(revision)
                except StaleRevision:
                    raise
                except BudgetFiguresError as refused:
                    raise _Undo(Rehearsal(revision, refusals=list(refused.errors))) from None
                events = BudgetEvent.objects.filter(budget=budget, pk__gt=last).order_by("pk")
                changes = [list(change) for event in events for change in event.data.get("changes", [])]
                raise _Undo(Rehearsal(revision, changes=changes))
        except _Undo as undone:
            return undone.rehearsal
        except StaleRevision:
            continue
        except OperationalError as error:
            if not database_busy(error):
                raise
            break
    return Rehearsal(None)
