"""Golden tests: the official tables the product renders for 2021 / department 202 equal the published example.

Every cell of the example's nine tables and of the 部门机构设置情况 table (``tests/golden/seed_2021_202.txt``,
read by ``tests.golden.seed``) is compared with the page ``budget_tables`` renders (all nine) from the demo data.
Data cells are compared exactly after stripping; header cells after removing all whitespace (the example
prints ``项 目`` where the product prints ``项目``). The one place the product must differ from the example —
a defect of the example (spec §5.1) — is listed explicitly in ``SEED_DEFECT_OVERRIDES``.
"""

import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts.models import User
from demo.loader import load_demo
from tests.golden.pages import (
    DEPARTMENT,
    DEPARTMENT_LINE,
    EMPTY,
    GOLDEN,
    NUMBERED,
    SEED_DEFECT_OVERRIDES,
    UNIT_LINE,
    YEAR,
    YEAR_LINE,
    Golden,
    PageTable,
    by_key,
    column_name,
    expected_rows,
    header_text,
    read_page,
    seed_header,
    seed_table,
)
from tests.golden.seed import SEED_SHA256, load_seed, seed_sha256

# The module's pages are rendered once (a module fixture); marking the module makes pytest-django create the test
# database even when this file runs alone.
pytestmark = pytest.mark.django_db


# --- the example ---------------------------------------------------------------------------------------------


# --- the product's page --------------------------------------------------------------------------------------


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

        pages = {"detail": get(reverse("budget_tables", args=[YEAR, DEPARTMENT]))}
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
