"""Hebei's 2025 edition: five income rows ending 单位资金, a 人行科目 row after the year's 类, totals after it, and
the department line without a space."""

import io
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings

from demo import luquan_202
from domain.audit.model import Severity
from domain.audit.rules import run_rules
from domain.classifications import Kind, Source
from domain.ledger import Line
from domain.money import DisplayUnit, in_unit
from domain.tables import numbered
from official.audit import figures_from_budget
from official.edition import EditionError, edition, load_edition
from official.render import print_table
from official.workbook import write_workbook
from tests.support.editions import edited_edition
from tests.support.figures import changed, data_of, row_key
from tests.support.strategies import budgets

HEBEI_2025 = edition("hebei-2025")
HEBEI_2021 = edition("hebei-2021")
OWN_FUNDS = (Source.BUSINESS, Source.OPERATING, Source.SUPERIOR, Source.AFFILIATE, Source.OTHER)


@pytest.fixture(scope="module")
def example():
    return data_of(luquan_202.BUDGET)


def test_the_summary_has_five_income_rows_the_fifth_the_units_own_money(example) -> None:
    function, economic = example.lines[0].function, example.lines[0].economic
    own = [Line(function, economic, Kind.BASIC, source, Decimal("12345.67")) for source in OWN_FUNDS]
    data = replace(example, lines=(*example.lines, *own))
    rows = print_table(HEBEI_2025.by_key["summary"], data).rows
    labels = [row.cells[0].text for row in rows[:6]]
    assert labels == [
        "一、一般公共预算拨款收入",
        "二、政府性基金预算拨款收入",
        "三、国有资本经营预算拨款收入",
        "四、财政专户管理资金收入",
        "五、单位资金",
        "",
    ]
    assert rows[4].cells[1].value == in_unit(Decimal("12345.67") * len(OWN_FUNDS), DisplayUnit.WAN)


def test_after_the_years_classes_comes_the_renminbi_row_then_the_totals(example) -> None:
    classes = example.catalogue.expenditure_classes
    rows = print_table(HEBEI_2025.by_key["summary"], example).rows
    out = [row.cells[2].text for row in rows]
    assert out[len(classes)] == numbered(len(classes) + 1, "人行科目")
    assert rows[len(classes)].cells[3].text == ""  # no ledger line reaches it
    assert out[len(classes) + 1 :] == ["本年支出合计", "年终结转结余", "支出总计"]


def test_both_editions_print_the_same_totals(example) -> None:
    totals = [print_table(layouts.by_key["summary"], example).rows[-3:] for layouts in (HEBEI_2021, HEBEI_2025)]
    assert [row.texts for row in totals[0]] == [row.texts for row in totals[1]]


def test_the_line_under_each_title_has_no_space_and_ascii_colons(example) -> None:
    printed = print_table(HEBEI_2025.by_key["income"], example, DisplayUnit.WAN)
    assert printed.department_line == "202中共石家庄市鹿泉区委办公室"
    assert printed.year_line == "预算年度:2021"
    assert printed.unit_line == "单位:万元"


def test_the_workbook_prints_the_2025_heading_and_the_other_tables_as_in_2021(example) -> None:
    books = []
    for layouts in (HEBEI_2021, HEBEI_2025):
        buffer = io.BytesIO()
        write_workbook(buffer, example, layouts=layouts)
        books.append(openpyxl.load_workbook(io.BytesIO(buffer.getvalue())))
    old, new = books
    assert new.worksheets[1]["A2"].value == "202中共石家庄市鹿泉区委办公室"
    for key in ("income", "expenditure", "basic-economic", "three-public"):
        name = HEBEI_2021.by_key[key].title
        assert list(old[name].iter_rows(min_row=3, values_only=True)) == list(
            new[name].iter_rows(min_row=3, values_only=True)
        )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            '"business", "operating", "superior", "affiliate", "other"',
            '"business", "operating", "superior", "affiliate", "general"',
            "income_rows 须把每种资金来源恰好列入一行（缺少：other；重复：general）",
        ),
        ('sources = ["special"]', 'sources = ["fund"]', "sources 应为资金来源的列表"),
        ('year = "预算年度:{year}"', 'year = "预算年度:{年度}"', "heading：year 只能使用 {year}"),
        ('rows = "income"', 'rows = "income"\nextra_rows = ["人行科目"]', "表 income：rows “income” 不接受 extra_rows"),
    ],
)
def test_a_wrong_row_option_or_heading_is_refused_naming_the_place(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    with pytest.raises(EditionError, match=re.escape(message)):
        load_edition(edited_edition(tmp_path, "hebei-2025", old, new))


@settings(max_examples=40, deadline=None)
@given(budgets())
def test_no_budget_printed_in_2025_breaks_an_error_rule(data) -> None:
    errors = [v for v in run_rules(figures_from_budget(data, layouts=HEBEI_2025)) if v.severity is Severity.ERROR]
    assert errors == []


def test_b02_checks_the_units_own_money_against_the_income_table(example) -> None:
    function, economic = example.lines[0].function, example.lines[0].economic
    own = [Line(function, economic, Kind.BASIC, source, Decimal("12345.67")) for source in OWN_FUNDS]
    figures = figures_from_budget(replace(example, lines=(*example.lines, *own)), layouts=HEBEI_2025)
    assert [v for v in run_rules(figures) if v.rule == "B02"] == []
    broken = changed(figures, "summary", row_key(figures, "summary", "单位资金"), "in_amount", "7.00")
    assert any("单位资金 7.00，收入总表为 6.15" in v.message for v in run_rules(broken) if v.rule == "B02")


def test_the_performance_sheets_print_the_department_line_of_the_edition(example) -> None:
    buffer = io.BytesIO()
    write_workbook(buffer, example, layouts=HEBEI_2025)
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    performance = [sheet for sheet in book.worksheets if "绩效目标" in str(sheet["A1"].value)]
    assert performance
    assert {sheet["A2"].value for sheet in performance} == {"202中共石家庄市鹿泉区委办公室"}
