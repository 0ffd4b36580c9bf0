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
