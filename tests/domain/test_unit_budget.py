"""One unit's budget from its department's (domain.unit_budget): the unit's items replaced in place."""

from dataclasses import replace
from decimal import Decimal

from demo import luquan_318
from domain.ledger import AssetInfo, ProcurementInfo
from domain.unit_budget import unit_budget, with_unit_items
from tests.support.figures import data_with_units


def item(project: str, name: str) -> ProcurementInfo:
    return ProcurementInfo(project, name)


STORED = (item("甲", "a"), item("乙", "b1"), item("", "c"), item("乙", "b2"), item("丙", "d"))


def test_the_units_items_take_the_place_of_its_first_and_the_others_keep_their_order() -> None:
    new = [item("乙", "x"), item("乙", "y")]
    assert with_unit_items(STORED, {"乙"}, new) == [item("甲", "a"), *new, item("", "c"), item("丙", "d")]


def test_a_unit_without_items_adds_its_own_at_the_end() -> None:
    assert with_unit_items(STORED, {"丁"}, [item("丁", "z")]) == [*STORED, item("丁", "z")]


def test_no_items_remove_the_units_and_nothing_else() -> None:
    assert with_unit_items(STORED, {"乙", "丙"}, []) == [item("甲", "a"), item("", "c")]


def test_a_units_budget_holds_its_own_assets_only() -> None:
    data = data_with_units(luquan_318.BUDGET)
    first, second = data.units[0].name, data.units[1].name
    assets = (
        AssetInfo("车辆（辆）", Decimal("1"), Decimal("1.00"), first),
        AssetInfo("图书", Decimal("2"), Decimal("2.00")),
    )
    data = replace(data, assets=assets)
    assert unit_budget(data, first).assets == assets[:1]
    assert unit_budget(data, second).assets == ()
