"""department_replace_units: all or nothing, locked and revisioned through the budget, logged in its trail."""

import pytest

from budgets.models import Budget, BudgetEvent
from budgets.services.errors import StaleRevision
from budgets.services.structure import department_replace_units
from catalog.models import BudgetYear
from departments.models import Unit
from domain.errors import BudgetFiguresError
from domain.structure import UNIT_NAME_REQUIRED, UNIT_NAME_TWICE, UNIT_NATURE_INVALID, UnitInput
from domain.workflow import BudgetState
from tests.support.factories import UnitFactory

pytestmark = pytest.mark.django_db


def stored(budget: Budget) -> list[UnitInput]:
    units = budget.department.units.order_by("position", "id")
    return [UnitInput(unit.pk, unit.name, unit.nature, unit.rank, unit.funding_form) for unit in units]


def snapshot(budget: Budget) -> tuple:
    budget.refresh_from_db()
    units = list(budget.department.units.order_by("pk").values_list("pk", "name", "nature", "rank", "position"))
    return budget.revision, budget.events.count(), units


def test_the_same_units_change_nothing_and_make_no_revision(demo) -> None:
    budget = demo["202"]
    before = snapshot(budget)
    assert department_replace_units(budget=budget, units=stored(budget), expected_revision=budget.revision) == 0
    assert snapshot(budget) == before


def test_a_change_is_logged_with_old_and_new_and_bumps_the_revision(demo) -> None:
    budget = demo["202"]
    units = stored(budget)
    units[1] = UnitInput(units[1].id, units[1].name, "其他", "副科级", units[1].funding_form)
    revision = budget.revision
    assert department_replace_units(budget=budget, units=units, actor=None, expected_revision=revision) == 2
    budget.refresh_from_db()
    assert budget.revision == revision + 1
    event = BudgetEvent.objects.get(budget=budget, action="units")
    assert event.changes == [
        ["单位“中共石家庄市鹿泉区委信息中心”单位性质", "事业", "其他"],
        ["单位“中共石家庄市鹿泉区委信息中心”单位规格", "正科级", "副科级"],
    ]


def test_a_unit_used_in_another_years_budget_is_not_removed(demo) -> None:
    """Units are the department's: figures of any year keep their unit."""
    budget = demo["202"]
    spare = UnitFactory(department=budget.department, name="去年的单位", position=9)
    year = BudgetYear.objects.create(year=2020)
    old = Budget.objects.create(department=budget.department, year=year, state=BudgetState.APPROVED)
    old.projects.create(unit=spare, name="去年的项目")
    before = snapshot(budget)
    with pytest.raises(BudgetFiguresError) as refused:
        department_replace_units(budget=budget, units=stored(budget)[:2], expected_revision=budget.revision)
    assert "单位“去年的单位”不能删除：2020年预算中还有它的预算数字、项目或固定资产" in str(refused.value)
    assert snapshot(budget) == before


def test_a_unit_holding_fixed_assets_is_not_removed(demo) -> None:
    budget = demo["202"]
    spare = UnitFactory(department=budget.department, name="有资产的单位", position=9)
    budget.fixed_assets.create(unit=spare, item="车辆（辆）", quantity=1, value_yuan=1)
    before = snapshot(budget)
    with pytest.raises(
        BudgetFiguresError, match="单位“有资产的单位”不能删除：2021年预算中还有它的预算数字、项目或固定资产"
    ):
        department_replace_units(budget=budget, units=stored(budget)[:2], expected_revision=budget.revision)
    assert snapshot(budget) == before


def test_every_problem_is_reported_at_once_and_nothing_is_written(demo) -> None:
    budget = demo["202"]
    office, centre = stored(budget)
    units = [
        UnitInput(office.id, centre.name, "行政"),
        UnitInput(centre.id, centre.name, "党群"),
        UnitInput(None, "", "事业"),
    ]
    before = snapshot(budget)
    with pytest.raises(BudgetFiguresError) as refused:
        department_replace_units(budget=budget, units=units)
    assert [(error.index, error.field, error.message) for error in refused.value.errors] == [
        (2, "name", UNIT_NAME_TWICE.format(first=1)),
        (2, "nature", UNIT_NATURE_INVALID),
        (3, "name", UNIT_NAME_REQUIRED),
    ]
    assert snapshot(budget) == before


def test_no_units_at_all_is_refused(demo) -> None:
    budget = demo["318"]
    with pytest.raises(BudgetFiguresError, match="部门至少要有一个单位"):
        department_replace_units(budget=budget, units=[])
    assert budget.department.units.count() == 3


def test_a_stale_revision_and_a_frozen_budget_are_refused(demo) -> None:
    budget = demo["202"]
    units = [UnitInput(u.id, u.name + "（改）", u.nature, u.rank, u.funding_form) for u in stored(budget)]
    before = snapshot(budget)
    with pytest.raises(StaleRevision):
        department_replace_units(budget=budget, units=units, expected_revision=budget.revision - 1)
    Budget.objects.filter(pk=budget.pk).update(state=BudgetState.APPROVED)
    with pytest.raises(BudgetFiguresError, match="数字不能修改"):
        department_replace_units(budget=budget, units=units)
    assert snapshot(budget)[2] == before[2]


def test_a_new_unit_may_take_the_name_of_a_removed_one(demo) -> None:
    budget = demo["202"]
    spare = UnitFactory(department=budget.department, name="旧名", position=9)
    units = [*stored(budget)[:2], UnitInput(None, "旧名", "企业")]
    department_replace_units(budget=budget, units=units)
    assert not Unit.objects.filter(pk=spare.pk).exists()
    assert Unit.objects.get(department=budget.department, name="旧名").nature == "企业"
