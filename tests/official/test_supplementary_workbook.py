"""The two supplementary tables as sheets of the official workbook."""

import io

import openpyxl
import pytest

from budgets.selectors import budget_data
from domain.money import DisplayUnit
from official.workbook import HEADER_START, sheet_name, write_workbook
from tests.support.hebei_2021 import FIXED_ASSETS, OFFICIAL_TABLES, PROCUREMENT

pytestmark = pytest.mark.django_db


def workbook_of(budget, unit: DisplayUnit = DisplayUnit.WAN) -> openpyxl.Workbook:
    buffer = io.BytesIO()
    write_workbook(buffer, budget_data(budget), unit)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


def data_rows(sheet, layout) -> list[tuple]:
    first = HEADER_START + layout.header_depth + 1  # 1-based; no 栏次 row in these tables
    return [
        row
        for row in sheet.iter_rows(min_row=first, max_col=layout.width, values_only=True)
        if any(value is not None for value in row)
    ]


def test_both_sheets_follow_the_ten_tables(demo) -> None:
    names = workbook_of(demo["318"]).sheetnames
    # The official tables, then (budget 318 has targets) the 绩效目标 sheets.
    assert names[10:12] == ["部门政府采购预算", "部门固定资产占用情况表"]
    assert len(OFFICIAL_TABLES) == 12
    assert names[12:] == ["部门整体绩效目标", *(f"绩效目标表{n}" for n in range(1, 7))]


def test_procurement_sheet_has_the_merged_header(demo) -> None:
    sheet = workbook_of(demo["318"])[sheet_name(PROCUREMENT)]
    merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}
    assert {"A3:B3", "C3:C4", "D3:D4", "E3:E4", "F3:F4", "G3:G4", "H3:L3"} <= merged
    assert sheet["A3"].value == "政府采购项目来源"
    assert sheet["H3"].value == "政府采购金额（当年部门预算安排资金）"
    assert [sheet.cell(row=4, column=col).value for col in (1, 2, 8, 9, 10, 11, 12)] == [
        "项目名称",
        "预算资金",
        "合计",
        "一般公共预算拨款",
        "基金预算拨款",
        "国有资本经营预算拨款",
        "财政专户核拨",
    ]
    assert sheet["L2"].value == "单位：万元"
    assert sheet.freeze_panes == "A5"
    assert sheet.print_title_rows == "$3:$4"


@pytest.mark.parametrize(
    ("unit", "books"),
    [(DisplayUnit.WAN, (32.0, 30.0, 30.0)), (DisplayUnit.YUAN, (320000.0, 300000.0, 300000.0))],
    ids=["WAN", "YUAN"],
)
def test_procurement_figures(demo, unit, books) -> None:
    sheet = workbook_of(demo["318"], unit)[sheet_name(PROCUREMENT)]
    total, first, second = data_rows(sheet, PROCUREMENT)
    assert total[0] == "合计"
    assert first[:6] == ("图书馆图书购置", books[0], "图书", "A050401", "批", 1)
    assert (first[6], first[7], first[8]) == (books[1], books[2], books[2])
    assert second[0] == "公务用车购置"
    assert sheet["F6"].number_format == "General"  # quantity: a number, not an amount
    assert sheet["G6"].number_format == "0.00"


@pytest.mark.parametrize("unit", list(DisplayUnit), ids=lambda unit: unit.name)
def test_asset_values_stay_in_yuan(demo, unit) -> None:
    sheet = workbook_of(demo["318"], unit)[sheet_name(FIXED_ASSETS)]
    assert sheet["A1"].value == "部门固定资产占用情况表"
    # Three columns leave no room for 预算年度 beside the department line (the example prints none here).
    assert [cell.value for cell in sheet[2]] == ["318 石家庄市鹿泉区文化广电和旅游局", None, "截止时间：2020-12-31"]
    assert [cell.value for cell in sheet[3]] == ["项目", "数量", "价值（金额单位：元）"]
    assert data_rows(sheet, FIXED_ASSETS) == [
        ("合计", None, pytest.approx(5597150.50)),
        ("房屋（处）", 1, 3260000.0),
        ("车辆（辆）", 2, 356800.0),
        ("办公设备（台、套）", 86, pytest.approx(412350.50)),
        ("图书（万册）", pytest.approx(5.2), 1568000.0),
    ]
    assert sheet["C4"].number_format == "0.00"
    assert sheet["B5"].number_format == "General"


def test_202_sheets_print_the_notes(demo) -> None:
    workbook = workbook_of(demo["202"])
    procurement = workbook[sheet_name(PROCUREMENT)]
    assert data_rows(procurement, PROCUREMENT) == [("注：无政府采购预算，空表列示。", *[None] * 11)]
    assets = workbook[sheet_name(FIXED_ASSETS)]
    assert data_rows(assets, FIXED_ASSETS) == [("注：无固定资产占用情况，空表列示。", None, None)]
    assert assets["C2"].value == "截止时间：2020-12-31"
