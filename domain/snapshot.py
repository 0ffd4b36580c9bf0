"""A budget's plain data as JSON and back, so that a moment of it (approved, returned) can be kept as it was.

The snapshot carries its own catalogue names: an approved budget prints the same tables whatever later happens
to the catalogue.
"""

from dataclasses import astuple
from datetime import date
from decimal import Decimal
from typing import Any

from domain.classifications import Kind, Source
from domain.ledger import AssetInfo, BudgetData, Catalogue, Line, ProcurementInfo, UnitInfo
from domain.performance.targets import DepartmentGoals, Indicator, Performance, SubGoal, TargetTable
from domain.performance.values import IndicatorValue

FORMAT = 1


def _text(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def snapshot_to_json(data: BudgetData) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "department_code": data.department_code,
        "department_name": data.department_name,
        "year": data.year,
        "function_names": dict(data.catalogue.function_names),
        "economic_names": dict(data.catalogue.economic_names),
        "lines": [
            [
                line.function,
                line.economic,
                line.kind.value,
                line.source.value,
                str(line.amount),
                line.carried_over,
                line.project,
                line.unit,
            ]
            for line in data.lines
        ],
        "units": [list(astuple(unit)) for unit in data.units],
        "procurement": [[_text(value) for value in astuple(item)] for item in data.procurement],
        "assets": [[_text(value) for value in astuple(asset)] for asset in data.assets],
        "assets_as_of": data.assets_as_of.isoformat() if data.assets_as_of else None,
        "performance": _performance_to_json(data.performance),
    }


def _performance_to_json(performance: Performance) -> dict[str, Any]:
    goals = performance.goals
    return {
        "overall": goals.overall,
        "sub_goals": [list(astuple(sub)) for sub in goals.sub_goals],
        "measures": goals.measures,
        "targets": [
            {
                "project": table.project,
                "goal": table.goal,
                "indicators": [
                    [
                        i.level1, i.level2, i.name, i.description, i.basis,
                        i.value.comparator, _text(i.value.number), i.value.unit, i.value.word, i.value.raw,
                    ]
                    for i in table.indicators
                ],
            }
            for table in performance.targets
        ],
    }  # fmt: skip


def _performance_from_json(stored: dict[str, Any] | None) -> Performance:
    if not stored:
        return Performance()
    return Performance(
        goals=DepartmentGoals(
            stored["overall"], tuple(SubGoal(*sub) for sub in stored["sub_goals"]), stored["measures"]
        ),
        targets=tuple(
            TargetTable(
                table["project"],
                table["goal"],
                tuple(
                    Indicator(
                        level1, level2, name, description,
                        IndicatorValue(comparator, Decimal(number) if number is not None else None, unit, word, raw),
                        basis,
                    )
                    for level1, level2, name, description, basis, comparator, number, unit, word, raw
                    in table["indicators"]
                ),
            )
            for table in stored["targets"]
        ),
    )  # fmt: skip


def snapshot_from_json(stored: dict[str, Any]) -> BudgetData:
    if stored.get("format") != FORMAT:
        raise ValueError(f"unknown snapshot format {stored.get('format')!r}")
    return BudgetData(
        department_code=stored["department_code"],
        department_name=stored["department_name"],
        year=stored["year"],
        catalogue=Catalogue(stored["function_names"], stored["economic_names"]),
        # A line's unit (what 机关运行经费 counts by) was added later: a snapshot taken before holds seven values.
        lines=tuple(
            Line(function, economic, Kind(kind), Source(source), Decimal(amount), carried_over, project, *unit)
            for function, economic, kind, source, amount, carried_over, project, *unit in stored["lines"]
        ),
        units=tuple(UnitInfo(*unit) for unit in stored["units"]),
        procurement=tuple(
            ProcurementInfo(project, name, number, measure, *(Decimal(value) for value in amounts))
            for project, name, number, measure, *amounts in stored["procurement"]
        ),
        # A snapshot from before the units held assets has three values an item.
        assets=tuple(
            AssetInfo(item, Decimal(quantity), Decimal(value), *unit)
            for item, quantity, value, *unit in stored["assets"]
        ),
        assets_as_of=date.fromisoformat(stored["assets_as_of"]) if stored["assets_as_of"] else None,
        performance=_performance_from_json(stored.get("performance")),
    )
