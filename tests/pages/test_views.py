"""Who may open which budget page: every role, every page."""

import io
from urllib.parse import quote

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from budgets.models import Budget
from budgets.selectors import catalogue_for_year
from importing.entry_template import read_entry_workbook
from tests.support.budgets import OTHER, OTHER_NAME, OWN, OWN_NAME, YEAR
from tests.support.hebei_2021 import OFFICIAL_TABLES

pytestmark = pytest.mark.django_db


def detail_url(code: str, year: int = YEAR) -> str:
    return reverse("budget_detail", args=[year, code])


def table_url(code: str, key: str, year: int = YEAR) -> str:
    return reverse("budget_table", args=[year, code, key])


def test_anonymous_visitor_is_sent_to_login(client, small) -> None:
    response = client.get(detail_url(OWN))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_accountant_sees_the_nine_tables_of_their_department(small, login) -> None:
    client = login("accountant")
    listed = BeautifulSoup(client.get(detail_url(OWN)).content, "html.parser").select("nav#tables ol a")
    links = {link.get_text(): link["href"] for link in listed}
    for layout in OFFICIAL_TABLES:
        assert links[layout.title] == table_url(OWN, layout.key)  # the budget page lists them, each on its page
    response = client.get(reverse("budget_tables", args=[YEAR, OWN]))
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert [section["id"] for section in page.select("section.official-table")] == [
        f"table-{layout.key}" for layout in OFFICIAL_TABLES
    ]
    assert f"{OWN} {OWN_NAME}" in page.get_text()


def test_accountant_cannot_open_another_departments_budget(small, login) -> None:
    client = login("accountant")
    assert client.get(detail_url(OTHER)).status_code == 404
    assert client.get(table_url(OTHER, "summary")).status_code == 404


def test_accountant_lists_only_their_own_budget(small, login) -> None:
    html = login("other_accountant").get(reverse("home")).content.decode()
    assert OTHER_NAME in html
    assert OWN_NAME not in html


@pytest.mark.parametrize("username", ["reviewer", "admin"])
def test_finance_bureau_staff_see_every_department(small, login, username) -> None:
    client = login(username)
    html = client.get(reverse("home")).content.decode()
    assert OWN_NAME in html
    assert OTHER_NAME in html
    assert client.get(detail_url(OTHER)).status_code == 200


@pytest.mark.parametrize("layout", OFFICIAL_TABLES, ids=lambda layout: layout.key)
def test_each_table_has_its_own_page(small, login, layout) -> None:
    response = login("accountant").get(table_url(OWN, layout.key))
    assert response.status_code == 200
    assert layout.title in response.content.decode()


def test_unknown_table_or_year_answers_not_found(small, login) -> None:
    client = login("reviewer")
    assert client.get(table_url(OWN, "no-such-table")).status_code == 404
    assert client.get(detail_url(OWN, year=2020)).status_code == 404


def test_budget_pages_refuse_writes(small, login) -> None:
    assert login("admin").post(detail_url(OWN)).status_code == 405


# The demo's 318 (three units, six projects with their target tables, 35 lines): enough rows of every kind that a
# query per row would show.
def test_budget_page_needs_a_fixed_number_of_queries(demo, login, django_assert_max_num_queries) -> None:
    client = login("acc318")
    # session, user, budget (with its control figures, goals and stored audit verdict), lines, two catalogues, units,
    # procurement items, fixed assets, sub-goals, target tables, indicators, the audit trail, the snapshots, the
    # department, unread notifications, the publication status (17 on SQLite; + savepoints on PostgreSQL): not one
    # per row. The rules are not run (their verdict is stored at each write), nor their inputs read.
    with django_assert_max_num_queries(19):
        assert client.get(detail_url("318")).status_code == 200


@pytest.mark.parametrize("query", ["?per_page=-1", "?page=-3", "?page=abc", "?page=999", "?sort=nonsense"])
def test_odd_listing_parameters_never_fail(small, login, query) -> None:
    response = login("reviewer").get(reverse("home") + query)
    assert response.status_code in (200, 404)


def test_an_absurd_year_answers_not_found(small, login) -> None:
    client = login("reviewer")
    assert client.get(f"/budgets/99999999999999999999999/{OWN}/").status_code == 404


def entry_template_url(code: str, year: int = YEAR) -> str:
    return reverse("budget_entry_template", args=[year, code])


def test_the_entry_template_downloads_named_by_department_and_year(small, login) -> None:
    response = login("accountant").get(entry_template_url(OWN))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f"attachment; filename*=UTF-8''{quote(f'录入模板-{OWN}-{YEAR}.xlsx')}"
    entry = read_entry_workbook(response.content, year=YEAR, catalogue=catalogue_for_year(YEAR))
    assert (entry.problems, entry.department_code, len(entry.lines)) == ([], OWN, small.budget.lines.count())


def test_whoever_reads_the_budget_may_download_its_entry_template(small, login) -> None:
    # A reviewer reads every budget (and may not import one); an accountant reads his department's only.
    assert login("reviewer").get(entry_template_url(OTHER)).status_code == 200
    assert login("accountant").get(entry_template_url(OTHER)).status_code == 404


def test_the_budget_page_offers_the_entry_template_next_to_the_workbook(small, login) -> None:
    page = BeautifulSoup(login("reviewer").get(detail_url(OWN)).content, "html.parser")
    downloads = [link["href"] for link in page.select("p.actions a")]
    workbook = reverse("budget_workbook", args=[YEAR, OWN])
    tables = reverse("budget_tables", args=[YEAR, OWN])
    assert downloads == [workbook, f"{workbook}?unit=元", tables, entry_template_url(OWN)]


def test_the_home_page_says_round_version_state_and_open_findings_of_each_budget(small, login) -> None:
    Budget.objects.filter(pk=small.budget.pk).update(errors_open=2, warnings_open=3, version=2)
    page = BeautifulSoup(login("accountant").get(reverse("home")).content.decode(), "html.parser")
    headers = [th.get_text(strip=True) for th in page.select("table.listing thead th")]
    assert headers[3:] == ["轮次", "版本", "状态", "支出合计（万元）", "错误", "警告"]
    cells = [td.get_text(strip=True) for td in page.select("table.listing tbody tr")[0].select("td")]
    assert cells[3:6] == ["一上（预算建议）", "第2版", "草稿"]
    assert cells[7:] == ["2", "3"]
    assert page.select_one("a.has-errors")["href"] == detail_url(OWN) + "#audit"


def test_the_downloads_in_wan_and_in_yuan_have_their_own_names_and_print_page_numbers(small, login) -> None:
    client = login("accountant")
    url = reverse("budget_workbook", args=[YEAR, OWN])
    wan, yuan = client.get(url), client.get(url + "?unit=元")
    assert quote(f"{YEAR}年部门预算公开表_{OWN}_万元.xlsx") in wan["Content-Disposition"]
    assert quote(f"{YEAR}年部门预算公开表_{OWN}_元.xlsx") in yuan["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(wan.content)).worksheets[0]
    assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"


def test_the_targets_index_numbers_each_table_once(demo, login) -> None:
    page = BeautifulSoup(
        login("acc202").get(reverse("budget_targets", args=[YEAR, "202"])).content.decode(), "html.parser"
    )
    index = page.select_one("nav.table-nav")
    assert index.select_one("ol") is None  # the titles carry their numbers
    titles = [a.get_text() for a in index.select("li a")]
    assert titles[1].startswith("1、")
