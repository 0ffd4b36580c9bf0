"""The bureau's control figures, approved versions and the changes since a return, through the pages."""

import io
from decimal import Decimal

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from budgets.models import Budget, BudgetEvent, ControlFigures, Notification
from budgets.services.figures import budget_replace_figures
from domain.workflow import BudgetRound
from tests.support.budgets import OWN, PERFORMANCE, YEAR
from tests.support.editing import figures_changed
from tests.support.workflow import approve_in_both_rounds, step

pytestmark = pytest.mark.django_db

GOOD = {"total": "900", "basic": "500", "project": "400", "three_public": "10"}


def post_control(client, code: str = OWN, **values: str):
    return client.post(reverse("budget_control", args=[YEAR, code]), {**GOOD, **values}, follow=True)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"basic": "五百"}, "请输入数字"),
        ({"basic": "-1"}, "基本支出（万元）"),
        ({"project": "1.234"}, "项目支出（万元）"),
        ({"three_public": ""}, "必须填写"),
        ({"basic": "600"}, "之和不能超过"),
        ({"basic": "1e400"}, "控制数未保存"),
    ],
)
def test_bad_control_figures_are_refused_with_a_message(small, login, values, message) -> None:
    page = post_control(login("reviewer"), **values).content.decode()
    assert "控制数未保存" in page
    assert message in page
    assert not ControlFigures.objects.filter(budget=small.budget).exists()
    assert not BudgetEvent.objects.filter(action="control").exists()


def test_control_figures_are_typed_in_wan_and_kept_in_yuan_with_the_change_in_the_trail(small, login) -> None:
    client = login("reviewer")
    assert "控制数已保存" in post_control(client).content.decode()
    control = ControlFigures.objects.get(budget=small.budget)
    assert (control.total, control.three_public) == (Decimal("9000000.00"), Decimal("100000.00"))
    post_control(client, three_public="12.5")
    event = BudgetEvent.objects.filter(action="control").last()
    assert event.changes == [["控制数｜“三公”经费", "100000.00", "125000.00"]]
    page = client.get(reverse("budget_detail", args=[YEAR, OWN])).content.decode()
    assert "12.50" in page
    assert "一上阶段不以控制数审核" in page


@pytest.mark.parametrize("who", ["accountant", "admin"])
def test_only_reviewers_set_control_figures(small, login, who) -> None:
    assert post_control(login(who)).status_code == 403
    page = login(who).get(reverse("budget_detail", args=[YEAR, OWN])).content.decode()
    assert f'action="{reverse("budget_control", args=[YEAR, OWN])}"' not in page
    assert login(who).get(reverse("budget_control", args=[YEAR, OWN])).status_code == 403
    assert not ControlFigures.objects.filter(budget=small.budget).exists()


def test_an_approved_budget_takes_no_new_control_figures(small, login) -> None:
    approve_in_both_rounds(small.budget, "accountant")
    before = ControlFigures.objects.get(budget=small.budget).limits()
    assert post_control(login("reviewer"), total="1").status_code == 403
    assert ControlFigures.objects.get(budget=small.budget).limits() == before


def test_the_approved_version_has_its_page_and_workbook(small, login) -> None:
    approve_in_both_rounds(small.budget, "accountant")
    client = login("accountant")
    page = client.get(reverse("budget_detail", args=[YEAR, OWN])).content.decode()
    assert "第1版（" in page
    assert client.get(reverse("budget_version", args=[YEAR, OWN, 1])).status_code == 200
    workbook = client.get(reverse("budget_version_workbook", args=[YEAR, OWN, 1]))
    assert workbook.status_code == 200
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    # The version keeps its performance targets too.
    sheets = openpyxl.load_workbook(io.BytesIO(workbook.content), read_only=True).sheetnames
    assert "部门整体绩效目标" in sheets
    assert sum(name.startswith("绩效目标表") for name in sheets) == len(PERFORMANCE.targets)
    for version in (2, 0, 99999999999999999999):
        assert client.get(reverse("budget_version", args=[YEAR, OWN, version])).status_code == 404
    assert login("other_accountant").get(reverse("budget_version", args=[YEAR, OWN, 1])).status_code == 404


def test_changes_since_a_return_need_a_return(small, login) -> None:
    client = login("reviewer")
    assert client.get(reverse("budget_changes", args=[YEAR, OWN])).status_code == 404
    step(small.budget, "submit", "accountant")
    step(small.budget, "return", "reviewer", "请补充项目绩效目标。")
    page = client.get(reverse("budget_changes", args=[YEAR, OWN])).content.decode()
    assert "退回以来各表数字没有变化" in page
    assert "请补充项目绩效目标" in client.get(reverse("budget_detail", args=[YEAR, OWN])).content.decode()


def test_notifications_are_the_users_own_and_can_be_marked_read(small, login) -> None:
    step(small.budget, "submit", "accountant")
    step(small.budget, "return", "reviewer", "请核对。")
    client = login("accountant")
    assert "请核对" in client.get(reverse("notifications")).content.decode()
    assert 'class="badge">1<' in client.get(reverse("home")).content.decode()
    other = login("other_accountant")
    assert "请核对" not in other.get(reverse("notifications")).content.decode()
    other.post(reverse("notifications_mark_read"))
    assert Notification.objects.get(user__username="accountant").read_at is None
    login("accountant").post(reverse("notifications_mark_read"))
    assert Notification.objects.get(user__username="accountant").read_at is not None
    assert 'class="badge"' not in login("accountant").get(reverse("home")).content.decode()


def test_in_the_proposal_round_control_figures_are_a_draft_until_they_are_issued(small, login) -> None:
    client = login("reviewer")
    assert "审核时点“下达控制数”正式下达" in post_control(client).content.decode()
    post_control(client, basic="450")
    assert ControlFigures.objects.get(budget=small.budget).issue == 1
    assert not Notification.objects.filter(message__contains="控制数").exists()


def test_a_change_after_the_first_issue_is_a_new_numbered_issue_told_to_the_department(small, login) -> None:
    Budget.objects.filter(pk=small.budget.pk).update(round=BudgetRound.FORMAL)  # 一下 done: figures are issued
    client = login("reviewer")
    assert "第1次下达" in post_control(client).content.decode()
    assert Notification.objects.filter(message__contains="控制数已下达").exists()
    assert not Notification.objects.filter(message__contains="控制数已调整").exists()
    assert "控制数没有变化" in post_control(client).content.decode()
    assert "调整为第2次下达" in post_control(client, basic="450").content.decode()
    control = ControlFigures.objects.get(budget=small.budget)
    assert control.issue == 2
    told = Notification.objects.get(message__contains="控制数已调整")
    assert told.user.department_id == small.budget.department_id
    assert "第2次下达" in told.message
    assert "基本支出 500.00 → 450.00 万元" in told.message
    page = client.get(reverse("budget_control", args=[YEAR, OWN])).content.decode()
    assert "现行控制数为第2次下达" in page
    assert [event.data["issue"] for event in BudgetEvent.objects.filter(action="control").order_by("id")] == [1, 2]


def test_a_refused_control_figure_is_said_at_its_field_and_what_was_typed_is_kept(small, login) -> None:
    response = post_control(login("reviewer"), project="1.234")
    page = BeautifulSoup(response.content.decode(), "html.parser")
    field = page.select_one("input[name=project]")
    assert field["value"] == "1.234"
    assert "最多两位小数" in field.find_parent("td").select_one("ul.errors").get_text()
    assert page.select_one("input[name=basic]")["value"] == GOOD["basic"]


def test_changes_since_a_return_list_the_figures_changed_first_and_fold_the_tables(small, login) -> None:
    step(small.budget, "submit", "accountant")
    step(small.budget, "return", "reviewer", "请核对。")
    small.budget.refresh_from_db()
    projects, lines = figures_changed(small.budget, Decimal("100.01"))
    budget_replace_figures(budget=small.budget, projects=projects, lines=lines)
    page = BeautifulSoup(
        login("accountant").get(reverse("budget_changes", args=[YEAR, OWN])).content.decode(), "html.parser"
    )
    sections = page.select("main section")
    assert sections[0].select_one("h2").get_text().startswith("预算明细的修改（1 处")
    old, new = (td.get_text() for td in sections[0].select("tbody td.num"))
    assert Decimal(new.replace(",", "")) - Decimal(old.replace(",", "")) == Decimal("100.01")  # exact, in 元
    folded = sections[1].select("details")
    assert folded
    assert all(not details.has_attr("open") for details in folded)
