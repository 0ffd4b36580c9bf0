"""The 录入模板's columns: the fields of what they hold, in the words of the official tables."""

from dataclasses import fields

from domain.ledger import AssetInfo, ProcurementInfo, UnitInfo
from official.entry_layout import (
    ALIASES,
    ASSET_COLUMNS,
    ASSETS_SHEET,
    PROCUREMENT_COLUMNS,
    TARGET_SHEET_COLUMNS,
    UNIT_COLUMNS,
    YUAN_SUFFIX,
)
from official.targets_layout import TARGET_COLUMNS
from tests.support.hebei_2021 import FIXED_ASSETS, PROCUREMENT, UNITS


def titles(columns) -> list[str]:
    return [column.title for column in columns]


def test_each_table_has_a_column_per_field_of_what_it_holds() -> None:
    for columns, held in ((UNIT_COLUMNS, UnitInfo), (PROCUREMENT_COLUMNS, ProcurementInfo), (ASSET_COLUMNS, AssetInfo)):
        assert [column.key for column in columns] == [field.name for field in fields(held)]


def test_the_units_are_titled_as_the_official_table_prints_them() -> None:
    assert titles(UNIT_COLUMNS) == titles(UNITS.columns)


def test_procurement_is_the_official_table_less_what_is_derived_with_amounts_in_yuan() -> None:
    derived = {"project_amount", "total"}  # 预算资金 (the project's lines) and 合计 (the funds')
    official = [column.title for column in PROCUREMENT.columns if column.key not in derived]
    assert [title.removesuffix(YUAN_SUFFIX) for title in titles(PROCUREMENT_COLUMNS)] == official
    assert {column.title.endswith(YUAN_SUFFIX) for column in PROCUREMENT_COLUMNS if column.is_money} == {True}


def test_the_official_asset_titles_are_read_too() -> None:
    official = titles(FIXED_ASSETS.columns)  # 项目, 数量, 价值（金额单位：元）
    accepted = {column.key: {column.title, *ALIASES[ASSETS_SHEET].get(column.key, ())} for column in ASSET_COLUMNS}
    assert all(title in accepted[key] for key, title in zip(("item", "quantity", "value"), official, strict=True))


def test_the_targets_are_the_printed_target_table_under_project_and_goal() -> None:
    assert TARGET_SHEET_COLUMNS[2:] == TARGET_COLUMNS
    assert titles(TARGET_SHEET_COLUMNS[:2]) == ["项目", "绩效目标"]
