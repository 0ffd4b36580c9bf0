"""The 单位 entry page (budget_units_edit): who may open and save it, a round trip, renaming, adding, reordering and
removing units, what each wrong entry says (and that nothing is saved), a stale page, and 表10 单位构成 after."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from budgets.models import Budget, BudgetEvent
from budgets.services.structure import budget_set_duties, department_replace_units
from departments.models import Unit
from domain.structure import UNIT_NAME_TWICE, UNIT_NATURE_INVALID, UnitInput
from domain.workflow import BudgetState
from entry.units import NO_SUCH_UNIT, ORDER_INVALID
from tests.support.factories import UnitFactory
from tests.support.posting import form_data, rehearsal_rows, rendered_rows

pytestmark = pytest.mark.django_db

YEAR, CODE, PREFIX = 2021, "202", "unit"
OFFICE, CENTRE = "中共石家庄市鹿泉区委办公室本级", "中共石家庄市鹿泉区委信息中心"


def url(code: str = CODE) -> str:
    return reverse("budget_units_edit", args=[YEAR, code])


def budget(code: str = CODE) -> Budget:
    return Budget.objects.get(department__code=code, year_id=YEAR)


def state(code: str = CODE) -> tuple:
    """What a save would change: the revision, the trail and the units."""
    stored = budget(code)
    units = list(
        Unit.objects.filter(department=stored.department)
        .order_by("position", "id")
        .values_list("pk", "name", "nature", "rank", "funding_form", "position")
    )
    return stored.revision, BudgetEvent.objects.filter(budget=stored).count(), units


def page_rows(client: Client) -> tuple[list[dict[str, str]], int]:
    """The units as the page shows them (its blank row for a new unit left out), and the page's revision."""
    response = client.get(url())
    assert response.status_code == 200
    data = form_data(response.content.decode(), "units-form")
    rows = [row for row in rendered_rows(data, PREFIX) if row["id"] or row["name"]]
    return rows, int(data["revision"])


def post_data(rows: list[dict[str, str]], revision: int | None) -> dict[str, str]:
    data = {f"{PREFIX}-TOTAL_FORMS": str(len(rows)), f"{PREFIX}-INITIAL_FORMS": "0"}
    if revision is not None:
        data["revision"] = str(revision)
    for index, row in enumerate(rows):
        data.update({f"{PREFIX}-{index}-{name}": value for name, value in row.items()})
    return data


def new_unit(**fields: str) -> dict[str, str]:
    return {"id": "", "name": "中共石家庄市鹿泉区委党史研究室", "nature": "事业", "rank": "正科级",
            "funding_form": "财政拨款", "order": "", **fields}  # fmt: skip


def messages_of(html: str) -> str:
    return " ".join(li.get_text() for li in BeautifulSoup(html, "html.parser").select("ul.messages li"))


def row_errors(html: str, number: int) -> str:
    rows = BeautifulSoup(html, "html.parser").select("tbody.js-rows tr.js-row")
    return " ".join(ul.get_text(" ") for ul in rows[number - 1].select("ul.errors"))


# --- Who may open and save ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [("acc202", 200), ("admin", 200), ("reviewer", 403), ("acc318", 404)])
def test_the_page_opens_for_the_departments_accountant_and_the_administrator(demo, login, who, status) -> None:
    assert login(who).get(url()).status_code == status


@pytest.mark.parametrize(("who", "status"), [("acc202", 302), ("reviewer", 403), ("acc318", 404)])
def test_only_editors_save(demo, login, who, status) -> None:
    rows, revision = page_rows(login("acc202"))
    rows[1]["rank"] = "副处级"
    before = state()
    response = login(who).post(url(), post_data(rows, revision))
    assert response.status_code == status
    if status == 302:
        assert Unit.objects.get(name=CENTRE).rank == "副处级"
    else:
        assert state() == before


@pytest.mark.parametrize("frozen", [BudgetState.SUBMITTED, BudgetState.APPROVED])
def test_a_frozen_budget_is_refused(demo, login, frozen) -> None:
    client = login("acc202")
    rows, revision = page_rows(client)
    rows[0]["name"] = "改名"
    Budget.objects.filter(pk=budget().pk).update(state=frozen)
    before = state()
    assert client.get(url()).status_code == 403
    assert client.post(url(), post_data(rows, revision)).status_code == 403
    assert state() == before


# --- Saving ---------------------------------------------------------------------------------------------------


def test_the_page_posted_unchanged_saves_nothing(demo, login) -> None:
    client = login("acc202")
    rows, revision = page_rows(client)
    assert [row["name"] for row in rows] == [OFFICE, CENTRE]
    before = state()
    response = client.post(url(), post_data(rows, revision), follow=True)
    assert "单位没有变化" in messages_of(response.content.decode())
    assert state() == before


def test_rename_add_and_reorder_are_saved_logged_and_shown_in_table_10(demo, login) -> None:
    client = login("acc202")
    rows, revision = page_rows(client)
    rows[1].update(name="中共石家庄市鹿泉区委网络信息中心", nature="其他", order="1")
    rows[0]["order"] = "2"
    rows.append(new_unit(order="3"))
    response = client.post(url(), post_data(rows, revision), follow=True)
    assert "单位已保存" in messages_of(response.content.decode())
    units = list(budget().department.units.order_by("position").values_list("name", "nature", "position"))
    assert units == [
        ("中共石家庄市鹿泉区委网络信息中心", "其他", 0),
        (OFFICE, "行政", 1),
        ("中共石家庄市鹿泉区委党史研究室", "事业", 2),
    ]
    # The renamed unit keeps its figures and projects: it is the same unit.
    assert Unit.objects.get(name="中共石家庄市鹿泉区委网络信息中心").lines.count() == 2
    event = BudgetEvent.objects.filter(budget=budget(), action="units").get()
    assert event.actor.username == "acc202"
    assert ["单位名称", CENTRE, "中共石家庄市鹿泉区委网络信息中心"] in event.changes
    assert ["单位“中共石家庄市鹿泉区委党史研究室”", "", "新增（事业，正科级，财政拨款）"] in event.changes
    assert budget().revision == revision + 1
    table = client.get(reverse("budget_table", args=[YEAR, CODE, "units"])).content.decode()
    assert table.index("中共石家庄市鹿泉区委网络信息中心") < table.index(OFFICE) < table.index("党史研究室")


def test_two_units_may_swap_names(demo, login) -> None:
    client = login("acc202")
    rows, revision = page_rows(client)
    rows[0]["name"], rows[1]["name"] = CENTRE, OFFICE
    assert client.post(url(), post_data(rows, revision)).status_code == 302
    office = Unit.objects.get(name=OFFICE)
    assert office.nature == "事业"  # the former 信息中心, renamed
    assert office.lines.count() == 2


def test_a_unit_without_figures_or_projects_is_removed(demo, login) -> None:
    spare = UnitFactory(department=budget().department, name="待撤销单位", position=5)
    client = login("acc202")
    rows, revision = page_rows(client)
    assert rows[2]["id"] == str(spare.pk)
    rows[2]["delete"] = "1"
    assert client.post(url(), post_data(rows, revision)).status_code == 302
    assert not Unit.objects.filter(pk=spare.pk).exists()
    event = BudgetEvent.objects.filter(budget=budget(), action="units").get()
    assert ["单位“待撤销单位”", "行政，正科级，财政拨款", "删除"] in event.changes


@pytest.mark.parametrize("how", ["ticked", "left out"])
def test_a_unit_with_figures_is_not_removed(demo, login, how) -> None:
    client = login("acc202")
    rows, revision = page_rows(client)
    if how == "ticked":
        rows[1]["delete"] = "1"
    else:
        del rows[1]
    rows[0]["rank"] = "副处级"  # saved with it, or not at all
    before = state()
    response = client.post(url(), post_data(rows, revision))
    assert response.status_code == 200
    assert f"单位“{CENTRE}”不能删除：2021年预算中还有它的预算数字、项目或固定资产" in messages_of(
        response.content.decode()
    )
    assert state() == before


def test_the_page_offers_no_delete_box_for_a_unit_in_use(demo, login) -> None:
    html = login("acc202").get(url()).content.decode()
    assert not BeautifulSoup(html, "html.parser").select('input[name$="-delete"]')
    assert "不可删除" in html


# --- Wrong entries: a message at the row, nothing saved -----------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("order", "abc", ORDER_INVALID),
        ("order", "-1", ORDER_INVALID),
        ("order", "1.5", ORDER_INVALID),
        ("nature", "党群", UNIT_NATURE_INVALID),
        ("name", OFFICE, UNIT_NAME_TWICE.format(first=1)),
        ("name", "单" * 101, "单位名称最多 100 字"),
        ("name", "", "请填写单位名称"),
        ("rank", "级" * 51, "单位规格最多 50 字"),
        ("funding_form", "拨" * 51, "经费保障形式最多 50 字"),
    ],
)
def test_a_wrong_entry_is_shown_at_its_row_and_nothing_is_saved(demo, login, field, value, message) -> None:
    client = login("acc202")
    rows, revision = page_rows(client)
    rows[0]["rank"] = "副处级"  # a valid change in another row: not saved either
    rows[1][field] = value
    before = state()
    response = client.post(url(), post_data(rows, revision))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in row_errors(html, 2)
    assert "未保存" in messages_of(html)
    assert state() == before
    # What was typed is still there.
    again = form_data(html, "units-form")
    assert again[f"{PREFIX}-1-{field}"] == value
    assert again[f"{PREFIX}-0-rank"] == "副处级"


def test_a_new_unit_with_a_taken_name_is_refused(demo, login) -> None:
    client = login("acc202")
    rows, revision = page_rows(client)
    rows.append(new_unit(name=CENTRE))
    before = state()
    response = client.post(url(), post_data(rows, revision))
    assert UNIT_NAME_TWICE.format(first=2) in row_errors(response.content.decode(), 3)
    assert state() == before


def test_another_departments_unit_id_is_refused(demo, login) -> None:
    client = login("acc202")
    rows, revision = page_rows(client)
    foreign = Unit.objects.filter(department__code="318").first()
    rows[1]["id"] = str(foreign.pk)
    before, foreign_before = state(), state("318")
    response = client.post(url(), post_data(rows, revision))
    assert NO_SUCH_UNIT in row_errors(response.content.decode(), 2)
    assert (state(), state("318")) == (before, foreign_before)


def test_a_post_without_its_row_count_changes_nothing(demo, login) -> None:
    client = login("acc202")
    _, revision = page_rows(client)
    before = state()
    response = client.post(url(), {"revision": str(revision)})
    assert "表单不完整" in messages_of(response.content.decode())
    assert state() == before


def test_a_stale_page_is_refused_and_keeps_what_was_typed(demo, login) -> None:
    client = login("acc202")
    rows, revision = page_rows(client)
    budget_set_duties(budget=budget(), duties="别人刚改的职责")  # someone else's save in between
    rows[1]["name"] = "新名称"
    before = state()
    response = client.post(url(), post_data(rows, revision))
    html = response.content.decode()
    assert "已被他人修改" in messages_of(html)
    assert state() == before
    again = form_data(html, "units-form")
    assert again[f"{PREFIX}-1-name"] == "新名称"
    assert again["revision"] == str(budget().revision)  # saving again is a deliberate choice


def others_rank(index: int, rank: str) -> None:
    """Someone else gives the department's unit ``index`` another 单位规格."""
    stored = budget()
    units = [
        UnitInput(unit.pk, unit.name, unit.nature, rank if number == index else unit.rank, unit.funding_form)
        for number, unit in enumerate(stored.department.units.order_by("position", "id"))
    ]
    department_replace_units(budget=stored, units=units)


def test_a_stale_page_shows_what_saving_again_would_change_theirs_beside_the_pages(demo, login) -> None:
    client = login("acc202")
    rows, revision = page_rows(client)
    others_rank(1, "副处级")  # someone else, meanwhile, on this very page
    old_name, rows[1]["name"] = rows[1]["name"], "新名称"
    html = client.post(url(), post_data(rows, revision)).content.decode()
    assert rehearsal_rows(html) == [
        ["单位名称", old_name, "新名称"],
        ["单位“新名称”单位规格", "副处级", rows[1]["rank"]],
    ]
    assert "核对后再保存" in messages_of(html)
    assert Unit.objects.get(pk=rows[1]["id"]).rank == "副处级"  # nothing written by showing it
    response = client.post(url(), form_data(html, "units-form"))  # saving again, having seen it
    assert response.status_code == 302
    assert Unit.objects.get(pk=rows[1]["id"]).name == "新名称"


def test_a_save_of_someone_elses_after_the_comparison_is_shown_makes_the_page_stale_again(demo, login) -> None:
    client = login("acc202")
    rows, revision = page_rows(client)
    others_rank(1, "副处级")
    rows[1]["name"] = "新名称"
    html = client.post(url(), post_data(rows, revision)).content.decode()
    others_rank(1, "正处级")  # after the comparison was shown
    before = state()
    again = client.post(url(), form_data(html, "units-form")).content.decode()
    assert "已被他人修改" in messages_of(again)
    assert state() == before
    assert ["单位“新名称”单位规格", "正处级", rows[1]["rank"]] in rehearsal_rows(again)


def test_a_stale_page_whose_content_is_what_is_stored_says_there_is_nothing_to_save(demo, login) -> None:
    client = login("acc202")
    rows, revision = page_rows(client)
    budget_set_duties(budget=budget(), duties="别人刚改的职责")  # not on this page
    html = client.post(url(), post_data(rows, revision)).content.decode()
    assert rehearsal_rows(html) == []
    assert "无需再次保存" in BeautifulSoup(html, "html.parser").select_one("#theirs").get_text()


def test_the_page_has_the_entry_tabs_and_the_unsaved_warning_script(demo, login) -> None:
    html = login("acc202").get(url()).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    tabs = soup.select("nav.entry-nav a")
    assert [tab.get_text() for tab in tabs][:3] == ["单位", "预算数字", "项目"]
    assert soup.select_one('nav.entry-nav a[aria-current="page"]').get_text() == "单位"
    assert "no-print" in soup.select_one("nav.entry-nav")["class"]
    scripts = [script["src"].rsplit("/", 1)[-1] for script in soup.find_all("script", src=True)]
    assert scripts[-2:] == ["numbers.js", "grid.js"]
    assert "js-grid-form" in soup.select_one("form#units-form")["class"]


def test_a_refusal_of_what_was_typed_keeps_the_page_on_its_revision_so_a_later_save_of_another_stays_safe(
    demo, login
) -> None:
    client = login("acc202")
    rows, revision = page_rows(client)
    budget_set_duties(budget=Budget.objects.get(department__code="202", year_id=2021), duties="别人刚改的职责")
    rows[1]["order"] = "abc"  # refused for what was typed, before the ledger is asked
    html = client.post(url(), post_data(rows, revision)).content.decode()
    assert ORDER_INVALID in row_errors(html, 2)
    assert form_data(html, "units-form")["revision"] == str(revision)  # not made current unseen
