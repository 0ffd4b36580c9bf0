"""Where the rules show: their catalogue, the budget page, and the 检查工作簿 page."""

from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from budgets.models import BudgetLine
from budgets.services.targets import budget_replace_performance
from demo.targets_202 import AS_PUBLISHED
from departments.models import Department
from domain.audit.model import CATALOGUE
from tests.support.workbooks import hand_typed_example

pytestmark = pytest.mark.django_db


def test_the_catalogue_page_lists_every_rule(demo, login) -> None:
    html = unescape(login("acc202").get(reverse("rule_catalogue")).content.decode())
    for rule in CATALOGUE.values():
        assert f'id="rule-{rule.id}"' in html
        assert rule.title in html


def test_the_budget_page_lists_its_violations_linked_to_their_table(demo, login) -> None:
    html = login("acc202").get(reverse("budget_detail", args=[2021, "202"])).content.decode()
    assert "审核结果" in html
    assert (
        '<a href="#table-basic-economic">部门预算一般公共预算财政拨款基本支出表｜302 商品和服务支出｜合计</a>' in html
    )


def test_checking_an_uploaded_workbook_shows_its_defects_and_stores_nothing(demo, login) -> None:
    before = (list(BudgetLine.objects.values_list("id", "amount")), Department.objects.count())
    upload = SimpleUploadedFile("published.xlsx", hand_typed_example(as_published=True))
    html = login("acc318").post(reverse("workbook_check"), {"workbook": upload}).content.decode()
    assert "Sheet5!D18" in html
    assert "121.783 超过两位小数（万元）" in html
    assert (list(BudgetLine.objects.values_list("id", "amount")), Department.objects.count()) == before


def test_garbage_is_a_message_on_the_check_page(demo, login) -> None:
    upload = SimpleUploadedFile("x.xlsx", b"not a workbook")
    html = login("acc202").post(reverse("workbook_check"), {"workbook": upload}).content.decode()
    assert "不是 xlsx" in html


@pytest.mark.parametrize("name", ["rule_catalogue", "workbook_check"])
def test_the_pages_need_a_login(client, name) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_target_violation_links_to_its_table_on_the_targets_page(demo, login) -> None:
    budget_replace_performance(budget=demo["202"], performance=AS_PUBLISHED)
    html = login("acc202").get(reverse("budget_detail", args=[2021, "202"])).content.decode()
    targets_url = reverse("budget_targets", args=[2021, "202"])
    assert f'href="{targets_url}#target-1">绩效目标表｜党代会经费｜第10行 人大代表满意度｜指标值' in html
    assert f'href="{targets_url}#department-goals">部门整体绩效目标｜分项绩效目标1 党代会经费' in html
    page = login("acc202").get(targets_url).content.decode()
    assert 'id="target-1"' in page
    assert "编辑本表" in page
    assert "编辑本表" not in login("reviewer").get(targets_url).content.decode()
