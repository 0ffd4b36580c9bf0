"""The 录入模板 imports through the same preview and confirmation as the official workbook: what the file changes,
and nothing else, shown first and recorded old → new."""

import io
from decimal import Decimal

import openpyxl

from budgets.models import BudgetEvent
from budgets.resources import AMOUNT, ECONOMIC, FUNCTION, UNIT
from budgets.selectors import budget_data
from exports.entry_template import entry_workbook
from importing.consequences import ledger_changes
from importing.services import budget_import_apply, budget_import_preview
from official.entry_layout import FIGURES_SHEET

YEAR = 2021


def _with_amount(data: bytes, line, amount: Decimal) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book[FIGURES_SHEET]
    header = [cell.value for cell in sheet[1]]
    col = {title: header.index(title) for title in (UNIT, FUNCTION, ECONOMIC, AMOUNT)}
    for row in sheet.iter_rows(min_row=2):
        values = [cell.value for cell in row]
        same = (values[col[UNIT]], str(values[col[FUNCTION]]), str(values[col[ECONOMIC]]))
        if same == (line.unit, line.function, line.economic) and Decimal(str(values[col[AMOUNT]])) == line.amount:
            row[col[AMOUNT]].value = float(amount)
            break
    else:
        raise AssertionError("line not found")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_unchanged_template_changes_nothing(demo) -> None:
    preview = budget_import_preview(data=entry_workbook(budget_data(demo["318"])), year=YEAR, department_code="318")
    assert preview.problems == []
    assert preview.template
    assert preview.unchanged


def test_one_amount_changed_in_the_template_changes_that_line_only(demo) -> None:
    before = budget_data(demo["318"])
    line = next(line for line in before.lines if line.project)
    data = _with_amount(entry_workbook(before), line, line.amount + 1234)
    preview = budget_import_preview(data=data, year=YEAR, department_code="318")
    assert preview.problems == []
    assert [(change.old, change.new) for change in preview.figure_changes] == [(line.amount, line.amount + 1234)]
    assert preview.changes  # the printed cells that follow
    budget_import_apply(data=data, year=YEAR, department_code="318")
    after = budget_data(demo["318"])
    assert ledger_changes(before.lines, after.lines) == preview.figure_changes
    assert (after.units, after.procurement, after.performance) == (before.units, before.procurement, before.performance)
    event = BudgetEvent.objects.filter(budget=demo["318"], action="figures").latest("pk")
    assert event.data["changes"] == [change.as_json() for change in preview.figure_changes]


def test_a_template_of_another_department_is_refused(demo) -> None:
    preview = budget_import_preview(data=entry_workbook(budget_data(demo["318"])), year=YEAR, department_code="202")
    assert [problem.message for problem in preview.problems] == ["录入模板属于部门 318，不是 202"]
