"""Spec §4 on random budgets: every cross-table relation holds exactly in yuan, and printed 万元 within the 尾差.

Expected values are recomputed here as direct sums over the lines, never through the helpers under test.
"""

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings

from domain.classifications import Kind, Source
from domain.ledger import BudgetData, Line
from domain.money import DisplayUnit, to_wan
from domain.numerals import chinese_ordinal
from domain.tables import (
    Row,
    basic_economic_rows,
    expenditure_rows,
    fiscal_summary_rows,
    general_appropriation_rows,
    govfund_appropriation_rows,
    income_rows,
    statecap_appropriation_rows,
    summary_rows,
    three_public_rows,
)
from official.render import PrintedRow, print_table
from tests.support import hebei_2021
from tests.support.strategies import CATALOGUE, budgets

PROPERTY = settings(max_examples=200, deadline=None, database=None)

ZERO = Decimal("0.00")
FISCAL = (Source.GENERAL, Source.GOVFUND, Source.STATECAP)
NON_FISCAL_COLUMNS = {
    "special": Source.SPECIAL,
    "business": Source.BUSINESS,
    "operating": Source.OPERATING,
    "superior": Source.SUPERIOR,
    "affiliate": Source.AFFILIATE,
    "other": Source.OTHER,
}
INCOME_SOURCE_KEYS = ("fiscal", *NON_FISCAL_COLUMNS)
KIND_KEYS = ("basic", "project", "operating", "remit", "subsidy")
FUND_KEYS = {"general": Source.GENERAL, "govfund": Source.GOVFUND, "statecap": Source.STATECAP}
FUND_TABLES = {
    Source.GENERAL: general_appropriation_rows,
    Source.GOVFUND: govfund_appropriation_rows,
    Source.STATECAP: statecap_appropriation_rows,
}
ABROAD, RECEPTION, RUNNING, PURCHASE = {"30212"}, {"30217"}, {"30231"}, {"31013", "30913"}
TWO_DECIMALS_OR_EMPTY = re.compile(r"^(\d+\.\d{2})?$")


# Independent recomputation ---------------------------------------------------------------------


def total_of(lines: Iterable[Line]) -> Decimal:
    result = ZERO
    for line in lines:
        result += line.amount
    return result


def expected_hierarchy(
    lines: Sequence[Line],
    code_of: Callable[[Line], str],
    widths: Sequence[int],
    columns: Mapping[str, Callable[[Line], bool]],
) -> dict[str, dict[str, Decimal]]:
    """合计 ("") then every code prefix in sorted order whose lines sum to something, column by column."""
    prefixes = sorted({code_of(line)[:width] for line in lines for width in widths})
    expected = {}
    for code in ["", *prefixes]:
        inside = [line for line in lines if code_of(line).startswith(code)]
        sums = {key: total_of(line for line in inside if belongs(line)) for key, belongs in columns.items()}
        if any(value != 0 for value in sums.values()):
            expected[code] = sums
    return expected


def actual_hierarchy(rows: Sequence[Row], columns: Iterable[str]) -> dict[str, dict[str, Decimal]]:
    keys = list(columns)
    return {row.code: {key: row.amount(key) for key in keys} for row in rows}


def assert_hierarchy_matches(
    rows: Sequence[Row],
    expected: dict[str, dict[str, Decimal]],
    widths: Sequence[int],
    names: Mapping[str, str],
) -> None:
    actual = actual_hierarchy(rows, next(iter(expected.values()), {}))
    assert list(actual) == list(expected)  # same codes, in depth-first order
    assert actual == expected
    for row in rows:
        assert isinstance(row.cells["code"], str)
        if row.code:
            assert row.level == widths.index(len(row.code)) + 1
            assert row.cells["name"] == names[row.code]
            assert not row.emphasis
        else:
            assert (row.level, row.cells["name"], row.emphasis) == (0, "合计", True)


def by_code(rows: Sequence[Row]) -> dict[str, Row]:
    return {row.code: row for row in rows}


def amount_at(rows: Sequence[Row], code: str, key: str) -> Decimal:
    """A cell of the row with that code (合计 for ""), zero where the table has no such row."""
    row = by_code(rows).get(code)
    return ZERO if row is None else row.amount(key)


def function_classes(data: BudgetData) -> list[tuple[str, str]]:
    return [(code, name) for code, name in sorted(data.catalogue.function_names.items()) if len(code) == 3]


def only(data: BudgetData, keep: Callable[[Line], bool]) -> BudgetData:
    return replace(data, lines=tuple(line for line in data.lines if keep(line)))


# Table 2 and table 3 ------------------------------------------------------------------------------


@PROPERTY
@given(budgets())
def test_income_table_is_the_sum_of_its_lines(data: BudgetData) -> None:
    columns: dict[str, Callable[[Line], bool]] = {
        "total": lambda line: True,
        "subtotal": lambda line: not line.carried_over,
        "fiscal": lambda line: not line.carried_over and line.source in FISCAL,
        **{
            key: (lambda line, source=source: not line.carried_over and line.source == source)
            for key, source in NON_FISCAL_COLUMNS.items()
        },
        "carried": lambda line: line.carried_over,
    }
    rows = income_rows(data)
    expected = expected_hierarchy(data.lines, lambda line: line.function, (3, 5, 7), columns)
    assert_hierarchy_matches(rows, expected, (3, 5, 7), data.catalogue.function_names)
    for row in rows:
        assert row.amount("total") == row.amount("subtotal") + row.amount("carried")
        assert row.amount("subtotal") == sum((row.amount(key) for key in INCOME_SOURCE_KEYS), ZERO)


@PROPERTY
@given(budgets())
def test_expenditure_table_is_the_sum_of_its_lines_and_equals_income_per_code(data: BudgetData) -> None:
    columns: dict[str, Callable[[Line], bool]] = {
        "total": lambda line: True,
        **{key: (lambda line, key=key: line.kind == key) for key in KIND_KEYS},
    }
    rows = expenditure_rows(data)
    expected = expected_hierarchy(data.lines, lambda line: line.function, (3, 5, 7), columns)
    assert_hierarchy_matches(rows, expected, (3, 5, 7), data.catalogue.function_names)
    for row in rows:
        assert row.amount("total") == sum((row.amount(key) for key in KIND_KEYS), ZERO)
    # income equals expenditure, code by code
    income = income_rows(data)
    assert [row.code for row in income] == [row.code for row in rows]
    assert [row.amount("total") for row in income] == [row.amount("total") for row in rows]


# Tables 5, 7, 8 ----------------------------------------------------------------------------------


@PROPERTY
@given(budgets())
def test_appropriation_tables_are_table_3_restricted_to_one_fund_type(data: BudgetData) -> None:
    columns: dict[str, Callable[[Line], bool]] = {
        "total": lambda line: True,
        "basic": lambda line: line.kind == Kind.BASIC,
        "project": lambda line: line.kind == Kind.PROJECT,
    }
    for source, derive in FUND_TABLES.items():
        rows = derive(data)
        fund_lines = [line for line in data.lines if line.source == source]
        expected = expected_hierarchy(fund_lines, lambda line: line.function, (3, 5, 7), columns)
        assert_hierarchy_matches(rows, expected, (3, 5, 7), data.catalogue.function_names)
        restricted = expenditure_rows(only(data, lambda line, source=source: line.source == source))
        assert [row.code for row in rows] == [row.code for row in restricted]
        for row, same in zip(rows, restricted, strict=True):
            assert row.level == same.level
            assert {key: row.amount(key) for key in columns} == {key: same.amount(key) for key in columns}
            assert row.amount("total") == row.amount("basic") + row.amount("project")
            for key in ("operating", "remit", "subsidy"):
                assert same.amount(key) == 0  # appropriated money pays only for basic and project


# Table 6 -----------------------------------------------------------------------------------------


@PROPERTY
@given(budgets())
def test_basic_economic_table(data: BudgetData) -> None:
    basic_general = [line for line in data.lines if line.source == Source.GENERAL and line.kind == Kind.BASIC]
    columns: dict[str, Callable[[Line], bool]] = {
        "total": lambda line: True,
        "personnel": lambda line: line.economic[:3] in ("301", "303"),
        "public": lambda line: line.economic[:3] not in ("301", "303"),
    }
    rows = basic_economic_rows(data)
    expected = expected_hierarchy(basic_general, lambda line: line.economic, (3, 5), columns)
    assert_hierarchy_matches(rows, expected, (3, 5), data.catalogue.economic_names)
    for row in rows:
        assert row.amount("total") == row.amount("personnel") + row.amount("public")
    assert amount_at(rows, "", "total") == amount_at(general_appropriation_rows(data), "", "basic")


# Hierarchy: 合计 = Σ类, 类 = Σ款 = Σ项 -----------------------------------------------------------


HIERARCHICAL_TABLES = {
    "income": (income_rows, (3, 5, 7)),
    "expenditure": (expenditure_rows, (3, 5, 7)),
    "general": (general_appropriation_rows, (3, 5, 7)),
    "govfund": (govfund_appropriation_rows, (3, 5, 7)),
    "statecap": (statecap_appropriation_rows, (3, 5, 7)),
    "basic-economic": (basic_economic_rows, (3, 5)),
}


@PROPERTY
@given(budgets())
def test_every_parent_row_is_the_sum_of_its_children_at_every_depth(data: BudgetData) -> None:
    for derive, widths in HIERARCHICAL_TABLES.values():
        rows = derive(data)
        if not rows:
            continue
        keys = [key for key, value in rows[0].cells.items() if isinstance(value, Decimal)]
        coded = [row for row in rows if row.code]
        for parent in rows:
            deeper = [width for width in widths if width > len(parent.code)]
            for width in deeper:  # children, grandchildren, ...
                descendants = [row for row in coded if len(row.code) == width and row.code.startswith(parent.code)]
                for key in keys:
                    assert parent.amount(key) == sum((row.amount(key) for row in descendants), ZERO), (
                        parent.code,
                        width,
                        key,
                    )


# Table 1 -----------------------------------------------------------------------------------------


@PROPERTY
@given(budgets())
def test_summary_table_against_tables_2_3_and_4(data: BudgetData) -> None:
    rows = summary_rows(data)
    income, expenditure, fiscal = income_rows(data), expenditure_rows(data), fiscal_summary_rows(data)
    classes = function_classes(data)
    height = max(9, len(classes))
    assert len(rows) == height + 3

    # income rows: the sources of this year's money, 财政拨款收入 split by fund type as in table 4
    sources = [row.amount("in_amount") for row in rows[:9]]
    for source, amount in zip(Source, sources, strict=True):
        assert amount == total_of(line for line in data.lines if line.source == source and not line.carried_over)
    assert sum(sources[:3], ZERO) == amount_at(income, "", "fiscal")
    assert sources[:3] == [row.amount("in_amount") for row in fiscal[:3]]
    assert sources[3:] == [amount_at(income, "", key) for key in NON_FISCAL_COLUMNS]

    # expenditure rows: table 3 合计 per 类, every 类 of the catalogue printed
    for index, (code, name) in enumerate(classes):
        assert rows[index].cells["out_label"] == f"{chinese_ordinal(index + 1)}、{name}"
        assert rows[index].amount("out_amount") == amount_at(expenditure, code, "total")

    this_year, brought_forward, grand = rows[height:]
    assert this_year.amount("in_amount") == sum(sources, ZERO) == amount_at(income, "", "subtotal")
    assert this_year.amount("out_amount") == amount_at(expenditure, "", "total")
    assert brought_forward.amount("in_amount") == amount_at(income, "", "carried")
    assert brought_forward.amount("out_amount") == 0
    assert grand.amount("in_amount") == this_year.amount("in_amount") + brought_forward.amount("in_amount")
    assert grand.amount("in_amount") == grand.amount("out_amount") == total_of(data.lines)
    assert (this_year.emphasis, brought_forward.emphasis, grand.emphasis) == (True, False, True)


# Table 4 -----------------------------------------------------------------------------------------


@PROPERTY
@given(budgets())
def test_fiscal_summary_against_tables_5_7_8(data: BudgetData) -> None:
    rows = fiscal_summary_rows(data)
    classes = function_classes(data)
    height = max(3, len(classes))
    assert len(rows) == height + 6
    fund_tables = {key: FUND_TABLES[source](data) for key, source in FUND_KEYS.items()}

    for row in rows:
        if "out_total" in row.cells:
            assert row.amount("out_total") == sum((row.amount(f"out_{key}") for key in FUND_KEYS), ZERO)

    received = [row.amount("in_amount") for row in rows[:3]]
    for source, amount in zip(FISCAL, received, strict=True):
        assert amount == total_of(line for line in data.lines if line.source == source and not line.carried_over)

    for index, (code, name) in enumerate(classes):
        assert rows[index].cells["out_label"] == f"{chinese_ordinal(index + 1)}、{name}"
        for key, table in fund_tables.items():
            assert rows[index].amount(f"out_{key}") == amount_at(table, code, "total"), (code, key)

    this_year, brought_forward, *by_fund, grand = rows[height:]
    assert this_year.amount("in_amount") == sum(received, ZERO)
    for key, table in fund_tables.items():
        assert this_year.amount(f"out_{key}") == amount_at(table, "", "total")
        assert grand.amount(f"out_{key}") == amount_at(table, "", "total")
    carried = [row.amount("in_amount") for row in by_fund]
    for source, amount in zip(FISCAL, carried, strict=True):
        assert amount == total_of(line for line in data.lines if line.source == source and line.carried_over)
    assert brought_forward.amount("in_amount") == sum(carried, ZERO)
    assert brought_forward.amount("out_total") == 0
    assert grand.amount("in_amount") == this_year.amount("in_amount") + brought_forward.amount("in_amount")
    assert grand.amount("in_amount") == grand.amount("out_total") == this_year.amount("out_total")
    assert grand.amount("out_total") == total_of(line for line in data.lines if line.source in FISCAL)


# Table 9 -----------------------------------------------------------------------------------------


@PROPERTY
@given(budgets())
def test_three_public_table(data: BudgetData) -> None:
    total, abroad, vehicles, purchase, running, reception = three_public_rows(data)
    for row, codes in ((abroad, ABROAD), (purchase, PURCHASE), (running, RUNNING), (reception, RECEPTION)):
        for key, source in FUND_KEYS.items():
            assert row.amount(key) == total_of(
                line for line in data.lines if line.economic in codes and line.source == source
            )
    for row in (total, abroad, vehicles, purchase, running, reception):
        assert row.amount("total") == sum((row.amount(key) for key in FUND_KEYS), ZERO)
    for key in ("total", *FUND_KEYS):
        assert vehicles.amount(key) == purchase.amount(key) + running.amount(key)
        assert total.amount(key) == abroad.amount(key) + vehicles.amount(key) + reception.amount(key)
    assert total.amount("total") == total_of(
        line
        for line in data.lines
        if line.economic in ABROAD | PURCHASE | RUNNING | RECEPTION and line.source in FISCAL
    )


# Printed 万元 ------------------------------------------------------------------------------------


def printed_amounts(row: PrintedRow) -> dict[str, Decimal]:
    return {cell.column.key: cell.value or ZERO for cell in row.cells if cell.column.is_money}


def assert_within_tail(parent: Decimal, children: Sequence[Decimal], where: object) -> None:
    assert abs(parent - sum(children, ZERO)) <= Decimal("0.005") * len(children), where


def assert_columns_within_tail(rows: Sequence[PrintedRow], parent: str, children: Sequence[str]) -> None:
    for row in rows:
        values = printed_amounts(row)
        assert_within_tail(values[parent], [values[key] for key in children], (row.code, parent))


def assert_hierarchy_within_tail(rows: Sequence[PrintedRow]) -> None:
    for index, parent in enumerate(rows):
        children = []
        for row in rows[index + 1 :]:
            if row.level <= parent.level:
                break
            if row.level == parent.level + 1:
                children.append(printed_amounts(row))
        if parent.level < 3 and children:
            for key, value in printed_amounts(parent).items():
                assert_within_tail(value, [child[key] for child in children], (parent.code, key))


@PROPERTY
@given(budgets())
def test_printed_cells_round_the_exact_yuan_once_and_show_two_decimals(data: BudgetData) -> None:
    for layout in hebei_2021.OFFICIAL_TABLES:
        exact_rows = layout.rows(data)
        table = print_table(layout, data)
        assert len(table.rows) == len(exact_rows)
        assert table.note == (layout.empty_note if not exact_rows else "")
        for serial, (printed, exact) in enumerate(zip(table.rows, exact_rows, strict=True), start=1):
            assert printed.serial == (serial if layout.numbered else None)
            for cell in printed.cells:
                if not cell.column.is_money:
                    continue
                assert TWO_DECIMALS_OR_EMPTY.match(cell.text), cell.text
                wan = to_wan(exact.amount(cell.column.key))
                assert cell.value == (wan if wan != 0 else None)
                assert cell.text == ("" if wan == 0 else str(wan))


@PROPERTY
@given(budgets())
def test_printed_parents_differ_from_their_printed_children_by_at_most_the_tail(data: BudgetData) -> None:
    def printed(layout) -> list[PrintedRow]:
        return print_table(layout, data, DisplayUnit.WAN).rows

    income = printed(hebei_2021.INCOME)
    assert_hierarchy_within_tail(income)
    assert_columns_within_tail(income, "total", ["subtotal", "carried"])
    assert_columns_within_tail(income, "subtotal", list(INCOME_SOURCE_KEYS))

    expenditure = printed(hebei_2021.EXPENDITURE)
    assert_hierarchy_within_tail(expenditure)
    assert_columns_within_tail(expenditure, "total", list(KIND_KEYS))

    for layout in (
        hebei_2021.GENERAL_APPROPRIATION,
        hebei_2021.GOVFUND_APPROPRIATION,
        hebei_2021.STATECAP_APPROPRIATION,
    ):
        rows = printed(layout)
        assert_hierarchy_within_tail(rows)
        assert_columns_within_tail(rows, "total", ["basic", "project"])

    basic = printed(hebei_2021.BASIC_ECONOMIC)
    assert_hierarchy_within_tail(basic)
    assert_columns_within_tail(basic, "total", ["personnel", "public"])

    three = [printed_amounts(row) for row in printed(hebei_2021.THREE_PUBLIC)]
    assert_columns_within_tail(printed(hebei_2021.THREE_PUBLIC), "total", list(FUND_KEYS))
    for key in ("total", *FUND_KEYS):
        assert_within_tail(three[0][key], [three[1][key], three[2][key], three[5][key]], key)
        assert_within_tail(three[2][key], [three[3][key], three[4][key]], key)

    classes = len(function_classes(data))
    summary = [printed_amounts(row) for row in printed(hebei_2021.SUMMARY)]
    height = max(9, classes)
    assert_within_tail(summary[height]["in_amount"], [row["in_amount"] for row in summary[:9]], "收入")
    assert_within_tail(summary[height]["out_amount"], [row["out_amount"] for row in summary[:classes]], "支出")
    assert_within_tail(
        summary[height + 2]["in_amount"], [summary[height]["in_amount"], summary[height + 1]["in_amount"]], "总计"
    )

    fiscal_rows = printed(hebei_2021.FISCAL_SUMMARY)
    assert_columns_within_tail(fiscal_rows, "out_total", [f"out_{key}" for key in FUND_KEYS])
    fiscal = [printed_amounts(row) for row in fiscal_rows]
    height = max(3, classes)
    assert_within_tail(fiscal[height]["in_amount"], [row["in_amount"] for row in fiscal[:3]], "本年收入")
    assert_within_tail(
        fiscal[height + 1]["in_amount"], [row["in_amount"] for row in fiscal[height + 2 : height + 5]], "年初"
    )
    for key in ("out_total", *(f"out_{key}" for key in FUND_KEYS)):
        assert_within_tail(fiscal[height][key], [row[key] for row in fiscal[:classes]], key)


def test_the_tail_occurs_and_stays_within_the_rule() -> None:
    """Two 项 of 50.00 yuan print 0.01 each; their 款 of 100.00 yuan prints 0.01: a 尾差 of 0.01 ≤ 2 × 0.005."""
    lines = tuple(
        Line(code, "30201", Kind.BASIC, Source.GENERAL, Decimal("50.00")) for code in ("2013101", "2013102", "2010101")
    )
    data = BudgetData("202", "中共石家庄市鹿泉区委办公室", 2021, CATALOGUE, lines)
    printed = print_table(hebei_2021.GENERAL_APPROPRIATION, data).rows
    rows = {row.code: printed_amounts(row) for row in printed}
    assert rows["2013101"]["total"] == rows["2013102"]["total"] == rows["2010101"]["total"] == Decimal("0.01")
    assert rows["20131"]["total"] == Decimal("0.01")  # 100.00 yuan, not 0.01 + 0.01
    assert rows["201"]["total"] == rows[""]["total"] == Decimal("0.02")  # 150.00 yuan, half-up
    assert_hierarchy_within_tail(printed)
