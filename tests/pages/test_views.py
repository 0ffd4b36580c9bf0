"""Who may open which budget page: every role, every page."""

import pytest
from django.urls import reverse

from official.definitions import OFFICIAL_TABLES

pytestmark = pytest.mark.django_db


def detail_url(code: str, year: int = 2021) -> str:
    return reverse("budget_detail", args=[year, code])


def table_url(code: str, key: str, year: int = 2021) -> str:
    return reverse("budget_table", args=[year, code, key])


def test_anonymous_visitor_is_sent_to_login(client, demo) -> None:
    response = client.get(detail_url("202"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_accountant_sees_the_nine_tables_of_their_department(demo, login) -> None:
    response = login("acc202").get(detail_url("202"))
    assert response.status_code == 200
    html = response.content.decode()
    for layout in OFFICIAL_TABLES:
        assert layout.title in html
    assert "202 中共石家庄市鹿泉区委办公室" in html


def test_accountant_cannot_open_another_departments_budget(demo, login) -> None:
    client = login("acc202")
    assert client.get(detail_url("318")).status_code == 404
    assert client.get(table_url("318", "summary")).status_code == 404


def test_accountant_lists_only_their_own_budget(demo, login) -> None:
    html = login("acc318").get(reverse("home")).content.decode()
    assert "石家庄市鹿泉区文化广电和旅游局" in html
    assert "中共石家庄市鹿泉区委办公室" not in html


@pytest.mark.parametrize("username", ["reviewer", "admin"])
def test_finance_bureau_staff_see_every_department(demo, login, username) -> None:
    client = login(username)
    html = client.get(reverse("home")).content.decode()
    assert "中共石家庄市鹿泉区委办公室" in html
    assert "石家庄市鹿泉区文化广电和旅游局" in html
    assert client.get(detail_url("318")).status_code == 200


@pytest.mark.parametrize("layout", OFFICIAL_TABLES, ids=lambda layout: layout.key)
def test_each_table_has_its_own_page(demo, login, layout) -> None:
    response = login("acc202").get(table_url("202", layout.key))
    assert response.status_code == 200
    assert layout.title in response.content.decode()


def test_unknown_table_or_year_answers_not_found(demo, login) -> None:
    client = login("reviewer")
    assert client.get(table_url("202", "no-such-table")).status_code == 404
    assert client.get(detail_url("202", year=2020)).status_code == 404


def test_budget_pages_refuse_writes(demo, login) -> None:
    assert login("admin").post(detail_url("202")).status_code == 405


def test_budget_page_needs_a_fixed_number_of_queries(demo, login, django_assert_max_num_queries) -> None:
    client = login("acc318")
    # session, user, budget (with its control figures, goals and stored audit verdict), lines, two catalogues, units,
    # procurement items, fixed assets, sub-goals, target tables, indicators, the audit trail, the snapshots, the
    # department, unread notifications, the publication status (17 on SQLite; + savepoints on PostgreSQL): not one
    # per row. The rules are not run (their verdict is stored at each write), nor their inputs read.
    with django_assert_max_num_queries(19):
        assert client.get(detail_url("318")).status_code == 200


@pytest.mark.parametrize("query", ["?per_page=-1", "?page=-3", "?page=abc", "?page=999", "?sort=nonsense"])
def test_odd_listing_parameters_never_fail(demo, login, query) -> None:
    response = login("reviewer").get(reverse("home") + query)
    assert response.status_code in (200, 404)


def test_an_absurd_year_answers_not_found(demo, login) -> None:
    client = login("reviewer")
    assert client.get("/budgets/99999999999999999999999/202/").status_code == 404
