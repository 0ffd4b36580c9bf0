"""QuickRowsTable renders the body rows exactly as django-tables2's own template does, cell for cell (the dashboard,
whose columns use every feature: links, choice labels, defaults, render methods, classes computed per record)."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import RequestFactory
from django.utils import timezone

from budgets.models import Budget, ControlFigures
from domain.workflow import BudgetState
from pages.listings import BudgetTable
from tests.support.budgets import OTHER, YEAR, SmallWorld
from workflow.dashboard import DashboardTable, dashboard_budgets

pytestmark = pytest.mark.django_db


def body(table, template: str) -> list[list[tuple[str, str]]]:
    table.template_name = template
    html = table.as_html(RequestFactory().get("/dashboard/"))
    rows = BeautifulSoup(html, "html.parser").select("tbody tr")
    cells = [
        [(" ".join(sorted(td.get("class", []))), td.decode_contents().strip()) for td in row.find_all("td")]
        for row in rows
    ]
    return cells  # classes in any order, as HTML reads them


def test_the_quick_rows_are_django_tables2s_rows(small: SmallWorld) -> None:
    other = Budget.objects.get(department__code=OTHER, year_id=YEAR)
    Budget.objects.filter(pk=other.pk).update(
        state=BudgetState.SUBMITTED, submitted_at=timezone.now() - timedelta(days=3), errors_open=2
    )
    ControlFigures.objects.create(budget=other, total=1, basic=1, project=0, three_public=0)  # far over: marked
    table = DashboardTable(dashboard_budgets(YEAR))
    table.paginate(per_page=50)
    quick = body(table, "web/quick_rows_table.html")
    assert quick == body(table, "django_tables2/table.html")
    assert len(quick) == 2
    cells = dict(zip([column.name for column in table.columns], quick[1], strict=True))
    assert cells["variance"][0] == "num over-control"
    assert cells["errors_open"] == ("has-errors num", "2")
    assert cells["waiting_days"] == ("num", "3")
    assert cells["department_name"][1].startswith('<a href="/budgets/')


def test_the_home_listing_renders_the_same_too(small: SmallWorld) -> None:
    Budget.objects.filter(department__code=OTHER).update(errors_open=1, version=2)
    table = BudgetTable(Budget.objects.select_related("department").order_by("department__code"))
    table.paginate(per_page=50)
    quick = body(table, "web/quick_rows_table.html")
    assert quick == body(table, "django_tables2/table.html")
    assert quick[1][-2][1].startswith('<a class="has-errors"')


def test_an_empty_page_says_so(small: SmallWorld) -> None:
    table = DashboardTable(dashboard_budgets(YEAR).none())
    table.paginate(per_page=50)
    assert body(table, "web/quick_rows_table.html") == body(table, "django_tables2/table.html")
    assert "没有符合条件的部门预算" in table.as_html(RequestFactory().get("/"))
