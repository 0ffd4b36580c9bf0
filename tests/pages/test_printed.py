"""What the pages and downloads print is kept once per stamp of the budget (pages.printed, budgets.computed), and
every kind of write shows at once: the budget's own writes, its department's and units', its catalogue's, its
year's edition. These tests commit (transaction=True): only committed state is kept."""

import io
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from budgets.models import Budget
from budgets.services.figures import budget_replace_figures
from budgets.services.structure import budget_set_duties, department_replace_units
from budgets.services.targets import budget_replace_goals
from catalog.models import BudgetYear, FunctionCode
from departments.models import Department, Unit
from disclosure.services import explanation_inputs_set
from domain.money import to_wan
from domain.structure import UnitInput
from performance.selectors import budget_performance
from tests.support.budgets import OWN, YEAR, SmallWorld
from tests.support.editing import figures_changed

pytestmark = pytest.mark.django_db(transaction=True)

ALL_TABLES = reverse("budget_tables", args=[YEAR, OWN])
WORKBOOK = reverse("budget_workbook", args=[YEAR, OWN])


def budget() -> Budget:
    return Budget.objects.select_related("department", "year").get(department__code=OWN, year_id=YEAR)


def tables_of(response) -> str:
    """The official tables a page shows (the rest of a page, its CSP nonce and CSRF token, differs each time)."""
    return "".join(
        str(section) for section in BeautifulSoup(response.content, "html.parser").select("section.official-table")
    )


def workbook_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row if cell)


def raise_a_figure() -> str:
    projects, lines = figures_changed(budget(), Decimal("1234500.00"))
    budget_replace_figures(budget=budget(), projects=projects, lines=lines)
    return f"{to_wan(budget().spending):.2f}"  # the new 支出合计, in 万元, as 收支总表 prints it


def rename_a_unit_through_the_entry_page_service() -> str:
    stored = budget()
    units = [UnitInput(u.pk, u.name, u.nature, u.rank, u.funding_form) for u in stored.department.units.all()]
    units[0] = UnitInput(units[0].id, "改名后的单位", units[0].nature, units[0].rank, units[0].funding_form)
    department_replace_units(budget=stored, units=units)
    return "改名后的单位"


def rename_a_unit_in_the_admin() -> str:
    unit = Unit.objects.filter(department__code=OWN).order_by("position", "id").first()
    unit.name = "管理员改的单位"
    unit.save()  # as the admin's change form does
    return "管理员改的单位"


def rename_the_department_in_the_admin() -> str:
    department = Department.objects.get(code=OWN)
    department.name = "管理员改的部门"
    department.save()
    return "管理员改的部门"


def rename_a_code_in_the_catalogue() -> str:
    code = FunctionCode.objects.get(year_id=YEAR, code="201")
    code.name = "改名后的一般公共服务支出"
    code.save()  # the admin, or catalog_import's update of a name
    return "改名后的一般公共服务支出"


def print_the_year_in_another_edition() -> str:
    BudgetYear.objects.filter(year=YEAR).update(edition="shanghai-2026")
    return "部门财务收支预算总表"


WRITES: list[Callable[[], str]] = [
    raise_a_figure,
    rename_a_unit_through_the_entry_page_service,
    rename_a_unit_in_the_admin,
    rename_the_department_in_the_admin,
    rename_a_code_in_the_catalogue,
    print_the_year_in_another_edition,
]


@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.__name__)
def test_every_write_shows_at_once_on_the_tables_and_in_the_workbook(small: SmallWorld, login, write) -> None:
    client = login("accountant")
    before_page, before_book = tables_of(client.get(ALL_TABLES)), client.get(WORKBOOK).content
    assert tables_of(client.get(ALL_TABLES)) == before_page  # kept: the same tables again
    shown = write()
    assert shown not in before_page
    assert shown in tables_of(client.get(ALL_TABLES))
    assert shown in workbook_text(client.get(WORKBOOK).content)
    assert shown not in workbook_text(before_book)


def test_the_narrative_sheets_follow_the_departments_words(small: SmallWorld, login) -> None:
    BudgetYear.objects.filter(year=YEAR).update(edition="shanghai-2026")  # an edition that prints them
    client = login("accountant")
    client.get(WORKBOOK)
    budget_set_duties(budget=budget(), duties="新写的部门职责")
    assert "新写的部门职责" in workbook_text(client.get(WORKBOOK).content)


def test_a_table_opened_again_before_any_write_reads_no_figures(small: SmallWorld, login) -> None:
    client = login("accountant")
    url = reverse("budget_table", args=[YEAR, OWN, "summary"])
    with CaptureQueriesContext(connection) as cold:
        first = tables_of(client.get(url))
    with CaptureQueriesContext(connection) as warm:
        again = tables_of(client.get(url))
    assert again == first
    tables = {query["sql"].split(" FROM ", 1)[1].split()[0].strip('"') for query in warm if " FROM " in query["sql"]}
    assert "budgets_budgetline" not in tables  # the figures were read once, for the first
    assert len(warm) < len(cold)


def test_the_budget_page_opened_again_needs_at_most_ten_queries(small: SmallWorld, login) -> None:
    client = login("accountant")
    url = reverse("budget_detail", args=[YEAR, OWN])
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url).status_code == 200
    assert len(warm) <= 10  # issue 22: session, user, the budget, its trail, versions, … but not its figures


def test_the_targets_and_explanation_pages_show_a_write_at_once(small: SmallWorld, login) -> None:
    client = login("accountant")
    targets, explanation = reverse("budget_targets", args=[YEAR, OWN]), reverse("budget_explanation", args=[YEAR, OWN])
    for url in (targets, explanation):
        assert client.get(url).status_code == 200  # now kept
    goals = budget_performance(budget()).goals
    budget_replace_goals(budget=budget(), goals=replace(goals, overall="刚改的总体绩效目标"))
    assert "刚改的总体绩效目标" in client.get(targets).content.decode()
    explanation_inputs_set(budget=budget(), previous=None, remarks={"other": "刚写的其他说明"})
    assert "刚写的其他说明" in client.get(explanation).content.decode()
