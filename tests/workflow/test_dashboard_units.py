"""The dashboard down to units (issue 20): every unit of the year's budgets, what it spends and where its own part
stands, filtered by department, unit and part state; for the bureau only."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from accounts.models import User
from budgets.services.unit_parts import part_step
from departments.models import Unit
from tests.support.budgets import CENTRE, OFFICE, OTHER_OFFICE, YEAR, SmallWorld

pytestmark = pytest.mark.django_db


def rows(client, **query: str) -> dict[str, list[str]]:
    response = client.get(reverse("dashboard_units"), {"year": str(YEAR), **query})
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    return {
        cells[2]: cells
        for cells in ([td.get_text(strip=True) for td in tr.find_all("td")] for tr in page.select("table tbody tr"))
        if len(cells) > 2
    }


def test_every_unit_is_listed_with_its_spending_and_who_enters_it(small: SmallWorld, centre: Unit, login) -> None:
    listed = rows(login("reviewer"))
    assert set(listed) == {OFFICE, CENTRE, OTHER_OFFICE}
    # 本级 590000 元, 服务中心 231000 元 (as the department's 汇总 view adds them up)
    assert listed[OFFICE][3:5] == ["部门填报", "59.00"]
    assert listed[CENTRE][3:5] == ["草稿", "23.10"]


def test_the_units_filter_by_part_state_department_and_name(small: SmallWorld, centre: Unit, login) -> None:
    client = login("reviewer")
    assert set(rows(client, part="department")) == {OFFICE, OTHER_OFFICE}
    assert set(rows(client, part="draft")) == {CENTRE}
    part_step(budget=small.budget, unit=centre, action="report", user=User.objects.get(username="unit_centre"))
    assert set(rows(client, part="draft")) == set()
    assert rows(client, part="reported")[CENTRE][3] == "已报部门"
    assert set(rows(client, department=small.budget.department.code)) == {OFFICE, CENTRE}
    assert set(rows(client, unit="中心")) == {CENTRE}


def test_the_unit_name_opens_its_part_and_the_listing_exports(small: SmallWorld, centre: Unit, login) -> None:
    client = login("reviewer")
    page = BeautifulSoup(client.get(reverse("dashboard_units"), {"year": str(YEAR)}).content, "html.parser")
    link = page.find("a", string=CENTRE)["href"]
    assert link == reverse("budget_unit_part", args=[YEAR, small.budget.department.code, centre.pk])
    assert client.get(link).status_code == 200
    exported = client.get(reverse("dashboard_units"), {"year": str(YEAR), "_export": "csv"})
    text = exported.content.decode("utf-8-sig")
    assert f"{CENTRE},草稿,23.10" in text
    assert "<a" not in text


@pytest.mark.parametrize("username", ["accountant", "unit_centre"])
def test_the_departments_and_units_may_not_open_it(small: SmallWorld, centre: Unit, login, username) -> None:
    assert login(username).get(reverse("dashboard_units")).status_code == 403
