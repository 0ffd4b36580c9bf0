"""A snapshot keeps a budget exactly: JSON there and back gives the same plain data, tables and all."""

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given

from demo import luquan_318
from domain.ledger import AssetInfo, ProcurementInfo, UnitInfo
from domain.snapshot import snapshot_from_json, snapshot_to_json
from tests.support.figures import data_of, data_with_units
from tests.support.strategies import budgets


@given(budgets())
def test_any_budget_survives_the_round_trip(data) -> None:
    stored = json.loads(json.dumps(snapshot_to_json(data)))  # as the database's JSON column keeps it
    assert snapshot_from_json(stored) == data


def test_units_procurement_assets_and_the_asset_date_are_kept() -> None:
    data = data_of(luquan_318.BUDGET)
    data = replace(
        data,
        units=(UnitInfo("本级", "行政", "正科级", "财政拨款"),),
        procurement=(ProcurementInfo("文物保护", "图书", "A0201", "册", Decimal("10"), Decimal("25.50")),),
        assets=(AssetInfo("公务用车（辆）", Decimal("2"), Decimal("360000.00")),),
        assets_as_of=date(2020, 11, 30),
    )
    back = snapshot_from_json(json.loads(json.dumps(snapshot_to_json(data))))
    assert back == data
    assert back.procurement[0].unit_price == Decimal("25.50")


def test_the_lines_keep_their_units_and_a_snapshot_from_before_units_reads_without_them() -> None:
    data = data_with_units(luquan_318.BUDGET)
    assert len({line.unit for line in data.lines}) > 1
    stored = json.loads(json.dumps(snapshot_to_json(data)))
    assert snapshot_from_json(stored).lines == data.lines
    older = {**stored, "lines": [line[:7] for line in stored["lines"]]}  # as snapshots were written before
    assert {line.unit for line in snapshot_from_json(older).lines} == {""}


def test_the_assets_keep_their_units_and_a_snapshot_from_before_reads_them_as_the_departments() -> None:
    data = replace(
        data_of(luquan_318.BUDGET),
        assets=(AssetInfo("车辆（辆）", Decimal("1"), Decimal("200000.00"), "图书馆"),),
    )
    stored = json.loads(json.dumps(snapshot_to_json(data)))
    assert snapshot_from_json(stored).assets == data.assets
    older = {**stored, "assets": [asset[:3] for asset in stored["assets"]]}
    assert snapshot_from_json(older).assets == (AssetInfo("车辆（辆）", Decimal("1"), Decimal("200000.00")),)


def test_an_unknown_format_is_refused_rather_than_misread() -> None:
    stored = snapshot_to_json(data_of(luquan_318.BUDGET)) | {"format": 99}
    with pytest.raises(ValueError, match="unknown snapshot format"):
        snapshot_from_json(stored)
