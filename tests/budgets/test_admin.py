"""Budget figures as a flat list in the admin: export (CSV/XLSX, by the changelist's filters) and import that
replaces each named budget's figures through the ledger's write path, all or nothing."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.test import Client
from django.urls import reverse

from accounts.models import Role, User
from budgets.models import Budget, BudgetLine, Project
from budgets.resources import HEADERS, parse_amount
from departments.models import Department, Unit
from domain.ledger import AMOUNT_NEGATIVE, FUNCTION_NOT_IN_CATALOGUE, UNIT_NOT_OF_DEPARTMENT
from tests.support.admin_io import (
    CSV_FORMAT,
    XLSX_FORMAT,
    confirm_import,
    csv_bytes,
    csv_rows,
    import_upload,
    messages_of,
)
from tests.support.budgets import CENTRE, EQUIPMENT, OFFICE, OTHER, OWN, OWN_LINES, OWN_NAME
from tests.support.factories import AccountantFactory, BudgetFactory, UserFactory

IMPORT_URL = reverse("admin:budgets_budgetline_import")
PROCESS_URL = reverse("admin:budgets_budgetline_process_import")
EXPORT_URL = reverse("admin:budgets_budgetline_export")
CHANGELIST_URL = reverse("admin:budgets_budgetline_changelist")

pytestmark = pytest.mark.usefixtures("upload_folder")
# The own budget's basic salary line of its first unit, and its one line of the project EQUIPMENT.
[SALARY] = [line for line in OWN_LINES if (line.unit, line.function, line.economic) == (OFFICE, "2013101", "30101")]
[EQUIPMENT_LINE] = [line for line in OWN_LINES if line.project == EQUIPMENT]
SALARY_ROW = [OWN, "2021", OFFICE, "2013101", "30101", "基本支出", "一般公共预算拨款", "否", "", f"{SALARY.amount:.2f}"]
LINE_FIELDS = (
    "budget__department__code",
    "budget__year",
    "unit__name",
    "function__code",
    "economic__code",
    "kind",
    "source",
    "carried_over",
    "project__name",
    "project__unit__name",
    "amount",
)


@pytest.fixture
def admin_client(small, client: Client) -> Client:
    client.force_login(User.objects.get(username="admin"))
    return client


def lines_of(code: str | None = None) -> list[tuple]:
    lines = BudgetLine.objects.all()
    if code is not None:
        lines = lines.filter(budget__department__code=code)
    return sorted(lines.values_list(*LINE_FIELDS), key=str)


def export(client: Client, *, code: str | None = None, file_format: str = CSV_FORMAT):
    query = ""
    if code is not None:
        query = f"?budget__year__year__exact=2021&budget__department__id__exact={Department.objects.get(code=code).pk}"
    response = client.post(EXPORT_URL + query, {"resource": "0", "format": file_format})
    assert response.status_code == 200
    return response


def upload(client: Client, content: bytes, *, file_format: str = CSV_FORMAT, name: str = "figures.csv"):
    return import_upload(client, IMPORT_URL, content, file_format=file_format, name=name)


def confirm(client: Client, preview):
    return confirm_import(client, PROCESS_URL, preview)


def row_where(rows: list[list[str]], **match: str) -> int:
    """The index of the only row whose columns (by header) have these values."""
    header = rows[0]
    found = [
        index
        for index, row in enumerate(rows)
        if index and all(row[header.index(column)] == value for column, value in match.items())
    ]
    assert len(found) == 1, found
    return found[0]


# --- export


def test_export_lists_the_filtered_budget_as_flat_rows(admin_client: Client, small) -> None:
    response = export(admin_client, code=OWN)
    assert response["Content-Disposition"] == f'attachment; filename="budget_figures_2021_{OWN}.csv"'
    rows = csv_rows(response.content)
    assert rows[0] == list(HEADERS)
    assert len(rows) - 1 == small.budget.lines.count() == len(OWN_LINES)
    assert {row[0] for row in rows[1:]} == {OWN}
    assert SALARY_ROW in rows
    project_row = rows[row_where(rows, 项目=EQUIPMENT)]
    assert project_row[5:] == ["项目支出", "一般公共预算拨款", "否", EQUIPMENT, f"{EQUIPMENT_LINE.amount:.2f}"]


def test_export_without_filter_lists_every_budget(admin_client: Client) -> None:
    response = export(admin_client)
    assert response["Content-Disposition"] == 'attachment; filename="budget_figures.csv"'
    rows = csv_rows(response.content)
    assert len(rows) - 1 == BudgetLine.objects.count()
    assert {row[0] for row in rows[1:]} == {OWN, OTHER}
    assert any(row[7] == "是" for row in rows[1:])  # the own budget spends money carried over


def test_export_as_xlsx_has_amounts_as_numbers(admin_client: Client) -> None:
    response = export(admin_client, code=OWN, file_format=XLSX_FORMAT)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == list(HEADERS)
    assert [OWN, 2021, *SALARY_ROW[2:8], None, int(SALARY.amount)] in rows
    assert sheet["J2"].number_format == "0.00"


# --- import: round trips and edits


def test_reimporting_an_export_changes_nothing(admin_client: Client, small) -> None:
    before = lines_of()
    pks = set(BudgetLine.objects.values_list("pk", flat=True))
    preview = upload(admin_client, export(admin_client, code=OWN).content)
    result = preview.context["result"]
    count = small.budget.lines.count()
    assert result.totals["skip"] == count
    assert result.totals["new"] == result.totals["update"] == result.totals["delete"] == 0
    assert f"预览：2021年度 {OWN} {OWN_NAME}：{count} 条明细与现有完全相同，不作改动。" in (messages_of(preview))

    response = confirm(admin_client, preview)
    assert response.status_code == 302
    assert response["Location"] == CHANGELIST_URL
    assert lines_of() == before
    assert set(BudgetLine.objects.values_list("pk", flat=True)) == pks
    assert not LogEntry.objects.exists()


def test_reimporting_an_xlsx_export_of_every_budget_changes_nothing(admin_client: Client) -> None:
    before = lines_of()
    content = export(admin_client, file_format=XLSX_FORMAT).content
    preview = upload(admin_client, content, file_format=XLSX_FORMAT, name="figures.xlsx")
    assert preview.context["result"].totals["skip"] == BudgetLine.objects.count()
    confirm(admin_client, preview)
    assert lines_of() == before


def test_an_edited_amount_replaces_exactly_that_figure(admin_client: Client, small) -> None:
    before_other = lines_of(OTHER)
    before = {line[:-1]: line[-1] for line in lines_of(OWN)}
    old = f"{SALARY.amount:.2f}"
    rows = csv_rows(export(admin_client, code=OWN).content)
    index = row_where(rows, 单位=OFFICE, 经济分类科目="30101", 功能分类科目="2013101")
    rows[index][-1] = "1,100,000.50"
    preview = upload(admin_client, csv_bytes(rows))
    result = preview.context["result"]
    assert (result.totals["update"], result.totals["new"], result.totals["delete"]) == (1, 0, 0)
    assert f"{old} → 1100000.50" in preview.content.decode()
    salary = BudgetLine.objects.get(
        budget=small.budget, unit__name=OFFICE, function__code="2013101", economic__code="30101"
    )
    assert salary.amount == SALARY.amount

    response = confirm(admin_client, preview)
    assert response.status_code == 302
    after = {line[:-1]: line[-1] for line in lines_of(OWN)}
    assert after.keys() == before.keys()
    changed = {key: (before[key], after[key]) for key in before if before[key] != after[key]}
    assert list(changed.values()) == [(SALARY.amount, Decimal("1100000.50"))]
    assert next(iter(changed))[2:5] == (OFFICE, "2013101", "30101")
    assert lines_of(OTHER) == before_other
    entry = LogEntry.objects.get()
    assert (entry.action_flag, entry.object_id) == (CHANGE, str(small.budget.pk))
    assert "金额变更 1 条" in entry.change_message
    assert any(f"已导入：2021年度 {OWN} {OWN_NAME}" in message for message in messages_of(response))
    # The budget's own trail says who changed which figure from what to what.
    event = small.budget.events.filter(action="figures").last()
    assert event.actor.username == "admin"
    [(place, old_text, new_text)] = event.changes
    assert ("2013101" in place, old_text, new_text) == (True, old, "1100000.50")


def test_a_file_with_two_budgets_replaces_both_and_drops_missing_lines(admin_client: Client, small) -> None:
    rows = csv_rows(export(admin_client).content)
    dropped = row_where(rows, 部门编码=OWN, 功能分类科目="2080505", 经济分类科目="30108")
    edited = row_where(rows, 部门编码=OTHER, 功能分类科目="2013101", 经济分类科目="30201")
    rows[edited][-1] = "1.00"
    rows.pop(dropped)
    preview = upload(admin_client, csv_bytes(rows))
    result = preview.context["result"]
    assert (result.totals["update"], result.totals["delete"]) == (1, 1)
    texts = messages_of(preview)
    assert any(f"2021年度 {OWN}" in text and "删除 1 条" in text for text in texts)
    assert any(f"2021年度 {OTHER}" in text and "金额变更 1 条" in text for text in texts)

    count_own = small.budget.lines.count()
    confirm(admin_client, preview)
    assert small.budget.lines.count() == count_own - 1
    assert not small.budget.lines.filter(function__code="2080505", economic__code="30108").exists()
    assert small.other.lines.get(function__code="2013101", economic__code="30201").amount == Decimal("1.00")
    assert LogEntry.objects.count() == 2


def test_a_new_project_is_registered_for_the_named_unit(admin_client: Client, small) -> None:
    rows = csv_rows(export(admin_client, code=OWN).content)
    rows.append([OWN, "2021", CENTRE, "2013102", "31002", "project", "一般公共预算拨款", "否", "机房改造", "88000"])
    confirm(admin_client, upload(admin_client, csv_bytes(rows)))
    project = Project.objects.get(budget=small.budget, name="机房改造")
    assert project.unit.name == CENTRE
    line = project.lines.get()
    assert (line.kind, line.amount, line.unit_id) == ("project", Decimal("88000.00"), project.unit_id)


def test_projects_not_in_the_file_are_kept(admin_client: Client, small) -> None:
    """A project that a 政府采购 item refers to survives when the file has no figures for it."""
    budget = small.budget
    projects = set(budget.projects.values_list("name", flat=True))
    assert budget.procurement_items.filter(project__name=EQUIPMENT).exists()
    rows = csv_rows(export(admin_client, code=OWN).content)
    rows = [row for row in rows if row[8] != EQUIPMENT]
    preview = upload(admin_client, csv_bytes(rows))
    assert preview.context["result"].totals["delete"] == sum(line.project == EQUIPMENT for line in OWN_LINES)
    confirm(admin_client, preview)
    assert set(budget.projects.values_list("name", flat=True)) == projects
    assert not budget.lines.filter(project__name=EQUIPMENT).exists()


# --- import: refused files


def test_a_bad_file_shows_each_error_with_its_line_and_writes_nothing(admin_client: Client) -> None:
    before = lines_of()
    rows = csv_rows(export(admin_client).content)
    unknown_function = row_where(rows, 部门编码=OWN, 单位=OFFICE, 功能分类科目="2013101", 经济分类科目="30101")
    negative = row_where(rows, 部门编码=OWN, 单位=OFFICE, 功能分类科目="2013101", 经济分类科目="30102")
    unknown_unit = row_where(rows, 部门编码=OWN, 单位=OFFICE, 功能分类科目="2013101", 经济分类科目="30201")
    changed_other = row_where(rows, 部门编码=OTHER, 功能分类科目="2013101", 经济分类科目="30201")
    rows[unknown_function][3] = "2999999"
    rows[negative][-1] = "-5.00"
    rows[unknown_unit][2] = "不存在的单位"
    rows[changed_other][-1] = "1.00"  # valid, but not written either
    response = upload(admin_client, csv_bytes(rows))
    assert response.status_code == 200
    assert "confirm_form" not in response.context

    result = response.context["result"]
    invalid = {row.number: row.error_dict for row in result.invalid_rows}
    line = {name: index + 1 for name, index in [("function", unknown_function), ("amount", negative),
                                                  ("unit", unknown_unit)]}  # fmt: skip
    assert invalid == {
        line["function"]: {"功能分类科目": [FUNCTION_NOT_IN_CATALOGUE.format(year=2021, code="2999999")]},
        line["amount"]: {"金额（元）": [AMOUNT_NEGATIVE]},
        line["unit"]: {"单位": [UNIT_NOT_OF_DEPARTMENT.format(unit="不存在的单位")]},
    }
    html = response.content.decode()
    assert "预算明细未导入，没有写入任何数据。" in html
    missing_function = FUNCTION_NOT_IN_CATALOGUE.format(year=2021, code="2999999")
    assert f"第{line['function']}行 功能分类科目：{missing_function}" in html
    assert f"第{line['amount']}行 金额（元）：{AMOUNT_NEGATIVE}" in html
    assert f"第{line['unit']}行 单位：{UNIT_NOT_OF_DEPARTMENT.format(unit='不存在的单位')}" in html
    assert lines_of() == before


def test_unreadable_cells_and_unknown_budgets_are_row_errors(admin_client: Client) -> None:
    before = lines_of()
    header = list(HEADERS)
    good = [*SALARY_ROW[:-1], "10.00"]
    content = csv_bytes(
        [
            header,
            good,
            ["999", *good[1:]],
            [OWN, "2020", *good[2:]],
            [*good[:5], "捐赠支出", "general", "也许", "", "十元"],
            [*good[:4], "30102", *good[5:-1], "0.001"],
            good,
        ]
    )
    response = upload(admin_client, content)
    errors = [str(error) for error in response.context["result"].figure_errors]
    assert errors == [
        "第3行 部门编码：2021年度部门999的部门预算不存在，请先在“部门预算”中添加。",
        f"第4行 部门编码：2020年度部门{OWN}的部门预算不存在，请先在“部门预算”中添加。",
        "第5行 支出类型：支出类型“捐赠支出”无效，"
        "应为基本支出、项目支出、经营支出、上解上级支出、对附属单位补助支出之一。",
        "第5行 上年结转：上年结转应填“是”或“否”：也许",
        "第5行 金额（元）：金额必须是数字：十元",
        "第6行 金额（元）：金额最多保留两位小数（元）。",
        "第7行：与第2行是同一格（单位或项目、科目、类型、来源都相同），请合并。",
    ]
    assert lines_of() == before


def test_a_budget_year_that_exists_for_another_department_only_is_not_created(admin_client: Client) -> None:
    BudgetFactory(department=Department.objects.get(code=OTHER), year__year=2022)
    content = csv_bytes([list(HEADERS), [OWN, "2022", *SALARY_ROW[2:-1], "1"]])
    response = upload(admin_client, content)
    assert "confirm_form" not in response.context
    assert not Budget.objects.filter(department__code=OWN, year=2022).exists()


def test_a_file_without_the_header_is_refused_on_line_one(admin_client: Client) -> None:
    response = upload(admin_client, b"department,year\n202,2021\n")
    assert "confirm_form" not in response.context
    assert "第1行：表头缺少列 部门编码、年度、单位" in response.content.decode()


def test_a_file_that_became_invalid_after_its_preview_writes_nothing(admin_client: Client, small) -> None:
    """At confirmation the own budget fails its checks: the other, valid and changed, is not written either."""
    before = lines_of()
    rows = csv_rows(export(admin_client).content)
    rows[row_where(rows, 部门编码=OWN, 单位=OFFICE, 功能分类科目="2013101", 经济分类科目="30101")][-1] = "1.00"
    rows[row_where(rows, 部门编码=OTHER, 功能分类科目="2013101", 经济分类科目="30201")][-1] = "2.00"
    preview = upload(admin_client, csv_bytes(rows))
    assert "confirm_form" in preview.context
    Unit.objects.filter(department__code=OWN, name=OFFICE).update(name="改名后的本级")

    response = confirm(admin_client, preview)
    assert response.status_code == 302
    assert response["Location"] == IMPORT_URL
    assert any(f"单位“{OFFICE}”不属于本部门" in message for message in messages_of(response))
    after = [tuple(OFFICE if value == "改名后的本级" else value for value in line) for line in lines_of()]
    assert sorted(after, key=str) == before
    assert not LogEntry.objects.exists()


def test_xlsx_amounts_with_more_than_cents_are_refused(admin_client: Client) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(HEADERS))
    sheet.append([int(OWN), 2021, OFFICE, 2013101, 30101, "基本支出", "一般公共预算拨款", "否", None, 12.345])
    stream = io.BytesIO()
    book.save(stream)
    response = upload(admin_client, stream.getvalue(), file_format=XLSX_FORMAT, name="figures.xlsx")
    errors = [str(error) for error in response.context["result"].figure_errors]
    assert errors == ["第2行 金额（元）：金额 12.345 不是精确到分的数值，请在表格中保留两位小数。"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1,234.50", Decimal("1234.50")),
        (" 1234.5 ", Decimal("1234.50")),
        (1234.5, Decimal("1234.50")),
        (88000, Decimal("88000.00")),
        (Decimal("7.1"), Decimal("7.10")),
        (12345678901234.99, Decimal("12345678901234.99")),
    ],
)
def test_amounts_are_read_as_exact_decimals(value, expected: Decimal) -> None:
    amount, error = parse_amount(value)
    assert error is None
    assert amount == expected
    assert amount.as_tuple().exponent == -2


@pytest.mark.parametrize("value", ["", None, "abc", True, 0.1 + 0.2, 1.005])
def test_amounts_that_are_not_exact_are_refused(value) -> None:
    amount, error = parse_amount(value)
    assert amount is None
    assert error


# --- who may use it


@pytest.mark.parametrize(
    "make_user",
    [
        lambda: AccountantFactory(),
        lambda: UserFactory(role=Role.REVIEWER, is_staff=True),
        lambda: AccountantFactory(is_staff=True, is_superuser=True),
    ],
    ids=["accountant", "staff-reviewer", "superuser-accountant"],
)
@pytest.mark.parametrize("url", [IMPORT_URL, PROCESS_URL, EXPORT_URL], ids=["import", "process", "export"])
def test_non_administrators_are_sent_to_the_admin_login(small, client: Client, make_user, url: str) -> None:
    client.force_login(make_user())
    for response in (client.get(url), client.post(url, {"resource": "0", "format": CSV_FORMAT})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_a_non_administrator_upload_writes_nothing(small, client: Client) -> None:
    before = lines_of()
    client.force_login(User.objects.get(username="reviewer"))
    rows = [list(HEADERS), [*SALARY_ROW[:-1], "1"]]
    response = upload(client, csv_bytes(rows))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert lines_of() == before


def test_the_changelist_offers_import_and_export(admin_client: Client) -> None:
    html = admin_client.get(CHANGELIST_URL).content.decode()
    assert f"href='{IMPORT_URL}'" in html
    assert EXPORT_URL in html


def test_the_import_and_export_pages_describe_the_file(admin_client: Client) -> None:
    page = admin_client.get(IMPORT_URL).content.decode()
    assert "文件中出现的每个部门预算，其全部明细将被替换为文件中的行" in page
    assert "部门编码, 年度, 单位, 功能分类科目" in page
    export_page = admin_client.get(EXPORT_URL + "?budget__year__year__exact=2021")
    assert export_page.status_code == 200
    assert export_page.context["form"].fields["format"].choices[1:] == [("0", "csv"), ("1", "xlsx")]
