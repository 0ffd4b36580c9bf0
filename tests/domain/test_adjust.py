"""Changing stored lines as little as a changed workbook requires (domain.adjust), without a database."""

from dataclasses import replace
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from domain.adjust import Shape, adjust
from domain.classifications import Kind, Source
from domain.ledger import Line
from official.cells import table_shape
from official.edition import editions
from tests.support.strategies import budgets

SHAPE: Shape = table_shape(editions()["hebei-2021"].figure_tables)


def deltas(before, after) -> dict:
    old, new = SHAPE.sums(before), SHAPE.sums(after)
    return {cell: new.get(cell, Decimal(0)) - old.get(cell, Decimal(0)) for cell in old.keys() | new.keys()}


def named(line: Line) -> str:
    return f"项目（{line.function}）"


def line(function: str, economic: str, amount: str, **fields) -> Line:
    return Line(function, economic, Kind.BASIC, Source.GENERAL, Decimal(amount), unit="本级", **fields)


def test_an_edited_line_is_the_one_changed_and_its_neighbours_stay() -> None:
    stored = [line("2010101", "30101", "1000.00"), line("2010101", "30211", "500.00"), line("2010102", "30211", "80")]
    edited = [stored[0], replace(stored[1], amount=Decimal("700.00")), stored[2]]
    result = adjust(stored, deltas(stored, edited), SHAPE, named)
    assert result is not None
    assert result.lines == edited
    assert result.added == []


def test_money_moved_between_economic_codes_moves_between_the_two_lines() -> None:
    stored = [line("2010101", "30101", "1000.00"), line("2010101", "30211", "500.00")]
    edited = [replace(stored[0], amount=Decimal("900.00")), replace(stored[1], amount=Decimal("600.00"))]
    result = adjust(stored, deltas(stored, edited), SHAPE, named)
    assert result is not None
    assert result.lines == edited


def test_a_place_the_budget_lacks_gets_a_line_beside_its_like() -> None:
    stored = [line("2010101", "30101", "1000.00")]
    wanted = [*stored, line("2010101", "30201", "300.00")]
    result = adjust(stored, deltas(stored, wanted), SHAPE, named)
    assert result is not None
    assert result.added == [line("2010101", "30201", "300.00")]


def test_a_new_project_line_without_a_project_of_its_function_is_given_one_named_for_it() -> None:
    stored = [line("2010101", "30101", "1000.00")]
    new = Line("2010102", "30201", Kind.PROJECT, Source.GENERAL, Decimal("300.00"), unit="本级", project="x")
    result = adjust(stored, deltas(stored, [*stored, new]), SHAPE, named)
    assert result is not None
    assert [(added.project, added.unit) for added in result.added] == [("项目（2010102）", "本级")]


def test_taking_more_than_a_cell_holds_finds_no_way() -> None:
    stored = [line("2010101", "30101", "100.00")]
    assert adjust(stored, {("econ", "30101"): Decimal("-500.00")}, SHAPE, named) is None


@settings(max_examples=150, deadline=None)
@given(budgets(max_lines=25), st.data())
def test_random_edits_change_no_more_lines_than_were_edited(data, draw) -> None:
    merged: dict[Line, Decimal] = {}  # one line per place, as the ledger stores them
    for line in data.lines:
        place = replace(line, amount=Decimal(0), unit="本级")
        merged[place] = merged.get(place, Decimal(0)) + line.amount
    stored = [replace(place, amount=amount) for place, amount in merged.items() if amount]
    assume(stored)
    chosen = draw.draw(st.lists(st.sampled_from(stored), min_size=1, max_size=3, unique=True))
    steps = {line: Decimal(draw.draw(st.integers(-int(line.amount * 100), 10**7))) / 100 for line in chosen}
    edited = [replace(line, amount=line.amount + steps.get(line, Decimal(0))) for line in stored]
    edited = [line for line in edited if line.amount]
    result = adjust(stored, deltas(stored, edited), SHAPE, named)
    assert result is not None
    assert SHAPE.sums(result.lines) == SHAPE.sums(edited)
    changed = [line for line in result.lines if line not in stored] + [
        line for line in stored if line not in result.lines
    ]
    signatures = {SHAPE.cells(line) for line in chosen}
    touched = {replace(line, amount=Decimal(0)) for line in changed}
    assert len(touched) <= len(chosen)
    assert all(SHAPE.cells(line) in signatures for line in touched)
