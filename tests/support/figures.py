"""Figures of the demo budgets as printed, built without a database, and a way to change one cell."""

import csv
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from demo import luquan_202, luquan_318
from demo.spec import DemoBudget
from domain.audit.model import Cell, Figures
from domain.ledger import BudgetData, Catalogue, UnitInfo
from official.audit import figures_from_budget

CATALOG = Path(__file__).resolve().parents[2] / "catalog" / "data" / "2021"


def _names(filename: str) -> dict[str, str]:
    with (CATALOG / filename).open(encoding="utf-8") as file:
        return {row["code"]: row["name"] for row in csv.DictReader(file)}


CATALOGUE = Catalogue(_names("function_classification.csv"), _names("economic_classification.csv"))


def data_of(spec: DemoBudget) -> BudgetData:
    lines = tuple(line.as_line() for line in spec.lines)
    return BudgetData(
        spec.department_code, spec.department_name, spec.year, CATALOGUE, lines, performance=spec.performance
    )


def data_with_units(spec: DemoBudget) -> BudgetData:
    """As ``data_of``, with the budget's units and each line's unit."""
    units = tuple(UnitInfo(unit.name, unit.nature, unit.rank, unit.funding_form) for unit in spec.units)
    lines = tuple(line.as_line(units[line.unit].name) for line in spec.lines)
    return replace(data_of(spec), lines=lines, units=units)


@pytest.fixture
def example() -> Figures:
    return figures_from_budget(data_of(luquan_202.BUDGET))


@pytest.fixture
def other() -> Figures:
    return figures_from_budget(data_of(luquan_318.BUDGET))


def changed(figures: Figures, table: str, row_key: str, column: str, amount: str | None) -> Figures:
    """The same figures with one printed cell replaced (None: blank)."""
    target = figures.tables[table]
    rows = []
    for row in target.rows:
        if row.key == row_key:
            old = row.cells[column]
            row = replace(row, cells={**row.cells, column: Cell(Decimal(amount) if amount else None, old.place)})
        rows.append(row)
    assert rows != list(target.rows), f"no row {row_key!r} in {table}"
    return replace(figures, tables={**figures.tables, table: replace(target, rows=tuple(rows))})


def row_key(figures: Figures, table: str, text: str) -> str:
    """The key of the fixed-table row whose label contains ``text``."""
    return next(row.key for row in figures.tables[table].rows if text in " ".join(row.texts.values()))
