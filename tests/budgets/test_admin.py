"""Budget figures as a flat list in the admin: export (CSV/XLSX, by the changelist's filters) and import that
replaces each named budget's figures through the ledger's write path, all or nothing."""

import csv
import io
import tempfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import Role, User
from budgets.models import Budget, BudgetLine, Project
from budgets.resources import HEADERS, parse_amount
from departments.models import Department, Unit
from tests.support.factories import AccountantFactory, BudgetFactory, UserFactory

IMPORT_URL = reverse("admin:budgets_budgetline_import")
PROCESS_URL = reverse("admin:budgets_budgetline_process_import")
EXPORT_URL = reverse("admin:budgets_budgetline_export")
CHANGELIST_URL = reverse("admin:budgets_budgetline_changelist")

CSV_FORMAT, XLSX_FORMAT = "0", "1"
OFFICE = "中共石家庄市鹿泉区委办公室本级"
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


@pytest.fixture(autouse=True)
def upload_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """import-export keeps an upload in the temp folder between preview and confirmation: use the test's own."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def admin_client(demo, client: Client) -> Client:
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


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def upload(client: Client, content: bytes, *, file_format: str = CSV_FORMAT, name: str = "figures.csv"):
    return client.post(
        IMPORT_URL, {"resource": "0", "format": file_format, "import_file": SimpleUploadedFile(name, content)}
    )


def confirm(client: Client, preview):
    form = preview.context["confirm_form"]
    return client.post(PROCESS_URL, {name: form[name].value() for name in form.fields})


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


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


def test_export_lists_the_filtered_budget_as_flat_rows(admin_client: Client, demo) -> None:
    response = export(admin_client, code="202")
    assert response["Content-Disposition"] == 'attachment; filename="budget_figures_2021_202.csv"'
    rows = csv_rows(response.content)
    assert rows[0] == list(HEADERS)
    assert len(rows) - 1 == demo["202"].lines.count()
    assert {row[0] for row in rows[1:]} == {"202"}
    assert ["202", "2021", OFFICE, "2013101", "30101", "基本支出", "一般公共预算拨款", "否", "", "1088300.00"] in rows
    project_row = rows[row_where(rows, 项目="电子政务内网二期建设")]
    assert project_row[5:] == ["项目支出", "一般公共预算拨款", "否", "电子政务内网二期建设", "500000.00"]


def test_export_without_filter_lists_every_budget(admin_client: Client) -> None:
    response = export(admin_client)
    assert response["Content-Disposition"] == 'attachment; filename="budget_figures.csv"'
    rows = csv_rows(response.content)
    assert len(rows) - 1 == BudgetLine.objects.count()
    assert {row[0] for row in rows[1:]} == {"202", "318"}
    assert any(row[7] == "是" for row in rows[1:])  # 318 spends money carried over


def test_export_as_xlsx_has_amounts_as_numbers(admin_client: Client) -> None:
    response = export(admin_client, code="202", file_format=XLSX_FORMAT)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == list(HEADERS)
    assert ["202", 2021, OFFICE, "2013101", "30101", "基本支出", "一般公共预算拨款", "否", None, 1088300] in rows
    assert sheet["J2"].number_format == "0.00"


# --- import: round trips and edits


def test_reimporting_an_export_changes_nothing(admin_client: Client, demo) -> None:
    before = lines_of()
    pks = set(BudgetLine.objects.values_list("pk", flat=True))
    preview = upload(admin_client, export(admin_client, code="202").content)
    result = preview.context["result"]
    count = demo["202"].lines.count()
    assert result.totals["skip"] == count
    assert result.totals["new"] == result.totals["update"] == result.totals["delete"] == 0
    assert f"预览：2021年度 202 中共石家庄市鹿泉区委办公室：{count} 条明细与现有完全相同，不作改动。" in (
        messages_of(preview)
    )

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


def test_an_edited_amount_replaces_exactly_that_figure(admin_client: Client, demo) -> None:
    before_318 = lines_of("318")
    before = {line[:-1]: line[-1] for line in lines_of("202")}
    rows = csv_rows(export(admin_client, code="202").content)
    index = row_where(rows, 经济分类科目="30101", 功能分类科目="2013101")
    rows[index][-1] = "1,100,000.50"
    preview = upload(admin_client, csv_bytes(rows))
    result = preview.context["result"]
    assert (result.totals["update"], result.totals["new"], result.totals["delete"]) == (1, 0, 0)
    assert "1088300.00 → 1100000.50" in preview.content.decode()
    assert BudgetLine.objects.get(budget=demo["202"], function__code="2013101", economic__code="30101").amount == (
        Decimal("1088300.00")
    )

    response = confirm(admin_client, preview)
    assert response.status_code == 302
    after = {line[:-1]: line[-1] for line in lines_of("202")}
    assert after.keys() == before.keys()
    changed = {key: (before[key], after[key]) for key in before if before[key] != after[key]}
    assert list(changed.values()) == [(Decimal("1088300.00"), Decimal("1100000.50"))]
    assert next(iter(changed))[3:5] == ("2013101", "30101")
    assert lines_of("318") == before_318
    entry = LogEntry.objects.get()
    assert (entry.action_flag, entry.object_id) == (CHANGE, str(demo["202"].pk))
    assert "金额变更 1 条" in entry.change_message
    assert any("已导入：2021年度 202 中共石家庄市鹿泉区委办公室" in message for message in messages_of(response))
    # The budget's own trail says who changed which figure from what to what.
    event = demo["202"].events.filter(action="figures").last()
    assert event.actor.username == "admin"
    [(place, old, new)] = event.changes
    assert ("2013101" in place, old, new) == (True, "1088300.00", "1100000.50")


def test_a_file_with_two_budgets_replaces_both_and_drops_missing_lines(admin_client: Client, demo) -> None:
    rows = csv_rows(export(admin_client).content)
    dropped = row_where(rows, 部门编码="202", 功能分类科目="2013101", 经济分类科目="30103")
    edited = row_where(rows, 部门编码="318", 项目="文化惠民演出", 资金来源="事业收入")
    rows[edited][-1] = "1.00"
    rows.pop(dropped)
    preview = upload(admin_client, csv_bytes(rows))
    result = preview.context["result"]
    assert (result.totals["update"], result.totals["delete"]) == (1, 1)
    texts = messages_of(preview)
    assert any("2021年度 202" in text and "删除 1 条" in text for text in texts)
    assert any("2021年度 318" in text and "金额变更 1 条" in text for text in texts)

    count_202 = demo["202"].lines.count()
    confirm(admin_client, preview)
    assert demo["202"].lines.count() == count_202 - 1
    assert not demo["202"].lines.filter(function__code="2013101", economic__code="30103").exists()
    assert demo["318"].lines.get(project__name="文化惠民演出", source="business").amount == Decimal("1.00")
    assert LogEntry.objects.count() == 2


def test_a_new_project_is_registered_for_the_named_unit(admin_client: Client, demo) -> None:
    rows = csv_rows(export(admin_client, code="202").content)
    rows.append(
        ["202", "2021", "中共石家庄市鹿泉区委信息中心", "2013101", "30213", "project", "一般公共预算拨款", "否",
         "机房改造", "88000"]
    )  # fmt: skip
    confirm(admin_client, upload(admin_client, csv_bytes(rows)))
    project = Project.objects.get(budget=demo["202"], name="机房改造")
    assert project.unit.name == "中共石家庄市鹿泉区委信息中心"
    line = project.lines.get()
    assert (line.kind, line.amount, line.unit_id) == ("project", Decimal("88000.00"), project.unit_id)


def test_projects_not_in_the_file_are_kept(admin_client: Client, demo) -> None:
    """A project of 318 that a 政府采购 item refers to survives when the file has no figures for it."""
    budget = demo["318"]
    projects = set(budget.projects.values_list("name", flat=True))
    assert budget.procurement_items.filter(project__name="图书馆图书购置").exists()
    rows = csv_rows(export(admin_client, code="318").content)
    rows = [row for row in rows if row[8] != "图书馆图书购置"]
    preview = upload(admin_client, csv_bytes(rows))
    assert preview.context["result"].totals["delete"] == 2
    confirm(admin_client, preview)
    assert set(budget.projects.values_list("name", flat=True)) == projects
    assert not budget.lines.filter(project__name="图书馆图书购置").exists()


# --- import: refused files


def test_a_bad_file_shows_each_error_with_its_line_and_writes_nothing(admin_client: Client) -> None:
    before = lines_of()
    rows = csv_rows(export(admin_client).content)
    unknown_function = row_where(rows, 部门编码="202", 功能分类科目="2013101", 经济分类科目="30101")
    negative = row_where(rows, 部门编码="202", 功能分类科目="2013101", 经济分类科目="30102")
    unknown_unit = row_where(rows, 部门编码="202", 功能分类科目="2013101", 经济分类科目="30103")
    changed_318 = row_where(rows, 部门编码="318", 项目="文化惠民演出", 资金来源="事业收入")
    rows[unknown_function][3] = "2999999"
    rows[negative][-1] = "-5.00"
    rows[unknown_unit][2] = "不存在的单位"
    rows[changed_318][-1] = "1.00"  # valid, but not written either
    response = upload(admin_client, csv_bytes(rows))
    assert response.status_code == 200
    assert "confirm_form" not in response.context

    result = response.context["result"]
    invalid = {row.number: row.error_dict for row in result.invalid_rows}
    line = {name: index + 1 for name, index in [("function", unknown_function), ("amount", negative),
                                                  ("unit", unknown_unit)]}  # fmt: skip
    assert invalid == {
        line["function"]: {"功能分类科目": ["2021年度科目表中没有功能分类项级科目2999999。"]},
        line["amount"]: {"金额（元）": ["金额不能为负数。"]},
        line["unit"]: {"单位": ["单位“不存在的单位”不属于本部门。"]},
    }
    html = response.content.decode()
    assert "预算明细未导入，没有写入任何数据。" in html
    assert f"第{line['function']}行 功能分类科目：2021年度科目表中没有功能分类项级科目2999999。" in html
    assert f"第{line['amount']}行 金额（元）：金额不能为负数。" in html
    assert f"第{line['unit']}行 单位：单位“不存在的单位”不属于本部门。" in html
    assert lines_of() == before


def test_unreadable_cells_and_unknown_budgets_are_row_errors(admin_client: Client) -> None:
    before = lines_of()
    header = list(HEADERS)
    good = ["202", "2021", OFFICE, "2013101", "30101", "基本支出", "一般公共预算拨款", "否", "", "10.00"]
    content = csv_bytes(
        [
            header,
            good,
            ["999", *good[1:]],
            ["202", "2020", *good[2:]],
            [*good[:5], "捐赠支出", "general", "也许", "", "十元"],
            [*good[:4], "30102", *good[5:-1], "0.001"],
            good,
        ]
    )
    response = upload(admin_client, content)
    errors = [str(error) for error in response.context["result"].figure_errors]
    assert errors == [
        "第3行 部门编码：2021年度部门999的部门预算不存在，请先在“部门预算”中添加。",
        "第4行 部门编码：2020年度部门202的部门预算不存在，请先在“部门预算”中添加。",
        "第5行 支出类型：支出类型“捐赠支出”无效，"
        "应为基本支出、项目支出、经营支出、上缴上级支出、对附属单位补助支出之一。",
        "第5行 上年结转：上年结转应填“是”或“否”：也许",
        "第5行 金额（元）：金额必须是数字：十元",
        "第6行 金额（元）：金额最多保留两位小数（元）。",
        "第7行：与第2行是同一格（单位或项目、科目、类型、来源都相同），请合并。",
    ]
    assert lines_of() == before


def test_a_budget_year_that_exists_for_another_department_only_is_not_created(admin_client: Client) -> None:
    BudgetFactory(department=Department.objects.get(code="318"), year__year=2022)
    content = csv_bytes(
        [list(HEADERS), ["202", "2022", OFFICE, "2013101", "30101", "基本支出", "一般公共预算拨款", "否", "", "1"]]
    )
    response = upload(admin_client, content)
    assert "confirm_form" not in response.context
    assert not Budget.objects.filter(department__code="202", year=2022).exists()


def test_a_file_without_the_header_is_refused_on_line_one(admin_client: Client) -> None:
    response = upload(admin_client, b"department,year\n202,2021\n")
    assert "confirm_form" not in response.context
    assert "第1行：表头缺少列 部门编码、年度、单位" in response.content.decode()


def test_a_file_that_became_invalid_after_its_preview_writes_nothing(admin_client: Client, demo) -> None:
    """At confirmation 202 fails its checks: 318, valid and changed, is not written either."""
    before = lines_of()
    rows = csv_rows(export(admin_client).content)
    rows[row_where(rows, 部门编码="202", 功能分类科目="2013101", 经济分类科目="30101")][-1] = "1.00"
    rows[row_where(rows, 部门编码="318", 项目="文化惠民演出", 资金来源="事业收入")][-1] = "2.00"
    preview = upload(admin_client, csv_bytes(rows))
    assert "confirm_form" in preview.context
    Unit.objects.filter(department__code="202", name=OFFICE).update(name="改名后的本级")

    response = confirm(admin_client, preview)
    assert response.status_code == 302
    assert response["Location"] == IMPORT_URL
    assert any("单位“中共石家庄市鹿泉区委办公室本级”不属于本部门" in message for message in messages_of(response))
    after = [tuple(OFFICE if value == "改名后的本级" else value for value in line) for line in lines_of()]
    assert sorted(after, key=str) == before
    assert not LogEntry.objects.exists()


def test_xlsx_amounts_with_more_than_cents_are_refused(admin_client: Client) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(HEADERS))
    sheet.append([202, 2021, OFFICE, 2013101, 30101, "基本支出", "一般公共预算拨款", "否", None, 12.345])
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
def test_non_administrators_are_sent_to_the_admin_login(demo, client: Client, make_user, url: str) -> None:
    client.force_login(make_user())
    for response in (client.get(url), client.post(url, {"resource": "0", "format": CSV_FORMAT})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_a_non_administrator_upload_writes_nothing(demo, client: Client) -> None:
    before = lines_of()
    client.force_login(User.objects.get(username="reviewer"))
    rows = [list(HEADERS), ["202", "2021", OFFICE, "2013101", "30101", "基本支出", "一般公共预算拨款", "否", "", "1"]]
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
