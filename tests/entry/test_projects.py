"""The 项目 entry page (budget_projects_edit): who may open and save it, what it derives from the lines, renaming,
moving a project (with its lines) to another unit, adding one without figures, deleting, what each wrong entry says
(and that nothing is saved), and a stale page."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from budgets.models import Budget, BudgetEvent, BudgetLine, Project
from budgets.selectors import entry_context
from budgets.services.structure import budget_replace_projects, budget_set_duties
from domain.structure import PROJECT_NAME_TWICE, PROJECT_UNIT_INVALID, ProjectEdit
from domain.workflow import BudgetState
from entry.projects import NO_SUCH_PROJECT
from tests.support.posting import form_data, rehearsal_rows, rendered_rows

pytestmark = pytest.mark.django_db

YEAR, CODE, PREFIX = 2021, "318", "project"
BUREAU = "石家庄市鹿泉区文化广电和旅游局本级"
LIBRARY, CENTRE = "石家庄市鹿泉区图书馆", "石家庄市鹿泉区文化馆"


def url(code: str = CODE) -> str:
    return reverse("budget_projects_edit", args=[YEAR, code])


def budget(code: str = CODE) -> Budget:
    return Budget.objects.get(department__code=code, year_id=YEAR)


def state(code: str = CODE) -> tuple:
    """What a save would change: the revision, the trail, the projects and the lines' units and projects."""
    stored = budget(code)
    projects = list(stored.projects.order_by("pk").values_list("pk", "name", "unit__name", "position"))
    lines = list(BudgetLine.objects.filter(budget=stored).order_by("pk").values_list("pk", "unit_id", "project_id"))
    return stored.revision, BudgetEvent.objects.filter(budget=stored).count(), projects, lines


def page_rows(client: Client) -> tuple[list[dict[str, str]], int]:
    response = client.get(url())
    assert response.status_code == 200
    data = form_data(response.content.decode(), "projects-form")
    return [row for row in rendered_rows(data, PREFIX) if row["id"] or row["name"]], int(data["revision"])


def post_data(rows: list[dict[str, str]], revision: int | None) -> dict[str, str]:
    data = {f"{PREFIX}-TOTAL_FORMS": str(len(rows)), f"{PREFIX}-INITIAL_FORMS": "0"}
    if revision is not None:
        data["revision"] = str(revision)
    for index, row in enumerate(rows):
        data.update({f"{PREFIX}-{index}-{name}": value for name, value in row.items()})
    return data


def messages_of(html: str) -> str:
    return " ".join(li.get_text() for li in BeautifulSoup(html, "html.parser").select("ul.messages li"))


def row_errors(html: str, number: int) -> str:
    rows = BeautifulSoup(html, "html.parser").select("tbody.js-rows tr.js-row")
    return " ".join(ul.get_text(" ") for ul in rows[number - 1].select("ul.errors"))


def row_named(rows: list[dict[str, str]], name: str) -> dict[str, str]:
    return next(row for row in rows if row["name"] == name)


def add_empty_project(name: str = "空项目", unit: str = BUREAU) -> Project:
    stored = budget()
    edits = [ProjectEdit(p.pk, p.name, p.unit.name) for p in stored.projects.order_by("position", "id")]
    budget_replace_projects(budget=stored, projects=[*edits, ProjectEdit(None, name, unit)])
    return Project.objects.get(budget=stored, name=name)


# --- Who may open and save ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [("acc318", 200), ("admin", 200), ("reviewer", 403), ("acc202", 404)])
def test_the_page_opens_for_the_departments_accountant_and_the_administrator(demo, login, who, status) -> None:
    assert login(who).get(url()).status_code == status


@pytest.mark.parametrize(("who", "status"), [("acc318", 302), ("reviewer", 403), ("acc202", 404)])
def test_only_editors_save(demo, login, who, status) -> None:
    rows, revision = page_rows(login("acc318"))
    rows[0]["name"] = "文化惠民演出（改）"
    before = state()
    assert login(who).post(url(), post_data(rows, revision)).status_code == status
    assert (state() != before) is (status == 302)


@pytest.mark.parametrize("frozen", [BudgetState.SUBMITTED, BudgetState.APPROVED])
def test_a_frozen_budget_is_refused(demo, login, frozen) -> None:
    client = login("acc318")
    rows, revision = page_rows(client)
    rows[0]["name"] = "改名"
    Budget.objects.filter(pk=budget().pk).update(state=frozen)
    before = state()
    assert client.get(url()).status_code == 403
    assert client.post(url(), post_data(rows, revision)).status_code == 403
    assert state() == before


# --- What the page shows --------------------------------------------------------------------------------------


def test_amount_codes_and_sources_are_derived_from_the_lines_and_not_typed(demo, login) -> None:
    html = login("acc318").get(url()).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    first = soup.select("tbody.js-rows tr.js-row")[0]
    assert first.select_one('input[name="project-0-name"]')["value"] == "文化惠民演出"
    project = budget().projects.get(name="文化惠民演出")
    lines = list(project.lines.all())
    total = sum(line.amount for line in lines) / 10000
    cells = [td.get_text(strip=True) for td in first.select("td.derived")]
    assert cells[0] == f"{total:,.2f}"
    assert cells[1] == "、".join(sorted({line.function_id and line.function.code for line in lines}))
    assert cells[2] == "、".join(sorted({line.economic.code for line in lines}))
    assert not first.select("td.derived input")
    assert not soup.select('input[name="project-0-delete"]')  # it has figures
    project_total = sum(line.amount for line in BudgetLine.objects.filter(budget=budget(), project__isnull=False))
    assert soup.select_one("tfoot td.num").get_text() == f"{project_total / 10000:,.2f}"


# --- Saving ---------------------------------------------------------------------------------------------------


def test_the_page_posted_unchanged_saves_nothing(demo, login) -> None:
    client = login("acc318")
    rows, revision = page_rows(client)
    before = state()
    response = client.post(url(), post_data(rows, revision), follow=True)
    assert "项目没有变化" in messages_of(response.content.decode())
    assert state() == before


def test_a_renamed_project_keeps_its_lines_and_targets_and_the_grid_shows_the_new_name(demo, login) -> None:
    client = login("acc318")
    rows, revision = page_rows(client)
    project = budget().projects.get(name="文化惠民演出")
    row_named(rows, "文化惠民演出")["name"] = "文化惠民演出季"
    assert client.post(url(), post_data(rows, revision)).status_code == 302
    project.refresh_from_db()
    assert project.name == "文化惠民演出季"
    assert project.lines.count() == 2
    assert hasattr(project, "target")
    assert "文化惠民演出季" in entry_context(budget()).projects
    event = BudgetEvent.objects.get(budget=budget(), action="projects")
    assert event.changes == [["项目名称", "文化惠民演出", "文化惠民演出季"]]
    assert event.actor.username == "acc318"
    assert budget().revision == revision + 1


def test_a_project_moved_to_another_unit_takes_its_lines_along(demo, login) -> None:
    client = login("acc318")
    rows, revision = page_rows(client)
    row_named(rows, "图书馆图书购置")["unit"] = CENTRE
    assert client.post(url(), post_data(rows, revision)).status_code == 302
    project = budget().projects.get(name="图书馆图书购置")
    assert project.unit.name == CENTRE
    assert {line.unit.name for line in project.lines.all()} == {CENTRE}
    event = BudgetEvent.objects.get(budget=budget(), action="projects")
    assert event.changes == [["项目“图书馆图书购置”所属单位（2 条预算数字随之移动）", LIBRARY, CENTRE]]


def test_a_new_project_without_figures_is_added_and_offered_in_the_figures_grid(demo, login) -> None:
    client = login("acc318")
    rows, revision = page_rows(client)
    rows.append({"id": "", "name": "乡村文化站提升", "unit": LIBRARY})
    assert client.post(url(), post_data(rows, revision)).status_code == 302
    project = budget().projects.get(name="乡村文化站提升")
    assert (project.unit.name, project.lines.count(), project.position) == (LIBRARY, 0, 6)
    grid = client.get(reverse("budget_figures_edit", args=[YEAR, CODE])).content.decode()
    assert '<option value="乡村文化站提升">' in grid


def test_a_project_without_figures_targets_or_procurement_is_deleted(demo, login) -> None:
    spare = add_empty_project()
    client = login("acc318")
    rows, revision = page_rows(client)
    row_named(rows, "空项目")["delete"] = "1"
    assert client.post(url(), post_data(rows, revision)).status_code == 302
    assert not Project.objects.filter(pk=spare.pk).exists()
    event = BudgetEvent.objects.filter(budget=budget(), action="projects").latest("pk")
    assert event.changes == [["项目“空项目”", BUREAU, "删除"]]


@pytest.mark.parametrize(
    ("name", "reasons"),
    [("图书馆图书购置", "预算数字、绩效目标、政府采购"), ("文化广场改造提升", "预算数字、绩效目标")],
)
def test_a_project_still_in_use_is_not_deleted(demo, login, name, reasons) -> None:
    client = login("acc318")
    rows, revision = page_rows(client)
    rows = [row for row in rows if row["name"] != name]
    rows[0]["name"] = "也不保存的改名"
    before = state()
    response = client.post(url(), post_data(rows, revision))
    assert f"项目“{name}”不能删除：它还有{reasons}" in messages_of(response.content.decode())
    assert state() == before


# --- Wrong entries: a message at the row, nothing saved -----------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "也不保存的改名", PROJECT_NAME_TWICE.format(first=1)),
        ("name", "项" * 201, "项目名称最多 200 字"),
        ("name", "", "请填写项目名称"),
        ("unit", "石家庄市鹿泉区博物馆", PROJECT_UNIT_INVALID),
        ("unit", "中共石家庄市鹿泉区委办公室本级", PROJECT_UNIT_INVALID),  # another department's
        ("id", "abc", NO_SUCH_PROJECT),
        ("id", "1", NO_SUCH_PROJECT),  # a project of 202
    ],
)
def test_a_wrong_entry_is_shown_at_its_row_and_nothing_is_saved(demo, login, field, value, message) -> None:
    client = login("acc318")
    rows, revision = page_rows(client)
    rows[0]["name"] = "也不保存的改名"
    rows[1][field] = value
    before, other = state(), state("202")
    response = client.post(url(), post_data(rows, revision))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in row_errors(html, 2)
    assert "未保存" in messages_of(html)
    assert (state(), state("202")) == (before, other)
    again = form_data(html, "projects-form")
    assert again[f"{PREFIX}-0-name"] == "也不保存的改名"


def test_a_new_project_with_a_taken_name_is_refused(demo, login) -> None:
    client = login("acc318")
    rows, revision = page_rows(client)
    rows.append({"id": "", "name": "图书馆数字资源建设", "unit": BUREAU})
    before = state()
    response = client.post(url(), post_data(rows, revision))
    assert PROJECT_NAME_TWICE.format(first=6) in row_errors(response.content.decode(), 7)
    assert state() == before


def test_a_stale_page_is_refused_and_keeps_what_was_typed(demo, login) -> None:
    client = login("acc318")
    rows, revision = page_rows(client)
    budget_set_duties(budget=budget(), duties="别人刚改的职责")
    rows[0]["name"] = "新名称"
    before = state()
    response = client.post(url(), post_data(rows, revision))
    html = response.content.decode()
    assert "已被他人修改" in messages_of(html)
    assert state() == before
    again = form_data(html, "projects-form")
    assert again[f"{PREFIX}-0-name"] == "新名称"
    assert again["revision"] == str(budget().revision)


def test_a_stale_page_shows_the_others_project_names_beside_the_pages(demo, login) -> None:
    client = login("acc318")
    rows, revision = page_rows(client)
    stored = budget()
    edits = [ProjectEdit(p.pk, p.name, p.unit.name) for p in stored.projects.order_by("position", "id")]
    edits[0] = ProjectEdit(edits[0].id, "他人改的名称", edits[0].unit)
    budget_replace_projects(budget=stored, projects=edits)  # someone else, meanwhile
    old_name, rows[1]["name"] = rows[1]["name"], "新名称"
    html = client.post(url(), post_data(rows, revision)).content.decode()
    assert rehearsal_rows(html) == [["项目名称", "他人改的名称", rows[0]["name"]], ["项目名称", old_name, "新名称"]]
    assert Project.objects.get(pk=edits[0].id).name == "他人改的名称"  # nothing written by showing it


def test_a_post_without_its_row_count_deletes_nothing(demo, login) -> None:
    spare = add_empty_project()
    client = login("acc318")
    before = state()
    response = client.post(url(), {"revision": str(budget().revision)})
    assert "表单不完整" in messages_of(response.content.decode())
    assert state() == before
    assert Project.objects.filter(pk=spare.pk).exists()


def test_two_projects_may_swap_names(demo) -> None:
    stored = budget()
    first, second = stored.projects.order_by("position", "id")[:2]
    edits = [ProjectEdit(p.pk, p.name, p.unit.name) for p in stored.projects.order_by("position", "id")]
    edits[0], edits[1] = (
        ProjectEdit(first.pk, second.name, first.unit.name),
        ProjectEdit(second.pk, first.name, second.unit.name),
    )
    assert budget_replace_projects(budget=stored, projects=edits) == 2
    first.refresh_from_db()
    assert first.name == "图书馆图书购置"
    assert first.lines.count() == 2  # 文化惠民演出's lines, now under the swapped name
