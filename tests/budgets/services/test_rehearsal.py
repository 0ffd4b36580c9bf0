"""rehearse: a write tried on the budget as it is now and undone, what it would record said, nothing kept."""

import pytest

from budgets.models import Budget
from budgets.services.rehearsal import ATTEMPTS, rehearse
from budgets.services.structure import budget_set_duties
from domain.workflow import BudgetState

pytestmark = pytest.mark.django_db


def snapshot(budget: Budget) -> tuple:
    budget.refresh_from_db()
    return budget.revision, budget.events.count(), budget.duties


def test_it_says_what_the_write_would_record_on_the_current_revision_and_keeps_nothing(demo) -> None:
    budget = demo["202"]
    budget_set_duties(budget=budget, duties="他人的职责")
    before = snapshot(budget)
    seen: list[int] = []

    def write(revision: int) -> None:
        seen.append(revision)
        budget_set_duties(budget=budget, duties="本页的职责", expected_revision=revision)

    rehearsal = rehearse(budget, write)
    assert rehearsal.changes == [["部门职责", "他人的职责", "本页的职责"]]
    assert rehearsal.refusals == []
    assert rehearsal.revision == seen[0] == before[0]
    assert snapshot(budget) == before


def test_a_write_that_would_be_refused_says_why_and_records_nothing(demo) -> None:
    budget = demo["202"]
    Budget.objects.filter(pk=budget.pk).update(state=BudgetState.SUBMITTED)
    before = snapshot(budget)
    rehearsal = rehearse(
        budget, lambda revision: budget_set_duties(budget=budget, duties="x", expected_revision=revision)
    )
    assert rehearsal.changes == []
    assert ["数字不能修改" in str(error) for error in rehearsal.refusals] == [True]
    assert rehearsal.revision == before[0]
    assert snapshot(budget) == before


def test_a_write_that_changes_nothing_records_nothing(demo) -> None:
    budget = demo["202"]
    duties = Budget.objects.get(pk=budget.pk).duties
    rehearsal = rehearse(
        budget, lambda revision: budget_set_duties(budget=budget, duties=duties, expected_revision=revision)
    )
    assert (rehearsal.changes, rehearsal.refusals) == ([], [])


def test_others_saving_throughout_leave_the_page_on_its_own_revision(demo) -> None:
    budget = demo["202"]
    tries: list[int] = []

    def write(revision: int) -> None:
        tries.append(revision)
        budget_set_duties(budget=budget, duties=f"他人第{len(tries)}次")  # someone else, each time first
        budget_set_duties(budget=budget, duties="本页的职责", expected_revision=revision)

    rehearsal = rehearse(budget, write)
    assert rehearsal.revision is None
    assert len(tries) == ATTEMPTS
