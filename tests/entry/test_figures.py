"""The entry page of a budget's figures (编辑预算数字): who may open and save it, a save of changed rows, what each
kind of wrong entry says and where, the exact 万元/元 conversion, a stale page, and many rows posted at once."""

from decimal import Decimal
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from budgets.models import Budget, BudgetEvent, BudgetLine, Project
from budgets.services.figures import budget_replace_figures
from catalog.models import EconomicCode, FunctionCode
from domain.classifications import Kind, Source
from domain.ledger import (
    AMOUNT_NEGATIVE,
    ECONOMIC_NOT_IN_CATALOGUE,
    FISCAL_KIND_ONLY,
    FUNCTION_NOT_IN_CATALOGUE,
    FUNCTION_NOT_LEAF,
    PROJECT_NOT_ALLOWED,
    PROJECT_REQUIRED,
    UNIT_NOT_OF_DEPARTMENT,
)
from domain.money import DisplayUnit
from domain.workflow import BudgetState
from entry.fields import AMOUNT_NOT_A_NUMBER, parse_amount, typed_amount
from entry.figures import FIELDS, SOURCE_REQUIRED
from tests.support.editing import figures_changed
from tests.support.posting import form_data, rendered_rows

pytestmark = pytest.mark.django_db

YEAR, CODE, PREFIX = 2021, "318", "line"
BUREAU = "石家庄市鹿泉区文化广电和旅游局本级"


def url(code: str = CODE, unit: str = "") -> str:
    base = reverse("budget_figures_edit", args=[YEAR, code])
    return f"{base}?unit={unit}" if unit else base


def budget(code: str = CODE) -> Budget:
    return Budget.objects.get(department__code=code, year_id=YEAR)


def state(code: str = CODE) -> tuple:
    """What a save would change: the revision, the trail, the lines and the projects."""
    stored = budget(code)
    lines = sorted(
        BudgetLine.objects.filter(budget=stored).values_list(
            "unit__name",
            "function__code",
            "economic__code",
            "kind",
            "source",
            "carried_over",
            "project__name",
            "amount",
        ),
        key=str,
    )
    projects = sorted(Project.objects.filter(budget=stored).values_list("name", "unit__name"))
    return stored.revision, BudgetEvent.objects.filter(budget=stored).count(), lines, projects


def page(client: Client, unit: str = "") -> dict[str, str]:
    """The grid's form as the page shows it (what a browser posts unchanged)."""
    response = client.get(url(unit=unit))
    assert response.status_code == 200
    return form_data(response.content.decode(), "figures-form")


def rows_of(data: dict[str, str]) -> list[dict[str, str]]:
    return rendered_rows(data, PREFIX)


def post_data(rows: list[dict[str, str]], revision: int | None, unit: str = "万元") -> dict[str, str]:
    data = {f"{PREFIX}-TOTAL_FORMS": str(len(rows)), f"{PREFIX}-INITIAL_FORMS": "0", "unit": unit}
    if revision is not None:
        data["revision"] = str(revision)
    for index, row in enumerate(rows):
        data.update({f"{PREFIX}-{index}-{name}": value for name, value in row.items()})
    return data


def new_row(**fields: str) -> dict[str, str]:
    """A valid basic row the demo 318 does not have yet."""
    return {
        "unit": BUREAU,
        "function": "2070101",
        "economic": "30202",
        "kind": Kind.BASIC.value,
        "source": Source.GENERAL.value,
        "project": "",
        "amount": "1.50",
        **fields,
    }


def grid_rows(html: str) -> list:
    return BeautifulSoup(html, "html.parser").select("tbody.js-rows tr.js-row")


def row_errors(html: str, number: int) -> str:
    """The messages shown in row ``number`` (1-based, as the grid numbers them)."""
    return " ".join(ul.get_text(" ") for ul in grid_rows(html)[number - 1].select("ul.errors"))


def cell_errors(html: str, number: int, name: str) -> str:
    field = grid_rows(html)[number - 1].find(attrs={"name": lambda n: n and n.endswith(f"-{name}")})
    errors = field.find_parent("td").select("ul.errors")
    return " ".join(ul.get_text(" ") for ul in errors)


# --- Who may open and save ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [("acc318", 200), ("admin", 200), ("reviewer", 403), ("acc202", 404)])
def test_the_page_opens_for_the_departments_accountant_and_the_administrator(demo, login, who, status) -> None:
    assert login(who).get(url()).status_code == status


@pytest.mark.parametrize(("who", "status"), [("acc318", 302), ("admin", 302), ("reviewer", 403), ("acc202", 404)])
def test_only_editors_save(demo, login, who, status) -> None:
    rows = rows_of(page(login("acc318")))
    rows[0]["amount"] = "61.00"
    before = state()
    response = login(who).post(url(), post_data(rows, budget().revision))
    assert response.status_code == status
    if status == 302:
        assert state() != before
        assert BudgetEvent.objects.filter(budget=budget(), actor__username=who, action="figures").exists()
    else:
        assert state() == before


@pytest.mark.parametrize("frozen", [BudgetState.SUBMITTED, BudgetState.APPROVED])
def test_a_frozen_budget_is_not_edited(demo, login, frozen) -> None:
    client = login("acc318")
    data = page(client)
    Budget.objects.filter(pk=budget().pk).update(state=frozen)
    before = state()
    assert client.get(url()).status_code == 403
    assert client.post(url(), data).status_code == 403
    assert state() == before


def test_the_budget_page_links_the_editor_for_editors_only(demo, login) -> None:
    detail = reverse("budget_detail", args=[YEAR, CODE])
    assert url() in login("acc318").get(detail).content.decode()
    assert url() not in login("reviewer").get(detail).content.decode()


# --- What the page shows --------------------------------------------------------------------------------------


def test_the_page_shows_every_line_its_names_and_the_totals(demo, login) -> None:
    response = login("acc318").get(url())
    html = response.content.decode()
    rows = rows_of(form_data(html, "figures-form"))
    assert len(rows) == BudgetLine.objects.filter(budget=budget()).count()
    assert rows[0] == {
        "unit": BUREAU,
        "function": "2070101",
        "economic": "30101",
        "kind": "basic",
        "source": "general",
        "project": "",
        "amount": "60.00",
    }
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("tbody.js-rows .js-function-name").text == "行政运行（文化和旅游）"
    assert '<option value="2070101 行政运行' in html  # search by code or name
    assert '<option value="30101 基本工资">' in html
    assert '<option value="文化惠民演出">' in html
    grand = soup.select_one('output.js-total[data-kind=""]').text
    total = sum(BudgetLine.objects.filter(budget=budget()).values_list("amount", flat=True))
    assert grand == f"{total / 10000:,.2f}"


def test_the_page_declares_its_grid_to_the_grid_script(demo, login) -> None:
    """numbers.js and grid.js, then figures.js; the cells say what they hold, the rows what a new one repeats."""
    soup = BeautifulSoup(login("acc318").get(url()).content.decode(), "html.parser")
    scripts = [script["src"].rsplit("/", 1)[-1] for script in soup.find_all("script", src=True)]
    assert scripts[-3:] == ["numbers.js", "grid.js", "figures.js"]
    form = soup.select_one("form#figures-form")
    assert {"js-grid-form", "js-grid"} <= set(form["class"])
    assert (form["data-prefix"], form["data-year"], form["data-focus"]) == (PREFIX, str(YEAR), "function")
    for row in [soup.select_one("tbody.js-rows tr.js-row"), soup.select_one("template.js-empty-row").find("tr")]:
        cells = {cell["data-col"]: cell for cell in row.select(".cell")}
        assert list(cells) == list(FIELDS)  # the order a pasted block fills
        assert (cells["amount"]["data-kind"], cells["amount"]["data-required"]) == ("amount", "金额")
        assert [cells[name]["data-width"] for name in ("function", "economic")] == ["7", "5"]
        assert [name for name, cell in cells.items() if cell.has_attr("data-repeat")] == ["unit", "kind", "source"]
    assert soup.select_one('output.js-total[data-kind=""]')["data-sum"] == "amount"


def test_an_unchanged_page_saves_nothing_new(demo, login) -> None:
    client = login("acc318")
    data = page(client)
    before = state()
    response = client.post(url(), data, follow=True)
    assert "没有变化" in response.content.decode()
    _revision, _events, lines, projects = state()
    assert (lines, projects) == (before[2], before[3])


# --- A valid save ----------------------------------------------------------------------------------------------


def test_a_changed_amount_and_a_new_row_are_saved_and_recorded(demo, login) -> None:
    client = login("acc318")
    rows = rows_of(page(client))
    assert rows[0]["amount"] == "60.00"
    rows[0]["amount"] = "65.50"
    rows.append(new_row(amount="2.345678"))
    before = state()
    response = client.post(url(), post_data(rows, budget().revision))
    assert response.status_code == 302
    assert response["Location"] == url()
    line = BudgetLine.objects.get(budget=budget(), unit__name=BUREAU, function__code="2070101", economic__code="30101")
    assert line.amount == Decimal("655000.00")
    added = BudgetLine.objects.get(budget=budget(), unit__name=BUREAU, function__code="2070101", economic__code="30202")
    assert added.amount == Decimal("23456.78")
    revision, events, lines, _ = state()
    assert revision == before[0] + 1
    assert events == before[1] + 1
    assert len(lines) == len(before[2]) + 1
    event = BudgetEvent.objects.filter(budget=budget()).latest("id")
    assert (event.action, event.actor.username, event.data["changed"]) == ("figures", "acc318", 2)
    follow = client.get(response["Location"]).content.decode()
    assert "预算数字已保存（2 处修改）" in follow


def test_a_new_project_name_creates_a_project_of_the_rows_unit(demo, login) -> None:
    client = login("acc318")
    rows = rows_of(page(client))
    library = "石家庄市鹿泉区图书馆"
    rows.append(new_row(unit=library, kind="project", project="古籍修复", economic="30227", function="2070104"))
    assert client.post(url(), post_data(rows, budget().revision)).status_code == 302
    project = Project.objects.get(budget=budget(), name="古籍修复")
    assert project.unit.name == library
    assert project.lines.get().amount == Decimal("15000.00")


def test_a_deleted_row_is_removed(demo, login) -> None:
    """Rows deleted in the page leave gaps in the numbering of the names: the others are still read."""
    client = login("acc318")
    data = page(client)
    count = len(rows_of(data))
    del data[f"{PREFIX}-0-unit"], data[f"{PREFIX}-0-function"], data[f"{PREFIX}-0-economic"]
    del data[f"{PREFIX}-0-kind"], data[f"{PREFIX}-0-source"], data[f"{PREFIX}-0-project"], data[f"{PREFIX}-0-amount"]
    assert client.post(url(), data).status_code == 302
    assert BudgetLine.objects.filter(budget=budget()).count() == count - 1
    assert not BudgetLine.objects.filter(budget=budget(), unit__name=BUREAU, economic__code="30101").exists()


def test_a_post_without_the_row_count_deletes_nothing(demo, login) -> None:
    client = login("acc318")
    data = page(client)
    del data[f"{PREFIX}-TOTAL_FORMS"]
    before = state()
    assert "表单不完整" in client.post(url(), data).content.decode()
    assert state() == before


def test_blank_rows_are_skipped(demo, login) -> None:
    client = login("acc318")
    rows = rows_of(page(client))
    rows.insert(3, new_row(function="", economic="", amount=""))
    assert client.post(url(), post_data(rows, budget().revision)).status_code == 302


# --- Wrong entries: a message at the cell, nothing saved, everything as typed --------------------------------------

BAD = [
    ("letters", {"amount": "12abc"}, "amount", AMOUNT_NOT_A_NUMBER.format(unit="万元")),
    ("negative", {"amount": "-3.00"}, "amount", AMOUNT_NEGATIVE),
    ("too_many_decimals", {"amount": "1.0000001"}, "amount", "最多保留 6 位小数"),
    (
        "function_not_in_catalogue",
        {"function": "2070188"},
        "function",
        FUNCTION_NOT_IN_CATALOGUE.format(year=2021, code="2070188"),
    ),
    ("function_letters", {"function": "20701ab"}, "function", FUNCTION_NOT_LEAF.format(code="20701ab")),
    (
        "economic_not_in_catalogue",
        {"economic": "39998"},
        "economic",
        ECONOMIC_NOT_IN_CATALOGUE.format(year=2021, code="39998"),
    ),
    ("project_without_name", {"kind": "project"}, "project", PROJECT_REQUIRED),
    ("basic_with_project", {"project": "文化惠民演出"}, "project", PROJECT_NOT_ALLOWED),
    ("fiscal_money_for_operating", {"kind": "operating"}, "source", FISCAL_KIND_ONLY.format(kind="经营支出")),
    ("unknown_unit", {"unit": "别的单位"}, "unit", UNIT_NOT_OF_DEPARTMENT.format(unit="别的单位")),
    ("unknown_source", {"source": "lottery"}, "source", SOURCE_REQUIRED),
]


@pytest.mark.parametrize(("change", "cell", "message"), [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_a_wrong_entry_is_shown_at_its_cell_and_nothing_is_saved(demo, login, change, cell, message) -> None:
    client = login("acc318")
    rows = rows_of(page(client))
    rows[0]["amount"] = "99.99"  # a good change elsewhere: not saved either
    rows.append(new_row(**change))
    before = state()
    response = client.post(url(), post_data(rows, budget().revision))
    assert response.status_code == 200
    html = response.content.decode()
    assert state() == before
    assert "未保存" in html
    assert message in cell_errors(html, len(rows), cell)
    assert not row_errors(html, 1)  # the other rows carry no message
    shown = rows_of(form_data(html, "figures-form"))
    assert shown[0]["amount"] == "99.99"
    assert {name: shown[-1].get(name, "") for name in change} == change  # as typed


def test_a_duplicate_row_names_the_first_one(demo, login) -> None:
    client = login("acc318")
    rows = rows_of(page(client))
    rows.append({**rows[2], "amount": "1.00"})
    before = state()
    html = client.post(url(), post_data(rows, budget().revision)).content.decode()
    assert state() == before
    assert "与第3条是同一格" in row_errors(html, len(rows))


def test_a_project_of_another_unit_is_refused_at_the_project(demo, login) -> None:
    client = login("acc318")
    rows = rows_of(page(client))
    rows.append(new_row(kind="project", project="文化惠民演出", economic="30227"))  # a project of 文化馆
    before = state()
    html = client.post(url(), post_data(rows, budget().revision)).content.decode()
    assert state() == before
    assert "属于" in cell_errors(html, len(rows), "project")


def test_blank_rows_do_not_shift_the_numbers_of_the_messages(demo, login) -> None:
    client = login("acc318")
    rows = rows_of(page(client))
    rows.insert(0, new_row(function="", economic="", amount=""))
    rows.append({**rows[3], "amount": "1.00"})  # the same cell as the stored row 3
    html = client.post(url(), post_data(rows, budget().revision)).content.decode()
    assert "与第3条是同一格" in row_errors(html, len(rows) - 1)


# --- 万元 and 元 -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "unit", "yuan"),
    [
        ("12.50", DisplayUnit.WAN, "125000.00"),
        ("0.000001", DisplayUnit.WAN, "0.01"),
        ("1,234.567891", DisplayUnit.WAN, "12345678.91"),
        ("１２．５", DisplayUnit.WAN, "125000.00"),
        ("1234.56", DisplayUnit.YUAN, "1234.56"),
        ("1,234,567", DisplayUnit.YUAN, "1234567.00"),
        ("0", DisplayUnit.YUAN, "0.00"),
    ],
)
def test_amounts_convert_exactly(typed, unit, yuan) -> None:
    assert parse_amount(typed, unit) == Decimal(yuan)


@pytest.mark.parametrize(
    ("typed", "unit"),
    [("0.0000001", DisplayUnit.WAN), ("1.234", DisplayUnit.YUAN), ("1e3", DisplayUnit.WAN), ("", DisplayUnit.WAN)],
)
def test_amounts_finer_than_a_fen_or_not_numbers_are_refused(typed, unit) -> None:
    with pytest.raises(ValueError, match="金额"):
        parse_amount(typed, unit)


@pytest.mark.parametrize(
    ("yuan", "wan", "in_yuan"),
    [("600000.00", "60.00", "600000.00"), ("12345.67", "1.234567", "12345.67"), ("0.00", "0.00", "0.00")],
)
def test_stored_amounts_are_shown_exactly(yuan, wan, in_yuan) -> None:
    assert typed_amount(Decimal(yuan), DisplayUnit.WAN) == wan
    assert typed_amount(Decimal(yuan), DisplayUnit.YUAN) == in_yuan


def test_the_page_in_yuan_saves_yuan(demo, login) -> None:
    client = login("acc318")
    data = page(client, unit="元")
    assert data["unit"] == "元"
    rows = rows_of(data)
    assert rows[0]["amount"] == "600000.00"
    rows[0]["amount"] = "600000.01"
    response = client.post(url(), post_data(rows, budget().revision, unit="元"))
    assert unquote(response["Location"]) == url(unit="元")
    line = BudgetLine.objects.get(budget=budget(), unit__name=BUREAU, function__code="2070101", economic__code="30101")
    assert line.amount == Decimal("600000.01")
    assert rows_of(page(client))[0]["amount"] == "60.000001"  # shown exactly in 万元 too
    rows[0]["amount"] = "1.001"
    html = client.post(url(), post_data(rows, budget().revision, unit="元")).content.decode()
    assert "最多保留 2 位小数" in cell_errors(html, 1, "amount")


# --- A stale page ----------------------------------------------------------------------------------------------


def _largest_basic_row(rows: list[dict[str, str]]) -> int:
    """The grid row of the figure tests.support.editing.figures_changed changes (the largest basic one)."""
    basic = [
        (parse_amount(row["amount"], DisplayUnit.WAN), index)
        for index, row in enumerate(rows)
        if row["kind"] == "basic"
    ]
    return max(basic)[1]


def _someone_else_adds(amount: Decimal) -> None:
    projects, lines = figures_changed(budget(), amount)
    budget_replace_figures(budget=budget(), projects=projects, lines=lines)


def _stored(row: dict[str, str]) -> Decimal:
    return BudgetLine.objects.get(
        budget=budget(),
        unit__name=row["unit"],
        function__code=row["function"],
        economic__code=row["economic"],
        kind=row["kind"],
        source=row["source"],
        project=None,
    ).amount


def test_a_stale_save_takes_in_what_only_the_other_changed_and_writes_nothing_until_saved_again(demo, login) -> None:
    client = login("acc318")
    data = page(client)
    rows = rows_of(data)
    theirs = _largest_basic_row(rows)
    mine = next(index for index, row in enumerate(rows) if index != theirs and not row["project"])
    their_amount = parse_amount(rows[theirs]["amount"], DisplayUnit.WAN) + Decimal("100.00")
    _someone_else_adds(Decimal("100.00"))
    data[f"{PREFIX}-{mine}-amount"] = "77.77"
    before = state()
    response = client.post(url(), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert state() == before  # nothing written before the merged page is seen
    assert "已被他人修改" in html
    shown = form_data(html, "figures-form")
    merged = rows_of(shown)
    assert merged[mine]["amount"] == "77.77"
    assert parse_amount(merged[theirs]["amount"], DisplayUnit.WAN) == their_amount
    report = BeautifulSoup(html, "html.parser").select("#merge-report tbody tr")
    assert [row["class"] for row in report] == [["merge-taken"]]
    assert rows[theirs]["economic"] in report[0].get_text()
    assert shown["revision"] == str(budget().revision)
    assert client.post(url(), shown).status_code == 302  # the second click keeps the other's figure
    assert _stored(merged[theirs]) == their_amount
    assert _stored(merged[mine]) == Decimal("777700.00")


def test_a_cell_both_changed_is_a_conflict_shown_with_both_values(demo, login) -> None:
    client = login("acc318")
    data = page(client)
    rows = rows_of(data)
    both = _largest_basic_row(rows)
    their_amount = parse_amount(rows[both]["amount"], DisplayUnit.WAN) + Decimal("100.00")
    _someone_else_adds(Decimal("100.00"))
    data[f"{PREFIX}-{both}-amount"] = "1.23"
    html = client.post(url(), data).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    conflicted = soup.select("table.figures-grid tbody tr.merge-conflict")
    assert len(conflicted) == 1
    note = conflicted[0].select_one(".merge-note").get_text()
    assert typed_amount(their_amount, DisplayUnit.WAN) in note
    assert "1.23" in note
    assert [row["class"] for row in soup.select("#merge-report tbody tr")] == [["merge-conflict"]]
    shown = form_data(html, "figures-form")
    assert rows_of(shown)[both]["amount"] == "1.23"  # the cell keeps what was typed
    assert client.post(url(), shown).status_code == 302  # saving the page seen is a deliberate choice
    assert _stored(rows[both]) == Decimal("12300.00")


def test_a_stale_page_without_its_signed_base_shows_every_difference_as_a_conflict(demo, login) -> None:
    client = login("acc318")
    data = page(client)
    rows = rows_of(data)
    _someone_else_adds(Decimal("100.00"))
    data["base"] = data["base"][:-3] + "xyz"  # forged
    before = state()
    html = client.post(url(), data).content.decode()
    assert state() == before
    report = BeautifulSoup(html, "html.parser").select("#merge-report tbody tr")
    assert [row["class"] for row in report] == [["merge-conflict"]]
    assert rows[_largest_basic_row(rows)]["economic"] in report[0].get_text()


def test_a_wrong_entry_keeps_the_revision_the_page_was_built_on(demo, login) -> None:
    """A refusal for bad input does not make the page current: someone else's save in between still wins."""
    client = login("acc318")
    rows = rows_of(page(client))
    revision = budget().revision
    rows[0]["amount"] = "abc"
    shown = form_data(client.post(url(), post_data(rows, revision)).content.decode(), "figures-form")
    assert shown["revision"] == str(revision)
    projects, lines = figures_changed(budget(), Decimal("100.00"))
    budget_replace_figures(budget=budget(), projects=projects, lines=lines)  # someone else, meanwhile
    shown[f"{PREFIX}-0-amount"] = "61.00"
    before = state()
    assert "已被他人修改" in client.post(url(), shown).content.decode()
    assert state() == before


def test_a_budget_frozen_while_the_page_was_open_keeps_what_was_typed(demo, login, monkeypatch) -> None:
    client = login("acc318")
    data = page(client)
    Budget.objects.filter(pk=budget().pk).update(state=BudgetState.SUBMITTED)
    monkeypatch.setattr("budgets.access.may_edit", lambda user, budget: True)
    before = state()
    html = client.post(url(), data).content.decode()
    assert state() == before
    assert "预算数字未保存" in html
    assert "数字不能修改" in html


# --- Many rows at once (a block pasted from Excel) -------------------------------------------------------------------


def test_a_pasted_block_of_many_rows_is_saved_at_once(demo, login) -> None:
    client = login("acc318")
    rows = rows_of(page(client))
    functions = list(FunctionCode.objects.filter(year_id=YEAR, level=3).values_list("code", flat=True)[:30])
    economics = list(
        EconomicCode.objects.filter(year_id=YEAR, level=2, code__startswith="302").values_list("code", flat=True)[:10]
    )
    pasted = [
        # As Excel gives them: labels instead of values, thousands separators, a name after the code.
        new_row(
            unit="石家庄市鹿泉区文化馆",
            function=f"{function} 随便什么名称",
            economic=economic,
            kind="基本支出",
            source="事业收入",
            amount="1,000.25",
        )
        for function in functions
        for economic in economics
    ]
    assert len(pasted) >= 200
    before = state()
    response = client.post(url(), post_data(rows + pasted, budget().revision))
    assert response.status_code == 302, response.content.decode()[:3000]
    _, _, lines, _ = state()
    assert len(lines) == len(before[2]) + len(pasted)
    added = BudgetLine.objects.filter(
        budget=budget(), unit__name="石家庄市鹿泉区文化馆", source="business", amount=Decimal("10002500.00")
    )
    assert added.count() == len(pasted)


# --- Names typed for codes -------------------------------------------------------------------------------------------


def test_a_name_only_one_code_has_is_saved_as_that_code_and_a_shared_name_is_refused(demo, login) -> None:
    client = login("acc318")
    rows = rows_of(page(client))
    rows.append(new_row(economic="印刷费"))  # 30202
    assert client.post(url(), post_data(rows, budget().revision)).status_code == 302
    assert BudgetLine.objects.filter(budget=budget(), economic__code="30202", amount=Decimal("15000.00")).exists()
    rows = rows_of(page(client))
    rows.append(new_row(function="行政运行", economic="30203"))  # 行政运行 is a 项 of many 款
    before = state()
    html = client.post(url(), post_data(rows, budget().revision)).content.decode()
    assert "行政运行" in cell_errors(html, len(rows), "function")
    assert state() == before


def test_the_unit_select_tells_the_units_apart_by_short_labels(demo, login) -> None:
    html = login("acc318").get(url()).content.decode()
    select = BeautifulSoup(html, "html.parser").select_one("tbody.js-rows select[data-col=unit]")
    labels = [(option["value"], option.get_text()) for option in select.select("option")]
    assert labels == [(BUREAU, "1 本级"), ("石家庄市鹿泉区图书馆", "2 图书馆"), ("石家庄市鹿泉区文化馆", "3 文化馆")]


def test_the_rows_go_unit_by_unit_with_each_units_first_row_marked(demo, login) -> None:
    html = login("acc318").get(url()).content.decode()
    rows = BeautifulSoup(html, "html.parser").select("tbody.js-rows tr.js-row")
    units = [row.select_one("select[data-col=unit] option[selected]")["value"] for row in rows]
    starts = [index for index, row in enumerate(rows) if "group-start" in row["class"]]
    assert starts == [index for index in range(1, len(units)) if units[index] != units[index - 1]]
    assert len(starts) == len(set(units)) - 1  # each unit's rows together
