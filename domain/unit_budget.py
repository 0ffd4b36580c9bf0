"""One unit's budget (单位预算) from its department's ledger: what a 单位 edition prints.

A unit's projects are those its lines name (``unit_projects``): a project is one unit's (domain.ledger), and one
without figures yet belongs to no unit's part. Its procurement items and 绩效目标表 are the department's to enter
until the unit puts figures on it; every page, file and check of a unit's part goes by this one rule.
"""

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import replace
from typing import TypeVar

from domain.ledger import AssetInfo, BudgetData, Line, ProcurementInfo
from domain.performance.targets import Performance


def unit_names(data: BudgetData) -> list[str]:
    return [unit.name for unit in data.units]


def unit_projects(lines: Iterable[Line], unit: str) -> set[str]:
    """The projects of ``unit``: those its lines name."""
    return {line.project for line in lines if line.unit == unit and line.project}


def unit_budget(data: BudgetData, unit: str) -> BudgetData:
    """The lines of ``unit`` (a line of no listed unit is the first unit's, as the department's tables count it),
    named by the unit; the procurement and the 绩效目标表 of its projects; the fixed assets it holds. The
    department's goals are the department's own, not a unit's. ``unit`` must be one of the budget's units."""
    names = unit_names(data)
    if unit not in names:
        raise ValueError(f"“{unit}”不是本部门的单位（{'、'.join(names) or '无'}）")
    first = names[0]
    lines = tuple(line for line in data.lines if (line.unit if line.unit in names else first) == unit)
    projects = {line.project for line in lines if line.project}  # unit_projects, with the first unit's strays
    return replace(
        data,
        department_name=unit,
        lines=lines,
        units=tuple(info for info in data.units if info.name == unit),
        procurement=tuple(item for item in data.procurement if item.project in projects),
        assets=tuple(asset for asset in data.assets if asset.unit == unit),
        performance=Performance(targets=tuple(t for t in data.performance.targets if t.project in projects)),
    )


T = TypeVar("T")


def with_unit_items(
    stored: Sequence[ProcurementInfo], unit_projects: Collection[str], items: Sequence[ProcurementInfo]
) -> list[ProcurementInfo]:
    """The department's procurement plan with the unit's items (those of its projects) made ``items``: every other
    item stays where it is, the unit's new ones take the place of its first stored one (the end if it had none)."""
    return _spliced(stored, lambda item: item.project in unit_projects, items)


def with_unit_assets(stored: Sequence[AssetInfo], unit: str, assets: Sequence[AssetInfo]) -> list[AssetInfo]:
    """The department's fixed assets with those ``unit`` holds made ``assets``, in their place (as procurement)."""
    return _spliced(stored, lambda asset: asset.unit == unit, assets)


def _spliced(stored: Sequence[T], is_units: Callable[[T], bool], new: Sequence[T]) -> list[T]:
    spliced: list[T] = []
    placed = False
    for item in stored:
        if is_units(item):
            if not placed:
                spliced.extend(new)
                placed = True
            continue
        spliced.append(item)
    if not placed:
        spliced.extend(new)
    return spliced
