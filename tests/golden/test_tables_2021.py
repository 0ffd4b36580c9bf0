"""Golden tests: the official tables the product renders for 2021 / department 202 equal the published example.

Every cell of the example's nine tables and of the 部门机构设置情况 table (``tests/golden/seed_2021_202.txt``,
read by ``tests.golden.seed``) is compared with the HTML page ``budget_detail`` renders from the demo data.
Data cells are compared exactly after stripping; header cells after removing all whitespace (the example
prints ``项 目`` where the product prints ``项目``). The one place the product must differ from the example —
a defect of the example (spec §5.1) — is listed explicitly in ``SEED_DEFECT_OVERRIDES``.
"""

import re
from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup, Tag
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts.models import User
from demo.loader import load_demo
from tests.golden.seed import SEED_SHA256, SeedTable, load_seed, seed_sha256

# The module's pages are rendered once (a module fixture); marking the module makes pytest-django create the test
# database even when this file runs alone.
pytestmark = pytest.mark.django_db

YEAR = 2021
DEPARTMENT = "202"
DEPARTMENT_LINE = "202 中共石家庄市鹿泉区委办公室"
YEAR_LINE = "预算年度：2021"
UNIT_LINE = "单位：万元"
GOVFUND_NOTE = "注：无政府基金预算财政拨款预算，空表列示。"
STATECAP_NOTE = "注：无国有资本经营预算财政拨款预算，空表列示。"


@dataclass(frozen=True)
class Golden:
    key: str  # the product's table key (section id "table-KEY", data-table="KEY", URL slug)
    title: str  # the title printed in the example
    row_count: int  # data rows the example prints; guards the parser against finding nothing
    note: str | None = None


GOLDEN: tuple[Golden, ...] = (
    Golden("summary", "部门预算收支总表", 33),
    Golden("income", "部门预算收入总表", 17),
    Golden("expenditure", "部门预算支出总表", 17),
    Golden("fiscal-summary", "部门预算财政拨款收支总表", 36),
    Golden("general-appropriation", "部门预算一般公共预算财政拨款支出表", 17),
    Golden("basic-economic", "部门预算一般公共预算财政拨款基本支出表", 25),
    Golden("govfund-appropriation", "部门预算政府基金预算财政拨款支出表", 0, GOVFUND_NOTE),
    Golden("statecap-appropriation", "部门预算国有资本经营预算财政拨款支出表", 0, STATECAP_NOTE),
    Golden("three-public", "部门预算财政拨款“三公”经费支出表", 6),
    Golden("units", "部门机构设置情况", 2),
)
NUMBERED = tuple(golden for golden in GOLDEN if golden.key != "units")  # the nine tables with 序号 and 栏次
EMPTY = tuple(golden for golden in GOLDEN if golden.row_count == 0)

# Cells where the example is wrong and the product must print something else. Each entry is
# (table key, 序号, column index with 序号 as column 0) -> (what the example prints, what the product prints).
# The test checks that the example really prints the first value, so an entry can never hide a real difference.
SEED_DEFECT_OVERRIDES: dict[tuple[str, str, int], tuple[str, str]] = {
    # Spec §5.1: table 6, row 12 = 302 商品和服务支出, column 合计 prints "121.783" — three decimals in a
    # 万元 table. Amounts have exactly two decimals; the product prints 121.78 (its 公用经费, and table 6's
    # 公用经费 合计), never 121.783.
    ("basic-economic", "12", 3): ("121.783", "121.78"),
}


def by_key(goldens: tuple[Golden, ...]) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("golden", goldens, ids=[golden.key for golden in goldens])


# --- the example ---------------------------------------------------------------------------------------------


def seed_table(golden: Golden) -> SeedTable:
    return load_seed()[golden.title]


def header_text(text: str) -> str:
    return re.sub(r"\s+", "", text)


def seed_header(golden: Golden) -> list[list[str]]:
    return [[header_text(cell) for cell in row] for row in seed_table(golden).header_rows]


def expected_rows(golden: Golden) -> list[list[str]]:
    """The example's data rows, with the documented defects replaced by what the product must print."""
    rows = [list(row) for row in seed_table(golden).rows]
    for (key, serial, column), (printed, corrected) in SEED_DEFECT_OVERRIDES.items():
        if key != golden.key:
            continue
        [row] = [row for row in rows if row[0] == serial]
        assert row[column] == printed, f"override {key} row {serial} col {column}: the example prints {row[column]!r}"
        row[column] = corrected
    return rows


def column_name(golden: Golden, column: int) -> str:
    """The lowest non-empty header text above a column, for failure messages."""
    names = [row[column] for row in seed_header(golden) if row[column]]
    return names[-1] if names else "?"


# --- the product's page --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageTable:
    title: str
    department_line: str
    year_line: str
    unit_line: str
    header: list[list[str]]  # header grid, merged cells expanded: text at the top-left cell, "" elsewhere
    column_numbers: list[str] | None
    rows: list[list[str]]
    serial_cells_marked: bool  # every numbered data row starts with <td class="serial">
    note: str | None


def _header_grid(rows: list[Tag]) -> list[list[str]]:
    width = sum(int(th.get("colspan", 1)) for th in rows[0].find_all("th"))
    grid: list[list[str | None]] = [[None] * width for _ in rows]
    for r, tr in enumerate(rows):
        c = 0
        for th in tr.find_all("th"):
            while grid[r][c] is not None:
                c += 1
            rowspan, colspan = int(th.get("rowspan", 1)), int(th.get("colspan", 1))
            for dr in range(rowspan):
                for dc in range(colspan):
                    assert grid[r + dr][c + dc] is None, f"overlapping header cells at row {r + dr}"
                    grid[r + dr][c + dc] = ""
            grid[r][c] = header_text(th.get_text())
            c += colspan
    assert all(cell is not None for row in grid for cell in row), f"ragged header: {grid}"
    return grid  # type: ignore[return-value]


def _meta(section: Tag, css_class: str) -> str:
    element = section.select_one(f".table-meta .{css_class}")
    return element.get_text().strip() if element else ""


def read_page(html: str) -> dict[str, PageTable]:
    soup = BeautifulSoup(html, "html.parser")
    tables = {}
    for section in soup.select("section.official-table"):
        key = section["id"].removeprefix("table-")
        table = section.select_one(f'table.official[data-table="{key}"]')
        assert table is not None, f"section {section['id']} has no <table class=official data-table={key}>"
        head = table.find("thead").find_all("tr")
        numbers = [tr for tr in head if "column-numbers" in (tr.get("class") or [])]
        body = table.find("tbody").find_all("tr")
        note = section.select_one(".table-note")
        tables[key] = PageTable(
            title=section.select_one(".table-title").get_text().strip(),
            department_line=_meta(section, "department-line"),
            year_line=_meta(section, "year-line"),
            unit_line=_meta(section, "unit-line"),
            header=_header_grid([tr for tr in head if tr not in numbers]),
            column_numbers=[th.get_text().strip() for th in numbers[0].find_all("th")] if numbers else None,
            rows=[[td.get_text().strip() for td in tr.find_all("td")] for tr in body],
            serial_cells_marked=all("serial" in (tr.find("td").get("class") or []) for tr in body),
            note=note.get_text().strip() if note else None,
        )
    return tables


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker) -> dict[str, str]:
    """The demo's pages as acc202 sees them, rendered once for the module in a rolled-back transaction."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        client = Client()
        client.force_login(User.objects.get(username="acc202"))

        def get(url: str) -> str:
            response = client.get(url)
            assert response.status_code == 200
            return response.content.decode()

        pages = {"detail": get(reverse("budget_detail", args=[YEAR, DEPARTMENT]))}
        for golden in GOLDEN:
            pages[golden.key] = get(reverse("budget_table", args=[YEAR, DEPARTMENT, golden.key]))
        transaction.set_rollback(True)
    return pages


@pytest.fixture(scope="module")
def page(rendered) -> dict[str, PageTable]:
    return read_page(rendered["detail"])


# --- the reader of the example, so the golden tests cannot pass vacuously ------------------------------------


def test_seed_copy_is_byte_identical_to_the_shared_seed() -> None:
    assert seed_sha256() == SEED_SHA256


@by_key(GOLDEN)
def test_seed_parser_finds_every_row(golden: Golden) -> None:
    table = seed_table(golden)
    assert len(table.rows) == golden.row_count
    assert all(len(row) == table.width for row in table.rows)
    assert table.note == golden.note
    if golden in NUMBERED:
        assert [row[0] for row in table.rows] == [str(n) for n in range(1, golden.row_count + 1)]
        assert table.column_numbers == ["栏次", *(str(n) for n in range(1, table.width))]
        assert (table.department_line, table.year_line, table.unit_line) == (DEPARTMENT_LINE, YEAR_LINE, UNIT_LINE)
        # Every amount the example prints has two decimals, except the documented defect.
        amounts = [cell for row in table.rows for cell in row if re.fullmatch(r"[\d.]+", cell) and "." in cell]
        odd = [cell for cell in amounts if not re.fullmatch(r"\d+\.\d\d", cell)]
        expected_odd = [printed for (key, *_), (printed, _) in SEED_DEFECT_OVERRIDES.items() if key == golden.key]
        assert odd == expected_odd


def test_seed_parser_sees_the_shifted_income_header_of_page_two() -> None:
    """Spec §5.6: page 2 of 收入总表 shifts 上年结转 / 其他收入; the golden header is page 1's."""
    income = load_seed()["部门预算收入总表"]
    first, second = income.page_headers
    assert first[0][12] == "上年结转"
    assert first[1][11] == "其他收入"
    assert second[0][11] == "上年结转"
    assert second[1][12] == "其他收入"
    # Every other table repeats the same header on every page (up to spaces).
    for title, table in load_seed().items():
        if title != income.title:
            pages = [[[header_text(cell) for cell in row] for row in header] for header in table.page_headers]
            assert all(header == pages[0] for header in pages), title


# --- the product against the example -------------------------------------------------------------------------


def test_page_shows_the_golden_tables_in_the_examples_order(page) -> None:
    assert [key for key in page if key in {golden.key for golden in GOLDEN}] == [golden.key for golden in GOLDEN]


@by_key(GOLDEN)
def test_rows_equal_the_example_cell_by_cell(page, golden: Golden) -> None:
    printed = page[golden.key]
    expected = expected_rows(golden)
    assert printed.title == golden.title
    assert len(printed.rows) == len(expected), f"{golden.title}: {len(printed.rows)} rows, expected {len(expected)}"
    differences = [
        f"row {n} (序号 {want[0]}), column {c} {column_name(golden, c)}: expected {w!r}, printed {g!r}"
        for n, (want, got) in enumerate(zip(expected, printed.rows, strict=True), start=1)
        for c, (w, g) in enumerate(zip(want, got, strict=False))
        if w != g
    ] + [
        f"row {n}: {len(got)} cells, expected {len(want)}"
        for n, (want, got) in enumerate(zip(expected, printed.rows, strict=True), start=1)
        if len(got) != len(want)
    ]
    assert differences == [], f"{golden.title}:\n" + "\n".join(differences)
    assert printed.note == golden.note


@by_key(NUMBERED)
def test_serial_cells_number_the_rows(page, golden: Golden) -> None:
    printed = page[golden.key]
    assert printed.serial_cells_marked
    assert [row[0] for row in printed.rows] == [row[0] for row in seed_table(golden).rows]


@by_key(NUMBERED)
def test_department_year_and_unit_lines(page, golden: Golden) -> None:
    printed, seed = page[golden.key], seed_table(golden)
    assert (printed.department_line, printed.year_line, printed.unit_line) == (
        seed.department_line,
        seed.year_line,
        seed.unit_line,
    )
    assert (printed.department_line, printed.year_line, printed.unit_line) == (DEPARTMENT_LINE, YEAR_LINE, UNIT_LINE)


@by_key(NUMBERED)
def test_column_numbers_row(page, golden: Golden) -> None:
    assert page[golden.key].column_numbers == seed_table(golden).column_numbers


@by_key(GOLDEN)
def test_header_texts(page, golden: Golden) -> None:
    # Spaces removed on both sides; the example's first page is the reference (page 2 of 收入总表 is shifted).
    assert page[golden.key].header == seed_header(golden)


@by_key(EMPTY)
def test_empty_tables_print_headers_and_the_note(page, golden: Golden) -> None:
    printed = page[golden.key]
    assert printed.rows == []
    assert printed.note == golden.note == seed_table(golden).note
    assert printed.column_numbers == seed_table(golden).column_numbers


def test_table6_prints_302_with_two_decimals_not_the_examples_121_783(rendered, page) -> None:
    """Spec §5.1: the example's 121.783 must not be reproduced."""
    [row] = [row for row in page["basic-economic"].rows if row[1] == "302"]
    assert row[2] == "商品和服务支出"
    assert row[3] == "121.78"  # 合计
    assert row[5] == "121.78"  # 公用经费
    assert "121.783" not in rendered["detail"]


@by_key(GOLDEN)
def test_single_table_page_equals_the_combined_page(rendered, page, golden: Golden) -> None:
    single = read_page(rendered[golden.key])
    assert list(single) == [golden.key]
    assert single[golden.key] == page[golden.key]
    assert single[golden.key].rows == expected_rows(golden)


def test_units_table_prints_no_money_unit(page) -> None:
    # 部门机构设置情况 has no amounts: the example prints no 单位：万元 for it, and neither do we.
    assert page["units"].unit_line == ""
    assert page["units"].department_line == DEPARTMENT_LINE
