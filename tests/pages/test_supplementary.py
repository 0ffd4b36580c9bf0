"""部门政府采购预算 and 部门固定资产占用情况表 on the budget pages: 318's figures, 202's empty tables as published."""

import re
from datetime import date
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from budgets.models import FixedAsset, ProcurementItem
from budgets.selectors import budget_data
from demo.loader import load_demo
from domain.ledger import AssetInfo, ProcurementInfo
from domain.supplementary import procurement_rows
from tests.golden.seed import seed_bytes

pytestmark = pytest.mark.django_db

PROCUREMENT_NOTE = "注：无政府采购预算，空表列示。"
ASSETS_NOTE = "注：无固定资产占用情况，空表列示。"


def section(html: str, key: str) -> dict:
    soup = BeautifulSoup(html, "html.parser")
    found = soup.select_one(f"section#table-{key}")
    assert found is not None, key
    note = found.select_one(".table-note")
    meta = found.select(".table-meta span")
    return {
        "title": found.select_one(".table-title").get_text().strip(),
        "meta": [span.get_text().strip() for span in meta],
        "header": [[re.sub(r"\s+", "", th.get_text()) for th in tr.find_all("th")] for tr in found.select("thead tr")],
        "rows": [[td.get_text().strip() for td in tr.find_all("td")] for tr in found.select("tbody tr")],
        "note": note.get_text().strip() if note else None,
    }


def page(login, code: str) -> str:
    response = login("reviewer").get(reverse("budget_detail", args=[2021, code]))
    assert response.status_code == 200
    return response.content.decode()


def test_318_shows_its_procurement_plan(demo, login) -> None:
    table = section(page(login, "318"), "procurement")
    assert table["title"] == "部门政府采购预算"
    assert table["meta"] == ["318 石家庄市鹿泉区文化广电和旅游局", "预算年度：2021", "单位：万元"]
    assert table["rows"] == [
        ["合计", "50.00", "", "", "", "", "", "48.00", "48.00", "", "", ""],
        ["图书馆图书购置", "32.00", "图书", "A050401", "批", "1", "30.00", "30.00", "30.00", "", "", ""],
        ["公务用车购置", "18.00", "公务用车", "A020305", "辆", "1", "18.00", "18.00", "18.00", "", "", ""],
    ]
    assert table["note"] is None


def test_318_shows_its_fixed_assets_in_yuan(demo, login) -> None:
    table = section(page(login, "318"), "fixed-assets")
    assert table["title"] == "部门固定资产占用情况表"
    assert table["meta"] == ["318 石家庄市鹿泉区文化广电和旅游局", "预算年度：2021", "截止时间：2020-12-31"]
    assert table["header"] == [["项目", "数量", "价值（金额单位：元）"]]
    assert table["rows"] == [
        ["合计", "", "5597150.50"],
        ["房屋（处）", "1", "3260000.00"],
        ["车辆（辆）", "2", "356800.00"],
        ["办公设备（台、套）", "86", "412350.50"],
        ["图书（万册）", "5.2", "1568000.00"],
    ]


def test_procurement_stays_within_its_projects(demo) -> None:
    _total, *items = procurement_rows(budget_data(demo["318"]))
    assert items
    for row in items:
        assert row.amount("total") <= row.amount("project_amount")


def seed_lines() -> list[str]:
    return seed_bytes().decode("utf-8").splitlines()


def seed_header_after(title: str, first_cell: str) -> list[list[str]]:
    """The example's header rows of a supplementary table: the tab-separated lines after its title."""
    lines = seed_lines()
    start = max(index for index, line in enumerate(lines) if line.strip() == title)
    rows = []
    for line in lines[start + 1 :]:
        if line.startswith(first_cell) or (rows and "\t" in line):
            rows.append([re.sub(r"\s+", "", cell) for cell in line.split("\t")])
        elif rows:
            break
    return rows


def test_202_prints_both_tables_empty_as_the_example_does(demo, login) -> None:
    html = page(login, "202")
    procurement, assets = section(html, "procurement"), section(html, "fixed-assets")
    assert procurement["rows"] == assets["rows"] == []
    assert procurement["note"] == PROCUREMENT_NOTE
    assert assets["note"] == ASSETS_NOTE
    lines = [line.strip() for line in seed_lines()]
    assert PROCUREMENT_NOTE in lines
    assert ASSETS_NOTE in lines
    # The 截止时间 defaults to the end of the previous year, as the example prints it.
    assert assets["meta"][-1] == "截止时间：2020-12-31"
    assert "截止时间：2020-12-31" in lines
    assert procurement["meta"][-1] == "单位：万元"


def test_202_headers_are_the_examples(demo, login) -> None:
    html = page(login, "202")
    procurement = seed_header_after("部门政府采购预算", "政府采购项目来源")
    assert [[cell for cell in row if cell] for row in procurement] == section(html, "procurement")["header"]
    assets = seed_header_after("部门固定资产占用情况表", "项 目")
    assert [[cell for cell in row if cell] for row in assets] == section(html, "fixed-assets")["header"]


@pytest.mark.parametrize("key", ["procurement", "fixed-assets"])
def test_each_supplementary_table_has_its_own_page(demo, login, key) -> None:
    response = login("acc318").get(reverse("budget_table", args=[2021, "318", key]))
    assert response.status_code == 200
    single = section(response.content.decode(), key)
    assert single == section(page(login, "318"), key)


def test_budget_data_loads_items_in_order(demo) -> None:
    data = budget_data(demo["318"])
    assert data.procurement == (
        ProcurementInfo(
            "图书馆图书购置",
            "图书",
            "A050401",
            "批",
            Decimal("1.00"),
            Decimal("300000.00"),
            Decimal("300000.00"),
            Decimal("0.00"),
            Decimal("0.00"),
            Decimal("0.00"),
        ),
        ProcurementInfo(
            "公务用车购置",
            "公务用车",
            "A020305",
            "辆",
            Decimal("1.00"),
            Decimal("180000.00"),
            Decimal("180000.00"),
            Decimal("0.00"),
            Decimal("0.00"),
            Decimal("0.00"),
        ),
    )
    assert data.assets[0] == AssetInfo("房屋（处）", Decimal("1.00"), Decimal("3260000.00"))
    assert data.assets_as_of == date(2020, 12, 31)
    assert {line.project for line in data.lines if line.project} >= {"图书馆图书购置", "公务用车购置"}
    empty = budget_data(demo["202"])
    assert (empty.procurement, empty.assets, empty.assets_as_of) == ((), (), None)


def test_budget_data_needs_one_query_for_each(demo, django_assert_num_queries) -> None:
    budget = demo["318"]
    ProcurementItem.objects.bulk_create(
        ProcurementItem(budget=budget, item_name=f"物品{n}", general=Decimal(n), position=10 + n) for n in range(20)
    )
    FixedAsset.objects.bulk_create(FixedAsset(budget=budget, item=f"资产{n}", position=10 + n) for n in range(20))
    # department (budget fixture has it), two catalogues, lines, units, procurement, assets, and the performance
    # targets: goals, sub-goals, target tables, their indicators
    with django_assert_num_queries(10):
        data = budget_data(budget)
    assert len(data.procurement) == 22
    assert len(data.assets) == 24


def test_loading_the_demo_again_changes_nothing(demo) -> None:
    def snapshot() -> tuple:
        return (
            list(
                ProcurementItem.objects.order_by("budget", "position").values_list(
                    "budget__department__code", "project__name", "item_name", "general"
                )
            ),
            list(
                FixedAsset.objects.order_by("budget", "position").values_list(
                    "budget__department__code", "item", "value_yuan"
                )
            ),
        )

    before = snapshot()
    load_demo()
    assert snapshot() == before
    assert len(before[0]) == 2
    assert len(before[1]) == 4
