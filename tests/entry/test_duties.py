"""The 部门职责与说明 entry page (budget_duties_edit): who may open and save it, a round trip, the character count,
over-long text and a stale page (nothing saved, the text kept), the links to the other narratives, and the entry
tabs on every entry page."""

import pytest
from bs4 import BeautifulSoup
from django.db import OperationalError
from django.urls import reverse

from budgets.models import Budget, BudgetEvent
from budgets.services.structure import budget_set_duties
from domain.workflow import BudgetState
from entry.duties import MAX_DUTIES

pytestmark = pytest.mark.django_db

YEAR, CODE = 2021, "202"
TEXT = "负责区委日常运转；\n承担文电、会务、机要工作。"


def url(code: str = CODE) -> str:
    return reverse("budget_duties_edit", args=[YEAR, code])


def budget(code: str = CODE) -> Budget:
    return Budget.objects.get(department__code=code, year_id=YEAR)


def state(code: str = CODE) -> tuple:
    stored = budget(code)
    return stored.revision, stored.duties, BudgetEvent.objects.filter(budget=stored).count()


def messages_of(html: str) -> str:
    return " ".join(li.get_text() for li in BeautifulSoup(html, "html.parser").select("ul.messages li"))


def textarea(html: str) -> str:
    return BeautifulSoup(html, "html.parser").find("textarea", attrs={"name": "duties"}).text.removeprefix("\n")


@pytest.mark.parametrize(("who", "status"), [("acc202", 200), ("admin", 200), ("reviewer", 403), ("acc318", 404)])
def test_the_page_opens_for_the_departments_accountant_and_the_administrator(demo, login, who, status) -> None:
    assert login(who).get(url()).status_code == status


@pytest.mark.parametrize(("who", "status"), [("acc202", 302), ("admin", 302), ("reviewer", 403), ("acc318", 404)])
def test_only_editors_save(demo, login, who, status) -> None:
    before = state()
    response = login(who).post(url(), {"duties": TEXT, "revision": str(budget().revision)})
    assert response.status_code == status
    assert (budget().duties == TEXT) is (status == 302)
    if status != 302:
        assert state() == before


@pytest.mark.parametrize("frozen", [BudgetState.SUBMITTED, BudgetState.APPROVED])
def test_a_frozen_budget_is_refused(demo, login, frozen) -> None:
    client = login("acc202")
    Budget.objects.filter(pk=budget().pk).update(state=frozen)
    before = state()
    assert client.get(url()).status_code == 403
    assert client.post(url(), {"duties": TEXT, "revision": str(budget().revision)}).status_code == 403
    assert state() == before


def test_the_duties_are_saved_logged_and_shown_again(demo, login) -> None:
    client = login("acc202")
    old, revision = budget().duties, budget().revision
    # Browsers post line breaks as \r\n; trailing blanks are dropped.
    posted = TEXT.replace("\n", "  \r\n") + "\r\n"
    response = client.post(url(), {"duties": posted, "revision": str(revision)}, follow=True)
    assert "部门职责已保存" in messages_of(response.content.decode())
    assert textarea(response.content.decode()) == TEXT
    assert budget().duties == TEXT
    assert budget().revision == revision + 1
    event = BudgetEvent.objects.filter(budget=budget(), action="duties").get()
    assert event.changes == [["部门职责", old, TEXT]]
    assert event.actor.username == "acc202"


def test_the_same_text_saves_nothing(demo, login) -> None:
    client = login("acc202")
    before = state()
    response = client.post(url(), {"duties": budget().duties, "revision": str(budget().revision)}, follow=True)
    assert "部门职责没有变化" in messages_of(response.content.decode())
    assert state() == before


def test_the_page_counts_the_characters(demo, login) -> None:
    budget_set_duties(budget=budget(), duties=TEXT)
    soup = BeautifulSoup(login("acc202").get(url()).content.decode(), "html.parser")
    assert soup.select_one("output.js-count-output").get_text() == str(len(TEXT))
    assert soup.find("textarea")["data-max"] == str(MAX_DUTIES)


def test_over_long_duties_are_refused_and_kept_in_the_page(demo, login) -> None:
    client = login("acc202")
    before = state()
    text = "职" * (MAX_DUTIES + 1)
    response = client.post(url(), {"duties": text, "revision": str(budget().revision)})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"部门职责最多 {MAX_DUTIES} 字（现有 {MAX_DUTIES + 1} 字）" in html
    assert "未保存" in messages_of(html)
    assert textarea(html) == text
    assert state() == before


def test_a_stale_page_is_refused_and_keeps_what_was_typed(demo, login) -> None:
    client = login("acc202")
    revision = budget().revision
    budget_set_duties(budget=budget(), duties="别人刚改的职责")
    before = state()
    response = client.post(url(), {"duties": TEXT, "revision": str(revision)})
    html = response.content.decode()
    assert "已被他人修改" in messages_of(html)
    assert textarea(html) == TEXT
    assert state() == before
    assert BeautifulSoup(html, "html.parser").find("input", attrs={"name": "revision"})["value"] == str(
        budget().revision
    )
    cells = [td.get_text() for td in BeautifulSoup(html, "html.parser").select("#theirs table.rehearsal td")]
    assert cells == ["部门职责", "别人刚改的职责", TEXT]  # both texts: the next save is made knowing the other


def test_a_refusal_for_what_was_typed_keeps_the_revision_the_page_was_built_on(demo, login) -> None:
    client = login("acc202")
    revision = budget().revision
    html = client.post(url(), {"duties": "长" * (MAX_DUTIES + 1), "revision": str(revision)}).content.decode()
    assert BeautifulSoup(html, "html.parser").find("input", attrs={"name": "revision"})["value"] == str(revision)
    assert BeautifulSoup(html, "html.parser").select_one("#theirs") is None


def test_a_mangled_revision_is_refused(demo, login) -> None:
    before = state()
    response = login("acc202").post(url(), {"duties": TEXT, "revision": "abc"})
    assert "已被他人修改" in messages_of(response.content.decode())
    assert state() == before


def test_the_page_links_the_other_narrative_editors(demo, login) -> None:
    html = login("acc202").get(url()).content.decode()
    assert reverse("budget_explanation", args=[YEAR, CODE]) in html
    assert reverse("budget_goals_edit", args=[YEAR, CODE]) in html


@pytest.mark.parametrize(
    ("name", "tab"),
    [
        ("budget_units_edit", "单位"),
        ("budget_figures_edit", "预算数字"),
        ("budget_projects_edit", "项目"),
        ("budget_duties_edit", "部门职责与说明"),
    ],
)
def test_every_entry_page_shows_the_entry_tabs_with_its_own_marked(demo, login, name, tab) -> None:
    soup = BeautifulSoup(login("acc202").get(reverse(name, args=[YEAR, CODE])).content.decode(), "html.parser")
    nav = soup.select_one("nav.entry-nav")
    assert "no-print" in nav["class"]
    links = {a.get_text(): a["href"] for a in nav.select("a")}
    for other, other_name in (
        ("单位", "budget_units_edit"),
        ("预算数字", "budget_figures_edit"),
        ("项目", "budget_projects_edit"),
        ("部门职责与说明", "budget_duties_edit"),
        ("绩效目标", "budget_goals_edit"),
    ):
        assert links[other] == reverse(other_name, args=[YEAR, CODE])
    assert [a.get_text() for a in nav.select('a[aria-current="page"]')] == [tab]


def test_the_budget_page_links_the_entry_pages_for_editors_only(demo, login) -> None:
    detail = reverse("budget_detail", args=[YEAR, CODE])
    editor = login("acc202").get(detail).content.decode()
    for name in ("budget_units_edit", "budget_projects_edit", "budget_duties_edit"):
        assert reverse(name, args=[YEAR, CODE]) in editor
    reviewer = login("reviewer").get(detail).content.decode()
    assert reverse("budget_duties_edit", args=[YEAR, CODE]) not in reviewer


def test_a_database_still_busy_refuses_the_save_in_chinese_and_keeps_what_was_typed(demo, login, monkeypatch) -> None:
    def locked(**kwargs) -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr("entry.duties.budget_set_duties", locked)
    before = state()
    response = login("acc202").post(url(), {"duties": TEXT, "revision": str(budget().revision)})
    assert response.status_code == 200
    assert "系统正忙" in messages_of(response.content.decode())
    assert textarea(response.content.decode()) == TEXT
    assert state() == before
