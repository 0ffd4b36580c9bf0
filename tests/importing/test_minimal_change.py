"""An import changes only what the file changes: the stored lines are kept wherever the file prints them, and a
changed figure changes the stored line behind it, not the budget's structure."""

import io
import random
from dataclasses import replace
from decimal import Decimal

import pytest
from django.db import connection, transaction

import budgets.computed
from audit.verdict import budget_violations
from budgets.models import Budget, BudgetEvent
from budgets.selectors import budget_data
from domain.adjust import Shape
from domain.audit.model import violations_from_json
from domain.classifications import Kind, Source
from domain.ledger import BudgetData, Line
from domain.money import DisplayUnit
from importing.consequences import ledger_changes
from importing.services import budget_import_apply, budget_import_preview
from official.cells import table_shape
from official.edition import editions
from official.workbook import write_workbook

YEAR = 2021
HUNDRED = Decimal("100.00")


def workbook(data: BudgetData, unit: DisplayUnit = DisplayUnit.WAN) -> bytes:
    buffer = io.BytesIO()
    write_workbook(buffer, data, unit)
    return buffer.getvalue()


def with_amount(data: BudgetData, line: Line, amount: Decimal) -> BudgetData:
    lines = tuple(replace(other, amount=amount) if other == line else other for other in data.lines)
    return replace(data, lines=tuple(other for other in lines if other.amount))


def projects(data: BudgetData) -> dict[str, tuple[str, Decimal]]:
    """Each project's unit and money."""
    money: dict[str, tuple[str, Decimal]] = {}
    for line in data.lines:
        if line.project:
            unit, amount = money.get(line.project, (line.unit, Decimal(0)))
            money[line.project] = (unit, amount + line.amount)
    return money


def shape() -> Shape:
    return table_shape(editions()["hebei-2021"].figure_tables)


@pytest.fixture
def stored(demo) -> BudgetData:
    return budget_data(demo["202"])


def test_raising_one_basic_figure_and_its_totals_changes_that_line_only(demo, stored) -> None:
    travel = max(
        (line for line in stored.lines if line.economic.startswith("302") and line.kind == "basic"),
        key=lambda line: line.amount,
    )
    preview = budget_import_apply(data=workbook(with_amount(stored, travel, travel.amount + 5000)), year=YEAR)
    after = budget_data(demo["202"])
    assert [(change.old, change.new) for change in preview.figure_changes] == [(travel.amount, travel.amount + 5000)]
    assert ledger_changes(stored.lines, after.lines) == preview.figure_changes
    assert projects(after) == projects(stored)
    assert after.performance == stored.performance
    assert after.units == stored.units
    [words] = preview.structure
    assert words.startswith(f"单位“{travel.unit}”的预算由 ")


@pytest.mark.django_db(transaction=True)
def test_a_preview_reads_the_budget_kept_for_its_revision_and_the_next_write_makes_it_stale(demo, monkeypatch) -> None:
    """Outside a transaction, as a request makes it, a preview reads the stored budget the pages keep: a second
    preview of the same revision does not read it again, and a preview after the import has written reads it anew
    and finds nothing left to change."""
    stored = budget_data(demo["202"])
    travel = next(line for line in stored.lines if line.kind == "basic" and not line.carried_over)
    data = workbook(with_amount(stored, travel, travel.amount + 5000))
    reads = []
    monkeypatch.setattr(budgets.computed, "budget_data", lambda budget: reads.append(budget.pk) or budget_data(budget))
    assert not connection.in_atomic_block
    for _ in range(2):
        preview = budget_import_preview(data=data, year=YEAR)
        assert [(change.old, change.new) for change in preview.figure_changes] == [
            (travel.amount, travel.amount + 5000)
        ]
    assert reads == [demo["202"].pk]
    budget_import_apply(data=data, year=YEAR)
    reads.clear()
    after = budget_import_preview(data=data, year=YEAR)
    assert after.ok
    assert after.unchanged
    assert reads == [demo["202"].pk]


def test_changing_a_projects_figure_keeps_the_project_its_unit_and_its_targets(demo, stored) -> None:
    line = max((line for line in stored.lines if line.project), key=lambda line: line.amount)
    budget_import_apply(data=workbook(with_amount(stored, line, line.amount - 10000)), year=YEAR)
    after = budget_data(demo["202"])
    before_projects, after_projects = projects(stored), projects(after)
    assert after_projects[line.project] == (line.unit, before_projects[line.project][1] - 10000)
    assert {name: value for name, value in after_projects.items() if name != line.project} == {
        name: value for name, value in before_projects.items() if name != line.project
    }
    assert after.performance == stored.performance
    assert len(ledger_changes(stored.lines, after.lines)) == 1


def test_money_moved_between_economic_codes_moves_between_their_lines(demo, stored) -> None:
    basic = [line for line in stored.lines if line.kind == "basic" and line.source == "general"]
    giver = max(basic, key=lambda line: line.amount)
    taker = next(
        line
        for line in basic
        if line.function == giver.function and line.economic != giver.economic and not line.carried_over
    )
    moved = with_amount(with_amount(stored, giver, giver.amount - 20000), taker, taker.amount + 20000)
    preview = budget_import_preview(data=workbook(moved), year=YEAR)
    assert preview.ok, preview.problems
    assert {(change.key[2], change.old, change.new) for change in preview.figure_changes} == {
        (giver.economic, giver.amount, giver.amount - 20000),
        (taker.economic, taker.amount, taker.amount + 20000),
    }
    assert not preview.added_lines
    assert not preview.rebuilt


def test_a_figure_at_a_place_the_budget_lacks_is_added_beside_its_neighbours_and_said(demo, stored) -> None:
    neighbour = max(
        (line for line in stored.lines if line.kind == "basic" and line.source == "general"),
        key=lambda line: line.amount,
    )
    used = {line.economic for line in stored.lines if line.function == neighbour.function}
    code = next(code for code in ("30201", "30202", "30205", "30206", "30207") if code not in used)
    new = Line(neighbour.function, code, neighbour.kind, neighbour.source, Decimal("30000.00"), unit=neighbour.unit)
    preview = budget_import_preview(data=workbook(replace(stored, lines=(*stored.lines, new))), year=YEAR)
    assert preview.ok, preview.problems
    assert preview.added_lines == [new]
    assert [(change.old, change.new) for change in preview.figure_changes] == [(None, Decimal("30000.00"))]
    assert any("将新增明细" in words and code in words for words in preview.structure)


def test_a_text_only_change_is_shown_written_and_recorded_old_to_new(demo) -> None:
    stored = budget_data(demo["318"])
    first = stored.procurement[0]
    renamed = replace(stored, procurement=(replace(first, item_name="笔记本电脑"), *stored.procurement[1:]))
    preview = budget_import_preview(data=workbook(renamed), year=YEAR)
    assert not preview.unchanged
    assert preview.text_changes == [["政府采购｜第1项｜采购品目名称", first.item_name, "笔记本电脑"]]
    assert preview.figure_changes == []
    budget_import_apply(data=workbook(renamed), year=YEAR)
    assert budget_data(demo["318"]).procurement[0].item_name == "笔记本电脑"
    event = BudgetEvent.objects.filter(budget=demo["318"], action="supplementary").latest("pk")
    assert event.data["changes"] == preview.text_changes


def test_a_unit_added_in_the_units_table_is_applied_and_shown(demo) -> None:
    stored = budget_data(demo["318"])
    added = replace(stored.units[0], name="石家庄市鹿泉区新设中心", rank="股级")
    preview = budget_import_preview(data=workbook(replace(stored, units=(*stored.units, added))), year=YEAR)
    described = "，".join(part for part in (added.nature, "股级", added.funding_form) if part)
    assert preview.unit_changes == [["单位“石家庄市鹿泉区新设中心”", "", f"新增（{described}）"]]
    budget_import_apply(data=workbook(replace(stored, units=(*stored.units, added))), year=YEAR)
    assert [unit.name for unit in budget_data(demo["318"]).units][-1] == "石家庄市鹿泉区新设中心"
    event = BudgetEvent.objects.filter(budget=demo["318"], action="units").latest("pk")
    assert event.data["changes"] == preview.unit_changes


def test_removing_a_unit_that_still_has_figures_is_refused_with_a_message(demo) -> None:
    stored = budget_data(demo["318"])
    used = {line.unit for line in stored.lines}
    gone = next(unit for unit in stored.units[1:] if unit.name in used)
    data = workbook(replace(stored, units=tuple(unit for unit in stored.units if unit != gone)))
    preview = budget_import_preview(data=data, year=YEAR)
    assert any(f"没有单位“{gone.name}”" in problem.message for problem in preview.problems)


# --- generated edits: the preview says exactly what confirming writes --------------------------------------------


def _edit(rng: random.Random, data: BudgetData) -> tuple[BudgetData, list[Line]]:
    """One to three lines changed by whole hundreds of yuan (what a 万元 file can say exactly), sometimes a text."""
    edited = data
    chosen = rng.sample(list(data.lines), rng.randint(1, 3))
    for line in chosen:
        step = HUNDRED * rng.randint(-int(line.amount // HUNDRED), 500)
        edited = with_amount(edited, line, line.amount + step)
    if data.procurement and rng.random() < 0.3:
        item = data.procurement[0]
        edited = replace(edited, procurement=(replace(item, quantity=item.quantity + 1), *data.procurement[1:]))
    return edited, chosen


def _db_state(budget: Budget) -> BudgetData:
    return budget_data(Budget.objects.get(pk=budget.pk))


@pytest.mark.parametrize("code", ["202", "318"])
def test_generated_edits_change_no_more_lines_than_edited_and_the_preview_lists_what_is_written(demo, code) -> None:
    rng = random.Random(int(code))
    budget = demo[code]
    stored = budget_data(budget)
    cells = shape().cells
    for _ in range(100):
        edited, chosen = _edit(rng, stored)
        data = workbook(edited, rng.choice(list(DisplayUnit)))
        with transaction.atomic():
            preview = budget_import_apply(data=data, year=YEAR)
            after = _db_state(budget)
            assert preview.ok
            assert not preview.rebuilt
            assert ledger_changes(stored.lines, after.lines) == preview.figure_changes
            assert len(preview.figure_changes) <= len(chosen)
            signatures = {cells(line) for line in chosen}
            assert all(cells(Line(*_fields(change.key))) in signatures for change in preview.figure_changes)
            assert {name: unit for name, (unit, _) in projects(after).items()} == {
                name: unit for name, (unit, _) in projects(stored).items() if name in projects(after)
            }
            assert after.performance == stored.performance
            assert (after.procurement, after.assets) == (edited.procurement, edited.assets)
            assert shape().sums(after.lines) == shape().sums(edited.lines)  # it prints what the file prints
            written = Budget.objects.select_related("department", "year", "control", "goals").get(pk=budget.pk)
            assert violations_from_json(written.violations) == budget_violations(written)  # the preview's verdict
            transaction.set_rollback(True)


def _fields(key) -> tuple:
    unit, function, economic, kind, source, carried_over, project = key
    return function, economic, Kind(kind), Source(source), Decimal(1), carried_over, project, unit
