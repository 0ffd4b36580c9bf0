"""Optimistic locking: a write based on a revision of the budget that is no longer current is refused with a
message, and nothing of the budget changes. Runs on SQLite and PostgreSQL (the real races: test_concurrency)."""

import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from budgets.models import (
    Budget,
    BudgetEvent,
    BudgetLine,
    BudgetSnapshot,
    ControlFigures,
    FixedAsset,
    Notification,
    ProcurementItem,
    Project,
)
from budgets.selectors import budget_assets, budget_procurement
from budgets.services.errors import StaleRevision
from budgets.services.figures import budget_replace_figures
from budgets.services.structure import budget_set_duties
from budgets.services.supplementary import budget_replace_supplementary
from domain.workflow import BudgetState
from tests.support.editing import figures_changed
from tests.support.revisions import (
    CODE,
    CONTROL_WAN,
    CONTROL_YUAN,
    STALE,
    XLSX,
    YEAR,
    client_for,
    fresh,
    user,
    vehicles,
    workbook_with_assets_changed,
)
from workflow.services import WorkflowError, budget_set_control, budget_transition

pytestmark = pytest.mark.django_db


# --- helpers, also used by test_concurrency --------------------------------------------------------------------


def everything(budget: Budget) -> dict:
    """All that a refused write must leave exactly as it was."""
    stored = Budget.objects.filter(pk=budget.pk).values().get()
    return {
        "budget": stored,
        "lines": list(BudgetLine.objects.filter(budget_id=budget.pk).order_by("pk").values()),
        "projects": list(Project.objects.filter(budget_id=budget.pk).order_by("pk").values()),
        "procurement": list(ProcurementItem.objects.filter(budget_id=budget.pk).order_by("pk").values()),
        "assets": list(FixedAsset.objects.filter(budget_id=budget.pk).order_by("pk").values()),
        "control": list(ControlFigures.objects.filter(budget_id=budget.pk).values()),
        "events": list(BudgetEvent.objects.filter(budget_id=budget.pk).order_by("pk").values_list("pk", "action")),
        "snapshots": BudgetSnapshot.objects.filter(budget_id=budget.pk).count(),
        "notifications": Notification.objects.filter(budget_id=budget.pk).count(),
    }


def stale_text(budget: Budget) -> str:
    """The time the refusal names: when the other person's write landed."""
    return timezone.localtime(fresh(budget.department.code).updated_at).strftime("%Y-%m-%d %H:%M:%S")


# --- the services ------------------------------------------------------------------------------------------------


def write_figures(budget: Budget, revision: int) -> None:
    projects, lines = figures_changed(budget, Decimal("1000.00"))
    budget_replace_figures(
        budget=budget, projects=projects, lines=lines, actor=user("acc318"), expected_revision=revision
    )


def write_supplementary(budget: Budget, revision: int) -> None:
    budget_replace_supplementary(
        budget=budget,
        procurement=budget_procurement(budget),
        assets=budget_assets(budget)[1:],
        assets_as_of=budget.assets_as_of,
        actor=user("acc318"),
        expected_revision=revision,
    )


def write_control(budget: Budget, revision: int) -> None:
    budget_set_control(budget=budget, user=user("reviewer"), limits=CONTROL_YUAN, expected_revision=revision)


def write_transition(budget: Budget, revision: int) -> None:
    budget_transition(budget=budget, action="submit", user=user("acc318"), expected_revision=revision)


def write_duties(budget: Budget, revision: int) -> None:
    budget_set_duties(budget=budget, duties="我的职责说明。", actor=user("acc318"), expected_revision=revision)


WRITES: dict[str, Callable[[Budget, int], None]] = {
    "figures": write_figures,
    "supplementary": write_supplementary,
    "control": write_control,
    "transition": write_transition,
    "duties": write_duties,
}


@pytest.mark.parametrize("write", list(WRITES.values()), ids=list(WRITES))
def test_a_write_based_on_an_old_revision_is_refused_and_changes_nothing(demo, write) -> None:
    budget = fresh()
    seen = budget.revision  # the page (or preview) this write was prepared on
    budget_set_duties(budget=budget, duties="他人刚改过的职责。", actor=user("admin"))  # someone else, meanwhile
    before = everything(budget)
    assert before["budget"]["revision"] == seen + 1

    with pytest.raises((StaleRevision, WorkflowError)) as refused:
        write(budget, seen)

    stale = refused.value if isinstance(refused.value, StaleRevision) else refused.value.__cause__
    assert isinstance(stale, StaleRevision)  # transitions and control figures wrap it in a WorkflowError
    assert STALE in str(refused.value)
    assert stale_text(budget) in str(refused.value)
    assert everything(budget) == before
    assert fresh().duties == "他人刚改过的职责。"

    # The same write on the current revision goes through: it was the old revision that was refused.
    write(fresh(), seen + 1)
    after = everything(budget)
    assert after["budget"]["revision"] == seen + 2
    assert after != before


@pytest.mark.parametrize("write", list(WRITES.values()), ids=list(WRITES))
def test_a_write_without_a_revision_is_not_checked(demo, write) -> None:
    """A script (or the import command) that names no revision writes on whatever is current."""
    budget = fresh()
    budget_set_duties(budget=budget, duties="他人刚改过的职责。", actor=user("admin"))
    revision = fresh().revision
    write(fresh(), None)
    assert fresh().revision == revision + 1


# --- the pages ---------------------------------------------------------------------------------------------------


def detail_url(code: str = CODE) -> str:
    return reverse("budget_detail", args=[YEAR, code])


def page_revision(client: Client) -> str:
    """The revision the budget page hands to its forms."""
    page = client.get(detail_url()).content.decode()
    found = set(re.findall(r'name="revision" value="(\d+)"', page))
    assert len(found) == 1, found
    return found.pop()


def post_transition(client: Client, action: str, revision: str, comment: str = ""):
    url = reverse("budget_transition", args=[YEAR, CODE, action])
    return client.post(url, {"comment": comment, "revision": revision}, follow=True)


def post_control(client: Client, revision: str, **overrides: str):
    url = reverse("budget_control", args=[YEAR, CODE])
    return client.post(url, {**CONTROL_WAN, **overrides, "revision": revision}, follow=True)


def test_a_transition_posted_from_an_old_page_is_refused_and_the_state_kept(demo) -> None:
    accountant, reviewer = client_for("acc318"), client_for("reviewer")
    old = page_revision(accountant)
    assert "控制数已保存" in post_control(reviewer, page_revision(reviewer)).content.decode()
    before = everything(fresh())

    response = post_transition(accountant, "submit", old)

    assert response.status_code == 200
    page = response.content.decode()
    assert STALE in page
    assert "提交成功" not in page
    assert fresh().state == BudgetState.DRAFT
    assert everything(fresh()) == before
    # Reloaded, the page carries the current revision and the step goes through.
    assert "提交成功" in post_transition(accountant, "submit", page_revision(accountant)).content.decode()
    assert fresh().state == BudgetState.SUBMITTED


def test_control_figures_posted_from_an_old_page_are_refused(demo) -> None:
    accountant, reviewer = client_for("acc318"), client_for("reviewer")
    old = page_revision(reviewer)
    assert "提交成功" in post_transition(accountant, "submit", page_revision(accountant)).content.decode()
    before = everything(fresh())

    page = post_control(reviewer, old).content.decode()

    assert "控制数未保存：" in page
    assert STALE in page
    assert "控制数已保存" not in page
    assert not ControlFigures.objects.filter(budget=fresh()).exists()
    assert everything(fresh()) == before
    assert "控制数已保存" in post_control(reviewer, page_revision(reviewer)).content.decode()
    assert ControlFigures.objects.filter(budget=fresh()).exists()


@pytest.fixture
def _media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


def upload(client: Client, data: bytes) -> str:
    """Upload a workbook to 318 and return the confirmation token of its preview."""
    file = SimpleUploadedFile("budget.xlsx", data, content_type=XLSX)
    response = client.post(reverse("budget_import", args=[YEAR, CODE]), {"workbook": file})
    assert response.status_code == 200
    found = re.search(r'name="token" value="([0-9a-f]+)"', response.content.decode())
    assert found, "the preview offers no confirmation"
    return found.group(1)


def confirm(client: Client, token: str) -> str:
    response = client.post(reverse("budget_import_confirm", args=[YEAR, CODE]), {"token": token}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.usefixtures("_media_in_tmp")
def test_an_import_confirmed_after_someone_else_changed_the_budget_imports_nothing(demo) -> None:
    accountant, reviewer = client_for("acc318"), client_for("reviewer")
    data = workbook_with_assets_changed(fresh())
    token = upload(accountant, data)
    assert "控制数已保存" in post_control(reviewer, page_revision(reviewer)).content.decode()  # meanwhile
    before = everything(fresh())

    page = confirm(accountant, token)

    assert "导入未完成，数据未改变：" in page
    assert STALE in page
    assert "已导入" not in page
    assert vehicles(fresh()) == 2
    assert everything(fresh()) == before
    assert "已过期" in confirm(accountant, token)  # the token was spent on the refused attempt
    # Uploaded again (now previewed against the current budget), the same file goes in.
    assert "已导入" in confirm(accountant, upload(accountant, data))
    assert vehicles(fresh()) == 3


@pytest.mark.usefixtures("_media_in_tmp")
def test_an_import_confirmed_with_nothing_changed_meanwhile_goes_in(demo) -> None:
    accountant = client_for("acc318")
    token = upload(accountant, workbook_with_assets_changed(fresh()))
    assert "已导入" in confirm(accountant, token)
    assert vehicles(fresh()) == 3


# --- garbage revisions -------------------------------------------------------------------------------------------

GARBAGE = ["abc", "-1", "1.5", " 7", "²", "٣", "99999999999999999999999999", "9" * 400, ""]


@pytest.mark.parametrize("revision", GARBAGE)
def test_a_garbage_revision_on_a_transition_is_a_message_not_a_crash(demo, revision) -> None:
    accountant = client_for("acc318")
    response = accountant.post(
        reverse("budget_transition", args=[YEAR, CODE, "submit"]), {"comment": "", "revision": revision}
    )
    assert response.status_code == 302
    assert response["Location"] == detail_url()
    page = accountant.get(response["Location"]).content.decode()
    submitted = fresh().state == BudgetState.SUBMITTED
    assert ("提交成功" in page) is submitted
    assert (STALE in page) is not submitted


@pytest.mark.parametrize("revision", GARBAGE)
def test_a_garbage_revision_on_control_figures_is_a_message_not_a_crash(demo, revision) -> None:
    reviewer = client_for("reviewer")
    url = reverse("budget_control", args=[YEAR, CODE])
    response = reviewer.post(url, {**CONTROL_WAN, "revision": revision}, follow=True)
    assert response.status_code == 200  # saved and back on the budget page, or refused on the control page
    page = response.content.decode()
    saved = ControlFigures.objects.filter(budget=fresh()).exists()
    shown = "".join(re.findall(r'<ul class="messages">(.*?)</ul>', page, re.S))
    assert ("控制数已保存" in shown) is saved
    assert ("控制数未保存" in shown) is not saved
    assert "None" not in shown  # the hidden field has a name people can read


def test_a_revision_that_never_was_is_refused_like_an_old_one(demo) -> None:
    accountant = client_for("acc318")
    page = post_transition(accountant, "submit", "999999999").content.decode()
    assert STALE in page
    assert fresh().state == BudgetState.DRAFT


def test_a_control_figure_posted_from_an_old_page_comes_back_on_the_current_revision_with_what_was_typed(demo) -> None:
    accountant, reviewer = client_for("acc318"), client_for("reviewer")
    old = page_revision(reviewer)
    assert "提交成功" in post_transition(accountant, "submit", page_revision(accountant)).content.decode()
    page = post_control(reviewer, old, basic="123.45").content.decode()
    assert STALE in page
    shown = re.search(r'name="revision" value="(\d+)"', page)
    assert shown
    assert shown.group(1) == str(fresh().revision)
    assert 'value="123.45"' in page


def test_every_write_stores_the_totals_listings_show(small) -> None:
    budget = small.budget
    projects, lines = figures_changed(budget, Decimal("1000.00"))
    budget_replace_figures(budget=budget, projects=projects, lines=lines)
    stored = Budget.objects.get(pk=budget.pk)
    rows = BudgetLine.objects.filter(budget=budget)
    assert stored.spending == sum(row.amount for row in rows)
    fiscal = [row.amount for row in rows if row.source in ("general", "govfund", "statecap") and not row.carried_over]
    assert stored.fiscal_spending == sum(fiscal)
    assert Decimal(0) < stored.fiscal_spending < stored.spending  # it has carried-over and non-fiscal money
