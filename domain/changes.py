"""Old → new, figure by figure: what one write of a budget's figures changed, for its audit trail."""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from domain.classifications import Kind, Source

# unit, functional 项, economic 款, kind, source, carried over, project ("" for none)
FigureKey = tuple[str, str, str, str, str, bool, str]


@dataclass(frozen=True)
class FigureChange:
    key: FigureKey
    old: Decimal | None  # None: the figure is new
    new: Decimal | None  # None: the figure is gone

    @property
    def place(self) -> str:
        unit, function, economic, kind, source, carried_over, project = self.key
        parts = [unit, function, economic, Kind(kind).label, Source(source).label]
        if carried_over:
            parts.append("上年结转")
        if project:
            parts.append(f"项目：{project}")
        return "｜".join(parts)

    def as_json(self) -> list[str]:
        return [self.place, "" if self.old is None else str(self.old), "" if self.new is None else str(self.new)]


def figure_changes(before: Mapping[FigureKey, Decimal], after: Mapping[FigureKey, Decimal]) -> list[FigureChange]:
    """Every figure added, removed or changed, in the order of their keys."""
    return [
        FigureChange(key, before.get(key), after.get(key))
        for key in sorted(before.keys() | after.keys())
        if before.get(key) != after.get(key)
    ]


@dataclass(frozen=True)
class MergedFigure:
    """A figure both the page and someone else's save since it was opened had a say in."""

    key: FigureKey
    base: Decimal | None  # what the page was built on
    theirs: Decimal | None  # what is stored now
    mine: Decimal | None  # what the page posts

    @property
    def place(self) -> str:
        return FigureChange(self.key, self.base, self.theirs).place


@dataclass(frozen=True)
class FigureMerge:
    figures: dict[FigureKey, Decimal]  # the page's figures with the others' changes taken in
    taken: list[MergedFigure]  # changed by others only: their value taken
    conflicts: list[MergedFigure]  # changed by both, differently: the page keeps one (see merge_figures)


def merge_figures(
    base: Mapping[FigureKey, Decimal], theirs: Mapping[FigureKey, Decimal], mine: Mapping[FigureKey, Decimal]
) -> FigureMerge:
    """Three-way merge of a page's figures (``mine``) with those saved since it was built on ``base`` (``theirs``).

    A figure only one side changed takes that side's value; one both changed alike is that value. One both changed
    differently is a conflict: the page keeps the accountant's own value, or, where they removed a figure that the
    other changed, brings it back with the other's value, so that nothing the other did is lost unseen."""
    figures: dict[FigureKey, Decimal] = {}
    taken, conflicts = [], []
    for key in sorted(base.keys() | theirs.keys() | mine.keys()):
        old, stored, posted = base.get(key), theirs.get(key), mine.get(key)
        if posted == stored or stored == old:
            value = posted
        elif posted == old:
            value = stored
            taken.append(MergedFigure(key, old, stored, posted))
        else:
            value = posted if posted is not None else stored
            conflicts.append(MergedFigure(key, old, stored, posted))
        if value is not None:
            figures[key] = value
    return FigureMerge(figures, taken, conflicts)
