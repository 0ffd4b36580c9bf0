"""Where the rules show: their catalogue, the budget page, and the 检查工作簿 page."""

from dataclasses import replace
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.verdict import budget_violations
from budgets.models import BudgetLine
from budgets.services.figures import budget_replace_figures
from budgets.services.targets import budget_replace_performance
from demo.targets_202 import AS_PUBLISHED
from departments.models import Department
from domain.audit.model import CATALOGUE
from tests.support.budgets import OWN, OWN_LINES, OWN_PROJECTS, YEAR
from tests.support.workbooks import hand_typed_example

pytestmark = pytest.mark.django_db


def test_the_catalogue_page_lists_every_rule(small, login) -> None:
    html = unescape(login("accountant").get(reverse("rule_catalogue")).content.decode())
    for rule in CATALOGUE.values():
        assert f'id="rule-{rule.id}"' in html
        assert rule.title in html


def test_the_budget_page_lists_its_violations_linked_to_their_table(small, login) -> None:
    # The pension contribution (30108) booked under 行政运行 instead of 2080505: rule D01 warns, at table 6's row.
    lines = [replace(line, function="2013101") if line.economic == "30108" else line for line in OWN_LINES]
    budget_replace_figures(budget=small.budget, projects=list(OWN_PROJECTS), lines=lines)
    [warning] = [v for v in budget_violations(small.budget) if v.rule == "D01"]
    assert warning.place == "部门预算一般公共预算财政拨款基本支出表｜30108 机关事业单位基本养老保险缴费｜合计"
    html = login("accountant").get(reverse("budget_detail", args=[YEAR, OWN])).content.decode()
    assert "审核结果" in html
    assert f'<a href="#table-basic-economic">{warning.place}</a>' in html


def test_checking_an_uploaded_workbook_shows_its_defects_and_stores_nothing(small, login) -> None:
    before = (list(BudgetLine.objects.values_list("id", "amount")), Department.objects.count())
    upload = SimpleUploadedFile("published.xlsx", hand_typed_example(as_published=True))
    html = login("accountant").post(reverse("workbook_check"), {"workbook": upload}).content.decode()
    assert "Sheet5!D18" in html
    assert "121.783 超过两位小数（万元）" in html
    assert (list(BudgetLine.objects.values_list("id", "amount")), Department.objects.count()) == before


def test_garbage_is_a_message_on_the_check_page(small, login) -> None:
    upload = SimpleUploadedFile("x.xlsx", b"not a workbook")
    html = login("accountant").post(reverse("workbook_check"), {"workbook": upload}).content.decode()
    assert "不是 xlsx" in html


@pytest.mark.parametrize("name", ["rule_catalogue", "workbook_check"])
def test_the_pages_need_a_login(client, name) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# The published example's target tables and their defects (spec §5.4).
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
