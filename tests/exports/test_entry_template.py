"""The 录入模板 as written: the budget as stored, one row per figure, in sheets Excel keeps as they are."""

import io
from dataclasses import replace
from decimal import Decimal

import openpyxl
import pytest

from budgets.resources import HEADERS
from domain.classifications import Kind, Source
from domain.ledger import Line, UnitInfo
from domain.performance.targets import Performance, TargetTable
from domain.performance.values import IndicatorValue, parse_value
from exports.entry_template import entry_workbook, indicator_text
from official.entry_layout import SHEETS
from tests.support.budgets import ARCHIVES, EQUIPMENT, OFFICE, OWN, YEAR, own_data

DATA = own_data()


def workbook(data=DATA) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(entry_workbook(data)))


def rows(sheet, first: int = 1) -> list[tuple]:
    return [row for row in sheet.iter_rows(min_row=first, values_only=True) if any(v is not None for v in row)]


def validations(sheet) -> dict[str, str]:
    """The drop-down list of each validated range, by the range's first column."""
    return {str(dv.sqref).rstrip("0123456789:")[0]: dv.formula1 for dv in sheet.data_validations.dataValidation}


def column_format(sheet, col: int) -> str:
    """The number format of a column (the file may give neighbouring columns one entry)."""
    return next(dim.number_format for dim in sheet.column_dimensions.values() if dim.min <= col <= dim.max)


def test_the_sheets_come_in_the_order_of_the_layout() -> None:
    assert (
        workbook().sheetnames
        == list(SHEETS)
        == [
            "说明",
            "预算明细",
            "单位",
            "政府采购",
            "固定资产",
            "部门整体绩效目标",
            "项目绩效目标",
        ]
    )


def test_each_figure_is_one_row_under_the_admins_headers() -> None:
    sheet = workbook()["预算明细"]
    header, *lines = rows(sheet)
    assert header == HEADERS
    assert len(lines) == len(DATA.lines)
    assert lines[0] == (OWN, YEAR, OFFICE, "2013101", "30101", "基本支出", "一般公共预算拨款", "否", None, 300000)
    assert lines[-3] == (OWN, YEAR, "石家庄市测试局服务中心", "2013102", "30201", "项目支出", "一般公共预算拨款", "否",
                         ARCHIVES, 40000)  # fmt: skip
    assert lines[-2][7] == "是"  # 上年结转
    assert {line[5] for line in lines} == {"基本支出", "项目支出", "经营支出"}


def test_amounts_are_numbers_in_yuan_with_two_decimals_and_codes_are_text() -> None:
    sheet = workbook()["预算明细"]
    amount, function, economic = sheet["J2"], sheet["D2"], sheet["E2"]
    assert (amount.data_type, amount.number_format) == ("n", "0.00")
    assert (function.data_type, economic.data_type) == ("s", "s")
    # A code typed in a new row stays text too: the code columns are formatted as text.
    assert column_format(sheet, 4) == column_format(sheet, 5) == "@"


def test_an_amount_keeps_its_fen() -> None:
    line = replace(DATA.lines[0], amount=Decimal("1234567890.07"))
    sheet = workbook(replace(DATA, lines=(line,)))["预算明细"]
    assert f"{sheet['J2'].value:.2f}" == "1234567890.07"


def test_text_excel_would_run_as_a_formula_is_written_quoted_as_text() -> None:
    name = '=HYPERLINK("http://evil","x")'
    data = replace(
        DATA,
        units=(UnitInfo(name, "行政", "", ""),),
        lines=(Line("2013101", "30101", Kind.BASIC, Source.GENERAL, Decimal("1.00"), unit=name),),
    )
    book = workbook(data)
    for cell in (book["预算明细"]["C2"], book["单位"]["A2"]):
        assert (cell.value, cell.data_type) == ("'" + name, "s")


def test_header_rows_are_frozen() -> None:
    book = workbook()
    frozen = {name: book[name].freeze_panes for name in SHEETS}
    assert frozen == {
        "说明": None,
        "预算明细": "A2",
        "单位": "A2",
        "政府采购": "A2",
        "固定资产": "A4",  # under 截止时间
        "部门整体绩效目标": None,  # its texts may be taller than a screen
        "项目绩效目标": "A2",
    }


def test_the_columns_people_choose_from_have_drop_down_lists() -> None:
    book = workbook()
    figures = validations(book["预算明细"])
    assert figures["F"] == '"' + ",".join(str(kind.label) for kind in Kind) + '"'
    assert figures["G"] == '"' + ",".join(str(source.label) for source in Source) + '"'
    assert figures["H"] == '"是,否"'
    assert figures["C"] == "'单位'!$A$2:$A$3"  # the units' names as the 单位 sheet lists them
    # A unit just added on the 单位 sheet is not in that list: Excel asks, and takes it once confirmed.
    lenient = {
        str(dv.sqref)[0] for dv in book["预算明细"].data_validations.dataValidation if dv.errorStyle == "warning"
    }
    assert lenient == {"C"}  # the others stop (Excel's default)
    assert validations(book["单位"]) == {"B": '"行政,事业,参公,企业,其他"'}
    assert validations(book["项目绩效目标"])["C"] == '"产出指标,效益指标,满意度指标"'


def test_the_units_procurement_and_assets_are_written_in_yuan() -> None:
    book = workbook()
    assert rows(book["单位"]) == [
        ("单位名称", "单位性质", "单位规格", "经费保障形式"),
        (OFFICE, "行政", "正科级", "财政拨款"),
        ("石家庄市测试局服务中心", "事业", "正科级", "财政拨款"),
    ]
    header, first, _ = rows(book["政府采购"])
    assert header[:6] == ("项目名称", "采购物品名称", "政府采购目录序号", "计量单位", "数量", "单价（元）")
    assert first == (EQUIPMENT, "台式计算机", "A02010104", "台", 10, 6000, 60000, 0, 0, 0)
    assets = book["固定资产"]
    assert (assets["A1"].value, assets["B1"].value.date(), assets["B1"].number_format) == (
        "截止时间",
        DATA.assets_as_of,
        "yyyy-mm-dd",
    )
    assert rows(assets, first=3) == [
        ("资产项目", "数量", "价值（元）", "单位"),
        ("车辆（辆）", 1, 180000, None),  # the department's own: no unit holds it
        ("办公设备（台、套）", 25, 150000.5, None),
    ]


def test_no_asset_date_leaves_its_cell_blank() -> None:
    assert workbook(replace(DATA, assets_as_of=None))["固定资产"]["B1"].value is None


def test_the_department_goals_are_two_texts_and_a_table_of_sub_goals() -> None:
    sheet = workbook()["部门整体绩效目标"]
    goals = DATA.performance.goals
    assert [(sheet[f"A{row}"].value, sheet[f"B{row}"].value) for row in (1, 2)] == [
        ("总体绩效目标", goals.overall),
        ("工作保障措施", goals.measures),
    ]
    assert sheet["A4"].value == "分项绩效目标"
    assert rows(sheet, first=5) == [
        ("名称", "绩效目标", "绩效指标"),
        *((s.title, s.goal, s.indicators) for s in goals.sub_goals),
    ]


def test_each_indicator_is_a_row_of_its_project_with_the_goal_on_the_first() -> None:
    header, *indicators = rows(workbook()["项目绩效目标"])
    assert header == (
        "项目",
        "绩效目标",
        "一级指标",
        "二级指标",
        "三级指标",
        "绩效指标描述",
        "指标值",
        "指标值确定依据",
    )
    tables = DATA.performance.targets
    assert len(indicators) == sum(len(table.indicators) for table in tables)
    assert indicators[0] == (
        EQUIPMENT,
        tables[0].goal,
        "产出指标",
        "数量指标",
        "购置计算机数量",
        "购置计算机数量",
        "10 台",
        "工作计划",
    )
    assert indicators[1][:2] == (EQUIPMENT, None)
    assert indicators[5][:2] == (ARCHIVES, tables[1].goal)


def test_a_project_without_indicators_is_one_row_with_its_goal() -> None:
    performance = Performance(targets=(TargetTable("新项目", "目标"),))
    assert rows(workbook(replace(DATA, performance=performance))["项目绩效目标"])[1] == ("新项目", "目标", *[None] * 6)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (parse_value(">=98%"), ">=98%"),  # as typed: it reads as the same value
        (parse_value("保障"), "保障"),
        (IndicatorValue("≥", Decimal("98"), "%"), "≥98%"),  # no text kept: as printed
        (IndicatorValue("≥", Decimal("98"), "%", raw="≥ 90%"), "≥98%"),  # the text says otherwise: as printed
        (parse_value("2021 年底前完成"), "2021 年底前完成"),  # unparsed: as typed
    ],
)
def test_an_indicator_value_is_shown_as_typed_when_that_reads_the_same(value, shown) -> None:
    assert indicator_text(value) == shown


def test_the_readme_says_what_the_file_is_and_how_to_fill_it_in() -> None:
    text = "\n".join(cell for (cell,) in rows(workbook()["说明"]))
    assert text.startswith(f"{YEAR}年度部门预算录入模板：{OWN} 石家庄市测试局")
    for words in ("每行是一个数字", "以元为单位", "新增项目", "项目支出", "由系统根据本文件计算"):
        assert words in text


def test_a_budget_without_figures_still_has_every_sheet_and_header() -> None:
    empty = replace(DATA, lines=(), procurement=(), assets=(), assets_as_of=None, performance=Performance())
    book = workbook(empty)
    assert book.sheetnames == list(SHEETS)
    assert rows(book["预算明细"]) == [HEADERS]
    assert rows(book["项目绩效目标"])[0][0] == "项目"
    assert rows(book["政府采购"])[0][0] == "项目名称"
