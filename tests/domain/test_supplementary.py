"""部门政府采购预算 and 部门固定资产占用情况表 from hand-made plain data, and how they print."""

from datetime import date
from decimal import Decimal

import pytest

from domain.classifications import Kind, Source
from domain.ledger import AssetInfo, BudgetData, Catalogue, Line, ProcurementInfo
from domain.money import DisplayUnit
from domain.supplementary import asset_rows, assets_as_of, assets_from_table, procurement_rows, project_amounts
from official.layout import ColumnKind
from official.render import format_quantity, print_table
from tests.support.hebei_2021 import FIXED_ASSETS, PROCUREMENT

B, P = Kind.BASIC, Kind.PROJECT
G = Source.GENERAL
CATALOGUE = Catalogue({}, {})
ZERO = Decimal("0.00")


def budget(
    *lines: Line,
    procurement: tuple[ProcurementInfo, ...] = (),
    assets: tuple[AssetInfo, ...] = (),
    as_of: date | None = None,
) -> BudgetData:
    return BudgetData(
        "318",
        "文化广电和旅游局",
        2021,
        CATALOGUE,
        lines,
        procurement=procurement,
        assets=assets,
        assets_as_of=as_of,
    )


BOOKS_LINES = (
    Line("2070104", "30218", P, G, Decimal("300000.00"), project="图书购置"),
    Line("2070104", "30218", P, Source.OTHER, Decimal("20000.00"), project="图书购置"),
    Line("2070104", "31007", P, Source.BUSINESS, Decimal("5000.50"), carried_over=True, project="图书购置"),
    Line("2070199", "31013", P, G, Decimal("180000.00"), project="公务用车购置"),
    Line("2070101", "30101", B, G, Decimal("999999.00")),
)
BOOKS = ProcurementInfo(
    "图书购置",
    "图书",
    "A050401",
    "批",
    Decimal("1.00"),
    Decimal("300000.00"),
    general=Decimal("250000.00"),
    special_account=Decimal("50000.00"),
)
SHELVES = ProcurementInfo(
    "图书购置", "书架", "A060501", "组", Decimal("12.00"), Decimal("1500.00"), govfund=Decimal("18000.00")
)
PRINTER = ProcurementInfo(
    "", "打印机", "A020201", "台", Decimal("2.00"), Decimal("2500.50"), statecap=Decimal("5001.00")
)


# plain data ------------------------------------------------------------------------------------------------


def test_existing_callers_still_build_lines_and_budgets() -> None:
    line = Line("2013101", "30101", B, G, Decimal("1.00"))
    data = BudgetData("202", "办公室", 2021, CATALOGUE, (line,))
    assert line.project == ""
    assert (data.units, data.procurement, data.assets, data.assets_as_of) == ((), (), (), None)


def test_procurement_item_total_is_the_sum_of_its_funds() -> None:
    assert BOOKS.total == Decimal("300000.00")
    assert PRINTER.total == Decimal("5001.00")


def test_project_amounts_sum_every_line_of_a_project() -> None:
    assert project_amounts(BOOKS_LINES) == {"图书购置": Decimal("325000.50"), "公务用车购置": Decimal("180000.00")}


# 部门政府采购预算 -----------------------------------------------------------------------------------------


def test_no_procurement_no_rows() -> None:
    assert procurement_rows(budget(*BOOKS_LINES)) == []


def test_procurement_rows() -> None:
    rows = procurement_rows(budget(*BOOKS_LINES, procurement=(BOOKS, SHELVES, PRINTER)))
    total, books, shelves, printer = rows
    assert total.emphasis
    assert not books.emphasis
    assert total.cells == {
        "project": "合计",
        "project_amount": Decimal("325000.50"),  # 图书购置 once, although it funds two items
        "total": Decimal("323001.00"),
        "general": Decimal("250000.00"),
        "govfund": Decimal("18000.00"),
        "statecap": Decimal("5001.00"),
        "special": Decimal("50000.00"),
    }
    assert books.cells == {
        "project": "图书购置",
        "project_amount": Decimal("325000.50"),  # derived from the project's lines, carried-over ones included
        "item_name": "图书",
        "catalogue_number": "A050401",
        "measure_unit": "批",
        "quantity": Decimal("1.00"),
        "unit_price": Decimal("300000.00"),
        "total": Decimal("300000.00"),
        "general": Decimal("250000.00"),
        "govfund": ZERO,
        "statecap": ZERO,
        "special": Decimal("50000.00"),
    }
    assert shelves.cells["project_amount"] == Decimal("325000.50")
    assert shelves.cells["total"] == Decimal("18000.00")
    # An item with no source project prints neither name nor 预算资金.
    assert printer.cells["project"] == ""
    assert printer.cells["project_amount"] is None
    assert printer.cells["total"] == Decimal("5001.00")


def test_a_project_without_lines_has_no_budget() -> None:
    item = ProcurementInfo("尚未编列的项目", "电脑", "", "台", Decimal("1.00"), Decimal("6000.00"), Decimal("6000.00"))
    total, row = procurement_rows(budget(procurement=(item,)))
    assert row.cells["project_amount"] == ZERO
    assert total.cells["project_amount"] == ZERO


def test_procurement_prints_in_wan_with_quantities_as_numbers() -> None:
    table = print_table(PROCUREMENT, budget(*BOOKS_LINES, procurement=(BOOKS, SHELVES, PRINTER)))
    assert table.unit_line == table.meta_line == "单位：万元"
    assert [row.texts for row in table.rows] == [
        ["合计", "32.50", "", "", "", "", "", "32.30", "25.00", "1.80", "0.50", "5.00"],
        ["图书购置", "32.50", "图书", "A050401", "批", "1", "30.00", "30.00", "25.00", "", "", "5.00"],
        ["图书购置", "32.50", "书架", "A060501", "组", "12", "0.15", "1.80", "", "1.80", "", ""],
        ["", "", "打印机", "A020201", "台", "2", "0.25", "0.50", "", "", "0.50", ""],
    ]
    assert [row.serial for row in table.rows] == [None] * 4
    quantity = next(cell for cell in table.rows[2].cells if cell.column.key == "quantity")
    assert quantity.value == Decimal("12.00")


def test_empty_procurement_prints_the_examples_note() -> None:
    table = print_table(PROCUREMENT, budget())
    assert table.rows == []
    assert table.note == "注：无政府采购预算，空表列示。"


def test_procurement_header_is_the_examples() -> None:
    assert PROCUREMENT.numbered is False
    assert PROCUREMENT.header_depth == 2
    assert [(cell.text, cell.row, cell.col, cell.rowspan, cell.colspan) for cell in PROCUREMENT.header_rows[0]] == [
        ("政府采购项目来源", 0, 0, 1, 2),
        ("采购物品名称", 0, 2, 2, 1),
        ("政府采购目录序号", 0, 3, 2, 1),
        ("计量单位", 0, 4, 2, 1),
        ("数量", 0, 5, 2, 1),
        ("单价", 0, 6, 2, 1),
        ("政府采购金额（当年部门预算安排资金）", 0, 7, 1, 5),
    ]
    assert [cell.text for cell in PROCUREMENT.header_rows[1]] == [
        "项目名称",
        "预算资金",
        "合计",
        "一般公共预算拨款",
        "基金预算拨款",
        "国有资本经营预算拨款",
        "财政专户核拨",
    ]


# 部门固定资产占用情况表 -----------------------------------------------------------------------------------

ASSETS = (
    AssetInfo("房屋（处）", Decimal("1.00"), Decimal("3260000.00")),
    AssetInfo("车辆（辆）", Decimal("2.00"), Decimal("356800.00")),
    AssetInfo("图书（万册）", Decimal("5.20"), Decimal("1568000.55")),
)


def test_no_assets_no_rows() -> None:
    assert asset_rows(budget()) == []


def test_asset_rows() -> None:
    total, *items = asset_rows(budget(assets=ASSETS))
    assert total.emphasis
    assert total.cells == {"item": "合计", "value": Decimal("5184800.55")}
    assert [row.cells for row in items] == [
        {"item": asset.item, "quantity": asset.quantity, "value": asset.value} for asset in ASSETS
    ]


def test_assets_as_of_defaults_to_the_end_of_the_previous_year() -> None:
    assert assets_as_of(budget()) == date(2020, 12, 31)
    assert assets_as_of(budget(as_of=date(2020, 6, 30))) == date(2020, 6, 30)


@pytest.mark.parametrize("unit", list(DisplayUnit), ids=lambda unit: unit.name)
def test_asset_values_print_in_yuan_whatever_the_unit(unit) -> None:
    table = print_table(FIXED_ASSETS, budget(assets=ASSETS), unit)
    assert [row.texts for row in table.rows] == [
        ["合计", "", "5184800.55"],
        ["房屋（处）", "1", "3260000.00"],
        ["车辆（辆）", "2", "356800.00"],
        ["图书（万册）", "5.2", "1568000.55"],
    ]
    assert table.rows[0].cells[2].value == Decimal("5184800.55")
    # No 单位 line: the values say 元 in their header; the line shows 截止时间 instead.
    assert table.unit_line == ""
    assert table.meta_line == "截止时间：2020-12-31"


def test_asset_table_meta_line_follows_the_stored_date() -> None:
    table = print_table(FIXED_ASSETS, budget(as_of=date(2020, 11, 30)))
    assert table.meta_line == "截止时间：2020-11-30"
    assert table.note == "注：无固定资产占用情况，空表列示。"


def test_asset_layout() -> None:
    assert FIXED_ASSETS.numbered is False
    assert [column.title for column in FIXED_ASSETS.columns] == ["项目", "数量", "价值（金额单位：元）"]
    assert [column.kind for column in FIXED_ASSETS.columns] == [ColumnKind.TEXT, ColumnKind.NUMBER, ColumnKind.MONEY]
    assert [column.always_yuan for column in FIXED_ASSETS.columns] == [False, False, True]
    assert not FIXED_ASSETS.has_amounts  # no amount in the display unit, hence no 单位 line


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        ("3", "3"),
        ("3.00", "3"),
        ("1.50", "1.5"),
        ("0.25", "0.25"),
        ("10000", "10000"),
        ("1E+2", "100"),
        ("2.005", "2.01"),
        ("0.00", ""),
    ],
)
def test_quantities_print_with_at_most_two_decimals(value: str, printed: str) -> None:
    assert format_quantity(Decimal(value)) == printed


def test_no_quantity_prints_empty() -> None:
    assert format_quantity(None) == ""


# --- Assets held by units -----------------------------------------------------------------------------------------

D = Decimal
CARS, VOLUMES = "车辆（辆）", "图书（万册）"
HELD = (
    AssetInfo(CARS, D("2"), D("300000.00"), "本级"),
    AssetInfo(VOLUMES, D("5"), D("150000.00"), "图书馆"),
    AssetInfo(CARS, D("1"), D("100000.00"), "图书馆"),
)


def test_the_table_prints_each_item_once_with_the_units_holdings_summed() -> None:
    rows = asset_rows(budget(assets=HELD))
    assert [(row.cells["item"], row.cells.get("quantity"), row.cells["value"]) for row in rows] == [
        ("合计", None, D("550000.00")),
        (CARS, D("3"), D("400000.00")),
        (VOLUMES, D("5"), D("150000.00")),
    ]


def test_a_table_as_stored_keeps_every_units_holding() -> None:
    printed = [AssetInfo(CARS, D("3"), D("400000.00")), AssetInfo(VOLUMES, D("5"), D("150000.00"))]
    assert assets_from_table(HELD, printed) == [HELD[0], HELD[2], HELD[1]]


def test_a_changed_item_stays_its_one_units_and_one_of_several_becomes_the_departments() -> None:
    printed = [AssetInfo(CARS, D("4"), D("500000.00")), AssetInfo(VOLUMES, D("6"), D("160000.00"))]
    assert assets_from_table(HELD, printed) == [
        AssetInfo(CARS, D("4"), D("500000.00")),
        AssetInfo(VOLUMES, D("6"), D("160000.00"), "图书馆"),
    ]


def test_an_item_the_table_drops_is_gone_and_a_new_one_is_the_departments() -> None:
    printed = [AssetInfo(VOLUMES, D("5"), D("150000.00")), AssetInfo("房屋（平方米）", D("800"), D("0.00"))]
    assert assets_from_table(HELD, printed) == [HELD[1], AssetInfo("房屋（平方米）", D("800"), D("0.00"))]
