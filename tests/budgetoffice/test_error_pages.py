"""Error pages speak Chinese, say why when our refusal says why, and never show Django's English."""

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import bad_request, server_error

from tests.support.factories import AccountantFactory, BudgetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production_pages(settings) -> None:
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]


def test_a_page_that_does_not_exist_says_so_in_chinese(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "找不到页面（404）" in body
    assert "Not Found" not in body


def test_a_budget_one_may_not_see_is_a_plain_404_without_djangos_english(client: Client) -> None:
    budget = BudgetFactory()
    client.force_login(AccountantFactory())  # of another department
    response = client.get(f"/budgets/{budget.year_id}/{budget.department.code}/")
    assert response.status_code == 404
    assert "matches the given query" not in response.content.decode()


def test_a_refusal_shows_its_reason(client: Client) -> None:
    budget = BudgetFactory()
    client.force_login(AccountantFactory(department=budget.department))
    response = client.get("/dashboard/")
    assert response.status_code == 403
    assert "只有财政审核人和系统管理员可以打开审核工作台。" in response.content.decode()


def test_a_post_without_its_csrf_token_is_explained() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "页面已失效" in response.content.decode()


@pytest.mark.parametrize(
    ("view", "status", "heading"), [(bad_request, 400, "请求无效"), (server_error, 500, "系统出错")]
)
def test_the_pages_rendered_without_a_request_are_chinese_too(view, status, heading) -> None:
    request = RequestFactory().get("/")
    response = view(request, Exception()) if view is bad_request else view(request)
    assert response.status_code == status
    assert heading in response.content.decode()
