"""Writes of performance targets one part at a time: checked, locked, all or nothing, in the budget's trail."""

from dataclasses import replace
from decimal import Decimal

import pytest

from accounts.models import User
from budgets.models import Budget, BudgetEvent
from budgets.services.errors import StaleRevision
from budgets.services.targets import budget_replace_goals, budget_replace_performance, budget_replace_target
from domain.errors import BudgetFiguresError
from domain.performance.targets import DepartmentGoals, Indicator, Performance, SubGoal, TargetTable
from domain.performance.values import IndicatorValue, build_value, parse_value
from domain.workflow import BudgetState
from performance.models import Indicator as IndicatorModel
from performance.models import LibraryIndicator
from performance.models import SubGoal as SubGoalModel
from performance.models import TargetTable as TableModel
from performance.selectors import budget_performance
from performance.services import library_delete, library_save
from tests.support.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

PROJECT = "文化惠民演出"


def fresh(budget: Budget) -> Budget:
    return Budget.objects.get(pk=budget.pk)


def stored_table(budget: Budget, project: str = PROJECT) -> TargetTable | None:
    return next((table for table in budget_performance(budget).targets if table.project == project), None)


def two_rows() -> tuple[Indicator, ...]:
    return (
        Indicator("产出指标", "数量指标", "演出场次", "全年演出场次", build_value("≥", Decimal(80), "场", ""), "计划"),
        Indicator("效益指标", "社会效益指标", "群众文化生活", "", build_value("", None, "", "改善"), ""),
    )


def test_a_target_table_is_replaced_structured_in_the_trail_with_a_new_revision(demo) -> None:
    budget, actor = demo["318"], User.objects.get(username="acc318")
    revision = fresh(budget).revision
    table = TargetTable("ignored: the project is named apart", "新的绩效目标", two_rows())
    changed = budget_replace_target(
        budget=budget, project_name=PROJECT, table=table, actor=actor, expected_revision=revision
    )
    assert stored_table(budget) == replace(table, project=PROJECT)
    first = IndicatorModel.objects.get(table__project__name=PROJECT, table__project__budget=budget, position=0)
    assert (first.comparator, first.number, first.unit, first.word, first.raw) == ("≥", 80, "场", "", "≥80 场")
    assert fresh(budget).revision == revision + 1
    event = BudgetEvent.objects.filter(budget=budget).last()
    assert (event.action, event.actor, event.data["project"]) == ("targets", actor, PROJECT)
    assert event.data["indicators"] == [7, 2]
    assert changed == event.data["changed"] == len(event.changes)
    assert [f"绩效目标表｜{PROJECT}｜绩效目标", "全年组织文化惠民演出，丰富基层群众文化生活。", "新的绩效目标"] in (
        event.changes
    )
    # The other projects' tables are untouched.
    assert stored_table(budget, "图书馆图书购置") is not None


def test_saving_the_same_table_writes_nothing(demo) -> None:
    budget = demo["318"]
    revision, events = fresh(budget).revision, BudgetEvent.objects.count()
    assert budget_replace_target(budget=budget, project_name=PROJECT, table=stored_table(budget)) == 0
    assert (fresh(budget).revision, BudgetEvent.objects.count()) == (revision, events)


def test_an_empty_table_removes_the_projects_table(demo) -> None:
    budget = demo["318"]
    assert budget_replace_target(budget=budget, project_name=PROJECT, table=TargetTable(PROJECT, "")) == 8
    assert not TableModel.objects.filter(project__budget=budget, project__name=PROJECT).exists()
    assert stored_table(budget) is None


@pytest.mark.parametrize(
    ("indicator", "message"),
    [
        (Indicator("产出指标", "社会效益指标", "x", "", parse_value("5 场")), "不在指标体系中"),
        (Indicator("投入指标", "数量指标", "x", "", parse_value("5 场")), "不在指标体系中"),
        (Indicator("产出指标", "数量指标", "  ", "", parse_value("5 场")), "三级指标不能为空"),
        (Indicator("产出指标", "数量指标", "x", "", IndicatorValue("", Decimal("-1"), "场")), "数值无效"),
        (Indicator("产出指标", "数量指标", "x", "", IndicatorValue("", Decimal("1e30"), "场")), "数值无效"),
        (Indicator("产出指标", "数量指标", "x", "", IndicatorValue("", Decimal("0.0000001"))), "数值无效"),
        (Indicator("产出指标", "数量指标", "x" * 201, "", parse_value("5 场")), "三级指标过长"),
        (Indicator("产出指标", "数量指标", "x", "x" * 501, parse_value("5 场")), "绩效指标描述过长"),
        (Indicator("产出指标", "数量指标", "x", "", parse_value("5 场"), "x" * 501), "指标值确定依据过长"),
        (
            Indicator("产出指标", "数量指标", "x", "", IndicatorValue("", Decimal(5), "一二三四五六七八九十十")),
            "单位过长",
        ),
    ],
)
def test_a_wrong_row_is_refused_and_nothing_changes(demo, indicator, message) -> None:
    budget = demo["318"]
    before, revision = stored_table(budget), fresh(budget).revision
    with pytest.raises(BudgetFiguresError) as refused:
        budget_replace_target(budget=budget, project_name=PROJECT, table=TargetTable(PROJECT, "目标", (indicator,)))
    assert message in str(refused.value)
    assert "第1行" in str(refused.value)
    assert stored_table(budget) == before
    assert fresh(budget).revision == revision


def test_a_project_of_another_budget_is_refused(demo) -> None:
    with pytest.raises(BudgetFiguresError, match="不是本预算的项目"):
        budget_replace_target(budget=demo["318"], project_name="不存在的项目", table=TargetTable("", "目标"))


def test_a_stale_revision_is_refused_and_nothing_changes(demo) -> None:
    budget = demo["318"]
    before, revision = stored_table(budget), fresh(budget).revision
    with pytest.raises(StaleRevision, match="已被他人修改"):
        budget_replace_target(
            budget=budget,
            project_name=PROJECT,
            table=TargetTable(PROJECT, "新", two_rows()),
            expected_revision=revision - 1,
        )
    with pytest.raises(StaleRevision):
        budget_replace_goals(budget=budget, goals=DepartmentGoals("新"), expected_revision=revision - 1)
    assert stored_table(budget) == before
    assert budget_performance(budget).goals.overall != "新"
    assert fresh(budget).revision == revision


@pytest.mark.parametrize("state", [BudgetState.SUBMITTED, BudgetState.APPROVED])
def test_a_frozen_budget_is_refused(demo, state) -> None:
    budget = demo["318"]
    Budget.objects.filter(pk=budget.pk).update(state=state)
    before = budget_performance(budget)
    with pytest.raises(BudgetFiguresError, match="数字不能修改"):
        budget_replace_target(budget=budget, project_name=PROJECT, table=TargetTable(PROJECT, "新", two_rows()))
    with pytest.raises(BudgetFiguresError, match="数字不能修改"):
        budget_replace_goals(budget=budget, goals=DepartmentGoals("新"))
    assert budget_performance(budget) == before


def test_the_goals_are_replaced_in_order_in_the_trail(demo) -> None:
    budget = demo["318"]
    revision = fresh(budget).revision
    goals = DepartmentGoals(
        "新的总体目标",
        (
            SubGoal("非物质文化遗产保护", "保护传承", "3 项"),
            SubGoal("新增分项", "", ""),
            SubGoal("文化惠民演出", "演出", ""),
        ),
        "新的保障措施",
    )
    changed = budget_replace_goals(budget=budget, goals=goals, expected_revision=revision)
    assert budget_performance(budget).goals == goals
    assert list(SubGoalModel.objects.filter(budget=budget).values_list("position", flat=True)) == [0, 1, 2]
    event = BudgetEvent.objects.filter(budget=budget).last()
    assert event.action == "targets"
    assert changed == len(event.changes) == 5  # overall, measures and the three sub-goals
    assert fresh(budget).revision == revision + 1
    assert budget_replace_goals(budget=budget, goals=goals) == 0
    assert fresh(budget).revision == revision + 1


@pytest.mark.parametrize(
    ("goals", "message"),
    [
        (DepartmentGoals("x" * 5001), "总体绩效目标过长"),
        (DepartmentGoals("", (), "x" * 5001), "工作保障措施过长"),
        (DepartmentGoals("", (SubGoal(" ", "目标", ""),)), "分项绩效目标第1项：名称不能为空"),
        (DepartmentGoals("", (SubGoal("x" * 201, "", ""),)), "名称过长"),
        (DepartmentGoals("", (SubGoal("名称", "x" * 2001, ""),)), "绩效目标过长"),
    ],
)
def test_wrong_goals_are_refused(demo, goals, message) -> None:
    budget = demo["318"]
    before = budget_performance(budget).goals
    with pytest.raises(BudgetFiguresError, match=message):
        budget_replace_goals(budget=budget, goals=goals)
    assert budget_performance(budget).goals == before


def test_replacing_everything_still_checks_goals_and_tables_alike(demo) -> None:
    budget = demo["318"]
    before = budget_performance(budget)
    wrong = Performance(
        goals=DepartmentGoals("", (SubGoal("", "x", ""),)),
        targets=(TargetTable(PROJECT, "", (Indicator("产出指标", "满意度指标", "x", "", parse_value("5 场")),)),),
    )
    with pytest.raises(BudgetFiguresError) as refused:
        budget_replace_performance(budget=budget, performance=wrong)
    assert "名称不能为空" in str(refused.value)
    assert "不在指标体系中" in str(refused.value)
    assert budget_performance(budget) == before
    budget_replace_performance(budget=budget, performance=before)  # what it stored, it takes back
    assert budget_performance(budget) == before


def test_the_library_keeps_one_indicator_per_name_and_department(demo) -> None:
    department, other = demo["318"].department, demo["202"].department
    entry, created = library_save(
        department=department, level1="产出指标", level2="数量指标", name=" 演出场次 ", description="场次", unit="场"
    )
    assert created
    assert entry.name == "演出场次"
    again, created = library_save(
        department=department, level1="产出指标", level2="数量指标", name="演出场次", description="全年场次", unit="次"
    )
    assert (again.pk, created, again.description, again.unit) == (entry.pk, False, "全年场次", "次")
    library_save(department=other, level1="产出指标", level2="数量指标", name="演出场次")
    assert LibraryIndicator.objects.filter(name="演出场次").count() == 2
    with pytest.raises(BudgetFiguresError, match="不在指标体系中"):
        library_save(department=department, level1="效益指标", level2="数量指标", name="x")
    with pytest.raises(BudgetFiguresError, match="三级指标不能为空"):
        library_save(department=department, level1="产出指标", level2="数量指标", name=" ")
    assert not library_delete(department=other, pk=entry.pk)  # another department's entry stays
    assert LibraryIndicator.objects.filter(pk=entry.pk).exists()
    assert library_delete(department=department, pk=entry.pk)
    assert not LibraryIndicator.objects.filter(pk=entry.pk).exists()
    assert DepartmentFactory().indicator_library.count() == 0
