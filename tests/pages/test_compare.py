"""与上年对比 on the example: 202's 2022 budget, started from its approved 2021 one, beside it."""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from accounts.models import User
from budgets.models import Budget
from budgets.services.figures import budget_replace_figures
from budgets.services.rollover import budget_start_year
from departments.models import Department
from domain.comparison import UNMAPPED_LABEL
from tests.support.editing import figures_changed
from tests.support.new_year import GONE, NEW_YEAR, RENUMBERED, approve_202, load_2022_catalogue

pytestmark = pytest.mark.django_db

RAISE = Decimal("123400.00")  # 12.34 万元 more on 2022's largest basic figure


@pytest.fixture
def year_2022(demo) -> Budget:
    load_2022_catalogue()
    approve_202(demo["202"])
    budget, _report = budget_start_year(
        department=Department.objects.get(code="202"),
        year=NEW_YEAR,
        from_previous=True,
        copy_figures=True,
        actor=User.objects.get(username="acc202"),
    )
    projects, lines = figures_changed(budget, RAISE)
    budget_replace_figures(budget=budget, projects=projects, lines=lines)
    return Budget.objects.get(pk=budget.pk)


def table(html: str, number: int) -> dict[str, list[str]]:
    tables = BeautifulSoup(html, "html.parser").select("table.compare")
    rows = [[td.get_text(strip=True) for td in row.find_all("td")] for row in tables[number].select("tbody tr")]
    return {row[0] if row[0] else row[1]: row for row in rows}


def test_last_years_approved_budget_stands_beside_this_years_with_the_changes(year_2022, login) -> None:
    html = login("acc202").get(reverse("budget_compare", args=[NEW_YEAR, "202"])).content.decode()
    functional = table(html, 0)
    old, new, _name = RENUMBERED
    assert new in functional  # last year's code moved as 新建预算 moves it
    assert old not in functional
    gone = functional[UNMAPPED_LABEL]
    assert gone[2:5] == ["42.74", "0.00", "-42.74"]  # 2210201 住房公积金 has no 2022 code (its 427,400 yuan)
    total = functional["合计"]
    previous, current = Decimal(total[2]), Decimal(total[3])
    assert current - previous == Decimal("12.34") - Decimal("42.74")  # the raise, less what could not be copied
    assert total[4] == f"{current - previous:.2f}"
    unchanged = [row for code, row in functional.items() if len(code) == 7 and row[4] == "0.00"]
    assert unchanged  # the figures copied unchanged compare as 持平
    assert all(row[5] == "0.00%" for row in unchanged)
    assert GONE[0] in html  # and the mapping says why
    three = table(html, 2)
    assert three["合计"][3] == "0.00"  # the 三公 were copied unchanged (项目, 上年, 本年, 增减额, 增减率)


def test_without_an_approved_budget_last_year_it_says_so(demo, login) -> None:
    html = login("acc202").get(reverse("budget_compare", args=[2021, "202"])).content.decode()
    assert "2020年没有本部门已批复的部门预算，无法对比。" in html


def test_another_departments_comparison_is_not_found(demo, login) -> None:
    assert login("acc318").get(reverse("budget_compare", args=[2021, "202"])).status_code == 404
