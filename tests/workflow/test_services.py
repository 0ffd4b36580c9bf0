"""The budget's states: who may move it where, what each step records, and that approved figures are frozen."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.services import budget_explain_warnings
from audit.verdict import budget_violations
from budgets.models import BudgetEvent, BudgetLine, WarningExplanation
from budgets.services.figures import budget_replace_figures
from budgets.services.structure import budget_set_duties
from disclosure.services import explanation_inputs_set
from domain.audit.model import Severity
from domain.errors import BudgetFiguresError
from domain.workflow import BudgetState
from importing.services import budget_import_preview
from tests.support.budgets import OTHER, OWN, YEAR
from tests.support.workbooks import exported
from tests.support.workflow import (
    EXPLANATION,
    approve_in_both_rounds,
    explain_warnings,
    issue_control,
    step,
    user,
)
from workflow.services import WorkflowError

pytestmark = pytest.mark.django_db


def with_placeholders(budget):
    """The budget with a placeholder (rule T01, a warning) in its duties and in a remark of its 情况说明."""
    budget_set_duties(budget=budget, duties="负责 xxxx 等工作。")
    explanation_inputs_set(budget=budget, previous=None, remarks={"other": "其他情况待补充。"})
    budget.refresh_from_db()
    return budget


def test_the_whole_story_is_recorded_step_by_step(small) -> None:
    budget = with_placeholders(small.budget)
    explain_warnings(budget, "accountant")
    budget = issue_control(budget, "accountant")  # 一上 answered with control figures: 二上 may be approved
    step(budget, "submit", "accountant", EXPLANATION)
    step(budget, "withdraw", "accountant")
    step(budget, "submit", "accountant", EXPLANATION)
    step(budget, "start_review", "reviewer")
    step(budget, "return", "reviewer", "三公经费请再核对。")
    step(budget, "submit", "accountant", EXPLANATION)
    step(budget, "start_review", "reviewer")
    budget = step(budget, "approve", "reviewer")
    assert budget.state == BudgetState.APPROVED
    trail = list(
        BudgetEvent.objects.filter(budget=budget)
        .exclude(to_state="")
        .values_list("action", "from_state", "to_state", "actor__username", "comment")
    )
    assert trail == [
        ("submit", "draft", "submitted", "accountant", ""),
        ("start_review", "submitted", "in_review", "reviewer", ""),
        ("issue_control", "in_review", "draft", "reviewer", ""),
        ("submit", "draft", "submitted", "accountant", EXPLANATION),
        ("withdraw", "submitted", "draft", "accountant", ""),
        ("submit", "draft", "submitted", "accountant", EXPLANATION),
        ("start_review", "submitted", "in_review", "reviewer", ""),
        ("return", "in_review", "returned", "reviewer", "三公经费请再核对。"),
        ("submit", "returned", "submitted", "accountant", EXPLANATION),
        ("start_review", "submitted", "in_review", "reviewer", ""),
        ("approve", "in_review", "approved", "reviewer", ""),
    ]


def test_each_warning_needs_its_own_explanation_kept_with_the_submission(small) -> None:
    budget = with_placeholders(small.budget)
    warnings = [v for v in budget_violations(budget) if v.severity is Severity.WARNING]
    assert {v.rule for v in warnings} == {"T01"}  # the placeholders put in above, in two places
    assert len(warnings) == 2
    with pytest.raises(WorkflowError, match=f"{len(warnings)} 处警告尚未说明"):
        step(budget, "submit", "accountant", "附言不能代替对警告的说明。")
    first = warnings[0]
    budget_explain_warnings(budget=budget, actor=user("accountant"), explanations={first.key: EXPLANATION})
    with pytest.raises(WorkflowError, match=f"{len(warnings) - 1} 处警告尚未说明"):
        step(budget, "submit", "accountant")
    assert budget.state == BudgetState.DRAFT
    explain_warnings(budget, "accountant")
    step(budget, "submit", "accountant")
    event = BudgetEvent.objects.get(budget=budget, action="submit")
    assert [warning for warning, _ in event.data["warnings"]] == [str(v) for v in warnings]
    assert {explanation for _, explanation in event.data["warnings"]} == {EXPLANATION}


def test_an_explanation_of_something_that_is_not_a_warning_is_not_kept(small) -> None:
    changed = budget_explain_warnings(
        budget=small.budget, actor=user("accountant"), explanations={"A01|部门预算支出总表｜合计｜合计": "无关"}
    )
    assert changed == 0
    assert not WarningExplanation.objects.exists()


def test_warnings_are_explained_on_the_budget_page(small, login) -> None:
    client = login("accountant")
    warning = next(v for v in budget_violations(with_placeholders(small.budget)) if v.severity is Severity.WARNING)
    url = reverse("budget_explanations", args=[YEAR, OWN])
    too_long = client.post(url, {"key-1": warning.key, "text-1": "长" * 2001}, follow=True).content.decode()
    assert "说明过长" in too_long
    assert not WarningExplanation.objects.exists()
    page = client.post(url, {"key-1": warning.key, "text-1": EXPLANATION}, follow=True).content.decode()
    assert "已保存 1 条警告说明" in page
    assert EXPLANATION in page
    assert login("other_accountant").post(url, {"key-1": warning.key, "text-1": "别人的"}).status_code == 404
    reviewer_page = login("reviewer").get(reverse("budget_detail", args=[YEAR, OWN])).content.decode()
    assert EXPLANATION in reviewer_page
    assert login("reviewer").post(url, {"key-1": warning.key, "text-1": "审核人"}).status_code == 403
    assert WarningExplanation.objects.get().text == EXPLANATION


def test_errors_block_submission(small) -> None:
    budget = small.budget
    budget.duties = "详见第三部分（错误！未定义书签。）"
    budget.save()
    with pytest.raises(WorkflowError, match="1 处错误") as refused:
        step(budget, "submit", "accountant")
    assert any("T02" in message for message in refused.value.messages)
    budget.refresh_from_db()
    assert budget.state == BudgetState.DRAFT


def test_a_return_needs_a_comment(small) -> None:
    step(small.budget, "submit", "accountant")
    with pytest.raises(WorkflowError, match="退回必须填写意见"):
        step(small.budget, "return", "reviewer", "  ")


@pytest.mark.parametrize(
    ("action", "who"),
    [("submit", "reviewer"), ("submit", "other_accountant"), ("submit", "admin"), ("start_review", "accountant")],
)
def test_each_step_belongs_to_one_side(small, action, who) -> None:
    if action == "start_review":
        step(small.budget, "submit", "accountant")
    with pytest.raises(PermissionDenied):
        step(small.budget, action, who)


def test_steps_out_of_order_are_refused(small) -> None:
    with pytest.raises(WorkflowError, match="不能批复"):
        step(small.budget, "approve", "reviewer")
    step(small.budget, "submit", "accountant")
    step(small.budget, "start_review", "reviewer")
    with pytest.raises(WorkflowError, match="不能撤回"):
        step(small.budget, "withdraw", "accountant")


def test_approved_figures_are_frozen_on_every_path(small, login) -> None:
    budget = approve_in_both_rounds(small.budget, "accountant")
    before = list(BudgetLine.objects.filter(budget=budget).values_list("id", "amount"))
    with pytest.raises(BudgetFiguresError, match="已批复"):
        budget_replace_figures(budget=budget, projects=[], lines=[])
    preview = budget_import_preview(data=exported(budget), year=YEAR)
    assert any("已批复" in str(problem) for problem in preview.problems)
    page = login("accountant").get(reverse("budget_detail", args=[YEAR, OWN])).content.decode()
    assert "上传并预览" not in page
    line = BudgetLine.objects.filter(budget=budget).first()
    line.amount += Decimal("1.00")
    with pytest.raises(ValidationError, match="数字不能修改"):
        line.full_clean()
    assert list(BudgetLine.objects.filter(budget=budget).values_list("id", "amount")) == before


def test_the_trail_cannot_be_rewritten(small) -> None:
    step(small.budget, "submit", "accountant")
    event = BudgetEvent.objects.get(budget=small.budget, action="submit")
    event.comment = "改写"
    with pytest.raises(ValueError, match="只能追加"):
        event.save()
    with pytest.raises(ValueError, match="只能追加"):
        event.delete()


def test_figure_changes_are_recorded_with_who_and_totals(small) -> None:
    budget_replace_figures(budget=small.budget, projects=[], lines=[], actor=user("accountant"))
    event = BudgetEvent.objects.filter(budget=small.budget, action="figures").last()
    assert event.actor.username == "accountant"
    assert event.data["lines"][1] == 0
    assert Decimal(event.data["total"][0]) > 0


def test_the_page_offers_each_side_its_steps_and_shows_the_trail(small, login) -> None:
    client = login("accountant")
    page = client.get(reverse("budget_detail", args=[YEAR, OWN])).content.decode()
    assert ">提交</button>" in page
    assert ">批复</button>" not in page
    response = client.post(reverse("budget_transition", args=[YEAR, OWN, "submit"]), {"comment": ""}, follow=True)
    assert "提交成功，预算当前为“已提交”。" in response.content.decode()
    reviewer_page = login("reviewer").get(reverse("budget_detail", args=[YEAR, OWN])).content.decode()
    assert ">开始审核</button>" in reviewer_page
    assert "提交（草稿 → 已提交）" in reviewer_page


def test_transitions_are_post_only_and_hidden_from_other_departments(small, login) -> None:
    client = login("accountant")
    response = client.get(reverse("budget_transition", args=[YEAR, OWN, "submit"]))  # a GET transitions nothing
    assert response.status_code == 302
    assert response["Location"] == reverse("budget_detail", args=[YEAR, OWN])
    small.budget.refresh_from_db()
    assert small.budget.state == BudgetState.DRAFT
    assert client.post(reverse("budget_transition", args=[YEAR, OTHER, "submit"])).status_code == 404
    small.other.refresh_from_db()
    assert small.other.state == BudgetState.DRAFT


def test_the_admin_cannot_touch_an_approved_budgets_figures(small, client) -> None:
    budget = approve_in_both_rounds(small.budget, "accountant")
    client.force_login(user("admin"))
    line = BudgetLine.objects.filter(budget=budget).first()
    response = client.post(reverse("admin:budgets_budgetline_delete", args=[line.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert BudgetLine.objects.filter(pk=line.pk).exists()
    page = client.get(reverse("admin:budgets_budget_change", args=[budget.pk])).content.decode()
    assert 'name="fixed_assets-0-value_yuan"' not in page
    assert 'name="duties"' not in page
    duties = budget.duties
    response = client.post(reverse("admin:budgets_budget_change", args=[budget.pk]), {"duties": "改写"})
    assert response.status_code == 403
    budget.refresh_from_db()
    assert budget.duties == duties


def test_the_admin_edits_a_draft_budgets_parts(small, client) -> None:
    client.force_login(user("admin"))
    page = client.get(reverse("admin:budgets_budget_change", args=[small.budget.pk])).content.decode()
    assert 'name="fixed_assets-0-value_yuan"' in page


def test_submit_saves_the_explanations_it_posts_even_when_it_is_refused(small, login) -> None:
    warnings = [v for v in budget_violations(with_placeholders(small.budget)) if v.severity is Severity.WARNING]
    assert len(warnings) >= 2
    url = reverse("budget_transition", args=[YEAR, OWN, "submit"])
    first = {"key-1": warnings[0].key, "text-1": EXPLANATION}
    assert login("reviewer").post(url, first).status_code == 403
    assert login("other_accountant").post(url, first).status_code == 404
    assert not WarningExplanation.objects.exists()
    client = login("accountant")
    client.post(url, first)
    small.budget.refresh_from_db()
    assert small.budget.state == BudgetState.DRAFT  # the other warning is not explained
    assert list(WarningExplanation.objects.values_list("text", flat=True)) == [EXPLANATION]
    every = {
        field: value
        for i, v in enumerate(warnings, 1)
        for field, value in ((f"key-{i}", v.key), (f"text-{i}", EXPLANATION))
    }
    client.post(url, every)
    small.budget.refresh_from_db()
    assert small.budget.state == BudgetState.SUBMITTED
    assert WarningExplanation.objects.count() == len(warnings)


def test_a_refused_step_keeps_its_comment_for_the_page_it_returns_to(small, login) -> None:
    step(small.budget, "submit", "accountant")
    client = login("reviewer")
    url = reverse("budget_transition", args=[YEAR, OWN, "return"])
    stale = {"comment": "三公经费请再核对。", "revision": "999999"}  # someone else's step came first
    page = client.post(url, stale, follow=True).content.decode()
    assert "已被他人修改" in page
    assert "三公经费请再核对。</textarea>" in page
    again = client.get(reverse("budget_detail", args=[YEAR, OWN])).content.decode()
    assert "三公经费请再核对。</textarea>" not in again  # shown once
