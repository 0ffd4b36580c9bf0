"""The entry page of 政府采购预算 and 固定资产 (编辑政府采购和资产): who may open it, a save that reaches the official
tables 11 and 12, what each wrong entry says and where (nothing saved, everything kept), 万元 and 元, a stale page."""

from datetime import date
from decimal import Decimal
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from budgets.models import Budget, BudgetEvent, FixedAsset, ProcurementItem, Project
from budgets.selectors import budget_assets, budget_procurement
from budgets.services.supplementary import budget_replace_supplementary
from domain.workflow import BudgetState
from entry.fields import parse_as_of, parse_quantity
from tests.support.html import section
from tests.support.posting import form_data, rehearsal_rows, rendered_rows

pytestmark = pytest.mark.django_db

YEAR, CODE, FORM = 2021, "318", "procurement-form"
ITEMS, ASSETS = "item", "asset"


def url(code: str = CODE, unit: str = "") -> str:
    base = reverse("budget_procurement_edit", args=[YEAR, code])
    return f"{base}?unit={unit}" if unit else base


def budget(code: str = CODE) -> Budget:
    return Budget.objects.get(department__code=code, year_id=YEAR)


def state(code: str = CODE) -> tuple:
    """What a save could change: the revision, the trail, the items, the assets, the date and the projects."""
    stored = budget(code)
    return (
        stored.revision,
        BudgetEvent.objects.filter(budget=stored).count(),
        budget_procurement(stored),
        budget_assets(stored),
        stored.assets_as_of,
        sorted(Project.objects.filter(budget=stored).values_list("name", flat=True)),
    )


def page(client: Client, unit: str = "") -> dict[str, str]:
    response = client.get(url(unit=unit))
    assert response.status_code == 200
    return form_data(response.content.decode(), FORM)


def post_data(
    items: list[dict[str, str]], assets: list[dict[str, str]], revision: int | None, unit: str = "万元", as_of: str = ""
) -> dict[str, str]:
    data = {f"{ITEMS}-TOTAL_FORMS": str(len(items)), f"{ASSETS}-TOTAL_FORMS": str(len(assets)), "unit": unit}
    data |= {f"{ITEMS}-INITIAL_FORMS": "0", f"{ASSETS}-INITIAL_FORMS": "0"}
    data["assets_as_of"] = as_of
    if revision is not None:
        data["revision"] = str(revision)
    for prefix, rows in ((ITEMS, items), (ASSETS, assets)):
        for index, row in enumerate(rows):
            data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def item(**fields: str) -> dict[str, str]:
    """A valid item the demo 318 does not have yet."""
    return {
        "project": "图书馆图书购置",
        "item_name": "书架",
        "catalogue_number": "A060501",
        "measure_unit": "个",
        "quantity": "20",
        "unit_price": "0.1",
        "general": "1.50",
        "govfund": "",
        "statecap": "",
        "special_account": "0.5",
        **fields,
    }


def grid_rows(html: str, prefix: str) -> list:
    return BeautifulSoup(html, "html.parser").select(f"section[data-prefix={prefix}] tbody.js-rows tr.js-row")


def cell_errors(html: str, prefix: str, number: int, name: str) -> str:
    row = grid_rows(html, prefix)[number - 1]
    field = row.find(attrs={"name": f"{prefix}-{number - 1}-{name}"})
    return " ".join(ul.get_text(" ") for ul in field.find_parent("td").select("ul.errors"))


def all_errors(html: str) -> str:
    return " ".join(ul.get_text(" ") for ul in BeautifulSoup(html, "html.parser").select("ul.errors"))


# --- Who may open and save --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [("acc318", 200), ("admin", 200), ("reviewer", 403), ("acc202", 404)])
def test_the_page_opens_for_exactly_those_who_edit_figures(demo, login, who, status) -> None:
    assert login(who).get(url()).status_code == status


@pytest.mark.parametrize(("who", "status"), [("acc318", 302), ("reviewer", 403), ("acc202", 404)])
def test_only_editors_save(demo, login, who, status) -> None:
    data = page(login("acc318"))
    data[f"{ITEMS}-0-general"] = "31.00"
    before = state()
    assert login(who).post(url(), data).status_code == status
    assert (state() != before) is (status == 302)


@pytest.mark.parametrize("frozen", [BudgetState.SUBMITTED, BudgetState.APPROVED])
def test_a_frozen_budget_is_refused(demo, login, frozen) -> None:
    client = login("acc318")
    data = page(client)
    data[f"{ITEMS}-0-general"] = "31.00"
    Budget.objects.filter(pk=budget().pk).update(state=frozen)
    before = state()
    assert client.get(url()).status_code == 403
    assert client.post(url(), data).status_code == 403
    assert state() == before


def test_the_budget_page_links_the_editor_for_editors_only(demo, login) -> None:
    detail = reverse("budget_detail", args=[YEAR, CODE])
    assert url() in login("acc318").get(detail).content.decode()
    assert url() not in login("reviewer").get(detail).content.decode()


# --- What the page shows ----------------------------------------------------------------------------------------


def test_the_page_shows_the_stored_plan_assets_and_totals(demo, login) -> None:
    html = login("acc318").get(url()).content.decode()
    data = form_data(html, FORM)
    items, assets = rendered_rows(data, ITEMS), rendered_rows(data, ASSETS)
    assert items[0] == {
        "project": "图书馆图书购置",
        "item_name": "图书",
        "catalogue_number": "A050401",
        "measure_unit": "批",
        "quantity": "1",
        "unit_price": "30.00",
        "general": "30.00",
        "govfund": "",
        "statecap": "",
        "special_account": "",
    }
    assert assets[3] == {"item": "图书（万册）", "quantity": "5.2", "value": "156.80", "unit": ""}
    assert data["assets_as_of"] == "2020-12-31"
    soup = BeautifulSoup(html, "html.parser")
    assert [o.text for o in soup.select("tr.js-row .js-row-total")] == ["30.00", "18.00"]
    totals = {o["data-sum"]: o.text for o in soup.select("tfoot .js-total")}
    assert totals["general"] == "48.00"
    assert totals["general govfund statecap special_account"] == "48.00"
    assert totals["value"] == "559.72"  # 5,597,150.50 元
    assert '<option value="文化惠民演出">' in html  # the budget's projects to pick from


def test_an_unchanged_page_saves_nothing_new(demo, login) -> None:
    client = login("acc318")
    before = state()
    response = client.post(url(), page(client), follow=True)
    assert "没有变化" in response.content.decode()
    assert state() == before


# --- A valid save reaches tables 11 and 12 ------------------------------------------------------------------------


def test_a_save_round_trips_to_the_official_tables(demo, login) -> None:
    client = login("acc318")
    data = page(client)
    items, assets = rendered_rows(data, ITEMS), rendered_rows(data, ASSETS)
    items[1]["general"] = "17.50"
    items.append(item())
    items.append(
        item(
            project="",
            item_name="打印纸",
            catalogue_number="",
            quantity="",
            unit_price="",
            general="0.2",
            special_account="",
        )
    )
    assets[1]["quantity"] = "3"
    assets.append({"item": "其他（台）", "quantity": "4", "value": "1.000001"})
    del assets[0]
    before = state()
    response = client.post(url(), post_data(items, assets, budget().revision, as_of="2021年1月1日"))
    assert response.status_code == 302, all_errors(response.content.decode())
    assert response["Location"] == url()
    revision, events, *_ = state()
    assert (revision, events) == (before[0] + 1, before[1] + 1)
    event = BudgetEvent.objects.filter(budget=budget()).latest("id")
    assert (event.action, event.actor.username) == ("supplementary", "acc318")
    assert "政府采购和资产已保存" in client.get(response["Location"]).content.decode()
    added = ProcurementItem.objects.get(budget=budget(), item_name="书架")
    assert (added.quantity, added.unit_price, added.general, added.special_account) == (
        Decimal("20.00"),
        Decimal("1000.00"),
        Decimal("15000.00"),
        Decimal("5000.00"),
    )
    assert ProcurementItem.objects.get(budget=budget(), item_name="打印纸").project is None
    assert FixedAsset.objects.get(budget=budget(), item="其他（台）").value_yuan == Decimal("10000.01")
    assert budget().assets_as_of == date(2021, 1, 1)

    html = login("reviewer").get(reverse("budget_tables", args=[YEAR, CODE])).content.decode()
    procurement = section(html, "procurement")["rows"]
    assert procurement[0] == ["合计", "50.00", "", "", "", "", "", "49.70", "49.20", "", "", "0.50"]
    assert (
        procurement[2]
        == ["公务用车购置", "18.00", "公务用车", "A020305", "辆", "1", "18.00", "17.50", "17.50"] + [""] * 3
    )
    assert procurement[3] == [
        "图书馆图书购置",
        "32.00",
        "书架",
        "A060501",
        "个",
        "20",
        "0.10",
        "2.00",
        "1.50",
        "",
        "",
        "0.50",
    ]
    assert procurement[4] == ["", "", "打印纸", "", "个", "", "", "0.20", "0.20", "", "", ""]
    fixed = section(html, "fixed-assets")
    assert fixed["meta"][-1] == "截止时间：2021-01-01"
    assert fixed["rows"][0][0] == "合计"
    assert [row[0] for row in fixed["rows"][1:]] == ["车辆（辆）", "办公设备（台、套）", "图书（万册）", "其他（台）"]
    assert fixed["rows"][1][1] == "3"
    assert fixed["rows"][-1] == ["其他（台）", "4", "10000.01"]


def test_deleted_rows_and_blank_rows(demo, login) -> None:
    """Rows deleted in the page leave gaps in the numbering of the names; all-blank rows are not saved."""
    client = login("acc318")
    data = page(client)
    for name in ("project", "item_name", "catalogue_number", "measure_unit", "quantity", "unit_price", "general"):
        del data[f"{ITEMS}-0-{name}"]
    for name in ("govfund", "statecap", "special_account"):
        del data[f"{ITEMS}-0-{name}"]
    data[f"{ASSETS}-TOTAL_FORMS"] = "5"
    data.update({f"{ASSETS}-4-{name}": "" for name in ("item", "quantity", "value")})
    assert client.post(url(), data).status_code == 302
    assert list(ProcurementItem.objects.filter(budget=budget()).values_list("item_name", flat=True)) == ["公务用车"]
    assert FixedAsset.objects.filter(budget=budget()).count() == 4


def test_an_emptied_date_prints_the_end_of_last_year(demo, login) -> None:
    client = login("acc318")
    data = page(client)
    data["assets_as_of"] = ""
    assert client.post(url(), data).status_code == 302
    assert budget().assets_as_of is None


def test_a_post_without_the_row_counts_deletes_nothing(demo, login) -> None:
    client = login("acc318")
    data = page(client)
    del data[f"{ASSETS}-TOTAL_FORMS"]
    before = state()
    assert "表单不完整" in client.post(url(), data).content.decode()
    assert state() == before


# --- Wrong entries: a message at the cell, nothing saved, everything as typed ---------------------------------------

BAD = [
    ("letters", {"general": "12abc"}, "general", "金额只能填数字（万元）"),
    ("negative", {"special_account": "-3.00"}, "special_account", "金额不能为负数"),
    ("too_many_decimals", {"unit_price": "1.0000001"}, "unit_price", "最多保留 6 位小数"),
    ("quantity_letters", {"quantity": "二十"}, "quantity", "数量只能填不为负的数字"),
    ("quantity_decimals", {"quantity": "1.005"}, "quantity", "最多保留 2 位小数"),
    ("quantity_negative", {"quantity": "-1"}, "quantity", "数量只能填不为负的数字"),
    ("project_not_in_budget", {"project": "不存在的项目"}, "project", "本预算没有项目“不存在的项目”"),
    ("no_item_name", {"item_name": ""}, "item_name", "请填写采购物品名称"),
    ("item_name_too_long", {"item_name": "书" * 201}, "item_name", "采购物品名称最多 200 字"),
    ("measure_unit_too_long", {"measure_unit": "个" * 21}, "measure_unit", "计量单位最多 20 字"),
    ("duplicate", {"item_name": "图书", "catalogue_number": "A050401"}, "item_name", "与第1行重复"),
]


@pytest.mark.parametrize(("change", "name", "message"), [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_a_wrong_item_is_shown_at_its_cell_and_nothing_is_saved(demo, login, change, name, message) -> None:
    client = login("acc318")
    data = page(client)
    items, assets = rendered_rows(data, ITEMS), rendered_rows(data, ASSETS)
    items[1]["general"] = "17.50"  # a good change elsewhere: not saved either
    assets[0]["value"] = "300.00"
    items.append(item(**change))
    before = state()
    response = client.post(url(), post_data(items, assets, budget().revision, as_of="2020-12-31"))
    html = response.content.decode()
    assert response.status_code == 200
    assert state() == before
    assert "未保存" in html
    assert message in cell_errors(html, ITEMS, len(items), name)
    assert all_errors(html) == cell_errors(html, ITEMS, len(items), name)  # nowhere else
    shown = form_data(html, FORM)
    assert rendered_rows(shown, ITEMS) == items  # everything as typed
    assert rendered_rows(shown, ASSETS) == assets
    assert not Project.objects.filter(name="不存在的项目").exists()


BAD_ASSETS = [
    ("letters", {"value": "abc"}, "value", "金额只能填数字"),
    ("negative", {"value": "-1"}, "value", "金额不能为负数"),
    ("too_many_decimals", {"value": "0.0000001"}, "value", "最多保留 6 位小数"),
    ("quantity_letters", {"quantity": "x"}, "quantity", "数量只能填不为负的数字"),
    ("no_item", {"item": ""}, "item", "请填写资产项目"),
    ("duplicate", {"item": "车辆（辆）"}, "item", "与第2行重复"),
]


@pytest.mark.parametrize(
    ("change", "name", "message"), [case[1:] for case in BAD_ASSETS], ids=[case[0] for case in BAD_ASSETS]
)
def test_a_wrong_asset_is_shown_at_its_cell_and_nothing_is_saved(demo, login, change, name, message) -> None:
    client = login("acc318")
    data = page(client)
    items, assets = rendered_rows(data, ITEMS), rendered_rows(data, ASSETS)
    assets.append({"item": "其他（台）", "quantity": "1", "value": "1.00", "unit": "", **change})
    before = state()
    html = client.post(url(), post_data(items, assets, budget().revision)).content.decode()
    assert state() == before
    assert message in cell_errors(html, ASSETS, len(assets), name)
    assert rendered_rows(form_data(html, FORM), ASSETS) == assets


@pytest.mark.parametrize("typed", ["2020-13-01", "去年年底", "2020-02-30"])
def test_a_wrong_date_is_refused_at_the_date(demo, login, typed) -> None:
    client = login("acc318")
    data = page(client)
    data["assets_as_of"] = typed
    before = state()
    html = client.post(url(), data).content.decode()
    assert state() == before
    assert "截止日期请按“2020-12-31”的格式填写" in all_errors(html)
    assert form_data(html, FORM)["assets_as_of"] == typed


# --- 万元 and 元 ------------------------------------------------------------------------------------------------


def test_the_page_in_yuan_saves_yuan(demo, login) -> None:
    client = login("acc318")
    data = page(client, unit="元")
    assert data["unit"] == "元"
    items, assets = rendered_rows(data, ITEMS), rendered_rows(data, ASSETS)
    assert items[0]["general"] == "300000.00"
    assert assets[2]["value"] == "412350.50"
    items[0]["general"] = "300,000.01"
    assets[2]["value"] = "412350.49"
    response = client.post(url(), post_data(items, assets, budget().revision, unit="元", as_of="2020-12-31"))
    assert unquote(response["Location"]) == url(unit="元")
    assert ProcurementItem.objects.get(budget=budget(), item_name="图书").general == Decimal("300000.01")
    assert FixedAsset.objects.get(budget=budget(), item="办公设备（台、套）").value_yuan == Decimal("412350.49")
    shown = rendered_rows(page(client), ITEMS)
    assert shown[0]["general"] == "30.000001"  # shown exactly in 万元 too
    items[0]["general"] = "1.001"
    html = client.post(url(), post_data(items, assets, budget().revision, unit="元")).content.decode()
    assert "最多保留 2 位小数（元" in cell_errors(html, ITEMS, 1, "general")


@pytest.mark.parametrize(
    ("typed", "quantity"), [("", "0.00"), ("86", "86.00"), ("1,200.5", "1200.50"), ("５．２", "5.20")]
)
def test_quantities_read_like_numbers_in_excel(typed, quantity) -> None:
    assert parse_quantity(typed) == Decimal(quantity)


@pytest.mark.parametrize(
    ("typed", "as_of"), [("2020-12-31", date(2020, 12, 31)), ("2021/1/5", date(2021, 1, 5)), ("", None)]
)
def test_dates_read_as_typed(typed, as_of) -> None:
    assert parse_as_of(typed) == as_of


# --- A stale page ------------------------------------------------------------------------------------------------


def test_a_save_after_someone_elses_keeps_what_was_typed(demo, login) -> None:
    client = login("acc318")
    data = page(client)
    revision = budget().revision
    current = budget()
    budget_replace_supplementary(  # someone else, meanwhile
        budget=current,
        procurement=list(budget_procurement(current)),
        assets=list(budget_assets(current))[:1],
        assets_as_of=current.assets_as_of,
    )
    items, assets = rendered_rows(data, ITEMS), rendered_rows(data, ASSETS)
    items[0]["general"] = "29.00"
    before = state()
    response = client.post(url(), post_data(items, assets, revision, as_of="2020-12-31"))
    html = response.content.decode()
    assert response.status_code == 200
    assert state() == before
    assert "已被他人修改" in html
    assert "您填写的内容仍在下方" in html
    shown = form_data(html, FORM)
    assert rendered_rows(shown, ITEMS)[0]["general"] == "29.00"
    assert len(rendered_rows(shown, ASSETS)) == 4  # as typed, not as stored now
    assert shown["revision"] == str(budget().revision)  # saving again is a deliberate choice
    compared = rehearsal_rows(html)
    assert ["政府采购｜第1项｜一般公共预算拨款", "300000.00", "290000.00"] in compared  # in 元, as the trail
    assert [place for place, _stored, _page in compared if place.endswith("资产名称")] == [
        "固定资产｜第2项｜资产名称",
        "固定资产｜第3项｜资产名称",
        "固定资产｜第4项｜资产名称",
    ]  # the three the other removed: shown as stored now (none) and as the page has them
    assert all(stored == "（无）" for place, stored, _page in compared if place.startswith("固定资产｜第"))
    assert client.post(url(), shown).status_code == 302
    assert ProcurementItem.objects.get(budget=budget(), item_name="图书").general == Decimal("290000.00")
    assert FixedAsset.objects.filter(budget=budget()).count() == 4


def test_a_wrong_entry_keeps_the_revision_the_page_was_built_on(demo, login) -> None:
    client = login("acc318")
    data = page(client)
    revision = budget().revision
    data[f"{ITEMS}-0-general"] = "abc"
    shown = form_data(client.post(url(), data).content.decode(), FORM)
    assert shown["revision"] == str(revision)
