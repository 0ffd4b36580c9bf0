"""The importer and 检查工作簿 tell a workbook's edition from its titles, say which, and read it in that edition."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from budgets.models import BudgetEvent
from budgets.selectors import budget_data
from catalog.models import BudgetYear
from departments.models import Department
from importing.services import ImportRefused, budget_import_apply, budget_import_preview
from official.audit import audit_workbook
from official.edition import Edition, edition
from official.render import print_table
from official.workbook import write_workbook
from tests.support.budgets import OWN, OWN_NAME, YEAR
from tests.support.editions import RENAMED, SAME_TITLES, AddEdition, hebei_as
from tests.support.revisions import XLSX, workbook_with_figure_changed

pytestmark = pytest.mark.django_db

KNOWN = (
    "hebei-2021（河北省部门预算公开表（2021 年版））、hebei-2025（河北省部门预算公开表（2025 年版））、"
    "shanghai-2026（上海市区级部门预算公开表（2026 年版））、"
    "shanghai-2026-unit（上海市区级单位预算公开表（2026 年版））"
)


def workbook_in(budget, layouts: Edition) -> bytes:
    buffer = io.BytesIO()
    write_workbook(buffer, budget_data(budget), layouts=layouts)
    return buffer.getvalue()


def workbook_titled(*titles: str) -> bytes:
    book = openpyxl.Workbook()
    book.active.title = "表1"
    for index, title in enumerate(titles):
        sheet = book.active if index == 0 else book.create_sheet(f"表{index + 1}")
        sheet["A1"] = title
        sheet["A3"] = "项目"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_workbook_in_another_edition_is_told_by_its_titles_and_read_in_it(small, renamed_edition: Edition) -> None:
    preview = budget_import_preview(data=workbook_in(small.budget, renamed_edition), year=YEAR)
    assert preview.edition is not None
    assert preview.edition.key == renamed_edition.key
    assert preview.problems == []
    assert preview.unchanged  # the same figures, printed in other titles


def test_among_editions_with_the_same_titles_the_years_own_is_taken(small, add_edition: AddEdition) -> None:
    add_edition(SAME_TITLES, hebei_as(SAME_TITLES))
    preview = budget_import_preview(data=workbook_in(small.budget, edition("hebei-2021")), year=YEAR)
    assert preview.edition is not None
    assert preview.edition.key == "hebei-2021"
    assert preview.unchanged


def test_a_workbook_that_fits_two_editions_none_the_years_asks_which(
    small, renamed_edition: Edition, add_edition: AddEdition
) -> None:
    add_edition(SAME_TITLES, hebei_as(SAME_TITLES))
    BudgetYear.objects.filter(year=YEAR).update(edition=RENAMED)
    data = workbook_in(small.budget, edition("hebei-2021"))
    preview = budget_import_preview(data=data, year=YEAR)
    assert preview.edition is None
    [problem] = preview.problems
    assert "同时符合版式 hebei-2021（河北省部门预算公开表（2021 年版））、test-same" in problem.message
    assert "请指定版式" in problem.message
    assert budget_import_preview(data=data, year=YEAR, edition=SAME_TITLES).unchanged


def test_a_workbook_of_no_known_edition_lists_its_titles_and_the_editions_and_writes_nothing(small) -> None:
    data = workbook_titled("2026年部门收支预算总表", "2026年部门“三公”经费支出预算表")
    events = BudgetEvent.objects.count()
    with pytest.raises(ImportRefused) as refused:
        budget_import_apply(data=data, year=YEAR, department_code=OWN)
    messages = [problem.message for problem in refused.value.preview.problems]
    assert messages[0] == (
        "工作簿中没有认识的公开表：各工作表的标题为 “2026年部门收支预算总表”、"
        "“2026年部门“三公”经费支出预算表”。"
        f"已知版式：{KNOWN}"
    )
    assert BudgetEvent.objects.count() == events


def test_an_edition_asked_for_that_does_not_exist_is_refused(small) -> None:
    preview = budget_import_preview(data=workbook_in(small.budget, edition()), year=YEAR, edition="guangdong-2030")
    assert [problem.message for problem in preview.problems] == [f"没有版式“guangdong-2030”。已知版式：{KNOWN}"]


def test_checking_a_workbook_says_its_edition_and_checks_it_in_that_edition(small, renamed_edition: Edition) -> None:
    audit = audit_workbook(workbook_in(small.budget, renamed_edition))
    assert audit.edition is not None
    assert audit.edition.key == renamed_edition.key
    assert audit.problems == []


def test_the_commands_say_the_edition_they_read(small, renamed_edition: Edition, tmp_path) -> None:
    path = tmp_path / "renamed.xlsx"
    path.write_bytes(workbook_in(small.budget, renamed_edition))
    out = io.StringIO()
    call_command("import_budget", str(path), "--year", str(YEAR), "--dry-run", stdout=out, stderr=io.StringIO())
    assert f"版式：{RENAMED}（{renamed_edition.name}）" in out.getvalue()
    out = io.StringIO()
    call_command("check_budget", str(path), stdout=out)
    assert out.getvalue().splitlines()[0] == f"版式：{RENAMED}（{renamed_edition.name}）"


def test_a_hebei_2025_workbook_is_told_from_2021_by_its_income_rows_and_imports(small) -> None:
    data = workbook_in(small.budget, edition("hebei-2025"))
    preview = budget_import_preview(data=data, year=YEAR)  # the year prints in hebei-2021
    assert preview.edition is not None
    assert preview.edition.key == "hebei-2025"
    assert preview.problems == []
    assert preview.unchanged


def test_a_hebei_2025_workbook_whose_summary_disagrees_is_refused_at_the_cell(small) -> None:
    data = workbook_in(small.budget, edition("hebei-2025"))
    summary = edition("hebei-2025").by_key["summary"]
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book[summary.title]
    row = next(row for row in sheet.iter_rows() if row[1].value == "五、单位资金")
    row[2].value = 123.45
    buffer = io.BytesIO()
    book.save(buffer)
    preview = budget_import_preview(data=buffer.getvalue(), year=YEAR)
    assert any(problem.place == f"{summary.title}!C{row[2].row}" for problem in preview.problems), preview.problems


YEARLY = "test-yearly"


def yearly_edition(add_edition: AddEdition) -> Edition:
    """hebei-2021 with the year before every title, and the 三公 table also known by its title without the year."""
    text = hebei_as(YEARLY, title_prefix="{year}年").replace(
        'title = "{year}年部门预算财政拨款“三公”经费支出表"',
        'title = "{year}年部门预算财政拨款“三公”经费支出表"\naliases = ["部门预算财政拨款“三公”经费支出表"]',
    )
    return add_edition(YEARLY, text)


def test_titles_that_name_the_year_are_printed_for_it_and_read_back_in_any_year(small, add_edition) -> None:
    layouts = yearly_edition(add_edition)
    printed = layouts.for_year(YEAR)
    assert printed.by_key["summary"].title == f"{YEAR}年部门预算收支总表"
    data = workbook_in(small.budget, printed)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.worksheets[0]["A1"].value == f"{YEAR}年部门预算收支总表"
    preview = budget_import_preview(data=data, year=YEAR)
    assert preview.edition is not None
    assert preview.edition.key == YEARLY
    assert preview.unchanged


def test_a_table_is_also_recognised_by_an_alias_title(small, add_edition) -> None:
    printed = yearly_edition(add_edition).for_year(YEAR)
    book = openpyxl.load_workbook(io.BytesIO(workbook_in(small.budget, printed)))
    book[printed.by_key["three-public"].title[:31]]["A1"] = "部门预算财政拨款“三公”经费支出表"
    buffer = io.BytesIO()
    book.save(buffer)
    preview = budget_import_preview(data=buffer.getvalue(), year=YEAR, edition=YEARLY)
    assert preview.problems == []
    assert preview.unchanged


NAMED = "test-named"


def named_edition(add_edition: AddEdition) -> Edition:
    """hebei-2021 whose line under each title names the department without its code, as Shanghai's does."""
    heading = '\n[heading]\ndepartment = "编制部门：{name}"\n\n[[tables]]'
    return add_edition(NAMED, hebei_as(NAMED).replace("\n[[tables]]", heading, 1))


def test_a_department_line_without_a_code_asks_for_the_department(small, add_edition) -> None:
    data = workbook_in(small.budget, named_edition(add_edition))
    assert openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]["A2"].value == f"编制部门：{OWN_NAME}"
    preview = budget_import_preview(data=data, year=YEAR)
    assert [problem.message for problem in preview.problems] == [
        f"部门行“{OWN_NAME}”没有部门编码：请指定部门（import_budget --department）"
    ]
    named = budget_import_preview(data=data, year=YEAR, department_code=OWN)
    assert (named.department_code, named.department_name) == (OWN, OWN_NAME)
    assert named.unchanged


def test_a_department_created_from_such_a_file_takes_its_name_from_the_line(small, add_edition) -> None:
    data = workbook_in(small.budget, named_edition(add_edition))
    budget_import_apply(data=data, year=YEAR, department_code="990", create_department=True)
    assert Department.objects.get(code="990").name == OWN_NAME


SPLIT = "test-split"
FUNCTION_CODE = '{ measure = "code", title = "科目编码", kind = "code", group = "功能分类科目" },'
ECONOMIC_CODE = '{ measure = "code", title = "科目编码", kind = "code", group = "支出部门经济分类科目" },'


def split_edition(add_edition: AddEdition) -> Edition:
    """hebei-2021 as Shanghai prints its classified tables: 类 | 款 | 项 in three columns, 合计 last, no 序号."""
    parts = [
        f'{{ measure = "{measure}", title = "{title}", kind = "code", width = 5, group = ["{group}", "{group}编码"] }},'
        for measure, title in (("class_code", "类"), ("section_code", "款"), ("item_code", "项"))
        for group in ("功能分类科目",)
    ]
    text = hebei_as(SPLIT).replace(FUNCTION_CODE, "\n    ".join(parts))
    economic = [part.replace("功能分类科目", "支出部门经济分类科目") for part in parts[:2]]
    text = text.replace(ECONOMIC_CODE, "\n    ".join(economic))
    for rows in ("income", "expenditure", "general-appropriation", "basic-economic"):
        text = text.replace(f'rows = "{rows}"\n', f'rows = "{rows}"\ntotal_last = true\nnumbered = false\n')
    return add_edition(SPLIT, text)


def test_codes_in_three_columns_and_the_total_last_print_and_read_back(small, add_edition) -> None:
    layouts = split_edition(add_edition)
    expenditure = layouts.by_key["expenditure"]
    rows = print_table(expenditure, budget_data(small.budget)).rows
    assert rows[-1].texts[:4] == ["", "", "", "合计"]
    item = next(row for row in rows if len(row.code) == 7)
    assert item.texts[:3] == [item.code[:3], item.code[3:5], item.code[5:]]
    preview = budget_import_preview(data=workbook_in(small.budget, layouts), year=YEAR, edition=SPLIT)
    assert preview.problems == []
    assert preview.unchanged


def test_a_part_typed_as_a_number_and_a_merged_total_label_are_read_as_meant(small, add_edition) -> None:
    layouts = split_edition(add_edition)
    title = layouts.by_key["expenditure"].title
    book = openpyxl.load_workbook(io.BytesIO(workbook_in(small.budget, layouts)))
    sheet = book[title]
    for row in sheet.iter_rows():
        if isinstance(row[1].value, str) and row[1].value.isdigit():
            row[1].value = int(row[1].value)  # 款 "06" as Excel keeps a typed 06: the number 6
        if row[3].value == "合计":
            row[0].value, row[3].value = "合计", None
            sheet.merge_cells(start_row=row[0].row, start_column=1, end_row=row[0].row, end_column=4)
    buffer = io.BytesIO()
    book.save(buffer)
    preview = budget_import_preview(data=buffer.getvalue(), year=YEAR, edition=SPLIT)
    assert preview.problems == []
    assert preview.unchanged


def upload(client, data: bytes, **fields: str):
    workbook = SimpleUploadedFile("budget.xlsx", data, content_type=XLSX)
    return client.post(reverse("budget_import", args=(YEAR, OWN)), {"workbook": workbook, **fields})


def test_the_import_page_reads_the_edition_chosen_and_keeps_it_for_the_confirmation(small, login) -> None:
    client = login("accountant")
    assert 'name="edition"' in client.get(reverse("budget_detail", args=(YEAR, OWN))).content.decode()
    response = upload(client, workbook_with_figure_changed(small.budget, Decimal("100.00")), edition="hebei-2021")
    assert "按版式“河北省部门预算公开表（2021 年版）”（hebei-2021）读取" in response.content.decode()
    [pending] = client.session["pending_imports"].values()
    assert pending["edition"] == "hebei-2021"


def test_a_workbook_read_in_the_wrong_edition_chosen_is_refused(small, login) -> None:
    response = upload(login("accountant"), workbook_in(small.budget, edition()), edition="hebei-2025")
    assert "未导入，数据未改变" in response.content.decode()
    assert "pending_imports" not in login("accountant").session


def test_an_unknown_edition_chosen_is_refused_in_chinese_and_nothing_is_kept(small, login) -> None:
    client = login("accountant")
    response = upload(client, workbook_in(small.budget, edition()), edition="guangdong-2030")
    assert response.status_code == 302
    assert "没有这种公开表版式" in client.get(response["Location"]).content.decode()
    assert "pending_imports" not in client.session


def test_checking_a_workbook_on_the_page_reads_the_edition_chosen(small, login) -> None:
    workbook = SimpleUploadedFile("budget.xlsx", workbook_in(small.budget, edition()), content_type=XLSX)
    response = login("accountant").post(reverse("workbook_check"), {"workbook": workbook, "edition": "hebei-2021"})
    assert "按版式“河北省部门预算公开表（2021 年版）”（hebei-2021）读取" in response.content.decode()
