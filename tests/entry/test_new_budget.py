"""The 新建预算 page: who may start a budget for which department and year, its refusals, and the report."""

import pytest
from django.urls import reverse

from budgets.models import Budget, BudgetEvent, BudgetLine, Project
from tests.support.factories import AccountantFactory
from tests.support.new_year import GONE, NEW_YEAR, RENUMBERED, approve_202, load_2022_catalogue

pytestmark = pytest.mark.django_db

URL = "/budgets/new/"


@pytest.fixture
def ready(demo):
    """202's 2021 budget approved, and a 2022 catalogue."""
    load_2022_catalogue()
    approve_202(demo["202"])
    return demo


def counts() -> tuple[int, int, int, int]:
    return Budget.objects.count(), BudgetEvent.objects.count(), BudgetLine.objects.count(), Project.objects.count()


def post(client, **overrides):
    data = {"department": "202", "year": str(NEW_YEAR), "start": "previous", "copy_figures": "on", **overrides}
    return client.post(URL, {key: value for key, value in data.items() if value is not None})


def test_the_url_is_not_taken_for_a_year() -> None:
    assert reverse("budget_new") == URL


def test_an_accountant_is_offered_his_department_and_the_years_without_a_budget(ready, login) -> None:
    page = login("acc202").get(URL).content.decode()
    assert '<option value="202"' in page
    assert '<option value="318"' not in page
    assert f'<option value="{NEW_YEAR}"' in page
    assert '<option value="2021"' not in page


def test_the_administrator_is_offered_every_department(ready, login) -> None:
    page = login("admin").get(URL).content.decode()
    assert '<option value="202"' in page
    assert '<option value="318"' in page


def test_a_reviewer_gets_403_and_creates_nothing(ready, login) -> None:
    client = login("reviewer")
    assert client.get(URL).status_code == 403
    before = counts()
    assert post(client).status_code == 403
    assert counts() == before


def test_a_signed_out_visitor_is_sent_to_the_login(ready, client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_home_page_links_the_new_budget_page_for_those_who_may(ready, login, client) -> None:
    assert URL in login("acc202").get(reverse("home")).content.decode()
    client.logout()
    assert URL not in login("reviewer").get(reverse("home")).content.decode()


def test_an_accountant_starts_the_new_year_and_sees_the_report(ready, login) -> None:
    client = login("acc202")
    response = post(client)
    report_url = reverse("budget_rollover_report", args=[NEW_YEAR, "202"])
    assert response.status_code == 302
    assert response["Location"] == report_url
    budget = Budget.objects.get(department__code="202", year_id=NEW_YEAR)
    assert budget.lines.exists()
    assert budget.projects.count() == 12
    page = client.get(report_url).content.decode()
    old, new, name = RENUMBERED
    assert f"{old} {name}" in page
    assert f"{new} {name}" in page
    assert "已按名称对应" in page
    assert f"{GONE[0]} {GONE[1]}" in page
    assert "无法对应" in page
    assert "42.74" in page
    assert reverse("budget_figures_edit", args=[NEW_YEAR, "202"]) in page


def test_structure_only_when_figures_are_not_asked_for(ready, login) -> None:
    assert post(login("acc202"), copy_figures=None).status_code == 302
    budget = Budget.objects.get(department__code="202", year_id=NEW_YEAR)
    assert budget.projects.count() == 12
    assert not budget.lines.exists()


def test_an_empty_budget_for_a_department_without_a_past(ready, login) -> None:
    client = login("admin")
    assert post(client, department="318", start="empty").status_code == 302
    budget = Budget.objects.get(department__code="318", year_id=NEW_YEAR)
    assert not budget.lines.exists()
    assert not budget.projects.exists()
    assert "空白预算" in client.get(reverse("budget_rollover_report", args=[NEW_YEAR, "318"])).content.decode()


@pytest.mark.parametrize(
    ("who", "overrides", "message"),
    [
        ("acc202", {"department": "318"}, "只能为本部门新建预算"),
        ("acc202", {"year": "2023"}, "该年度没有科目表"),
        ("acc202", {"year": "2021"}, "该年度没有科目表，或本部门已有该年度预算"),
        ("admin", {"year": "2021"}, "2021年度预算已经存在"),
        ("admin", {"department": "318"}, "2021年度预算尚未批复"),
        ("acc202", {"year": "二〇二二", "start": "all", "department": None}, "请选择部门"),
        ("acc202", {"start": "<script>"}, "请选择新建方式"),
        ("acc202", {"year": "99999999999999999999"}, "请从列表中选择"),
    ],
    ids=["other-department", "no-catalogue", "own-exists", "exists", "not-approved", "garbage", "start", "huge"],
)
def test_bad_input_is_refused_in_chinese_and_creates_nothing(ready, login, who, overrides, message) -> None:
    before = counts()
    response = post(login(who), **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts() == before


def test_the_report_is_read_like_the_budget(ready, login, client) -> None:
    post(login("admin"), department="318", start="empty")
    client.logout()
    assert login("reviewer").get(reverse("budget_rollover_report", args=[NEW_YEAR, "318"])).status_code == 200
    client.logout()
    assert login("acc202").get(reverse("budget_rollover_report", args=[NEW_YEAR, "318"])).status_code == 404


def test_a_budget_not_made_here_has_no_report(ready, login) -> None:
    assert login("acc202").get(reverse("budget_rollover_report", args=[2021, "202"])).status_code == 404


def test_with_every_year_taken_the_page_says_why_instead_of_an_empty_form(demo, login) -> None:
    page = login("acc202").get(URL).content.decode()  # 2021 is the only catalogue, and 202 has its budget
    assert "都已有预算" in page
    assert '<form method="post" class="new-budget-form"' not in page
    refused = counts()
    post(login("acc202"), year="2021")
    assert counts() == refused


def test_with_no_catalogue_at_all_the_page_says_a_catalogue_must_be_loaded(db, client) -> None:
    client.force_login(AccountantFactory(username="lonely"))
    page = client.get(URL).content.decode()
    assert "请先由管理员导入新年度的科目表" in page
