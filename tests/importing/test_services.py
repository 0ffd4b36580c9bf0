"""Importing official workbooks: round trips, hand-made files, and every kind of bad file."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from budgets.models import Budget, BudgetLine
from budgets.selectors import budget_data
from departments.models import Department
from domain.money import DisplayUnit
from importing.services import ImportRefused, budget_import_apply, budget_import_preview
from official import xlsx_safety
from official.render import print_table
from tests.golden.seed import load_seed
from tests.support.hebei_2021 import OFFICIAL_TABLES
from tests.support.workbooks import edited, exported, hand_typed_example

pytestmark = pytest.mark.django_db

NINE = [layout for layout in OFFICIAL_TABLES if layout.number is not None]
INCOME = "部门预算收入总表"


def snapshot() -> list[tuple]:
    return list(
        BudgetLine.objects.order_by("budget_id", "id").values_list(
            "budget__department__code", "function__code", "economic__code", "kind", "source", "carried_over", "amount"
        )
    )


def printed(budget, layouts=NINE) -> dict[str, list[list[str]]]:
    data = budget_data(budget)
    return {layout.key: [row.texts for row in print_table(layout, data).rows] for layout in layouts}


def move_to_new_department(code: str = "202") -> None:
    """Forget the stored budget so that an import has to rebuild it from the workbook alone."""
    department = Department.objects.get(code=code)
    Budget.objects.filter(department=department).delete()


# --- round trips -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("unit", list(DisplayUnit), ids=lambda unit: unit.name)
def test_importing_an_unchanged_workbook_reports_no_changes(demo, unit) -> None:
    before = snapshot()
    preview = budget_import_preview(data=exported(demo["202"], unit), year=2021)
    assert preview.ok, [str(problem) for problem in preview.problems]
    assert preview.unchanged
    budget_import_apply(data=exported(demo["202"], unit), year=2021)
    assert snapshot() == before


@pytest.mark.parametrize("code", ["202", "318"])
@pytest.mark.parametrize("unit", list(DisplayUnit), ids=lambda unit: unit.name)
def test_export_import_export_gives_the_same_tables(demo, code, unit) -> None:
    original = printed(demo[code])
    data = exported(demo[code], unit)
    move_to_new_department(code)
    preview = budget_import_apply(data=data, year=2021)
    assert preview.ok
    assert not preview.budget_exists
    assert printed(Budget.objects.get(department__code=code)) == original


def test_rebuilt_example_keeps_302_at_121_78(demo) -> None:
    data = exported(demo["202"])
    move_to_new_department()
    budget_import_apply(data=data, year=2021)
    rows = printed(Budget.objects.get(department__code="202"))["basic-economic"]
    assert [row for row in rows if row[0] == "302"] == [["302", "商品和服务支出", "121.78", "", "121.78"]]
    assert sum(Decimal(row[2]) for row in rows if row[0].startswith("302") and len(row[0]) == 5) == Decimal("121.77")


def test_a_changed_stored_figure_shows_as_a_change_per_table(demo) -> None:
    data = exported(demo["202"])
    line = BudgetLine.objects.get(budget=demo["202"], function__code="2101101")
    line.amount += Decimal("10000.00")
    line.save()
    preview = budget_import_preview(data=data, year=2021)
    assert preview.ok
    assert not preview.unchanged
    changed = {(change.table, change.row, change.column, change.old, change.new) for change in preview.changes}
    assert ("部门预算支出总表", "2101101 行政单位医疗", "合计", "37.16", "36.16") in changed
    assert (
        "部门预算一般公共预算财政拨款基本支出表",
        "30110 职工基本医疗保险缴费",
        "人员经费",
        "37.16",
        "36.16",
    ) in changed


# --- files made by others ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("in_yuan", [False, True], ids=["wan", "yuan"])
def test_hand_typed_example_imports_to_exactly_the_examples_figures(demo, in_yuan) -> None:
    move_to_new_department()
    preview = budget_import_apply(data=hand_typed_example(in_yuan=in_yuan), year=2021)
    assert preview.ok, [str(problem) for problem in preview.problems][:5]
    seed = load_seed()
    budget = Budget.objects.get(department__code="202")
    for layout in NINE:
        expected = [[cell.replace("121.783", "121.78") for cell in row[1:]] for row in seed[layout.title].rows]
        assert printed(budget, [layout])[layout.key] == expected, layout.title


def test_the_department_line_names_a_new_department(db, demo) -> None:
    data = exported(demo["202"])
    Department.objects.filter(code="202").update(code="202-old")
    with pytest.raises(ImportRefused, match="部门 202 不存在"):
        budget_import_apply(data=data, year=2021)
    preview = budget_import_apply(data=data, year=2021, create_department=True)
    assert Department.objects.get(code="202").name == "中共石家庄市鹿泉区委办公室"
    assert preview.department_name == "中共石家庄市鹿泉区委办公室"


# --- bad files -----------------------------------------------------------------------------------------------------


def refused(data: bytes, message: str, **kwargs) -> None:
    before = snapshot()
    departments = Department.objects.count()
    with pytest.raises(ImportRefused) as caught:
        budget_import_apply(data=data, year=2021, **kwargs)
    problems = [str(problem) for problem in caught.value.preview.problems]
    assert any(message in problem for problem in problems), problems
    assert snapshot() == before
    assert Department.objects.count() == departments


def set_cell(title: str, ref: str, value):
    def edit(workbook):
        workbook[title][ref] = value

    return edit


def test_not_an_xlsx(demo) -> None:
    refused(b"code,name\n201,x\n", "不是 xlsx")


def test_truncated_zip(demo) -> None:
    data = exported(demo["202"])
    refused(data[: len(data) // 2], "xlsx")


def test_encrypted_file(demo) -> None:
    refused(xlsx_safety.OLE_SIGNATURE + b"\0" * 2048, "已加密")


def test_zip_bomb(demo) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    refused(buffer.getvalue(), "压缩炸弹")


def test_too_many_rows(demo, monkeypatch) -> None:
    monkeypatch.setattr(xlsx_safety, "MAX_ROWS_PER_SHEET", 30)
    refused(exported(demo["202"]), "超过 30 行")


def test_formula_without_cached_value(demo) -> None:
    data = edited(exported(demo["202"]), set_cell(INCOME, "F9", "=59.497*10"))
    refused(data, f"{INCOME}!F9：公式没有计算结果")


def test_amount_that_is_not_a_number(demo) -> None:
    refused(edited(exported(demo["202"]), set_cell(INCOME, "F9", "12,3x")), f"{INCOME}!F9：“12,3x”不是有效金额")


def test_negative_amount(demo) -> None:
    refused(edited(exported(demo["202"]), set_cell(INCOME, "F9", -594.97)), f"{INCOME}!F9：E02 -594.97 为负数")


def test_three_decimals_in_wan(demo) -> None:
    refused(
        edited(exported(demo["202"]), set_cell(INCOME, "F9", "594.973")),
        f"{INCOME}!F9：E01 594.973 超过两位小数（万元）",
    )


def test_merged_cells_in_the_data(demo) -> None:
    refused(edited(exported(demo["202"]), lambda workbook: workbook[INCOME].merge_cells("D9:F9")), "合并单元格")


def test_missing_table(demo) -> None:
    def drop(workbook):
        del workbook["部门预算支出总表"]

    refused(edited(exported(demo["202"]), drop), "缺少表：部门预算支出总表")


def test_code_missing_from_the_catalogue(demo) -> None:
    refused(
        edited(exported(demo["202"]), set_cell(INCOME, "B9", "2013199")),
        f"{INCOME}!B9：2021年度功能分类科目表中没有科目 2013199",
    )


def test_redundant_table_that_disagrees_is_reported_at_its_cell(demo) -> None:
    refused(
        edited(exported(demo["202"]), set_cell("部门预算收支总表", "C6", 889.25)),
        "部门预算收支总表!C6：B02 三项财政拨款收入之和 889.25，收入总表财政拨款收入为 888.25",
    )


def test_a_cent_of_rounding_remainder_is_a_notice_not_a_refusal(demo) -> None:
    data = edited(exported(demo["202"]), set_cell("部门预算收支总表", "C6", 888.26))
    preview = budget_import_preview(data=data, year=2021)
    assert preview.ok
    assert [str(notice) for notice in preview.notices] == ["部门预算收支总表!C6：尾差：文件为 888.26，导入后为 888.25"]


def test_workbook_of_another_department_or_year(demo) -> None:
    refused(exported(demo["202"]), "不是 318", department_code="318")
    with pytest.raises(ImportRefused, match="不是 2022"):
        budget_import_apply(data=exported(demo["202"]), year=2022)


# --- the command ----------------------------------------------------------------------------------------------------


def test_command_dry_run_writes_nothing(demo, tmp_path, capsys) -> None:
    path = tmp_path / "202.xlsx"
    path.write_bytes(exported(demo["202"]))
    move_to_new_department()
    call_command("import_budget", str(path), "--year", "2021", "--dry-run")
    assert "将新建 202" in capsys.readouterr().out
    assert not Budget.objects.filter(department__code="202").exists()
    call_command("import_budget", str(path), "--year", "2021", "--department", "202")
    assert Budget.objects.filter(department__code="202").exists()


def test_command_lists_problems_and_fails(demo, tmp_path, capsys) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(edited(exported(demo["202"]), set_cell(INCOME, "F9", "12,3x")))
    with pytest.raises(CommandError, match="未导入"):
        call_command("import_budget", str(path), "--year", "2021")
    assert f"{INCOME}!F9" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["1e30", 1e30, 10**29, "99999999999999999999999999999"])
def test_absurdly_large_amount(demo, value) -> None:
    refused(edited(exported(demo["202"]), set_cell(INCOME, "F9", value)), f"{INCOME}!F9：")


def test_an_impossible_as_of_date_is_not_a_crash(demo) -> None:
    data = edited(exported(demo["318"]), set_cell("部门固定资产占用情况表", "C2", "截止时间：2024-13-45"))
    preview = budget_import_preview(data=data, year=2021)
    assert preview.department_code == "318"


def test_an_unknown_column_is_named_at_its_header_cell(demo) -> None:
    refused(edited(exported(demo["202"]), set_cell(INCOME, "M3", "预备费")), f"{INCOME}!M4：无法识别的列“预备费”")


def test_command_records_the_administrator_responsible(demo, tmp_path) -> None:
    path = tmp_path / "202.xlsx"
    path.write_bytes(exported(demo["202"]))
    move_to_new_department()
    with pytest.raises(CommandError, match="不是系统管理员"):
        call_command("import_budget", str(path), "--year", "2021", "--user", "acc318")
    assert not Budget.objects.filter(department__code="202").exists()
    call_command("import_budget", str(path), "--year", "2021", "--user", "admin")
    budget = Budget.objects.get(department__code="202")
    assert budget.events.get(action="figures").actor.username == "admin"
