"""manage.py import_catalog: whole files, validated first, written atomically and idempotently."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import ProtectedError

from catalog.models import BudgetYear, EconomicCode, FunctionCode
from tests.support.factories import BudgetFactory, BudgetLineFactory, BudgetYearFactory

pytestmark = pytest.mark.django_db

STARTER = Path(settings.BASE_DIR) / "catalog" / "data" / "2021"
FUNCTION_CSV = STARTER / "function_classification.csv"
ECONOMIC_CSV = STARTER / "economic_classification.csv"


def load(file: Path, *, year: int = 2021, kind: str = "function") -> str:
    out = StringIO()
    call_command("import_catalog", str(file), year=year, kind=kind, stdout=out)
    return out.getvalue()


def snapshot(model: type[FunctionCode | EconomicCode], year: int = 2021) -> list[tuple]:
    return list(model.objects.filter(year=year).order_by("code").values_list("pk", "code", "name", "level", "parent"))


def write(tmp_path: Path, text: str, name: str = "catalogue.csv") -> Path:
    file = tmp_path / name
    file.write_text(text, encoding="utf-8")
    return file


def test_the_starter_function_catalogue_loads_all_its_rows() -> None:
    output = load(FUNCTION_CSV)
    assert FunctionCode.objects.filter(year=2021).count() == 194
    assert "新增 194 条" in output
    admin_running = FunctionCode.objects.get(year=2021, code="2010101")
    assert admin_running.name == "行政运行"
    assert admin_running.level == 3
    assert admin_running.parent.code == "20101"
    assert admin_running.parent.parent.code == "201"


def test_the_starter_economic_catalogue_loads_all_its_rows() -> None:
    output = load(ECONOMIC_CSV, kind="economic")
    assert EconomicCode.objects.filter(year=2021).count() == 91
    assert "新增 91 条" in output
    assert EconomicCode.objects.get(year=2021, code="30101").parent.code == "301"
    assert not FunctionCode.objects.exists()


def test_loading_creates_the_budget_year_if_needed() -> None:
    load(ECONOMIC_CSV, year=2024, kind="economic")
    assert BudgetYear.objects.filter(year=2024).exists()
    assert EconomicCode.objects.filter(year=2024).count() == 91


def test_loading_twice_changes_nothing() -> None:
    load(FUNCTION_CSV)
    before = snapshot(FunctionCode)
    output = load(FUNCTION_CSV)
    assert "新增 0 条，更新 0 条，未变 194 条" in output
    assert snapshot(FunctionCode) == before


def test_each_years_edition_is_kept_apart() -> None:
    load(FUNCTION_CSV, year=2021)
    load(FUNCTION_CSV, year=2022)
    assert FunctionCode.objects.filter(year=2021).count() == 194
    assert FunctionCode.objects.filter(year=2022).count() == 194


def test_a_changed_name_of_an_unused_code_is_updated(tmp_path: Path) -> None:
    load(FUNCTION_CSV)
    renamed = FUNCTION_CSV.read_text(encoding="utf-8").replace("2010102,一般行政管理事务", "2010102,一般行政事务")
    output = load(write(tmp_path, renamed))
    assert "更新 1 条" in output
    assert FunctionCode.objects.get(year=2021, code="2010102").name == "一般行政事务"


def test_codes_missing_from_the_file_are_left_alone(tmp_path: Path) -> None:
    load(FUNCTION_CSV)
    load(write(tmp_path, "code,name,level,parent\n201,一般公共服务支出,1,\n"))
    assert FunctionCode.objects.filter(year=2021).count() == 194


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        pytest.param(
            "code,name,level,parent\n201,一般公共服务支出,1,\n2010,人大事务,2,201\n",
            3,
            "第2级科目编码应为5位",
            id="wrong-code-length",
        ),
        pytest.param(
            "code,name,level,parent\n201,一般公共服务支出,1,\n20101,人大事务,2,201\n2020101,行政运行,3,20201\n",
            4,
            "上级科目20201不存在",
            id="missing-parent",
        ),
        pytest.param(
            "code,name,level,parent\n201,一般公共服务支出,1,\n20101,人大事务,2,201\n20101,政协事务,2,201\n",
            4,
            "科目编码重复：20101",
            id="duplicate",
        ),
        pytest.param(
            "编码,名称,级次,上级\n201,一般公共服务支出,1,\n",
            1,
            "表头必须是 code,name,level,parent",
            id="bad-header",
        ),
        pytest.param(
            "code,name,level,parent\n201,一般公共服务支出,1,\n20101,人大事务,二,201\n",
            3,
            "级次必须是数字",
            id="level-not-a-number",
        ),
    ],
)
def test_a_bad_row_stops_the_whole_file_and_names_its_line(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    file = write(tmp_path, text)
    with pytest.raises(CommandError) as raised:
        load(file, year=2022)
    message = str(raised.value)
    assert f"第{line}行" in message
    assert fragment in message
    assert "未导入" in message
    assert not FunctionCode.objects.exists()
    assert not BudgetYear.objects.filter(year=2022).exists()


def test_a_bad_row_leaves_an_existing_catalogue_untouched(tmp_path: Path) -> None:
    load(FUNCTION_CSV)
    before = snapshot(FunctionCode)
    text = FUNCTION_CSV.read_text(encoding="utf-8").replace("一般行政管理事务", "改过的名称") + "2019,多余,2,201\n"
    with pytest.raises(CommandError, match="第196行"):
        load(write(tmp_path, text))
    assert snapshot(FunctionCode) == before


def test_a_file_that_is_not_utf8_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    file = tmp_path / "gbk.csv"
    file.write_bytes("code,name,level,parent\n201,一般公共服务支出,1,\n".encode("gbk"))
    with pytest.raises(CommandError, match="UTF-8") as raised:
        load(file)
    assert "gbk.csv" in str(raised.value)
    assert "第2行" in str(raised.value)
    assert not FunctionCode.objects.exists()


def test_a_code_used_by_a_budget_cannot_be_renamed(tmp_path: Path) -> None:
    load(FUNCTION_CSV)
    load(ECONOMIC_CSV, kind="economic")
    budget = BudgetFactory(year=BudgetYearFactory(year=2021))
    BudgetLineFactory(
        budget=budget,
        function=FunctionCode.objects.get(year=2021, code="2010101"),
        economic=EconomicCode.objects.get(year=2021, code="30101"),
    )
    before = snapshot(FunctionCode)
    text = FUNCTION_CSV.read_text(encoding="utf-8")
    text = text.replace("2010101,行政运行", "2010101,日常运行").replace("2010102,一般行政管理事务", "2010102,其他事务")
    with pytest.raises(CommandError) as raised:
        load(write(tmp_path, text))
    assert "第4行" in str(raised.value)
    assert "科目2010101已被预算使用，不能改名为“日常运行”" in str(raised.value)
    assert snapshot(FunctionCode) == before  # the unused 2010102 was not renamed either


def test_a_code_used_by_a_budget_cannot_be_deleted() -> None:
    load(FUNCTION_CSV)
    load(ECONOMIC_CSV, kind="economic")
    function = FunctionCode.objects.get(year=2021, code="2010101")
    economic = EconomicCode.objects.get(year=2021, code="30101")
    BudgetLineFactory(budget=BudgetFactory(year=function.year), function=function, economic=economic)
    with pytest.raises(ProtectedError):
        function.delete()
    with pytest.raises(ProtectedError):
        economic.delete()
    assert FunctionCode.objects.filter(pk=function.pk).exists()
    assert EconomicCode.objects.filter(pk=economic.pk).exists()


def test_a_code_with_children_cannot_be_deleted() -> None:
    load(FUNCTION_CSV)
    with pytest.raises(ProtectedError):
        FunctionCode.objects.get(year=2021, code="20101").delete()
