"""Reading a 录入模板 back: what it says of the budget, and every refusal at its cell."""

import io
import zipfile
from dataclasses import replace
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from budgets.selectors import budget_data
from domain.classifications import Kind, Source
from domain.ledger import (
    ECONOMIC_NOT_IN_CATALOGUE,
    FISCAL_KIND_ONLY,
    FUNCTION_NOT_IN_CATALOGUE,
    FUNCTION_NOT_LEAF,
    PROJECT_NOT_ALLOWED,
    PROJECT_OF_OTHER_UNIT,
    PROJECT_REQUIRED,
    Line,
    UnitInfo,
)
from domain.performance.targets import Performance, TargetTable
from domain.structure import UNIT_NAME_TWICE, UNIT_NATURE_INVALID
from exports.entry_template import entry_workbook
from importing.entry_template import (
    AS_OF_INVALID,
    FORMULA_WITHOUT_VALUE,
    GOAL_TWICE,
    LEVEL1_UNKNOWN,
    LEVEL2_UNKNOWN,
    MISSING_COLUMNS,
    MISSING_SHEET,
    NAME_EMPTY,
    NOT_AN_ENTRY_FILE,
    ONE_PERFORMANCE_SHEET,
    OTHER_DEPARTMENT,
    OTHER_YEAR,
    PROJECT_MISSING,
    SAME_ROW,
    UNIT_NOT_IN_SHEET,
    VALUE_INVALID,
    EntryFile,
    is_entry_workbook,
    read_entry_workbook,
)
from official.workbook import write_workbook
from official.xlsx_safety import UnsafeWorkbook
from tests.support.budgets import CENTRE, EQUIPMENT, OFFICE, OWN, YEAR, own_data
from tests.support.workbooks import edited

DATA = own_data()
TEMPLATE = entry_workbook(DATA)


def read(data: bytes = TEMPLATE, year: int = YEAR) -> EntryFile:
    return read_entry_workbook(data, year=year, catalogue=DATA.catalogue)


def changed(cells: dict[str, object], data: bytes = TEMPLATE) -> bytes:
    """The own budget's 录入模板 with these cells set, as Excel would save it: ``{"预算明细!C2": "x"}``."""

    def edit(workbook: openpyxl.Workbook) -> None:
        for place, value in cells.items():
            sheet, cell = place.split("!")
            workbook[sheet][cell] = value

    return edited(data, edit)


def problems(data: bytes) -> dict[str, str]:
    entry = read(data)
    found = {problem.place: problem.message for problem in entry.problems}
    assert len(found) == len(entry.problems), entry.problems  # one problem a place, unless a test says otherwise
    return found


def without(*sheets: str) -> bytes:
    def edit(workbook: openpyxl.Workbook) -> None:
        for name in sheets:
            workbook.remove(workbook[name])

    return edited(TEMPLATE, edit)


def assert_same_budget(entry: EntryFile, data) -> None:
    assert entry.problems == []
    assert (entry.department_code, entry.year) == (data.department_code, data.year)
    assert entry.lines == list(data.lines)
    assert entry.units == list(data.units)
    assert entry.procurement == list(data.procurement)
    assert entry.assets == list(data.assets)
    assert entry.assets_as_of == data.assets_as_of
    assert entry.performance == data.performance


# --- round trips -------------------------------------------------------------------------------------------------


def test_a_template_reads_back_as_the_budget_it_was_written_from() -> None:
    assert_same_budget(read(), DATA)


@pytest.mark.django_db
def test_the_small_worlds_stored_budget_reads_back_exactly(small) -> None:
    data = budget_data(small.budget)
    assert_same_budget(read_entry_workbook(entry_workbook(data), year=data.year, catalogue=data.catalogue), data)


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["202", "318"])
def test_the_demo_budgets_read_back_exactly(demo, code) -> None:
    data = budget_data(demo[code])
    assert_same_budget(read_entry_workbook(entry_workbook(data), year=data.year, catalogue=data.catalogue), data)


def test_a_template_saved_again_by_another_program_reads_the_same() -> None:
    assert_same_budget(read(edited(TEMPLATE, lambda workbook: None)), DATA)


def test_text_excel_would_run_as_a_formula_comes_back_as_typed() -> None:
    name = "=HYPERLINK(1)"
    data = replace(
        DATA,
        units=(UnitInfo(name, "行政", "", ""),),
        lines=(Line("2013101", "30101", Kind.BASIC, Source.GENERAL, Decimal("1.00"), unit=name),),
        procurement=(),
        performance=Performance(),
    )
    assert_same_budget(read(entry_workbook(data)), data)


def test_a_project_with_a_goal_and_no_indicators_reads_back() -> None:
    data = replace(DATA, performance=Performance(targets=(TargetTable(EQUIPMENT, "只有目标"),)))
    assert read(entry_workbook(data)).performance == data.performance


def test_a_budget_without_figures_reads_back_with_the_year_asked_for() -> None:
    empty = replace(DATA, lines=(), procurement=(), assets=(), assets_as_of=None, performance=Performance())
    entry = read(entry_workbook(empty))
    assert (entry.problems, entry.lines, entry.department_code, entry.year) == ([], [], "", YEAR)
    assert entry.performance == Performance()


# --- what people change ------------------------------------------------------------------------------------------


def test_a_changed_amount_is_read_as_typed() -> None:
    entry = read(changed({"预算明细!J2": 310000.5, "预算明细!J3": "1,234.50"}))
    assert [line.amount for line in entry.lines[:2]] == [Decimal("310000.50"), Decimal("1234.50")]
    assert entry.problems == []


def test_codes_typed_as_numbers_are_codes() -> None:
    entry = read(changed({"预算明细!D2": 2013102, "预算明细!E2": 30102.0, "预算明细!D3": 2013101}))
    assert [(line.function, line.economic) for line in entry.lines[:2]] == [("2013102", "30102"), ("2013101", "30102")]
    assert entry.problems == []


def test_a_row_with_a_new_project_adds_a_project_of_its_unit() -> None:
    row = ["101", 2021, OFFICE, "2013102", "30201", "项目支出", "一般公共预算拨款", "否", "新项目", 1000]

    def add(workbook: openpyxl.Workbook) -> None:
        workbook["预算明细"].append(row)

    entry = read(edited(TEMPLATE, add))
    assert entry.problems == []
    assert entry.lines[-1] == Line("2013102", "30201", Kind.PROJECT, Source.GENERAL, Decimal("1000.00"), False,
                                   "新项目", OFFICE)  # fmt: skip


def test_a_deleted_row_is_a_figure_less_and_blank_rows_are_skipped() -> None:
    def edit(workbook: openpyxl.Workbook) -> None:
        sheet = workbook["预算明细"]
        sheet.delete_rows(2)
        sheet.insert_rows(4, amount=2)

    entry = read(edited(TEMPLATE, edit))
    assert entry.problems == []
    assert entry.lines == list(DATA.lines[1:])


def test_columns_are_found_by_their_header_whatever_their_order() -> None:
    def edit(workbook: openpyxl.Workbook) -> None:
        sheet = workbook["预算明细"]
        sheet.move_range("J1:J20", cols=2)  # 金额 two columns to the right of the others
        sheet["L1"] = "金额(元)"  # typed with ASCII brackets

    assert read(edited(TEMPLATE, edit)).lines == list(DATA.lines)


def test_a_unit_nature_may_be_given_by_its_label() -> None:
    entry = read(changed({"单位!B2": "参公（参照公务员法管理的事业单位）"}))
    assert entry.units[0].nature == "参公"


def test_an_asset_date_may_be_typed_as_text_or_left_blank() -> None:
    assert read(changed({"固定资产!B1": "2021年6月30日"})).assets_as_of == date(2021, 6, 30)
    assert read(changed({"固定资产!B1": "2021/6/30"})).assets_as_of == date(2021, 6, 30)
    assert read(changed({"固定资产!B1": None})).assets_as_of is None


def test_blank_amounts_of_an_item_are_zero() -> None:
    entry = read(changed({"政府采购!E2": None, "政府采购!F2": None}))
    assert (entry.procurement[0].quantity, entry.procurement[0].unit_price) == (Decimal("0.00"), Decimal("0.00"))
    assert entry.problems == []


def test_a_blank_level1_continues_the_row_above() -> None:
    entry = read(changed({"项目绩效目标!C3": None}))
    assert entry.performance.targets[0].indicators[1].level1 == "产出指标"
    assert entry.problems == []


def test_without_either_target_sheet_the_file_says_nothing_of_the_targets() -> None:
    entry = read(without("部门整体绩效目标", "项目绩效目标"))
    assert (entry.problems, entry.performance) == ([], None)


# --- refusals, each at its cell ----------------------------------------------------------------------------------


def test_a_unit_not_on_the_units_sheet_is_refused() -> None:
    assert problems(changed({"预算明细!C2": "不存在的单位"})) == {
        "预算明细!C2": UNIT_NOT_IN_SHEET.format(unit="不存在的单位")
    }


@pytest.mark.parametrize(
    ("cell", "code", "message"),
    [
        ("D2", "20131", FUNCTION_NOT_LEAF.format(code="20131")),
        ("D2", "2013199", FUNCTION_NOT_IN_CATALOGUE.format(year=YEAR, code="2013199")),
        ("E2", "30199", ECONOMIC_NOT_IN_CATALOGUE.format(year=YEAR, code="30199")),
        ("E2", "301", "经济分类科目必须是5位的款级科目：301"),
    ],
)
def test_a_code_must_be_a_leaf_of_the_years_catalogue(cell, code, message) -> None:
    assert problems(changed({f"预算明细!{cell}": code})) == {f"预算明细!{cell}": message}


def test_two_rows_of_one_cell_are_refused_at_the_second() -> None:
    assert problems(changed({"预算明细!E3": "30101"})) == {"预算明细!A3": SAME_ROW.format(first=2)}


def test_a_project_only_on_project_rows_and_on_every_one() -> None:
    found = problems(changed({"预算明细!I2": EQUIPMENT, "预算明细!I12": None}))
    assert found == {"预算明细!I2": PROJECT_NOT_ALLOWED, "预算明细!I12": PROJECT_REQUIRED}


def test_a_project_belongs_to_the_unit_of_its_first_row() -> None:
    # Row 12 is 办公设备购置 of 本级; row 13 names it for the 服务中心.
    assert problems(changed({"预算明细!I13": EQUIPMENT})) == {
        "预算明细!I13": PROJECT_OF_OTHER_UNIT.format(project=EQUIPMENT, owner=OFFICE, unit=CENTRE)
    }


def test_appropriated_money_only_for_basic_and_project_expenditure() -> None:
    assert problems(changed({"预算明细!G15": "一般公共预算拨款"})) == {
        "预算明细!G15": FISCAL_KIND_ONLY.format(kind="经营支出")
    }


@pytest.mark.parametrize(
    ("cell", "value", "words"),
    [
        ("F2", "其他支出", "支出类型“其他支出”无效"),
        ("G2", "", "资金来源不能为空"),
        ("H2", "x", "上年结转应填“是”或“否”"),
        ("J2", "abc", "金额必须是数字"),
        ("J2", None, "金额不能为空"),
        ("J2", -5, "金额不能为负数"),
        ("J2", 1.005, "不是精确到分的数值"),
        ("B2", "21", "年度必须是四位数字"),
        ("A2", None, "部门编码不能为空"),
    ],
)
def test_each_cell_of_a_row_by_the_rules_of_the_flat_list(cell, value, words) -> None:
    [(place, message)] = problems(changed({f"预算明细!{cell}": value})).items()
    assert place == f"预算明细!{cell}"
    assert words in message


def test_rows_of_another_year_or_department_are_refused_once_each() -> None:
    found = problems(changed({"预算明细!B3": 2022, "预算明细!B4": 2022, "预算明细!A5": "102"}))
    assert found == {
        "预算明细!B3": OTHER_YEAR.format(found=2022, year=YEAR, count=2),
        "预算明细!A5": OTHER_DEPARTMENT.format(code="102", first=2, department=OWN, count=1),
    }


def test_a_file_of_another_year_says_so() -> None:
    entry = read(year=2022)
    assert entry.year == YEAR  # as the rows say
    assert entry.problems[0].place == "预算明细!B2"
    assert entry.problems[0].message == OTHER_YEAR.format(found=YEAR, year=2022, count=len(DATA.lines))


def test_units_by_the_rules_of_the_units_page() -> None:
    found = problems(changed({"单位!B2": "机关", "单位!A3": OFFICE}))
    assert found["单位!B2"] == UNIT_NATURE_INVALID
    assert found["单位!A3"] == UNIT_NAME_TWICE.format(first=2)
    assert found["预算明细!C9"] == UNIT_NOT_IN_SHEET.format(unit=CENTRE)  # the 服务中心's rows lost their unit


@pytest.mark.parametrize(
    ("cell", "value", "message"),
    [
        ("B2", None, "采购物品名称不能为空。"),
        ("A2", "项" * 201, "项目名称最多 200 字（现有 201 字）。"),
        ("D2", "单" * 21, "计量单位最多 20 字（现有 21 字）。"),
        ("E2", -1, "数量不能为负数。"),
        ("E2", 1e10, "数量超出范围：应小于 10,000,000,000。"),
        ("G2", "12.345", "一般公共预算拨款（元）最多保留两位小数。"),
        ("F2", "六千", "单价（元）必须是数字：六千"),
    ],
)
def test_procurement_items_within_what_stores_them(cell, value, message) -> None:
    assert problems(changed({f"政府采购!{cell}": value})) == {f"政府采购!{cell}": message}


@pytest.mark.parametrize(
    ("cell", "value", "message"),
    [
        ("B1", "明年", AS_OF_INVALID.format(text="明年")),
        ("B1", "2021-02-30", AS_OF_INVALID.format(text="2021-02-30")),
        ("A4", None, "资产项目不能为空。"),
        ("C5", -1, "价值（元）不能为负数。"),
    ],
)
def test_assets_and_their_date(cell, value, message) -> None:
    assert problems(changed({f"固定资产!{cell}": value})) == {f"固定资产!{cell}": message}


@pytest.mark.parametrize(
    ("cell", "value", "message"),
    [
        ("C2", "产出", LEVEL1_UNKNOWN.format(level1="产出", choices="产出指标、效益指标、满意度指标")),
        (
            "D2",
            "满意度",
            LEVEL2_UNKNOWN.format(level1="产出指标", level2="满意度", choices="数量指标、质量指标、时效指标、成本指标"),
        ),
        ("E2", None, NAME_EMPTY),
        ("G2", "≥1.1234567 万元", VALUE_INVALID),
        ("A3", None, PROJECT_MISSING),
        ("B3", "另一个目标", GOAL_TWICE.format(project=EQUIPMENT, first=2)),
        ("F2", "述" * 501, "绩效指标描述最多 500 字（现有 501 字）。"),
    ],
)
def test_project_targets_by_the_framework_and_what_stores_them(cell, value, message) -> None:
    assert problems(changed({f"项目绩效目标!{cell}": value})) == {f"项目绩效目标!{cell}": message}


def test_a_sub_goal_needs_its_name() -> None:
    assert problems(changed({"部门整体绩效目标!A6": None})) == {"部门整体绩效目标!A6": "名称不能为空。"}


def test_department_goals_within_what_stores_them() -> None:
    assert problems(changed({"部门整体绩效目标!B1": "标" * 5001})) == {
        "部门整体绩效目标!B1": "总体绩效目标最多 5000 字（现有 5001 字）。"
    }


def test_a_missing_column_is_refused_at_the_header() -> None:
    assert problems(changed({"预算明细!J1": None})) == {"预算明细!A1": MISSING_COLUMNS.format(columns="金额（元）")}


def test_a_formula_without_a_value_is_refused() -> None:
    found = problems(changed({"政府采购!F2": "=6000"}))  # saved without calculating: no cached value
    assert found == {"政府采购!F2": FORMULA_WITHOUT_VALUE}


def test_a_deleted_sheet_is_refused() -> None:
    assert problems(without("政府采购")) == {"": MISSING_SHEET.format(sheet="政府采购")}


def test_keeping_one_target_sheet_of_two_is_refused() -> None:
    entry = read(without("项目绩效目标"))
    assert [str(problem) for problem in entry.problems] == [ONE_PERFORMANCE_SHEET.format(sheet="项目绩效目标")]
    assert entry.performance is None


def test_every_problem_is_told_at_once_in_the_order_of_the_sheets() -> None:
    entry = read(changed({"项目绩效目标!C2": "产出", "预算明细!J3": -1, "单位!B2": "机关", "预算明细!C2": "无"}))
    assert [problem.place for problem in entry.problems] == ["预算明细!C2", "预算明细!J3", "单位!B2", "项目绩效目标!C2"]


# --- what is not a 录入模板 ---------------------------------------------------------------------------------------


def official_workbook() -> bytes:
    buffer = io.BytesIO()
    write_workbook(buffer, DATA)
    return buffer.getvalue()


def test_the_import_tells_a_template_from_an_official_workbook() -> None:
    assert is_entry_workbook(TEMPLATE)
    assert not is_entry_workbook(official_workbook())
    assert not is_entry_workbook(b"not a workbook")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("xl/workbook.xml", "<workbook><sheets><sheet")  # cut off
    assert not is_entry_workbook(archive.getvalue())


def test_a_workbook_without_the_figures_sheet_is_not_a_template() -> None:
    entry = read(official_workbook())
    assert [str(problem) for problem in entry.problems] == [NOT_AN_ENTRY_FILE]
    assert (entry.lines, entry.units, entry.performance) == ([], [], None)


def test_an_unsafe_file_is_refused_before_it_is_read() -> None:
    with pytest.raises(UnsafeWorkbook):
        read(b"PK\x03\x04 not really a zip")


# --- Assets held by units -------------------------------------------------------------------------------------------


def test_an_asset_keeps_the_unit_that_holds_it() -> None:
    data = replace(DATA, assets=(replace(DATA.assets[0], unit=CENTRE), *DATA.assets[1:]))
    assert_same_budget(read(entry_workbook(data)), data)


def test_a_file_without_the_unit_column_reads_every_asset_as_the_departments() -> None:
    data = replace(DATA, assets=tuple(replace(asset, unit=CENTRE) for asset in DATA.assets))

    def drop_unit_column(workbook: openpyxl.Workbook) -> None:
        sheet = workbook["固定资产"]
        column = next(cell.column for row in sheet.iter_rows() for cell in row if cell.value == "单位")
        sheet.delete_cols(column)

    entry = read(edited(entry_workbook(data), drop_unit_column))
    assert entry.problems == []
    assert entry.assets == list(DATA.assets)
    assert {asset.unit for asset in entry.assets} == {""}


def test_an_asset_of_a_unit_the_file_does_not_list_is_a_problem() -> None:
    data = replace(DATA, assets=(replace(DATA.assets[0], unit="不存在的单位"),))
    assert problems(entry_workbook(data)) == {
        "固定资产": "单位“不存在的单位”不在“单位”工作表中：请从列表中选择，新单位请先在“单位”工作表中添加。"
    }
