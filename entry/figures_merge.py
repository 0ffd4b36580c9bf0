"""A stale figures page merged with what someone else saved since it was opened.

The page carries the figures it was built on (``base``, signed so that it cannot be forged into a merge that hides
another's change). When its save is refused as stale, what the page posts (mine), the figures stored now (theirs)
and that base are merged cell by cell (domain.changes.merge_figures): the page comes back on the current revision
with the others' changes taken in and every conflict marked with both values. Nothing is written until the
accountant, having seen them, saves again.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core import signing

from budgets.models import Budget
from domain.changes import FigureKey, FigureMerge, MergedFigure
from domain.ledger import LineInput
from domain.money import DisplayUnit
from entry.fields import typed_amount

SALT = "budgetoffice.entry.figures-base"


def base_token(budget: Budget, figures: dict[FigureKey, Decimal]) -> str:
    rows = [[*key, str(amount)] for key, amount in sorted(figures.items())]
    return signing.dumps(rows, salt=f"{SALT}:{budget.pk}", compress=True)


def read_base(budget: Budget, token: str) -> dict[FigureKey, Decimal] | None:
    """The figures a page was built on, or None when its token is missing, forged or of another budget."""
    try:
        rows = signing.loads(token, salt=f"{SALT}:{budget.pk}")
        return {
            (str(u), str(f), str(e), str(k), str(s), bool(c), str(p)): Decimal(str(amount))
            for u, f, e, k, s, c, p, amount in rows
        }
    except (signing.BadSignature, TypeError, ValueError, InvalidOperation):
        return None


@dataclass(frozen=True)
class Mark:
    """What a merged row shows: ``conflict`` (both changed it) or taken (the other's value is in the cell)."""

    conflict: bool
    note: str


def amount_text(amount: Decimal | None, unit: DisplayUnit) -> str:
    return "（无）" if amount is None else f"{typed_amount(amount, unit)} {unit.value}"


def mark(item: MergedFigure, conflict: bool, unit: DisplayUnit) -> Mark:
    if not conflict:
        return Mark(
            False, f"他人已改为 {amount_text(item.theirs, unit)}（原为 {amount_text(item.base, unit)}），已并入本页"
        )
    if item.mine is None:
        return Mark(
            True, f"冲突：您删除了此行，他人改为 {amount_text(item.theirs, unit)}；已恢复他人的数，如仍要删除请再删除"
        )
    return Mark(
        True,
        f"冲突：他人改为 {amount_text(item.theirs, unit)}，您填 {amount_text(item.mine, unit)}；格中为您的数，请核对",
    )


def merged_rows(
    posted: Iterable[LineInput], merge: FigureMerge, unit: DisplayUnit
) -> tuple[list[dict[str, str]], dict[int, Mark]]:
    """The grid's rows after the merge, in the page's own order (figures only the other added come last), and the
    mark of each row (by its index) that the merge touched."""
    marks_by_key = {item.key: mark(item, False, unit) for item in merge.taken}
    marks_by_key |= {item.key: mark(item, True, unit) for item in merge.conflicts}
    keys = list(dict.fromkeys(line.key for line in posted))
    keys += [key for key in merge.figures if key not in set(keys)]
    rows, marks = [], {}
    for key in keys:
        if key not in merge.figures:
            continue  # removed by the other, left alone on the page
        if key in marks_by_key:
            marks[len(rows)] = marks_by_key[key]
        unit_name, function, economic, kind, source, carried_over, project = key
        rows.append(
            {
                "unit": unit_name,
                "function": function,
                "economic": economic,
                "kind": kind,
                "source": source,
                "carried_over": "1" if carried_over else "",
                "project": project,
                "amount": typed_amount(merge.figures[key], unit),
            }
        )
    return rows, marks


@dataclass(frozen=True)
class ReportRow:
    conflict: bool
    place: str
    base: str
    theirs: str
    page: str


def merge_report(merge: FigureMerge, unit: DisplayUnit) -> list[ReportRow]:
    """Every figure the merge touched, conflicts first, amounts in the page's unit."""
    return [
        ReportRow(conflict, item.place, amount_text(item.base, unit), amount_text(item.theirs, unit), page)
        for conflict, items in ((True, merge.conflicts), (False, merge.taken))
        for item in items
        for page in [amount_text(merge.figures.get(item.key), unit)]
    ]
