"""A figure's one rule: what line_errors reports of a line on its own and inputs_errors of entered figures against
their budget, each at its row and field; and the small helpers of the ledger."""

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings

from domain.classifications import FISCAL_SOURCES, Kind, Source
from domain.errors import FigureError
from domain.ledger import (
    AMOUNT_INVALID,
    AMOUNT_NEGATIVE,
    AMOUNT_TOO_PRECISE,
    ECONOMIC_NOT_IN_CATALOGUE,
    ECONOMIC_NOT_LEAF,
    FISCAL_KIND_ONLY,
    FUNCTION_NOT_IN_CATALOGUE,
    FUNCTION_NOT_LEAF,
    PROJECT_NAME_MAX,
    PROJECT_NAME_TOO_LONG,
    PROJECT_NOT_ALLOWED,
    PROJECT_OF_OTHER_UNIT,
    PROJECT_REQUIRED,
    PROJECT_TWICE,
    PROJECT_UNIT_NOT_OF_DEPARTMENT,
    PROJECT_UNKNOWN,
    SAME_CELL,
    UNIT_NOT_OF_DEPARTMENT,
    BudgetData,
    Catalogue,
    EntryContext,
    Line,
    LineInput,
    ProjectInput,
    input_errors,
    inputs_errors,
    line_errors,
    total,
)
from tests.support.strategies import CATALOGUE, lines

VALID = Line("2013101", "30101", Kind.BASIC, Source.GENERAL, Decimal("100.00"))


def test_a_valid_line_has_no_errors() -> None:
    assert line_errors(VALID) == []


@pytest.mark.parametrize(
    "changes",
    [
        {"amount": Decimal("0.00")},
        {"amount": Decimal("0")},  # zero is allowed
        {"amount": Decimal("1.1")},  # fewer than two decimals is fine
        {"amount": Decimal("1E+2")},
        {"amount": Decimal("1.100")},  # trailing zeros beyond the fen are not extra precision
        {"kind": Kind.PROJECT},
        {"kind": Kind.OPERATING, "source": Source.OPERATING},
        {"kind": Kind.REMIT, "source": Source.BUSINESS},
        {"kind": Kind.SUBSIDY, "source": Source.OTHER},
        {"carried_over": True},
    ],
)
def test_valid_variations(changes: dict) -> None:
    assert line_errors(replace(VALID, **changes)) == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"function": "201"}, "function", FUNCTION_NOT_LEAF.format(code="201")),
        ({"function": "20131"}, "function", FUNCTION_NOT_LEAF.format(code="20131")),
        ({"function": "20131010"}, "function", FUNCTION_NOT_LEAF.format(code="20131010")),
        ({"function": "201310A"}, "function", FUNCTION_NOT_LEAF.format(code="201310A")),
        ({"function": ""}, "function", FUNCTION_NOT_LEAF.format(code="")),
        ({"economic": "301"}, "economic", ECONOMIC_NOT_LEAF.format(code="301")),
        ({"economic": "3010101"}, "economic", ECONOMIC_NOT_LEAF.format(code="3010101")),
        ({"economic": "30 01"}, "economic", ECONOMIC_NOT_LEAF.format(code="30 01")),
        ({"amount": Decimal("-0.01")}, "amount", AMOUNT_NEGATIVE),
        ({"amount": Decimal("1.005")}, "amount", AMOUNT_TOO_PRECISE),
        ({"amount": Decimal("0.001")}, "amount", AMOUNT_TOO_PRECISE),
        ({"kind": Kind.OPERATING}, "source", FISCAL_KIND_ONLY.format(kind="经营支出")),
        ({"kind": Kind.REMIT, "source": Source.GOVFUND}, "source", FISCAL_KIND_ONLY.format(kind="上解上级支出")),
        (
            {"kind": Kind.SUBSIDY, "source": Source.STATECAP},
            "source",
            FISCAL_KIND_ONLY.format(kind="对附属单位补助支出"),
        ),
    ],
)
def test_one_error_at_its_field(changes: dict, field: str, message: str) -> None:
    assert line_errors(replace(VALID, **changes), index=3) == [FigureError(3, message, field)]


def test_every_problem_is_named() -> None:
    line = Line("201", "301", Kind.OPERATING, Source.GENERAL, Decimal("-1.005"))
    errors = line_errors(line)
    assert [error.field for error in errors] == ["function", "economic", "amount", "amount", "source"]
    for fragment in ("7位", "5位", "负数", "两位小数", "财政拨款资金只能用于基本支出或项目支出"):
        assert any(fragment in error.message for error in errors), fragment


def test_kind_given_as_plain_text_is_understood() -> None:
    line = replace(VALID, kind="operating", source="general")
    assert line.is_fiscal
    assert any("经营支出" in error.message for error in line_errors(line))


def test_is_fiscal() -> None:
    assert {source for source in Source if replace(VALID, source=source).is_fiscal} == set(FISCAL_SOURCES)


def test_total() -> None:
    assert total([]) == Decimal("0.00")
    assert total([VALID, replace(VALID, amount=Decimal("0.01"))]) == Decimal("100.01")


def test_catalogue_expenditure_classes_are_the_3_digit_codes_in_order() -> None:
    catalogue = Catalogue({"208": "社会保障和就业支出", "20805": "行政事业单位养老支出", "201": "一般公共服务支出"}, {})
    assert catalogue.expenditure_classes == [("201", "一般公共服务支出"), ("208", "社会保障和就业支出")]


def test_department_line() -> None:
    data = BudgetData("202", "中共石家庄市鹿泉区委办公室", 2021, CATALOGUE, ())
    assert data.department_line == "202 中共石家庄市鹿泉区委办公室"


@settings(max_examples=200, deadline=None, database=None)
@given(lines())
def test_generated_lines_are_valid(line: Line) -> None:
    assert line_errors(line) == []


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity", "1E+30", "100000000000000.00"])
def test_amounts_that_cannot_be_stored_are_reported_not_raised(amount: str) -> None:
    line = Line("2013101", "30101", Kind.BASIC, Source.GENERAL, Decimal(amount))
    assert line_errors(line) == [FigureError(0, AMOUNT_INVALID.format(amount=Decimal(amount)), "amount")]


# --- Entered figures against their budget -------------------------------------------------------------------------

CONTEXT = EntryContext(
    year=2021,
    units=frozenset({"本级", "信息中心"}),
    functions=frozenset({"2013101", "2013102"}),
    economics=frozenset({"30101", "30201"}),
    projects={"党代会经费": "本级"},
)
ENTERED = LineInput("本级", "2013101", "30101", Kind.BASIC, Source.GENERAL, Decimal("100.00"))
PROJECT_LINE = replace(ENTERED, kind=Kind.PROJECT, project="党代会经费", economic="30201")


def test_a_valid_entered_figure_has_no_errors() -> None:
    assert input_errors(ENTERED, CONTEXT) == []
    assert input_errors(PROJECT_LINE, CONTEXT) == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"unit": "档案馆"}, "unit", UNIT_NOT_OF_DEPARTMENT.format(unit="档案馆")),
        ({"function": "2013103"}, "function", FUNCTION_NOT_IN_CATALOGUE.format(year=2021, code="2013103")),
        ({"economic": "30102"}, "economic", ECONOMIC_NOT_IN_CATALOGUE.format(year=2021, code="30102")),
        ({"kind": Kind.PROJECT}, "project", PROJECT_REQUIRED),
        ({"project": "党代会经费"}, "project", PROJECT_NOT_ALLOWED),
        ({"kind": Kind.PROJECT, "project": "新项目"}, "project", PROJECT_UNKNOWN.format(project="新项目")),
        (
            {"kind": Kind.PROJECT, "project": "党代会经费", "unit": "信息中心"},
            "project",
            PROJECT_OF_OTHER_UNIT.format(project="党代会经费", owner="本级", unit="信息中心"),
        ),
        (
            {"kind": Kind.PROJECT, "project": "项" * (PROJECT_NAME_MAX + 1)},
            "project",
            PROJECT_NAME_TOO_LONG.format(limit=PROJECT_NAME_MAX),
        ),
    ],
)
def test_an_entered_figure_is_refused_at_its_field(changes: dict, field: str, message: str) -> None:
    assert input_errors(replace(ENTERED, **changes), CONTEXT, index=2) == [FigureError(2, message, field)]


def test_a_malformed_code_is_not_also_reported_missing_from_the_catalogue() -> None:
    errors = input_errors(replace(ENTERED, function="201", economic="3"), CONTEXT)
    assert [error.message for error in errors] == [
        FUNCTION_NOT_LEAF.format(code="201"),
        ECONOMIC_NOT_LEAF.format(code="3"),
    ]


def test_two_figures_for_one_cell_are_refused_at_the_second() -> None:
    errors = inputs_errors([ENTERED, PROJECT_LINE, replace(ENTERED, amount=Decimal("1.00"))], CONTEXT)
    assert errors == [FigureError(3, SAME_CELL.format(first=1))]


def test_a_project_line_and_a_unit_line_of_the_same_codes_are_two_cells() -> None:
    assert inputs_errors([PROJECT_LINE, replace(PROJECT_LINE, kind=Kind.BASIC, project="")], CONTEXT) == []


def test_a_projects_problem_is_told_at_the_first_row_naming_it() -> None:
    projects = [
        ProjectInput("党代会经费", "档案馆"),
        ProjectInput("党代会经费", "本级"),
        ProjectInput("备用", "档案馆"),
    ]
    context = replace(CONTEXT, projects={"党代会经费": "本级", "备用": "档案馆"})
    errors = inputs_errors([ENTERED, PROJECT_LINE], context, projects)
    assert errors == [
        FigureError(0, PROJECT_UNIT_NOT_OF_DEPARTMENT.format(project="备用", unit="档案馆")),
        FigureError(2, PROJECT_UNIT_NOT_OF_DEPARTMENT.format(project="党代会经费", unit="档案馆"), "project"),
        FigureError(2, PROJECT_TWICE, "project"),
    ]
