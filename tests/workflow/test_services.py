"""The budget's states: who may move it where, what each step records, and that approved figures are frozen."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import User
from audit.services import budget_explain_warnings
from audit.verdict import budget_violations
from budgets.models import BudgetEvent, BudgetLine, WarningExplanation
from budgets.services.figures import budget_replace_figures
from domain.audit.model import Severity
from domain.errors import BudgetFiguresError
from domain.workflow import BudgetState
from importing.services import budget_import_preview
from tests.support.workbooks import exported
from workflow.services import WorkflowError, budget_set_control, budget_transition

pytestmark = pytest.mark.django_db

EXPLANATION = "xxxx 为公开时隐去的工程名称。"


def user(name: str) -> User:
    return User.objects.get(username=name)


def step(budget, action: str, who: str, comment: str = ""):
    return budget_transition(budget=budget, action=action, user=user(who), comment=comment)


def generous_control(budget) -> None:
    limits = {"total": Decimal("1e12"), "basic": Decimal("5e11"), "project": Decimal("5e11")}
    limits["three_public"] = Decimal("1e9")
    budget_set_control(budget=budget, user=user("reviewer"), limits=limits)


def approve_318(budget) -> None:
    """318 through both rounds: 一上, control figures, 二上, approval."""
    step(budget, "submit", "acc318")
    step(budget, "start_review", "reviewer")
    generous_control(budget)
    step(budget, "issue_control", "reviewer")
    step(budget, "submit", "acc318")
    step(budget, "start_review", "reviewer")
    step(budget, "approve", "reviewer")


def explain_warnings(budget, who: str, text: str = EXPLANATION) -> None:
    keys = [v.key for v in budget_violations(budget) if v.severity is Severity.WARNING]
    budget_explain_warnings(budget=budget, actor=user(who), explanations=dict.fromkeys(keys, text))


def test_the_whole_story_is_recorded_step_by_step(demo) -> None:
    budget = demo["202"]
    explain_warnings(budget, "acc202")
    step(budget, "submit", "acc202", EXPLANATION)
    step(budget, "withdraw", "acc202")
    step(budget, "submit", "acc202", EXPLANATION)
    step(budget, "start_review", "reviewer")
    step(budget, "return", "reviewer", "三公经费请再核对。")
    step(budget, "submit", "acc202", EXPLANATION)
    step(budget, "start_review", "reviewer")
    budget = step(budget, "approve", "reviewer")
    assert budget.state == BudgetState.APPROVED
    trail = list(
        BudgetEvent.objects.filter(budget=budget)
        .exclude(to_state="")
        .values_list("action", "from_state", "to_state", "actor__username", "comment")
    )
    assert trail == [
        ("submit", "draft", "submitted", "acc202", EXPLANATION),
        ("withdraw", "submitted", "draft", "acc202", ""),
        ("submit", "draft", "submitted", "acc202", EXPLANATION),
        ("start_review", "submitted", "in_review", "reviewer", ""),
        ("return", "in_review", "returned", "reviewer", "三公经费请再核对。"),
        ("submit", "returned", "submitted", "acc202", EXPLANATION),
        ("start_review", "submitted", "in_review", "reviewer", ""),
        ("approve", "in_review", "approved", "reviewer", ""),
    ]


def test_each_warning_needs_its_own_explanation_kept_with_the_submission(demo) -> None:
    budget = demo["202"]
    warnings = [v for v in budget_violations(budget) if v.severity is Severity.WARNING]
    assert {v.rule for v in warnings} == {"T01"}  # the anonymised "xxxx" of the example, in three places
    with pytest.raises(WorkflowError, match=f"{len(warnings)} 处警告尚未说明"):
        step(budget, "submit", "acc202", "附言不能代替对警告的说明。")
    first = warnings[0]
    budget_explain_warnings(budget=budget, actor=user("acc202"), explanations={first.key: EXPLANATION})
    with pytest.raises(WorkflowError, match=f"{len(warnings) - 1} 处警告尚未说明"):
        step(budget, "submit", "acc202")
    assert budget.state == BudgetState.DRAFT
    explain_warnings(budget, "acc202")
    step(budget, "submit", "acc202")
    event = BudgetEvent.objects.get(budget=budget, action="submit")
    assert [warning for warning, _ in event.data["warnings"]] == [str(v) for v in warnings]
    assert {explanation for _, explanation in event.data["warnings"]} == {EXPLANATION}


def test_an_explanation_of_something_that_is_not_a_warning_is_not_kept(demo) -> None:
    changed = budget_explain_warnings(
        budget=demo["202"], actor=user("acc202"), explanations={"A01|部门预算支出总表｜合计｜合计": "无关"}
    )
    assert changed == 0
    assert not WarningExplanation.objects.exists()


def test_warnings_are_explained_on_the_budget_page(demo, login) -> None:
    client = login("acc202")
    warning = next(v for v in budget_violations(demo["202"]) if v.severity is Severity.WARNING)
    url = reverse("budget_explanations", args=[2021, "202"])
    too_long = client.post(url, {"key-1": warning.key, "text-1": "长" * 2001}, follow=True).content.decode()
    assert "说明过长" in too_long
    assert not WarningExplanation.objects.exists()
    page = client.post(url, {"key-1": warning.key, "text-1": EXPLANATION}, follow=True).content.decode()
    assert "已保存 1 条警告说明" in page
    assert EXPLANATION in page
    assert login("acc318").post(url, {"key-1": warning.key, "text-1": "别人的"}).status_code == 404
    reviewer_page = login("reviewer").get(reverse("budget_detail", args=[2021, "202"])).content.decode()
    assert EXPLANATION in reviewer_page
    assert login("reviewer").post(url, {"key-1": warning.key, "text-1": "审核人"}).status_code == 403
    assert WarningExplanation.objects.get().text == EXPLANATION


def test_errors_block_submission(demo) -> None:
    budget = demo["318"]
    budget.duties = "详见第三部分（错误！未定义书签。）"
    budget.save()
    with pytest.raises(WorkflowError, match="1 处错误") as refused:
        step(budget, "submit", "acc318")
    assert any("T02" in message for message in refused.value.messages)
    budget.refresh_from_db()
    assert budget.state == BudgetState.DRAFT


def test_a_return_needs_a_comment(demo) -> None:
    step(demo["318"], "submit", "acc318")
    with pytest.raises(WorkflowError, match="退回必须填写意见"):
        step(demo["318"], "return", "reviewer", "  ")


@pytest.mark.parametrize(
    ("action", "who"),
    [("submit", "reviewer"), ("submit", "acc202"), ("submit", "admin"), ("start_review", "acc318")],
)
def test_each_step_belongs_to_one_side(demo, action, who) -> None:
    if action == "start_review":
        step(demo["318"], "submit", "acc318")
    with pytest.raises(PermissionDenied):
        step(demo["318"], action, who)


def test_steps_out_of_order_are_refused(demo) -> None:
    with pytest.raises(WorkflowError, match="不能批复"):
        step(demo["318"], "approve", "reviewer")
    step(demo["318"], "submit", "acc318")
    step(demo["318"], "start_review", "reviewer")
    with pytest.raises(WorkflowError, match="不能撤回"):
        step(demo["318"], "withdraw", "acc318")


def test_approved_figures_are_frozen_on_every_path(demo, login) -> None:
    budget = demo["318"]
    approve_318(budget)
    before = list(BudgetLine.objects.filter(budget=budget).values_list("id", "amount"))
    with pytest.raises(BudgetFiguresError, match="已批复"):
        budget_replace_figures(budget=budget, projects=[], lines=[])
    preview = budget_import_preview(data=exported(budget), year=2021)
    assert any("已批复" in str(problem) for problem in preview.problems)
    page = login("acc318").get(reverse("budget_detail", args=[2021, "318"])).content.decode()
    assert "上传并预览" not in page
    line = BudgetLine.objects.filter(budget=budget).first()
    line.amount += Decimal("1.00")
    with pytest.raises(ValidationError, match="数字不能修改"):
        line.full_clean()
    assert list(BudgetLine.objects.filter(budget=budget).values_list("id", "amount")) == before


def test_the_trail_cannot_be_rewritten(demo) -> None:
    step(demo["318"], "submit", "acc318")
    event = BudgetEvent.objects.get(budget=demo["318"], action="submit")
    event.comment = "改写"
    with pytest.raises(ValueError, match="只能追加"):
        event.save()
    with pytest.raises(ValueError, match="只能追加"):
        event.delete()


def test_figure_changes_are_recorded_with_who_and_totals(demo) -> None:
    budget_replace_figures(budget=demo["318"], projects=[], lines=[], actor=user("acc318"))
    event = BudgetEvent.objects.filter(budget=demo["318"], action="figures").last()
    assert event.actor.username == "acc318"
    assert event.data["lines"][1] == 0
    assert Decimal(event.data["total"][0]) > 0


def test_the_page_offers_each_side_its_steps_and_shows_the_trail(demo, login) -> None:
    client = login("acc318")
    page = client.get(reverse("budget_detail", args=[2021, "318"])).content.decode()
    assert ">提交</button>" in page
    assert ">批复</button>" not in page
    response = client.post(reverse("budget_transition", args=[2021, "318", "submit"]), {"comment": ""}, follow=True)
    assert "提交成功，预算当前为“已提交”。" in response.content.decode()
    reviewer_page = login("reviewer").get(reverse("budget_detail", args=[2021, "318"])).content.decode()
    assert ">开始审核</button>" in reviewer_page
    assert "提交（草稿 → 已提交）" in reviewer_page


def test_transitions_are_post_only_and_hidden_from_other_departments(demo, login) -> None:
    client = login("acc202")
    assert client.get(reverse("budget_transition", args=[2021, "202", "submit"])).status_code == 405
    assert client.post(reverse("budget_transition", args=[2021, "318", "submit"])).status_code == 404
    demo["318"].refresh_from_db()
    assert demo["318"].state == BudgetState.DRAFT


def test_the_admin_cannot_touch_an_approved_budgets_figures(demo, client) -> None:
    budget = demo["318"]
    approve_318(budget)
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


def test_the_admin_edits_a_draft_budgets_parts(demo, client) -> None:
    client.force_login(user("admin"))
    page = client.get(reverse("admin:budgets_budget_change", args=[demo["318"].pk])).content.decode()
    assert 'name="fixed_assets-0-value_yuan"' in page
