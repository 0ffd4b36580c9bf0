"""The entry pages of performance targets: the department's goals, a project's target table, the indicator
library; who may open and save them, what a wrong entry says, and what a refused save keeps."""

import re

import pytest
from bs4 import BeautifulSoup, Tag
from django.test import Client
from django.urls import reverse

from accounts.models import User
from budgets.models import Budget, BudgetEvent, Project
from budgets.services.targets import budget_replace_goals, budget_replace_performance
from catalog.models import BudgetYear
from domain.performance.targets import DepartmentGoals, Indicator, Performance, TargetTable
from domain.performance.values import parse_value
from domain.workflow import BudgetState
from entry.rows import NOT_SAVED
from performance.models import Indicator as IndicatorModel
from performance.models import LibraryIndicator
from performance.selectors import budget_performance
from tests.support.factories import BudgetFactory, BudgetYearFactory, ProjectFactory
from tests.support.posting import (
    element_data,
    form_data,
    rehearsal_rows,
    rendered_rows,
    row,
    stored_goals_post,
    stored_target_post,
)

pytestmark = pytest.mark.django_db

YEAR, CODE, PROJECT = 2021, "318", "文化惠民演出"


def goals_url(code: str = CODE) -> str:
    return reverse("budget_goals_edit", args=[YEAR, code])


def project(code: str = CODE, name: str = PROJECT) -> Project:
    return Project.objects.get(budget__department__code=code, budget__year_id=YEAR, name=name)


def target_url(of: Project, code: str = CODE) -> str:
    return reverse("budget_target_edit", args=[YEAR, code, of.pk])


def library_url(code: str = CODE) -> str:
    return reverse("indicator_library", args=[code])


def budget(code: str = CODE) -> Budget:
    return Budget.objects.get(department__code=code, year_id=YEAR)


def state(code: str = CODE) -> tuple:
    """What a save would change: the revision, the trail and the targets."""
    stored = budget(code)
    return stored.revision, BudgetEvent.objects.filter(budget=stored).count(), budget_performance(stored)


def table(code: str = CODE, name: str = PROJECT) -> TargetTable | None:
    return next((t for t in budget_performance(budget(code)).targets if t.project == name), None)


def row_of(page: str, index: int, prefix: str = "ind") -> Tag:
    """The rendered row (its <tbody>) of form ``index``."""
    field = BeautifulSoup(page, "html.parser").find(attrs={"name": f"{prefix}-{index}-ORDER"})
    assert field is not None, f"no row {index}"
    return field.find_parent("tbody")


def row_html(page: str, index: int) -> str:
    return str(row_of(page, index))


def row_values(page: str, index: int, prefix: str = "ind") -> dict[str, str]:
    """The row's fields as shown: {"name": "演出场次", "comparator": "≥", …}."""
    start = f"{prefix}-{index}-"
    return {name.removeprefix(start): value for name, value in element_data(row_of(page, index, prefix)).items()}


def preview(page: str, index: int) -> str:
    return row_of(page, index).find("output", class_="js-preview").text


def fill_row(data: dict[str, str], index: int, **fields: str) -> dict[str, str]:
    return {**data, **{f"ind-{index}-{name}": value for name, value in fields.items()}}


# --- Who may open and save --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [("acc318", 200), ("admin", 200), ("reviewer", 403), ("acc202", 404)])
def test_the_editors_open_for_the_departments_accountant_and_the_administrator(demo, login, who, status) -> None:
    client = login(who)
    for url in (goals_url(), target_url(project())):
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize(("who", "status"), [("acc318", 302), ("admin", 302), ("reviewer", 403), ("acc202", 404)])
def test_only_editors_save(demo, login, who, status) -> None:
    client = login(who)
    before = state()
    assert client.post(goals_url(), stored_goals_post(budget(), overall="新的总体目标")).status_code == status
    data = stored_target_post(budget(), project(), goal="新的项目目标")
    assert client.post(target_url(project()), data).status_code == status
    if status == 302:
        assert budget_performance(budget()).goals.overall == "新的总体目标"
        assert table().goal == "新的项目目标"
        assert BudgetEvent.objects.filter(budget=budget(), actor__username=who, action="targets").count() == 2
    else:
        assert state() == before


def test_signed_out_users_are_sent_to_the_login(demo, client: Client) -> None:
    before = state()
    for url in (goals_url(), target_url(project()), library_url()):
        for response in (client.get(url), client.post(url, {"overall": "x", "delete": "1"})):
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login"))
    assert state() == before


@pytest.mark.parametrize("frozen", [BudgetState.SUBMITTED, BudgetState.APPROVED])
def test_a_frozen_budget_is_not_edited(demo, login, frozen) -> None:
    data = stored_target_post(budget(), project(), goal="冻结后修改")
    goals = stored_goals_post(budget(), overall="冻结后修改")
    Budget.objects.filter(pk=budget().pk).update(state=frozen)
    before = state()
    for who in ("acc318", "admin"):
        client = login(who)
        assert client.get(goals_url()).status_code == 403
        assert client.get(target_url(project())).status_code == 403
        assert client.post(goals_url(), goals).status_code == 403
        assert client.post(target_url(project()), data).status_code == 403
    assert state() == before


def test_a_budget_frozen_while_the_page_was_open_keeps_what_was_typed(demo, login, monkeypatch) -> None:
    """The page passed the permission check just before the budget was submitted: the service refuses."""
    data = stored_target_post(budget(), project(), goal="提交前最后的修改")
    Budget.objects.filter(pk=budget().pk).update(state=BudgetState.SUBMITTED)
    monkeypatch.setattr("budgets.access.may_edit", lambda user, budget: True)
    before = state()
    page = login("acc318").post(target_url(project()), data).content.decode()
    assert "绩效目标表未保存" in page
    assert "数字不能修改" in page
    assert "提交前最后的修改" in page
    assert state() == before


def test_a_project_of_another_budget_is_not_found(demo, login) -> None:
    other = project("202", Project.objects.filter(budget=budget("202")).first().name)
    data = stored_target_post(budget("202"), other, goal="篡改")
    before, before_202 = state(), state("202")
    for who in ("acc318", "admin"):
        client = login(who)
        tampered = target_url(other, code=CODE)  # 318's URL, 202's project
        assert client.get(tampered).status_code == 404
        assert client.post(tampered, data).status_code == 404
        assert client.get(reverse("budget_target_edit", args=[YEAR, CODE, 999999])).status_code == 404
    assert login("acc318").get(target_url(other, code="202")).status_code == 404  # 202's budget: not his
    assert (state(), state("202")) == (before, before_202)


# --- 部门整体绩效目标 -------------------------------------------------------------------------------------------


def test_the_goals_page_shows_the_goals_and_saves_them_unchanged_without_a_trace(demo, login) -> None:
    client = login("acc318")
    page = client.get(goals_url()).content.decode()
    assert "完善公共文化服务体系" in page
    assert "非物质文化遗产保护" in page
    assert "严格执行预算" in page
    assert f'name="revision" value="{budget().revision}"' in page
    before = state()
    response = client.post(goals_url(), form_data(page, "goals-form"), follow=True)
    assert "部门整体绩效目标没有变化" in response.content.decode()
    assert state() == before


def test_sub_goals_are_added_moved_and_deleted(demo, login) -> None:
    client = login("acc318")
    data = form_data(client.get(goals_url()).content.decode(), "goals-form")
    assert [sub["title"] for sub in rendered_rows(data, "sub")] == ["文化惠民演出", "非物质文化遗产保护", ""]
    data.update({"overall": "新的总体目标", "sub-0-ORDER": "3", "sub-1-ORDER": "1"})
    data.update({"sub-2-title": "新的分项", "sub-2-goal": "新的分项目标", "sub-2-ORDER": "2"})
    response = client.post(goals_url(), data, follow=True)
    assert "部门整体绩效目标已保存" in response.content.decode()
    goals = budget_performance(budget()).goals
    assert [sub.title for sub in goals.sub_goals] == ["非物质文化遗产保护", "新的分项", "文化惠民演出"]
    assert goals.overall == "新的总体目标"
    event = BudgetEvent.objects.filter(budget=budget()).last()
    assert (event.action, event.actor.username) == ("targets", "acc318")
    data = form_data(response.content.decode(), "goals-form")
    data["sub-1-DELETE"] = "on"
    client.post(goals_url(), data)
    assert [sub.title for sub in budget_performance(budget()).goals.sub_goals] == ["非物质文化遗产保护", "文化惠民演出"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sub-0-title": ""}, "请填写名称。"),
        ({"sub-0-title": "名" * 201}, "名称最多 200 字（现为 201 字）"),
        ({"overall": "总" * 5001}, "总体绩效目标最多 5000 字"),
        ({"measures": "措" * 5001}, "工作保障措施最多 5000 字"),
        ({"sub-1-goal": "目" * 2001}, "绩效目标最多 2000 字"),
        ({"sub-TOTAL_FORMS": "61"}, "未保存：最多 50 行。"),
    ],
)
def test_wrong_goals_are_shown_again_with_the_reason_and_nothing_is_saved(demo, login, changes, message) -> None:
    client = login("acc318")
    data = {**form_data(client.get(goals_url()).content.decode(), "goals-form"), **changes}
    before = state()
    response = client.post(goals_url(), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert NOT_SAVED in page or message.startswith("未保存：")  # a row count too high is said by itself
    assert message in page
    assert state() == before


# --- 项目绩效目标表 ---------------------------------------------------------------------------------------------


def test_the_editor_shows_the_rows_with_their_values_as_printed(demo, login) -> None:
    page = login("acc318").get(target_url(project())).content.decode()
    first = row_values(page, 0)
    assert {key: first[key] for key in ("level1", "level2", "name", "comparator", "number", "unit", "word")} == {
        "level1": "产出指标",
        "level2": "数量指标",
        "name": "演出场次",
        "comparator": "≥",
        "number": "60",
        "unit": "场",
        "word": "",
    }
    assert preview(page, 0) == "≥60 场"
    assert preview(page, 4) == "提高"
    assert row_values(page, 4)["comparator"] == ""  # "无" is chosen
    assert '<datalist id="indicator-units">' in page
    assert '<option value="万元">' in page
    assert "复制上年指标" not in page  # no 2020 budget
    assert 'name="ind-__prefix__-name"' in page  # the template of a new row, for targets.js
    assert "static/js/targets.js" in page


def test_the_editor_saves_unchanged_without_a_trace(demo, login) -> None:
    client = login("acc318")
    page = client.get(target_url(project())).content.decode()
    before = state()
    response = client.post(target_url(project()), form_data(page, "target-form"), follow=True)
    assert "绩效目标表没有变化" in response.content.decode()
    assert state() == before


def test_rows_are_edited_added_moved_and_deleted_and_stored_structured(demo, login) -> None:
    client = login("acc318")
    data = form_data(client.get(target_url(project())).content.decode(), "target-form")
    assert len(rendered_rows(data)) == 8  # seven stored rows and a blank one
    data = fill_row(data, 0, number="80", comparator="≥", unit="场")
    data = fill_row(data, 1, DELETE="on")  # 验收合格率
    data = fill_row(data, 4, comparator="", number="", unit="", word="明显改善")  # was 提高
    data = fill_row(data, 7, **row(name="送戏下乡场次", comparator="=", number="１２", unit="场次", ORDER="0"))
    data["goal"] = "新的绩效目标"
    response = client.post(target_url(project()), data, follow=True)
    assert "绩效目标表已保存" in response.content.decode()
    saved = table()
    assert saved.goal == "新的绩效目标"
    assert [(i.name, str(i.value)) for i in saved.indicators] == [
        ("送戏下乡场次", "=12 场次"),
        ("演出场次", "≥80 场"),
        ("年内完成率", "100%"),
        ("项目成本", "53 万元"),
        ("群众文化生活改善", "明显改善"),
        ("公共文化服务长效机制", "长期"),
        ("群众满意度", "≥90%"),
    ]
    stored = IndicatorModel.objects.get(table__project=project(), name="送戏下乡场次")
    assert (stored.comparator, stored.number, stored.unit, stored.word, stored.raw) == ("=", 12, "场次", "", "=12 场次")
    word = IndicatorModel.objects.get(table__project=project(), name="群众文化生活改善")
    assert (word.number, word.word, word.raw) == (None, "明显改善", "明显改善")


BAD_ROWS = [
    ({"number": "九十八"}, "number", "数值只能填数字"),
    ({"number": "98abc"}, "number", "数值只能填数字"),
    ({"number": "-5"}, "number", "数值不能为负数"),
    ({"number": "1.1234567"}, "number", "数值最多保留 6 位小数"),
    ({"number": "1e30"}, "number", "数值过大"),
    ({"word": "保障"}, "word", "数值和定性指标值只能填一个"),
    ({"number": "", "word": ""}, "number", "请填写数值，或在“定性指标值”栏填写文字"),
    ({"level2": "社会效益指标"}, "level2", "二级指标“社会效益指标”不属于一级指标“产出指标”"),
    ({"level1": "投入指标"}, "level1", "一级指标“投入指标”不在指标体系中"),
    ({"name": ""}, "name", "请填写三级指标。"),
    ({"name": "名" * 201}, "name", "三级指标最多 200 字（现为 201 字）"),
    ({"description": "述" * 501}, "description", "绩效指标描述最多 500 字"),
    ({"basis": "据" * 501}, "basis", "指标值确定依据最多 500 字"),
    ({"unit": "单" * 11}, "unit", "单位最多 10 字"),
]


@pytest.mark.parametrize(
    ("changes", "field", "message"), BAD_ROWS, ids=[case[1] + str(n) for n, case in enumerate(BAD_ROWS)]
)
def test_a_wrong_row_is_shown_again_with_the_reason_at_its_field_and_nothing_is_saved(
    demo, login, changes, field, message
) -> None:
    client = login("acc318")
    data = form_data(client.get(target_url(project())).content.decode(), "target-form")
    data = fill_row(fill_row(data, 0, **changes), 2, name="同时修改的另一行")
    before = state()
    response = client.post(target_url(project()), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert NOT_SAVED in page
    wrong = row_html(page, 0)
    assert message in wrong
    assert "has-errors" in row_of(page, 0)["class"]
    assert message not in row_html(page, 1)
    assert row_values(page, 2)["name"] == "同时修改的另一行"  # what was typed is kept
    assert state() == before


def test_an_over_long_goal_is_refused(demo, login) -> None:
    client = login("acc318")
    data = form_data(client.get(target_url(project())).content.decode(), "target-form")
    before = state()
    page = client.post(target_url(project()), {**data, "goal": "目" * 2001}).content.decode()
    assert "绩效目标最多 2000 字（现为 2001 字）" in page
    assert state() == before


def test_a_save_after_someone_elses_is_refused_and_keeps_what_was_typed(demo, login) -> None:
    client = login("acc318")
    data = form_data(client.get(target_url(project())).content.decode(), "target-form")
    data = fill_row(data, 0, number="75")
    # Meanwhile the administrator saves the goals: a new revision of the budget.
    budget_replace_goals(
        budget=budget(), goals=DepartmentGoals("管理员的修改"), actor=User.objects.get(username="admin")
    )
    before = state()
    response = client.post(target_url(project()), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "绩效目标表未保存" in page
    assert "已被他人修改" in page
    assert "您填写的内容仍在下方" in page
    assert row_values(page, 0)["number"] == "75"
    assert f'name="revision" value="{budget().revision}"' in page  # the page now stands on the current budget
    assert state() == before
    # Saving the page again is a deliberate choice, and it is saved.
    client.post(target_url(project()), form_data(page, "target-form"))
    assert str(table().indicators[0].value) == "≥75 场"
    assert budget_performance(budget()).goals.overall == "管理员的修改"


def test_goals_saved_after_someone_elses_are_refused_and_kept(demo, login) -> None:
    client = login("acc318")
    data = {**form_data(client.get(goals_url()).content.decode(), "goals-form"), "overall": "我的总体目标"}
    login("admin").post(target_url(project()), stored_target_post(budget(), project(), goal="管理员改的"))
    before = state()
    page = login("acc318").post(goals_url(), data).content.decode()
    assert "部门整体绩效目标未保存" in page
    assert "已被他人修改" in page
    assert "我的总体目标" in page
    assert state() == before
    overall = budget_performance(budget()).goals.overall
    assert rehearsal_rows(page) == [["部门整体绩效目标｜总体绩效目标", overall, "我的总体目标"]]


def test_a_target_table_the_other_changed_too_shows_their_goal_beside_the_pages(demo, login) -> None:
    client = login("acc318")
    data = fill_row(form_data(client.get(target_url(project())).content.decode(), "target-form"), 0, number="75")
    goal = data["goal"]
    login("admin").post(target_url(project()), stored_target_post(budget(), project(), goal="管理员改的"))
    page = client.post(target_url(project()), data).content.decode()
    compared = rehearsal_rows(page)
    assert compared[0] == [f"绩效目标表｜{PROJECT}｜绩效目标", "管理员改的", goal]
    assert [place for place, _stored, _page in compared] == [
        f"绩效目标表｜{PROJECT}｜绩效目标",
        f"绩效目标表｜{PROJECT}｜第1行",
    ]
    assert "75" in compared[1][2]
    assert "75" not in compared[1][1]
    assert table().goal == "管理员改的"  # nothing written by showing it


# --- 复制上年指标 -----------------------------------------------------------------------------------------------


def last_year(*rows: Indicator, name: str = PROJECT, goal: str = "2020年的绩效目标") -> Budget:
    BudgetYearFactory(year=2020)
    old = BudgetFactory(department=budget().department, year=BudgetYear.objects.get(year=2020))
    ProjectFactory(budget=old, name=name)
    budget_replace_performance(budget=old, performance=Performance(targets=(TargetTable(name, goal, rows),)))
    return old


LAST_YEAR_ROWS = (
    Indicator("产出指标", "数量指标", "演出场次", "演出场次", parse_value("≥55 场"), "工作计划"),  # also in 2021
    Indicator("产出指标", "数量指标", "送戏下乡场次", "到各村演出", parse_value("≥20 场"), "工作计划"),
    Indicator("产出指标", "时效指标", "完成时间", "", parse_value("2020年底前"), ""),  # as imported: not a value
)


def test_last_years_indicators_fill_the_editor_without_saving(demo, login) -> None:
    last_year(*LAST_YEAR_ROWS)
    client = login("acc318")
    page = client.get(target_url(project())).content.decode()
    assert "复制上年指标" in page
    data = {**form_data(page, "target-form"), "goal": "本年目标", "copy_previous": ""}
    before = state()
    page = client.post(target_url(project()), data).content.decode()
    assert state() == before  # filled, not saved
    assert "已填入2020年的 2 项指标" in page
    assert page.count('value="演出场次"') == 1  # not twice
    assert row_values(page, 7)["name"] == "送戏下乡场次"
    assert preview(page, 7) == "≥20 场"
    assert "原指标值“2020年底前”无法识别" in row_html(page, 8)
    assert "本年目标" in page  # the goal as typed stays
    # The unreadable value has to be re-entered before the table is saved.
    filled = form_data(page, "target-form")
    page = client.post(target_url(project()), filled).content.decode()
    assert "请填写数值" in row_html(page, 8)
    assert state() == before
    client.post(target_url(project()), fill_row(filled, 8, word="年内完成"))
    assert [i.name for i in table().indicators][-2:] == ["送戏下乡场次", "完成时间"]


def test_a_new_project_gets_last_years_goal_too(demo, login) -> None:
    current = budget()
    new = ProjectFactory(budget=current, unit=project().unit, name="送戏下乡")
    last_year(*LAST_YEAR_ROWS[:2], name="送戏下乡", goal="送戏下乡二十场")
    client = login("acc318")
    page = client.get(target_url(new)).content.decode()
    assert 'class="missing" title="尚无绩效目标表">送戏下乡</a>' in page  # the nav tells it has no table yet
    data = form_data(page, "target-form")
    page = client.post(target_url(new), {**data, "copy_previous": ""}).content.decode()
    assert "送戏下乡二十场" in page
    client.post(target_url(new), form_data(page, "target-form"))
    assert table(name="送戏下乡") == TargetTable("送戏下乡", "送戏下乡二十场", LAST_YEAR_ROWS[:2])


def test_no_copy_without_a_table_of_the_same_project_last_year(demo, login) -> None:
    last_year(*LAST_YEAR_ROWS, name="另一个项目")
    client = login("acc318")
    page = client.get(target_url(project())).content.decode()
    assert "复制上年指标" not in page
    data = {**form_data(page, "target-form"), "copy_previous": ""}
    page = client.post(target_url(project()), data).content.decode()
    assert "2020年没有同名项目“文化惠民演出”的绩效目标表" in page
    assert 'value="送戏下乡场次"' not in page


def test_another_departments_last_year_is_not_copied(demo, login) -> None:
    BudgetYearFactory(year=2020)
    old = BudgetFactory(department=budget("202").department, year=BudgetYear.objects.get(year=2020))
    ProjectFactory(budget=old, name=PROJECT)
    budget_replace_performance(budget=old, performance=Performance(targets=(TargetTable(PROJECT, "", LAST_YEAR_ROWS),)))
    assert "复制上年指标" not in login("acc318").get(target_url(project())).content.decode()


# --- 指标库 -----------------------------------------------------------------------------------------------------


def test_a_row_is_kept_in_the_library_and_updated_when_kept_again(demo, login) -> None:
    client = login("acc318")
    data = form_data(client.get(target_url(project())).content.decode(), "target-form")
    data = {**data, "goal": "尚未保存的目标", "to_library": "0"}
    before = state()
    page = client.post(target_url(project()), data).content.decode()
    assert "指标“演出场次”已存入本部门指标库" in page
    assert "尚未保存的目标" in page  # the page keeps what was typed
    assert state() == before  # the library is no part of the budget
    entry = LibraryIndicator.objects.get()
    assert (entry.department.code, entry.level1, entry.level2, entry.name, entry.description, entry.unit) == (
        CODE,
        "产出指标",
        "数量指标",
        "演出场次",
        "演出场次",
        "场",
    )
    page = client.post(target_url(project()), fill_row(data, 0, description="全年演出场次", unit="次")).content.decode()
    assert "已更新到本部门指标库" in page
    entry = LibraryIndicator.objects.get()
    assert (entry.description, entry.unit) == ("全年演出场次", "次")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "请填写三级指标"),
        ({"level2": "服务对象满意度指标"}, "不属于一级指标"),
        ({"unit": "3场"}, "单位不能含数字"),
    ],
)
def test_a_wrong_row_is_not_kept_in_the_library(demo, login, changes, message) -> None:
    client = login("acc318")
    data = form_data(client.get(target_url(project())).content.decode(), "target-form")
    page = client.post(target_url(project()), {**fill_row(data, 0, **changes), "to_library": "0"}).content.decode()
    assert "未存入指标库" in page
    assert message in page
    assert not LibraryIndicator.objects.exists()


@pytest.mark.parametrize("index", ["7", "99", "x", "²"])
def test_a_blank_or_missing_row_is_not_kept_in_the_library(demo, login, index) -> None:
    client = login("acc318")
    data = form_data(client.get(target_url(project())).content.decode(), "target-form")
    page = client.post(target_url(project()), {**data, "to_library": index}).content.decode()
    assert "未存入指标库：这一行是空的" in page
    assert not LibraryIndicator.objects.exists()


def library_entry(code: str = CODE, name: str = "观众人次") -> LibraryIndicator:
    return LibraryIndicator.objects.create(
        department=budget(code).department,
        level1="产出指标",
        level2="数量指标",
        name=name,
        description=f"{name}的描述",
        unit="人次",
    )


def test_a_library_indicator_is_added_as_a_new_row_without_saving(demo, login) -> None:
    entry, other = library_entry(), library_entry("202", "二〇二的指标")
    client = login("acc318")
    page = client.get(target_url(project())).content.decode()
    assert "从指标库选取" in page
    assert f'name="from_library" value="{entry.pk}"' in page
    assert "二〇二的指标" not in page
    data = form_data(page, "target-form")
    before = state()
    page = client.post(target_url(project()), {**data, "from_library": str(entry.pk)}).content.decode()
    assert state() == before
    added = row_values(page, 7)
    assert (added["name"], added["unit"], added["level2"], added["number"]) == ("观众人次", "人次", "数量指标", "")
    assert "已添加指标“观众人次”" in page
    # Another department's indicator is not there to pick.
    page = client.post(target_url(project()), {**data, "from_library": str(other.pk)}).content.decode()
    assert "指标库中没有这项指标" in page
    assert "二〇二的指标" not in page


def test_the_library_page_lists_and_deletes_the_departments_own(demo, login) -> None:
    own, other = library_entry(), library_entry("202", "二〇二的指标")
    client = login("acc318")
    page = client.get(library_url()).content.decode()
    assert "观众人次" in page
    assert "二〇二的指标" not in page
    response = client.post(library_url(), {"delete": str(other.pk)}, follow=True)  # another department's id
    assert "指标库中没有这项指标" in response.content.decode()
    assert LibraryIndicator.objects.filter(pk=other.pk).exists()
    response = client.post(library_url(), {"delete": str(own.pk)}, follow=True)
    assert "已从指标库删除“观众人次”" in response.content.decode()
    assert not LibraryIndicator.objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize(("who", "status"), [("acc318", 200), ("admin", 200), ("reviewer", 403), ("acc202", 404)])
def test_the_library_is_kept_by_the_departments_accountants_and_the_administrator(demo, login, who, status) -> None:
    entry = library_entry()
    client = login(who)
    assert client.get(library_url()).status_code == status
    deleted = client.post(library_url(), {"delete": str(entry.pk)})
    assert deleted.status_code == (302 if status == 200 else status)
    assert LibraryIndicator.objects.filter(pk=entry.pk).exists() == (status != 200)
    assert client.get(library_url("4040")).status_code == 404  # no such department, whoever asks


def test_the_editor_shows_what_the_rules_find_in_its_table(demo, login) -> None:
    client = login("acc318")
    data = form_data(client.get(target_url(project())).content.decode(), "target-form")
    data = fill_row(data, 6, number="120")  # 群众满意度 ≥120%
    page = client.post(target_url(project()), data, follow=True).content.decode()
    assert "绩效目标表已保存" in page
    findings = BeautifulSoup(page, "html.parser").find("ul", class_="findings")
    assert findings is not None
    assert re.search(r"P07.*群众满意度", findings.text)
    assert "图书馆图书购置" not in findings.text  # only this table's


def test_a_row_repeating_an_earlier_one_is_refused_at_its_name_and_nothing_is_saved(demo, login) -> None:
    client = login("acc318")
    html = client.get(target_url(project())).content.decode()
    data = form_data(html, "target-form")
    first = {name.removeprefix("ind-0-"): value for name, value in data.items() if name.startswith("ind-0-")}
    data = fill_row(data, 2, **{field: first[field] for field in ("level1", "level2", "name", "description")})
    before = state()
    response = client.post(target_url(project()), data)
    page = response.content.decode()
    assert NOT_SAVED in page
    assert "与第 1 行重复" in row_html(page, 2)
    assert state() == before


def test_two_sub_goals_of_the_same_name_are_refused_and_nothing_is_saved(demo, login) -> None:
    client = login("acc318")
    data = form_data(client.get(goals_url()).content.decode(), "goals-form")
    data["sub-1-title"] = data["sub-0-title"]
    before = state()
    response = client.post(goals_url(), data)
    page = response.content.decode()
    assert NOT_SAVED in page
    assert "与第 1 行重复" in page
    assert state() == before
