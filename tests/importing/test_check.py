"""Checking a workbook gives the verdict an import of it would: the same problems at the same cells, in the same
words, whatever the state of the budget, and nothing written."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from audit.verdict import budget_violations
from budgets.models import Budget, BudgetEvent
from budgets.selectors import budget_data
from domain.money import DisplayUnit
from domain.workflow import BudgetState
from exports.entry_template import entry_workbook
from importing.check import workbook_check
from importing.services import ImportRefused, budget_import_apply, budget_import_preview, rule_problem
from tests.support.verdicts import findings
from tests.support.workbooks import edited, exported

pytestmark = pytest.mark.django_db

INCOME = "部门预算收入总表"
EXPENDITURE = "部门预算支出总表"
BASIC = "一般公共预算财政拨款基本支出表"


def set_cell(title: str, ref: str, value):
    def edit(workbook):
        workbook[title][ref] = value

    return edit


def add_to_code(code: str, amount: Decimal, sheet_title: str):
    """Add ``amount`` to the first amount (合计) of the row whose code is ``code``, on the sheet titled so."""

    def edit(workbook):
        sheet = next(sheet for sheet in workbook.worksheets if str(sheet["A1"].value or "").find(sheet_title) >= 0)
        for row in sheet.iter_rows():
            codes = [index for index, cell in enumerate(row) if str(cell.value).strip() == code]
            if codes:
                cell = next(cell for cell in row[codes[0] + 1 :] if isinstance(cell.value, int | float))
                cell.value = float(Decimal(str(cell.value)) + amount)
                return
        raise AssertionError(f"{code} not on {sheet_title}")

    return edit


def amounts_one_row_down(workbook) -> None:
    """Table 1's 收入 amounts (column C) each printed one row below its label, as a misaligned paste leaves them."""
    sheet = workbook.worksheets[0]
    for row in range(sheet.max_row, 6, -1):
        sheet[f"C{row}"] = sheet[f"C{row - 1}"].value
    sheet["C6"] = None


def import_problems(data: bytes) -> list[str]:
    with pytest.raises(ImportRefused) as caught:
        budget_import_apply(data=data, year=2021)
    return [str(problem) for problem in caught.value.preview.problems]


def check_problems(data: bytes) -> list[str]:
    check = workbook_check(data)
    errors = [rule_problem(v) for v in check.violations if v.severity.value == "error"]
    return [str(problem) for problem in [*check.problems, *errors]]


EDITS = {
    "three decimals": lambda budget: edited(exported(budget), set_cell(INCOME, "F9", "594.973")),
    "a negative amount": lambda budget: edited(exported(budget), set_cell(INCOME, "F9", -594.97)),
    "not a number": lambda budget: edited(exported(budget), set_cell(INCOME, "F9", "12,3x")),
    "a code missing from the catalogue": lambda budget: edited(
        exported(budget), set_cell(EXPENDITURE, "B9", "2019999")
    ),
    "one table against the others": lambda budget: edited(exported(budget), set_cell(EXPENDITURE, "E9", 1.0)),
    "table 1's amounts a row below their labels": lambda budget: edited(exported(budget), amounts_one_row_down),
    "a 1 元 misprint in a whole-yuan table": lambda budget: edited(
        exported(budget, DisplayUnit.YUAN), add_to_code("30201", Decimal("1"), BASIC)
    ),
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_a_check_reports_exactly_the_problems_an_import_is_refused_for(demo, edit) -> None:
    data = edit(demo["202"])
    events = BudgetEvent.objects.count()

    refused = import_problems(data)

    assert refused
    assert sorted(check_problems(data)) == sorted(refused)
    assert BudgetEvent.objects.count() == events  # neither wrote anything


def test_a_1_yuan_misprint_between_302_and_its_kuan_is_an_error_at_its_cell(demo) -> None:
    data = EDITS["a 1 元 misprint in a whole-yuan table"](demo["202"])
    check = workbook_check(data)
    misprints = [v for v in check.violations if v.rule == "A01"]
    assert misprints, check.violations
    assert all(v.severity.value == "error" and "!" in v.place for v in misprints)


def test_a_file_that_imports_checks_without_an_error(demo) -> None:
    check = workbook_check(exported(demo["202"]))
    assert check.errors == 0, (check.problems, check.violations)
    assert (check.year, check.department) == (2021, "202 中共石家庄市鹿泉区委办公室")


def test_a_frozen_budget_s_file_is_still_compared_with_it(demo) -> None:
    budget = demo["202"]
    data = edited(exported(budget), set_cell(EXPENDITURE, "E9", 1.0))
    Budget.objects.filter(pk=budget.pk).update(state=BudgetState.APPROVED)

    check = workbook_check(data)

    assert not any("已批复" in str(problem) or "不能修改" in str(problem) for problem in check.problems)
    assert check.errors  # the mismatch is still found
    with pytest.raises(ImportRefused):
        budget_import_apply(data=data, year=2021)  # while the import is refused, as it must be


def test_check_budget_prints_the_problems_of_the_import_and_fails(demo, tmp_path, capsys) -> None:
    data = EDITS["one table against the others"](demo["202"])
    path = tmp_path / "budget.xlsx"
    path.write_bytes(data)
    refused = import_problems(data)

    with pytest.raises(CommandError, match="处错误"):
        call_command("check_budget", str(path))

    lines = capsys.readouterr().out.splitlines()
    for problem in refused:  # "sheet!cell：E01 message": a line "E01 错误 sheet!cell message"
        place, message = problem.split("：", 1)
        rule, _, text = message.partition(" ")
        assert any(line.startswith(f"{rule} 错误 {place} ") and line.endswith(text) for line in lines), problem


def test_the_year_comes_from_the_file_unless_given(demo) -> None:
    data = exported(demo["202"])
    assert workbook_check(data).year == 2021
    other = workbook_check(data, year=2022)
    assert any("预算年度为 2021，不是 2022" in str(problem) for problem in other.problems)


def rename_code(code: str, name: str, sheet_title: str):
    def edit(workbook):
        sheet = next(sheet for sheet in workbook.worksheets if sheet_title in str(sheet["A1"].value or ""))
        cell = next(cell for row in sheet.iter_rows() for cell in row if str(cell.value).strip() == code)
        sheet.cell(cell.row, cell.column + 1).value = name

    return edit


def test_a_code_printed_under_another_name_is_a_warning_of_the_import_and_the_check(demo) -> None:
    data = edited(exported(demo["202"]), rename_code("30201", "印刷费", BASIC))

    warnings = [v for v in workbook_check(data).violations if v.rule == "N01"]
    preview = budget_import_preview(data=data, year=2021)

    assert [(v.place, v.message) for v in warnings] == [
        (f"部门预算{BASIC}!C18", "科目 30201 印为“印刷费”，2021年度科目表中为“办公费”")
    ]
    assert preview.ok  # a warning: the import goes on, and shows it
    assert [v for v in preview.violations if v.rule == "N01"] == warnings


@pytest.mark.parametrize("code", ["202", "318"])
def test_checking_a_budget_s_workbook_finds_what_the_budget_s_own_verdict_finds(demo, code) -> None:
    stored = findings(budget_violations(demo[code]))
    check = workbook_check(exported(demo[code]))
    assert check.problems == []
    assert findings(check.violations) == stored


def test_a_file_that_cannot_be_read_is_not_said_to_be_without_problems(demo, login) -> None:
    client = login("acc202")
    pdf = SimpleUploadedFile("budget.pdf", b"%PDF-1.4 not a workbook", content_type="application/pdf")
    html = client.post(reverse("workbook_check"), {"workbook": pdf}).content.decode()
    assert "无法检查" in html
    assert "没有错误" not in html
    assert not workbook_check(b"%PDF-1.4").read


def test_an_entry_workbook_is_checked_as_read(demo, login) -> None:
    check = workbook_check(entry_workbook(budget_data(demo["202"])), year=2021)
    assert check.read
    assert check.template
    assert check.errors == 0, (check.problems, check.violations)
