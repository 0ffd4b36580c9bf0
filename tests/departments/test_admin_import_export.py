"""Departments and units in the admin: flat CSV/XLSX import (preview, confirm, all or nothing) and export."""

import csv
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role, User
from departments.models import Department, Unit
from tests.support.admin_io import CSV_FORMAT, XLSX_FORMAT, confirm_import, import_upload, messages_of
from tests.support.budgets import (
    CENTRE,
    OFFICE,
    OTHER,
    OTHER_NAME,
    OTHER_UNITS,
    OWN,
    OWN_NAME,
    OWN_UNITS,
    UNIT_FUNDING,
    UNIT_RANK,
)
from tests.support.factories import AccountantFactory, UserFactory

DEPARTMENT_IMPORT = reverse("admin:departments_department_import")
DEPARTMENT_PROCESS = reverse("admin:departments_department_process_import")
DEPARTMENT_EXPORT = reverse("admin:departments_department_export")
UNIT_IMPORT = reverse("admin:departments_unit_import")
UNIT_PROCESS = reverse("admin:departments_unit_process_import")
UNIT_EXPORT = reverse("admin:departments_unit_export")

pytestmark = pytest.mark.usefixtures("upload_folder")
UNIT_HEADER = "部门编码,单位名称,单位性质,单位规格,经费保障形式,排序\n"
ALL_UNITS = len(OWN_UNITS) + len(OTHER_UNITS)


@pytest.fixture
def admin_client(small, client: Client) -> Client:
    client.force_login(User.objects.get(username="admin"))
    return client


def units_state() -> list[tuple]:
    return list(
        Unit.objects.order_by("department__code", "name").values_list(
            "pk", "department__code", "name", "nature", "rank", "funding_form", "position"
        )
    )


# --- departments


def test_departments_import_creates_updates_and_is_idempotent(admin_client: Client) -> None:
    content = f"部门编码,部门名称\n901,石家庄市鹿泉区测试局\n{OWN},{OWN_NAME}\n".encode()
    preview = import_upload(admin_client, DEPARTMENT_IMPORT, content)
    result = preview.context["result"]
    assert (result.totals["new"], result.totals["skip"]) == (1, 1)
    assert not Department.objects.filter(code="901").exists()

    response = confirm_import(admin_client, DEPARTMENT_PROCESS, preview)
    assert response.status_code == 302
    assert Department.objects.get(code="901").name == "石家庄市鹿泉区测试局"
    before = list(Department.objects.order_by("code").values_list("pk", "code", "name"))

    again = import_upload(admin_client, DEPARTMENT_IMPORT, content)
    assert again.context["result"].totals["skip"] == 2
    assert again.context["result"].totals["new"] == again.context["result"].totals["update"] == 0
    confirm_import(admin_client, DEPARTMENT_PROCESS, again)
    assert list(Department.objects.order_by("code").values_list("pk", "code", "name")) == before


def test_a_department_name_is_updated_by_its_code(admin_client: Client) -> None:
    preview = import_upload(admin_client, DEPARTMENT_IMPORT, f"部门编码,部门名称\n{OTHER},鹿泉区邻近局\n".encode())
    assert preview.context["result"].totals["update"] == 1
    confirm_import(admin_client, DEPARTMENT_PROCESS, preview)
    assert Department.objects.get(code=OTHER).name == "鹿泉区邻近局"
    assert Department.objects.count() == 2


def test_a_bad_department_file_is_refused_with_chinese_errors_and_writes_nothing(admin_client: Client) -> None:
    content = "部门编码,部门名称\n901,测试局\n9-01,横线局\n901,重复局\n".encode()
    response = import_upload(admin_client, DEPARTMENT_IMPORT, content)
    assert "confirm_form" not in response.context
    invalid = {row.number: row.error_dict for row in response.context["result"].invalid_rows}
    assert invalid == {
        3: {"部门编码": ["部门编码只能包含数字和字母。"]},
        4: {"__all__": ["与第2行重复（部门编码相同），每条只能出现一次。"]},
    }
    html = response.content.decode()
    assert "部门编码只能包含数字和字母。" in html
    assert not Department.objects.filter(code="901").exists()


def test_a_file_without_the_expected_header_is_refused(admin_client: Client) -> None:
    response = import_upload(admin_client, DEPARTMENT_IMPORT, "code,name\n901,测试局\n".encode())
    assert "confirm_form" not in response.context
    assert "第1行：表头缺少列 部门编码、部门名称。表头应为：部门编码,部门名称" in response.content.decode()
    assert not Department.objects.filter(code="901").exists()


def test_departments_export_as_csv_with_chinese_header(admin_client: Client) -> None:
    response = admin_client.post(DEPARTMENT_EXPORT, {"resource": "0", "format": CSV_FORMAT})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="departments.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel opens it as UTF-8
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [
        ["部门编码", "部门名称"],
        [OWN, OWN_NAME],
        [OTHER, OTHER_NAME],
    ]


# --- units


def test_units_import_creates_units_and_a_second_import_changes_nothing(admin_client: Client) -> None:
    Department.objects.create(code="901", name="测试局")
    content = (
        UNIT_HEADER + "901,测试局本级,行政,正科级,财政拨款,0\n901,测试中心,事业,股级,财政补助,1\n"
        f"{OWN},{CENTRE},事业,{UNIT_RANK},{UNIT_FUNDING},1\n"  # as it is
    ).encode()
    preview = import_upload(admin_client, UNIT_IMPORT, content)
    result = preview.context["result"]
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (2, 0, 1)
    assert not Unit.objects.filter(department__code="901").exists()

    confirm_import(admin_client, UNIT_PROCESS, preview)
    created = Unit.objects.filter(department__code="901").order_by("position")
    assert [(u.name, u.nature, u.rank, u.funding_form, u.position) for u in created] == [
        ("测试局本级", "行政", "正科级", "财政拨款", 0),
        ("测试中心", "事业", "股级", "财政补助", 1),
    ]
    before = units_state()

    again = import_upload(admin_client, UNIT_IMPORT, content)
    assert again.context["result"].totals["skip"] == 3
    confirm_import(admin_client, UNIT_PROCESS, again)
    assert units_state() == before


def test_a_unit_is_updated_by_department_and_name(admin_client: Client) -> None:
    content = (UNIT_HEADER + f"{OWN},{CENTRE},事业,正股级,{UNIT_FUNDING},1\n").encode()
    preview = import_upload(admin_client, UNIT_IMPORT, content)
    assert preview.context["result"].totals["update"] == 1
    confirm_import(admin_client, UNIT_PROCESS, preview)
    centre = Unit.objects.get(department__code=OWN, name=CENTRE)
    assert centre.rank == "正股级"
    assert Unit.objects.filter(department__code=OWN).count() == len(OWN_UNITS)


def test_a_bad_unit_file_shows_each_row_error_in_chinese_and_writes_nothing(admin_client: Client) -> None:
    before = units_state()
    content = (
        UNIT_HEADER + f"{OWN},新单位甲,行政,,,0\n"  # valid, yet not written: the file has errors
        "999,新单位乙,行政,,,0\n"
        f"{OWN},新单位丙,机关,,,0\n"
        f"{OWN},新单位甲,事业,,,1\n"
        f"{OWN},新单位丁,行政,,,第一\n"
    ).encode()
    response = import_upload(admin_client, UNIT_IMPORT, content)
    assert "confirm_form" not in response.context
    invalid = {row.number: row.error_dict for row in response.context["result"].invalid_rows}
    assert invalid[3] == {"部门编码": ["部门编码“999”不存在，请先导入或添加该部门。"]}
    assert invalid[4] == {"单位性质": ["值 '机关' 不是有效选项。"]}
    assert invalid[5] == {"__all__": ["与第2行重复（部门编码、单位名称相同），每条只能出现一次。"]}
    assert invalid[6] == {"排序": ["排序必须是0到32767之间的整数：第一"]}
    assert 2 not in invalid
    html = response.content.decode()
    assert "部门编码“999”不存在" in html
    assert units_state() == before


def test_a_unit_file_that_became_invalid_after_its_preview_is_rolled_back(admin_client: Client) -> None:
    Department.objects.create(code="901", name="测试局")
    content = (UNIT_HEADER + f"901,测试局本级,行政,,,0\n{OWN},新单位,行政,,,1\n").encode()
    preview = import_upload(admin_client, UNIT_IMPORT, content)
    assert "confirm_form" in preview.context
    Department.objects.filter(code="901").delete()

    response = confirm_import(admin_client, UNIT_PROCESS, preview)
    assert response.status_code == 302
    assert response["Location"] == UNIT_IMPORT
    assert any("没有写入任何数据" in message for message in messages_of(response))
    assert not Unit.objects.filter(name="新单位").exists()


def test_units_round_trip_through_xlsx(admin_client: Client) -> None:
    before = units_state()
    response = admin_client.post(UNIT_EXPORT, {"resource": "0", "format": XLSX_FORMAT})
    assert response["Content-Disposition"] == 'attachment; filename="units.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["部门编码", "单位名称", "单位性质", "单位规格", "经费保障形式", "排序"]
    assert [OWN, OFFICE, "行政", UNIT_RANK, UNIT_FUNDING, 0] in rows
    assert len(rows) == 1 + ALL_UNITS

    preview = import_upload(admin_client, UNIT_IMPORT, response.content, file_format=XLSX_FORMAT, name="units.xlsx")
    assert preview.context["result"].totals["skip"] == ALL_UNITS
    confirm_import(admin_client, UNIT_PROCESS, preview)
    assert units_state() == before


def test_unit_export_follows_the_changelist_filter(admin_client: Client) -> None:
    department = Department.objects.get(code=OWN)
    url = f"{UNIT_EXPORT}?department__id__exact={department.pk}"
    response = admin_client.post(url, {"resource": "0", "format": CSV_FORMAT})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + len(OWN_UNITS)
    assert {row[0] for row in rows[1:]} == {OWN}


@pytest.mark.parametrize("file_format", [CSV_FORMAT, XLSX_FORMAT], ids=["csv", "xlsx"])
def test_text_that_looks_like_a_formula_is_exported_inert_and_imported_back_as_typed(
    admin_client: Client, file_format: str
) -> None:
    formula = '=HYPERLINK("http://x")'
    Unit.objects.filter(department__code=OWN, position=1).update(rank=formula)
    before = units_state()
    response = admin_client.post(UNIT_EXPORT, {"resource": "0", "format": file_format})
    if file_format == XLSX_FORMAT:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        cells = [cell for row in sheet.iter_rows() for cell in row if "HYPERLINK" in str(cell.value)]
        # A text cell, quoted: Excel shows it and never runs it (nor would it in a CSV).
        assert [(cell.value, cell.data_type) for cell in cells] == [(f"'{formula}", "s")]
        name = "units.xlsx"
    else:
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert [cell for row in rows for cell in row if "HYPERLINK" in cell] == [f"'{formula}"]
        name = "units.csv"
    preview = import_upload(admin_client, UNIT_IMPORT, response.content, file_format=file_format, name=name)
    assert preview.context["result"].totals["skip"] == ALL_UNITS
    confirm_import(admin_client, UNIT_PROCESS, preview)
    assert units_state() == before


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
@pytest.mark.parametrize(
    "url", [DEPARTMENT_IMPORT, DEPARTMENT_PROCESS, DEPARTMENT_EXPORT, UNIT_IMPORT, UNIT_PROCESS, UNIT_EXPORT]
)
def test_non_administrators_are_sent_to_the_admin_login(small, client: Client, make_user, url: str) -> None:
    client.force_login(make_user())
    for response in (client.get(url), client.post(url, {"resource": "0", "format": CSV_FORMAT})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_a_non_administrator_upload_writes_nothing(small, client: Client) -> None:
    client.force_login(UserFactory(role=Role.REVIEWER, is_staff=True))
    response = import_upload(client, DEPARTMENT_IMPORT, "部门编码,部门名称\n901,测试局\n".encode())
    assert response.status_code == 302
    assert not Department.objects.filter(code="901").exists()
