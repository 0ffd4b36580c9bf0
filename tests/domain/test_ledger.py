"""A line on its own: what line_errors reports, and the small helpers of the ledger."""

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings

from domain.classifications import FISCAL_SOURCES, Kind, Source
from domain.ledger import BudgetData, Catalogue, Line, line_errors, total
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
    ("changes", "fragment"),
    [
        ({"function": "201"}, "功能分类科目必须是7位的项级科目：201"),
        ({"function": "20131"}, "7位"),
        ({"function": "20131010"}, "7位"),
        ({"function": "201310A"}, "7位"),
        ({"function": ""}, "7位"),
        ({"economic": "301"}, "经济分类科目必须是5位的款级科目：301"),
        ({"economic": "3010101"}, "5位"),
        ({"economic": "30 01"}, "5位"),
        ({"amount": Decimal("-0.01")}, "负数"),
        ({"amount": Decimal("1.005")}, "两位小数"),
        ({"amount": Decimal("0.001")}, "两位小数"),
        ({"kind": Kind.OPERATING}, "不能用于经营支出"),
        ({"kind": Kind.REMIT, "source": Source.GOVFUND}, "不能用于上缴上级支出"),
        ({"kind": Kind.SUBSIDY, "source": Source.STATECAP}, "不能用于对附属单位补助支出"),
    ],
)
def test_one_error(changes: dict, fragment: str) -> None:
    errors = line_errors(replace(VALID, **changes))
    assert len(errors) == 1
    assert fragment in errors[0]


def test_every_problem_is_named() -> None:
    line = Line("201", "301", Kind.OPERATING, Source.GENERAL, Decimal("-1.005"))
    errors = line_errors(line)
    assert len(errors) == 5
    for fragment in ("7位", "5位", "负数", "两位小数", "财政拨款资金只能用于基本支出或项目支出"):
        assert any(fragment in error for error in errors), fragment


def test_kind_given_as_plain_text_is_understood() -> None:
    line = replace(VALID, kind="operating", source="general")
    assert line.is_fiscal
    assert any("经营支出" in error for error in line_errors(line))


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
    assert line_errors(line) == [f"金额无效：{Decimal(amount)}。"]
