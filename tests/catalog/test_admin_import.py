"""The catalogue admin: import and export through django-import-export, for administrators only."""

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from catalog.models import BudgetYear, EconomicCode, FunctionCode
from catalog.services import catalog_import, read_csv
from domain.catalogue import CatalogKind
from tests.support.admin_io import confirm_import, import_upload, messages_of
from tests.support.factories import (
    AccountantFactory,
    AdministratorFactory,
    BudgetFactory,
    BudgetLineFactory,
    BudgetYearFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("upload_folder")]

STARTER = Path(settings.BASE_DIR) / "catalog" / "data" / "2021"
FUNCTION_CSV = STARTER / "function_classification.csv"
ECONOMIC_CSV = STARTER / "economic_classification.csv"

IMPORT_URL = reverse("admin:catalog_functioncode_import")
PROCESS_URL = reverse("admin:catalog_functioncode_process_import")
EXPORT_URL = reverse("admin:catalog_functioncode_export")
CHANGELIST_URL = reverse("admin:catalog_functioncode_changelist")


@pytest.fixture
def admin_client(client: Client) -> Client:
    client.force_login(AdministratorFactory())
    return client


@pytest.fixture
def year_2021() -> BudgetYear:
    return BudgetYearFactory(year=2021)


@pytest.fixture
def starter_catalogues(year_2021: BudgetYear) -> None:
    catalog_import(year=2021, kind=CatalogKind.FUNCTION, rows=read_csv(FUNCTION_CSV.read_text(encoding="utf-8")))
    catalog_import(year=2021, kind=CatalogKind.ECONOMIC, rows=read_csv(ECONOMIC_CSV.read_text(encoding="utf-8")))


@pytest.fixture
def used_function_code(starter_catalogues: None) -> FunctionCode:
    function = FunctionCode.objects.get(year=2021, code="2010101")
    economic = EconomicCode.objects.get(year=2021, code="30101")
    BudgetLineFactory(budget=BudgetFactory(year=function.year), function=function, economic=economic)
    return function


def upload(client: Client, content: bytes, *, year: int | str = 2021, url: str = IMPORT_URL):
    return import_upload(client, url, content, name="catalogue.csv", content_type="text/csv", year=str(year))


def confirm(client: Client, preview_response, url: str = PROCESS_URL):
    return confirm_import(client, url, preview_response)


# --- preview and confirm


def test_the_preview_shows_what_would_happen_and_writes_nothing(admin_client: Client, year_2021: BudgetYear) -> None:
    response = upload(admin_client, FUNCTION_CSV.read_bytes())
    assert response.status_code == 200
    assert "confirm_form" in response.context
    result = response.context["result"]
    assert result.totals["new"] == 194
    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert "预览：2021年度支出功能分类科目将新增 194 条" in response.content.decode()
    assert not FunctionCode.objects.exists()


def test_confirming_the_preview_loads_the_catalogue(
    admin_client: Client, year_2021: BudgetYear, upload_folder: Path
) -> None:
    preview = upload(admin_client, FUNCTION_CSV.read_bytes())
    assert len(list(upload_folder.iterdir())) == 1
    response = confirm(admin_client, preview)
    assert response.status_code == 302
    assert response["Location"] == CHANGELIST_URL
    assert FunctionCode.objects.filter(year=2021).count() == 194
    assert FunctionCode.objects.get(year=2021, code="2010101").parent.code == "20101"
    assert "2021年度支出功能分类科目已导入：新增 194 条，更新 0 条，未变 0 条。" in messages_of(response)
    assert not list(upload_folder.iterdir())


def test_the_economic_catalogue_imports_too(admin_client: Client, year_2021: BudgetYear) -> None:
    preview = upload(admin_client, ECONOMIC_CSV.read_bytes(), url=reverse("admin:catalog_economiccode_import"))
    response = confirm(admin_client, preview, url=reverse("admin:catalog_economiccode_process_import"))
    assert response.status_code == 302
    assert EconomicCode.objects.filter(year=2021).count() == 91
    assert not FunctionCode.objects.exists()


def test_the_import_goes_into_the_year_chosen_in_the_form(admin_client: Client, starter_catalogues: None) -> None:
    BudgetYearFactory(year=2022)
    confirm(admin_client, upload(admin_client, FUNCTION_CSV.read_bytes(), year=2022))
    assert FunctionCode.objects.filter(year=2022).count() == 194
    assert FunctionCode.objects.filter(year=2021).count() == 194


def test_importing_an_already_loaded_file_changes_nothing(admin_client: Client, starter_catalogues: None) -> None:
    before = list(FunctionCode.objects.order_by("code").values_list("pk", "name", "level", "parent"))
    preview = upload(admin_client, FUNCTION_CSV.read_bytes())
    assert preview.context["result"].totals["skip"] == 194
    response = confirm(admin_client, preview)
    assert "2021年度支出功能分类科目已导入：新增 0 条，更新 0 条，未变 194 条。" in messages_of(response)
    assert list(FunctionCode.objects.order_by("code").values_list("pk", "name", "level", "parent")) == before


def test_a_renamed_code_is_previewed_as_an_update(admin_client: Client, starter_catalogues: None) -> None:
    text = FUNCTION_CSV.read_text(encoding="utf-8").replace("2010102,一般行政管理事务", "2010102,一般行政事务")
    preview = upload(admin_client, text.encode())
    assert preview.context["result"].totals["update"] == 1
    assert "一般行政管理事务 → 一般行政事务" in preview.content.decode()
    confirm(admin_client, preview)
    assert FunctionCode.objects.get(year=2021, code="2010102").name == "一般行政事务"


def test_a_byte_order_mark_is_accepted(admin_client: Client, year_2021: BudgetYear) -> None:
    preview = upload(admin_client, "\ufeff".encode() + FUNCTION_CSV.read_bytes())
    assert "confirm_form" in preview.context
    confirm(admin_client, preview)
    assert FunctionCode.objects.filter(year=2021).count() == 194


# --- refused files


def test_an_invalid_file_shows_the_errors_in_chinese_and_writes_nothing(
    admin_client: Client, year_2021: BudgetYear
) -> None:
    content = "code,name,level,parent\n201,一般公共服务支出,1,\n2010,人大事务,2,201\n20202,外交管理事务,2,202\n"
    response = upload(admin_client, content.encode())
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    html = response.content.decode()
    assert "2021年度支出功能分类科目未导入，发现以下错误：" in html
    assert "第3行 code：第2级科目编码应为5位：2010。" in html
    assert "第4行 parent：上级科目202不存在。" in html
    assert [row.number for row in response.context["result"].invalid_rows] == [3, 4]
    assert not FunctionCode.objects.exists()


def test_a_bad_header_is_reported_on_line_one(admin_client: Client, year_2021: BudgetYear) -> None:
    response = upload(admin_client, "编码,名称,级次,上级\n201,一般公共服务支出,1,\n".encode())
    assert "confirm_form" not in response.context
    assert "第1行 header：表头必须是 code,name,level,parent" in response.content.decode()
    assert not FunctionCode.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_with_its_line(admin_client: Client, year_2021: BudgetYear) -> None:
    content = "code,name,level,parent\n201,一般公共服务支出,1,\n".encode("gbk")
    response = upload(admin_client, content)
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    errors = response.context["form"].errors["import_file"]
    assert errors == ["第2行 file：文件必须是 UTF-8 编码的 CSV，此行含有无法识别的字符（可能是 GBK 编码）。"]
    assert not FunctionCode.objects.exists()


def test_the_year_must_be_chosen(admin_client: Client, year_2021: BudgetYear) -> None:
    response = upload(admin_client, FUNCTION_CSV.read_bytes(), year="")
    assert "year" in response.context["form"].errors
    assert "confirm_form" not in response.context


def test_a_code_used_by_a_budget_cannot_be_renamed_by_import(
    admin_client: Client, used_function_code: FunctionCode
) -> None:
    text = FUNCTION_CSV.read_text(encoding="utf-8").replace("2010101,行政运行", "2010101,日常运行")
    response = upload(admin_client, text.encode())
    assert "confirm_form" not in response.context
    assert "第4行 name：科目2010101已被预算使用，不能改名为“日常运行”。" in response.content.decode()
    used_function_code.refresh_from_db()
    assert used_function_code.name == "行政运行"


def test_a_catalogue_changed_after_the_preview_is_not_written(
    admin_client: Client, used_function_code: FunctionCode
) -> None:
    """Between preview and confirmation another change can make the file invalid: the confirm step re-checks."""
    text = FUNCTION_CSV.read_text(encoding="utf-8").replace("2010102,一般行政管理事务", "2010102,其他事务")
    preview = upload(admin_client, text.encode())
    assert "confirm_form" in preview.context
    used = FunctionCode.objects.get(year=2021, code="2010102")
    BudgetLineFactory(
        budget=used_function_code.lines.get().budget,
        function=used,
        economic=EconomicCode.objects.get(year=2021, code="30102"),
    )
    response = confirm(admin_client, preview)
    assert response.status_code == 302
    assert response["Location"] == IMPORT_URL
    assert any("科目2010102已被预算使用" in message for message in messages_of(response))
    assert FunctionCode.objects.get(year=2021, code="2010102").name == "一般行政管理事务"


# --- export


def test_an_export_has_the_import_header_and_can_be_imported_again(
    admin_client: Client, starter_catalogues: None
) -> None:
    BudgetYearFactory(year=2022)
    response = admin_client.post(EXPORT_URL, {"resource": "0", "format": "0", "year": "2021"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="function_classification.csv"'
    exported = response.content
    rows = list(csv.reader(io.StringIO(exported.decode("utf-8"))))
    assert rows[0] == ["code", "name", "level", "parent"]
    starter = list(csv.reader(io.StringIO(FUNCTION_CSV.read_text(encoding="utf-8"))))
    assert sorted(rows[1:]) == sorted(starter[1:])

    confirm(admin_client, upload(admin_client, exported, year=2022))
    assert FunctionCode.objects.filter(year=2022).count() == 194


def test_an_export_contains_only_the_chosen_year(admin_client: Client, starter_catalogues: None) -> None:
    catalog_import(year=2022, kind=CatalogKind.FUNCTION, rows=read_csv("code,name,level,parent\n299,其他支出,1,\n"))
    response = admin_client.post(EXPORT_URL, {"resource": "0", "format": "0", "year": "2022"})
    assert response.content.decode().splitlines() == ["code,name,level,parent", "299,其他支出,1,"]


# --- who may use the admin


@pytest.mark.parametrize("factory", [AccountantFactory, UserFactory], ids=["accountant", "reviewer"])
@pytest.mark.parametrize(
    "url", [IMPORT_URL, PROCESS_URL, EXPORT_URL, CHANGELIST_URL], ids=["import", "process", "export", "changelist"]
)
def test_non_staff_users_are_sent_to_the_admin_login(client: Client, year_2021: BudgetYear, factory, url: str) -> None:
    user = factory()
    assert not user.is_staff
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_non_staff_upload_writes_nothing(client: Client, year_2021: BudgetYear) -> None:
    client.force_login(AccountantFactory())
    response = upload(client, FUNCTION_CSV.read_bytes())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert not FunctionCode.objects.exists()


def test_the_changelist_lists_searches_and_filters_entries(admin_client: Client, starter_catalogues: None) -> None:
    response = admin_client.get(CHANGELIST_URL, {"q": "20101", "year__year__exact": "2021", "level__exact": "3"})
    assert response.status_code == 200
    codes = [entry.code for entry in response.context["cl"].result_list]
    assert codes
    assert all(code.startswith("20101") and len(code) == 7 for code in codes)
    assert f"href='{IMPORT_URL}'" in response.content.decode()


# --- editing and deleting by hand


def test_deleting_a_used_code_shows_the_protected_objects_page(
    admin_client: Client, used_function_code: FunctionCode
) -> None:
    url = reverse("admin:catalog_functioncode_delete", args=[used_function_code.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response.context["protected"]
    # Refused, naming the figures that hold on to the code (they are never deleted from the admin).
    assert "<title>无法删除" in response.content.decode()

    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert FunctionCode.objects.filter(pk=used_function_code.pk).exists()


def test_deleting_a_used_code_from_the_list_shows_the_protected_objects_page(
    admin_client: Client, used_function_code: FunctionCode
) -> None:
    response = admin_client.post(
        CHANGELIST_URL, {"action": "delete_selected", "_selected_action": [used_function_code.pk], "post": "yes"}
    )
    assert response.status_code == 200
    assert response.context["protected"]
    assert FunctionCode.objects.filter(pk=used_function_code.pk).exists()


def test_a_used_code_is_read_only_in_the_admin(admin_client: Client, used_function_code: FunctionCode) -> None:
    url = reverse("admin:catalog_functioncode_change", args=[used_function_code.pk])
    assert admin_client.get(url).status_code == 200
    admin_client.post(url, {"name": "日常运行", "code": "2010199", "level": "3"})
    used_function_code.refresh_from_db()
    assert (used_function_code.code, used_function_code.name) == ("2010101", "行政运行")


def test_an_entry_added_by_hand_gets_its_parent_from_its_code(admin_client: Client, starter_catalogues: None) -> None:
    response = admin_client.post(
        reverse("admin:catalog_functioncode_add"),
        {"year": "2021", "code": "2010188", "name": "人大专项事务", "level": "3"},
    )
    assert response.status_code == 302
    assert FunctionCode.objects.get(year=2021, code="2010188").parent.code == "20101"


def test_an_entry_added_by_hand_is_checked_like_an_imported_row(admin_client: Client, starter_catalogues: None) -> None:
    response = admin_client.post(
        reverse("admin:catalog_functioncode_add"), {"year": "2021", "code": "2990101", "name": "无上级", "level": "3"}
    )
    assert response.status_code == 200
    assert "上级科目29901不存在。" in response.context["adminform"].form.non_field_errors()
    assert not FunctionCode.objects.filter(code="2990101").exists()


def test_an_existing_code_cannot_be_added_twice(admin_client: Client, starter_catalogues: None) -> None:
    response = admin_client.post(
        reverse("admin:catalog_functioncode_add"),
        {"year": "2021", "code": "2010199", "name": "重复", "level": "3"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert FunctionCode.objects.get(year=2021, code="2010199").name == "其他人大事务支出"
