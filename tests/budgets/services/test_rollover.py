"""新建预算 from last year's approved budget: structure always, figures on request, codes on the new catalogue."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from accounts.models import User
from budgets.models import Budget, BudgetEvent, BudgetLine
from budgets.services.figures import budget_replace_figures
from budgets.services.rollover import RolloverError, budget_start_year, catalogue_years
from departments.models import Department
from domain.rollover import BY_NAME, NOT_FOUND, UNMAPPED
from domain.workflow import BudgetRound, BudgetState
from performance.models import DepartmentGoals, SubGoal, TargetTable
from tests.support.editing import figures_changed
from tests.support.new_year import GONE, NEW_YEAR, RENUMBERED, approve_202, load_2022_catalogue
from tests.support.workflow import approve_318, step

pytestmark = pytest.mark.django_db

GONE_AMOUNT = Decimal("427400.00")  # 202's one line on 2210201 住房公积金


@pytest.fixture
def approved(demo) -> Budget:
    """202's 2021 budget approved (version 1), and the 2022 catalogue."""
    load_2022_catalogue()
    return approve_202(demo["202"])


def start(code: str = "202", *, from_previous: bool = True, copy_figures: bool = True, who: str = "acc202"):
    return budget_start_year(
        department=Department.objects.get(code=code),
        year=NEW_YEAR,
        from_previous=from_previous,
        copy_figures=copy_figures,
        actor=User.objects.get(username=who),
    )


def total(budget: Budget) -> Decimal:
    return BudgetLine.objects.filter(budget=budget).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def projects(budget: Budget) -> list[tuple[str, str]]:
    return list(budget.projects.order_by("position", "id").values_list("name", "unit__name"))


def test_figures_are_copied_onto_the_new_catalogue(approved) -> None:
    budget, report = start()
    assert (budget.year_id, budget.state, budget.round, budget.version) == (
        NEW_YEAR,
        BudgetState.DRAFT,
        BudgetRound.PROPOSAL,
        1,
    )
    lines = BudgetLine.objects.filter(budget=budget)
    assert set(lines.values_list("function__year_id", flat=True)) == {NEW_YEAR}
    assert set(lines.values_list("economic__year_id", flat=True)) == {NEW_YEAR}
    codes = set(lines.values_list("function__code", flat=True))
    old, new, _ = RENUMBERED
    assert new in codes
    assert old not in codes
    assert GONE[0] not in codes
    assert lines.filter(function__code=new).aggregate(s=Sum("amount"))["s"] == Decimal("887100.00")
    assert total(budget) == total(approved) - GONE_AMOUNT
    assert report["dropped"] == {"lines": 1, "amount": str(GONE_AMOUNT)}


def test_the_report_says_what_was_mapped_by_name_and_what_could_not_be_mapped(approved) -> None:
    _, report = start()
    old, new, name = RENUMBERED
    by_old = {mapping["old"]: mapping for mapping in report["mappings"]}
    assert by_old[f"{old} {name}"]["new"] == f"{new} {name}"
    assert by_old[f"{old} {name}"]["reason"] == BY_NAME
    assert by_old[f"{old} {name}"]["lines"] == 2
    assert by_old[f"{GONE[0]} {GONE[1]}"]["new"] == UNMAPPED
    assert by_old[f"{GONE[0]} {GONE[1]}"]["reason"] == NOT_FOUND
    assert by_old[f"{GONE[0]} {GONE[1]}"]["amount"] == str(GONE_AMOUNT)
    assert len(report["mappings"]) == 2  # every other code simply stays
    assert report["source"] == {"year": 2021, "version": 1}


def test_the_structure_is_copied_with_or_without_figures(approved) -> None:
    budget, report = start(copy_figures=False)
    assert projects(budget) == projects(approved)
    assert not BudgetLine.objects.filter(budget=budget).exists()
    assert budget.duties == approved.duties
    assert budget.duties
    assert TargetTable.objects.filter(project__budget=budget).count() == 12
    assert set(TargetTable.objects.filter(project__budget=budget).values_list("project__name", "goal")) == set(
        TargetTable.objects.filter(project__budget=approved).values_list("project__name", "goal")
    )
    assert DepartmentGoals.objects.get(budget=budget).overall == DepartmentGoals.objects.get(budget=approved).overall
    assert SubGoal.objects.filter(budget=budget).count() == SubGoal.objects.filter(budget=approved).count()
    assert report["mappings"] == []
    assert report["copied"]["lines"] == 0
    assert report["copied"]["projects"] == 12
    assert report["copied"]["targets"] == 12


def test_the_new_budget_logs_the_report(approved) -> None:
    budget, report = start()
    event = BudgetEvent.objects.get(budget=budget, action="rollover")
    assert event.data == report
    assert event.actor.username == "acc202"
    assert BudgetEvent.objects.filter(budget=budget).order_by("-created_at", "-id").first() == event
    assert Budget.objects.get(pk=budget.pk).revision > 0


def test_the_approved_snapshot_is_copied_not_a_later_draft(approved) -> None:
    accountant = User.objects.get(username="acc202")
    approved_total = total(approved)
    budget = step(approved, "adjust", "acc202", "预算调整测试")
    changed_projects, changed_lines = figures_changed(budget, Decimal("1000.00"))
    budget_replace_figures(budget=budget, projects=changed_projects, lines=changed_lines, actor=accountant)
    assert total(budget) == approved_total + Decimal("1000.00")  # the draft of version 2 differs from version 1
    new, report = start()
    assert report["source"] == {"year": 2021, "version": 1}
    assert total(new) == approved_total - GONE_AMOUNT


def test_lines_keep_their_units_in_a_department_of_several_units(demo) -> None:
    load_2022_catalogue()
    approve_318(demo["318"])
    new, report = start("318", who="acc318")
    assert report["units_guessed"] == 0

    def by_unit(budget: Budget) -> dict[str, Decimal]:
        rows = BudgetLine.objects.filter(budget=budget).exclude(function__code__in=[GONE[0]])
        return dict(rows.values_list("unit__name").annotate(s=Sum("amount")).order_by())

    assert len(by_unit(demo["318"])) > 1
    assert by_unit(new) == by_unit(demo["318"])


def test_an_empty_start_needs_no_previous_budget(demo) -> None:
    load_2022_catalogue()
    department = Department.objects.create(code="777", name="新部门")
    actor = User.objects.get(username="admin")
    budget, report = budget_start_year(
        department=department, year=NEW_YEAR, from_previous=False, copy_figures=True, actor=actor
    )
    assert budget.department == department
    assert not budget.lines.exists()
    assert not budget.projects.exists()
    assert report["from_previous"] is False
    assert report["copy_figures"] is False
    assert BudgetEvent.objects.filter(budget=budget, action="rollover").count() == 1


@pytest.mark.parametrize(
    ("code", "year", "from_previous", "message"),
    [
        ("202", 2023, False, "2023年度还没有科目表"),
        ("202", 2021, False, "2021年度预算已经存在"),
        ("318", NEW_YEAR, True, "2021年度预算尚未批复"),
        ("777", NEW_YEAR, True, "没有2021年度预算"),
    ],
    ids=["no-catalogue", "exists", "not-approved", "no-previous"],
)
def test_refusals_write_nothing(approved, code: str, year: int, from_previous: bool, message: str) -> None:
    Department.objects.get_or_create(code="777", defaults={"name": "新部门"})
    before = (Budget.objects.count(), BudgetEvent.objects.count(), BudgetLine.objects.count())
    with pytest.raises(RolloverError) as refused:
        budget_start_year(
            department=Department.objects.get(code=code),
            year=year,
            from_previous=from_previous,
            copy_figures=True,
            actor=User.objects.get(username="admin"),
        )
    assert message in str(refused.value)
    assert (Budget.objects.count(), BudgetEvent.objects.count(), BudgetLine.objects.count()) == before


def test_a_second_start_of_the_same_year_is_refused(approved) -> None:
    start()
    with pytest.raises(RolloverError, match="已经存在"):
        start(copy_figures=False)
    assert Budget.objects.filter(department__code="202", year_id=NEW_YEAR).count() == 1


def test_the_catalogue_years_are_those_with_both_catalogues(approved) -> None:
    assert catalogue_years() == [2021, NEW_YEAR]
