"""部门政府采购预算 and 部门固定资产占用情况表 on the budget pages: a small budget's figures, and the demo's 202 with
empty tables as published."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from budgets.models import FixedAsset, ProcurementItem
from budgets.selectors import budget_data
from demo.loader import load_demo
from domain.supplementary import procurement_rows
from tests.golden.seed import seed_bytes
from tests.support.budgets import ASSETS, ASSETS_AS_OF, OWN, OWN_LINES, OWN_NAME, PROCUREMENT, YEAR
from tests.support.html import section

pytestmark = pytest.mark.django_db

PROCUREMENT_NOTE = "注：无政府采购预算，空表列示。"
ASSETS_NOTE = "注：无固定资产占用情况，空表列示。"


def page(login, code: str) -> str:
    response = login("reviewer").get(reverse("budget_tables", args=[YEAR, code]))
    assert response.status_code == 200
    return response.content.decode()


def wan(yuan: Decimal) -> str:
    return f"{yuan / 10000:.2f}"


def plain(number: Decimal) -> str:
    """A quantity as the page prints it: without trailing zeros."""
    return format(number.normalize(), "f")


def test_the_procurement_plan_is_shown_in_wan_with_each_items_project(small, login) -> None:
    table = section(page(login, OWN), "procurement")
    assert table["title"] == "部门政府采购预算"
    assert table["meta"] == [f"{OWN} {OWN_NAME}", "预算年度：2021", "单位：万元"]
    project_amount = {
        item.project: sum(line.amount for line in OWN_LINES if line.project == item.project) for item in PROCUREMENT
    }
    total = sum(item.general for item in PROCUREMENT)
    assert table["rows"] == [
        ["合计", wan(sum(project_amount.values())), "", "", "", "", "", wan(total), wan(total), "", "", ""],
        *(
            [
                item.project,
                wan(project_amount[item.project]),
                item.item_name,
                item.catalogue_number,
                item.measure_unit,
                plain(item.quantity),
                wan(item.unit_price),
                wan(item.general),
                wan(item.general),
                "",
                "",
                "",
            ]
            for item in PROCUREMENT
        ),
    ]
    assert table["note"] is None


def test_the_fixed_assets_are_shown_in_yuan(small, login) -> None:
    table = section(page(login, OWN), "fixed-assets")
    assert table["title"] == "部门固定资产占用情况表"
    assert table["meta"] == [f"{OWN} {OWN_NAME}", "预算年度：2021", f"截止时间：{ASSETS_AS_OF}"]
    assert table["header"] == [["项目", "数量", "价值（金额单位：元）"]]
    assert table["rows"] == [
        ["合计", "", f"{sum(asset.value for asset in ASSETS):.2f}"],
        *([asset.item, plain(asset.quantity), f"{asset.value:.2f}"] for asset in ASSETS),
    ]


def test_procurement_stays_within_its_projects(small) -> None:
    _total, *items = procurement_rows(budget_data(small.budget))
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
def test_each_supplementary_table_has_its_own_page(small, login, key) -> None:
    response = login("accountant").get(reverse("budget_table", args=[YEAR, OWN, key]))
    assert response.status_code == 200
    single = section(response.content.decode(), key)
    assert single == section(page(login, OWN), key)


def test_budget_data_loads_items_in_order(small) -> None:
    data = budget_data(small.budget)
    assert len(PROCUREMENT) > 1
    assert data.procurement == PROCUREMENT
    assert data.assets == ASSETS
    assert data.assets_as_of == date(2020, 12, 31)
    assert {line.project for line in data.lines if line.project} >= {item.project for item in PROCUREMENT}
    empty = budget_data(small.other)
    assert (empty.procurement, empty.assets, empty.assets_as_of) == ((), (), None)


def test_budget_data_needs_one_query_for_each(small, django_assert_num_queries) -> None:
    budget = small.budget
    ProcurementItem.objects.bulk_create(
        ProcurementItem(budget=budget, item_name=f"物品{n}", general=Decimal(n), position=10 + n) for n in range(20)
    )
    FixedAsset.objects.bulk_create(FixedAsset(budget=budget, item=f"资产{n}", position=10 + n) for n in range(20))
    # department (budget fixture has it), two catalogues, lines, units, procurement, assets, and the performance
    # targets: goals, sub-goals, target tables, their indicators
    with django_assert_num_queries(10):
        data = budget_data(budget)
    assert len(data.procurement) == len(PROCUREMENT) + 20
    assert len(data.assets) == len(ASSETS) + 20


# About the demo loader: loading it twice keeps the demo's parts as they are.
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
