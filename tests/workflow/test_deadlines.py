"""截止日期 per year and round, shown on the dashboard, and 催报 to the departments that have not submitted."""

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from budgets.models import Budget, BudgetEvent, Notification, SubmissionDeadline
from domain.workflow import BudgetRound, BudgetState
from tests.support.budgets import OTHER, OWN, YEAR, SmallWorld
from workflow.deadlines import remind_late
from workflow.forms import DATE_INVALID
from workflow.services import budget_transition

pytestmark = pytest.mark.django_db

DEADLINES = reverse("dashboard_deadlines")
REMIND = reverse("dashboard_remind")
DASHBOARD = f"{reverse('dashboard')}?year={YEAR}"
PROPOSAL, FORMAL = f"round_{BudgetRound.PROPOSAL.value}", f"round_{BudgetRound.FORMAL.value}"


def cells_of(html: str, code: str) -> dict[str, str]:
    page = BeautifulSoup(html, "html.parser")
    headers = [th.get_text(strip=True) for th in page.select("table.dashboard thead th")]
    for row in page.select("table.dashboard tbody tr"):
        cells = [td.get_text(strip=True) for td in row.find_all("td")]
        if cells[0] == code:
            return dict(zip(headers, cells, strict=True))
    raise AssertionError(code)


def test_the_bureau_sets_deadlines_and_the_dashboard_counts_the_days(small: SmallWorld, login) -> None:
    client = login("reviewer")
    due = timezone.localdate() + timedelta(days=5)
    response = client.post(DEADLINES, {"year": str(YEAR), PROPOSAL: due.isoformat(), FORMAL: ""})
    assert response.status_code == 302
    assert SubmissionDeadline.objects.get(year_id=YEAR, round=BudgetRound.PROPOSAL).due == due
    assert not SubmissionDeadline.objects.filter(round=BudgetRound.FORMAL).exists()
    Budget.objects.filter(pk=small.other.pk).update(state=BudgetState.SUBMITTED, submitted_at=timezone.now())
    html = client.get(DASHBOARD).content.decode()
    assert cells_of(html, OWN)["截止"] == "还剩 5 天"  # a draft of 一上
    assert cells_of(html, OTHER)["截止"] == ""  # submitted: nothing to chase
    assert "1 个部门预算尚未提交" in html


def test_an_overdue_draft_says_how_late_it_is(small: SmallWorld, login) -> None:
    SubmissionDeadline.objects.create(
        year_id=YEAR, round=BudgetRound.PROPOSAL, due=timezone.localdate() - timedelta(days=2)
    )
    assert cells_of(login("reviewer").get(DASHBOARD).content.decode(), OWN)["截止"] == "逾期 2 天"


def test_a_wrong_date_is_refused_with_a_chinese_message_and_nothing_saved(small: SmallWorld, login) -> None:
    response = login("reviewer").post(DEADLINES, {"year": str(YEAR), PROPOSAL: "三月一日"}, follow=True)
    assert DATE_INVALID in response.content.decode()
    assert not SubmissionDeadline.objects.exists()


def test_a_year_without_budgets_is_not_found(small: SmallWorld, login) -> None:
    assert login("reviewer").post(DEADLINES, {"year": "1999", PROPOSAL: "2021-03-01"}).status_code == 404
    assert login("reviewer").post(REMIND, {"year": "abc"}).status_code == 404


@pytest.mark.parametrize("username", ["accountant", "other_accountant"])
def test_departments_neither_set_deadlines_nor_remind(small: SmallWorld, login, username) -> None:
    client = login(username)
    assert client.post(DEADLINES, {"year": str(YEAR), PROPOSAL: "2021-03-01"}).status_code == 403
    assert client.post(REMIND, {"year": str(YEAR)}).status_code == 403
    assert not SubmissionDeadline.objects.exists()
    assert not BudgetEvent.objects.filter(action="remind").exists()


def test_remind_reaches_only_the_departments_that_have_not_submitted(
    small: SmallWorld, login, django_capture_on_commit_callbacks
) -> None:
    SubmissionDeadline.objects.create(year_id=YEAR, round=BudgetRound.PROPOSAL, due=date(2021, 3, 1))
    Budget.objects.filter(pk=small.other.pk).update(state=BudgetState.SUBMITTED, submitted_at=timezone.now())
    small.accountant.email = "acc@example.org"
    small.accountant.save()
    with django_capture_on_commit_callbacks(execute=True):  # mails leave once the transaction commits
        response = login("reviewer").post(REMIND, {"year": str(YEAR)}, follow=True)
    assert "已催报 1 个尚未提交的部门" in response.content.decode()
    notes = Notification.objects.filter(message__startswith="催报")
    assert {note.user for note in notes} == {small.accountant}
    assert "截止日期 2021-03-01" in notes.get().message
    assert [message.to for message in mail.outbox] == [["acc@example.org"]]
    event = BudgetEvent.objects.get(action="remind")
    assert (event.budget_id, event.actor.username, event.data["due"]) == (small.budget.pk, "reviewer", "2021-03-01")
    assert event.summary == "催报"


def test_reminding_changes_no_page_built_on_the_budget(small: SmallWorld) -> None:
    revision = Budget.objects.get(pk=small.budget.pk).revision
    assert [budget.pk for budget in remind_late(year=YEAR, actor=small.reviewer)] == [small.budget.pk, small.other.pk]
    assert Budget.objects.get(pk=small.budget.pk).revision == revision


def test_returns_and_the_days_in_a_state_are_kept_by_the_transitions(small: SmallWorld, login) -> None:
    budget_transition(budget=small.budget, action="submit", user=small.accountant)
    budget_transition(budget=Budget.objects.get(pk=small.budget.pk), action="return", user=small.reviewer, comment="改")
    stored = Budget.objects.get(pk=small.budget.pk)
    assert stored.returns == 1
    assert timezone.now() - stored.state_since < timedelta(minutes=1)
    Budget.objects.filter(pk=stored.pk).update(state_since=timezone.now() - timedelta(days=4))
    cells = cells_of(login("reviewer").get(DASHBOARD).content.decode(), OWN)
    assert (cells["退回次数"], cells["本状态天数"]) == ("1", "4")


def test_the_department_sees_its_rounds_deadline_on_its_budget_page_until_it_submits(small: SmallWorld, login) -> None:
    due = timezone.localdate() + timedelta(days=3)
    SubmissionDeadline.objects.create(year_id=YEAR, round=BudgetRound.PROPOSAL, due=due)
    client, url = login("accountant"), reverse("budget_detail", args=[YEAR, OWN])
    assert f"本轮报送截止日期 {due:%Y-%m-%d}（还剩 3 天）" in client.get(url).content.decode()
    Budget.objects.filter(pk=small.budget.pk).update(state=BudgetState.SUBMITTED, submitted_at=timezone.now())
    assert "本轮报送截止日期" not in client.get(url).content.decode()
