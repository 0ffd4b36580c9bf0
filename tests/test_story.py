"""The whole story of one budget year, through the pages as the people live it: 一上, control figures, 二上 over
the control figures refused, fixed, submitted, returned with a comment, fixed, approved, adjusted."""

from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from budgets.models import Budget, BudgetEvent, BudgetLine, BudgetSnapshot, Notification
from budgets.services.figures import budget_replace_figures
from demo.loader import DEMO_PASSWORD
from domain.workflow import BudgetRound, BudgetState
from tests.support.editing import figures_changed

pytestmark = pytest.mark.django_db

YEAR, CODE = 2021, "318"


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


def budget() -> Budget:
    return Budget.objects.get(department__code=CODE, year_id=YEAR)


def act(client: Client, action: str, comment: str = "") -> str:
    revision = budget().revision
    response = client.post(
        reverse("budget_transition", args=[YEAR, CODE, action]),
        {"comment": comment, "revision": revision},
        follow=True,
    )
    assert response.status_code == 200
    return response.content.decode()


def set_control(client: Client, **wan: str) -> str:
    response = client.post(
        reverse("budget_control", args=[YEAR, CODE]), {**wan, "revision": budget().revision}, follow=True
    )
    assert response.status_code == 200
    return response.content.decode()


def change_largest_basic_line(by: Decimal, actor: User) -> None:
    """The accountant changes one basic-expenditure figure (as an entry form or an import would)."""
    projects, lines = figures_changed(budget(), by, source="general")
    budget_replace_figures(budget=budget(), actor=actor, projects=projects, lines=lines)


def test_a_budget_year_from_proposal_to_adjustment(demo, django_capture_on_commit_callbacks) -> None:
    accountant, reviewer = client_for("acc318"), client_for("reviewer")
    User.objects.filter(username="acc318").update(email="acc318@example.org")

    # 一上: the proposal goes in and is reviewed; approval is not a step of this round.
    assert "提交成功" in act(accountant, "submit")
    assert budget().round == BudgetRound.PROPOSAL
    act(reviewer, "start_review")
    assert "不能批复" in act(reviewer, "approve")

    # 一下: control figures, one 万元 less basic expenditure than 318 asks for.
    page = act(reviewer, "issue_control")
    assert "请先设置控制数" in page
    allowed = (budget_basic_wan() - 1).quantize(Decimal("0.01"))
    assert "控制数已保存" in set_control(
        reviewer, total="100000", basic=str(allowed), project="50000", three_public="500"
    )
    assert "下达控制数成功" in act(reviewer, "issue_control")
    stored = budget()
    assert (stored.round, stored.state) == (BudgetRound.FORMAL, BudgetState.DRAFT)
    assert Notification.objects.filter(user__username="acc318", message__contains="控制数已下达").exists()

    # 二上 over the control figure: refused with K01, pointing at 基本支出.
    page = act(accountant, "submit")
    assert "K01" in page
    assert "基本支出" in page
    assert f"超过控制数 {allowed} 万元" in page
    assert budget().state == BudgetState.DRAFT

    # Fixed by bringing basic expenditure down to the control figure, then submitted.
    change_largest_basic_line((allowed - budget_basic_wan()) * 10000, User.objects.get(username="acc318"))
    assert "提交成功" in act(accountant, "submit")
    act(reviewer, "start_review")

    # Returned with a comment: the department is told, in the app and by mail.
    assert "退回必须填写意见" in act(reviewer, "return", "")
    with django_capture_on_commit_callbacks(execute=True):
        assert "退回成功" in act(reviewer, "return", "公用经费请按定额重新测算。")
    assert Notification.objects.filter(user__username="acc318", message__contains="公用经费请按定额").exists()
    assert [message.to for message in mail.outbox if "已被退回" in message.subject] == [["acc318@example.org"]]

    # Fixed: 100 yuan moved between two figures; the reviewer sees exactly that change, table by table.
    change_largest_basic_line(Decimal("-100.00"), User.objects.get(username="acc318"))
    assert "提交成功" in act(accountant, "submit")
    changes = reviewer.get(reverse("budget_changes", args=[YEAR, CODE])).content.decode()
    before, after = f"{allowed:.2f}", f"{allowed - Decimal('0.01'):.2f}"
    assert "部门预算支出总表" in changes
    assert before in changes
    assert after in changes

    # Approved: frozen, kept as version 1.
    act(reviewer, "start_review")
    assert "批复成功" in act(reviewer, "approve")
    assert budget().state == BudgetState.APPROVED
    assert BudgetSnapshot.objects.filter(budget=budget(), kind="approved", version=1).count() == 1
    assert Notification.objects.filter(user__username="acc318", message__contains="已批复").exists()

    # Every step is in the trail, in order, with who did it.
    trail = list(
        BudgetEvent.objects.filter(budget=budget())
        .exclude(action__in=["figures", "supplementary", "targets"])
        .order_by("created_at", "id")
        .values_list("action", "actor__username")
    )
    assert trail == [
        ("submit", "acc318"),
        ("start_review", "reviewer"),
        ("control", "reviewer"),
        ("issue_control", "reviewer"),
        ("submit", "acc318"),
        ("start_review", "reviewer"),
        ("return", "reviewer"),
        ("submit", "acc318"),
        ("start_review", "reviewer"),
        ("approve", "reviewer"),
    ]
    fixes = BudgetEvent.objects.filter(budget=budget(), action="figures", actor__username="acc318")
    assert [len(event.changes) for event in fixes] == [1, 1]
    _place, old, new = fixes.last().changes[0]
    assert Decimal(old) - Decimal(new) == Decimal("100.00")

    # 预算调整: version 2 opens from the approved one; version 1 stays readable as approved.
    approved_basic = budget_basic_wan()
    assert "预算调整必须填写意见或理由" in act(accountant, "adjust")
    assert "预算调整成功" in act(accountant, "adjust", "追加文物保护专项。")
    assert (budget().version, budget().state) == (2, BudgetState.DRAFT)
    change_largest_basic_line(Decimal("-5000.00"), User.objects.get(username="acc318"))
    version_1 = accountant.get(reverse("budget_version", args=[YEAR, CODE, 1])).content.decode()
    assert f"{approved_basic:.2f}" in version_1
    assert f"{budget_basic_wan():.2f}" not in version_1


def budget_basic_wan() -> Decimal:
    total = sum(
        BudgetLine.objects.filter(budget=budget(), kind="basic", source="general", carried_over=False).values_list(
            "amount", flat=True
        ),
        Decimal(0),
    )
    return total / 10000
