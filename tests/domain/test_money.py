"""The one rounding rule: printed 万元 = yuan / 10,000 rounded half-up to two decimals; zero prints empty."""

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.money import CENT, DisplayUnit, format_amount, in_unit, to_wan, wan_to_yuan
from tests.support.strategies import amounts

TWO_DECIMALS = re.compile(r"^-?\d+\.\d{2}$")

yuan = st.integers(min_value=-(10**12), max_value=10**12).map(lambda cents: Decimal(cents).scaleb(-2))


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("0.00", "0.00"),
        ("0.01", "0.00"),
        ("49.99", "0.00"),
        ("50.00", "0.01"),  # exactly 0.005 万元: half-up
        ("50.01", "0.01"),
        ("149.99", "0.01"),
        ("150.00", "0.02"),
        ("10000.00", "1.00"),
        ("8882530.00", "888.25"),  # the example's 888.253 万元
        ("1217830.00", "121.78"),  # the example's 302 row, printed 121.783 by mistake
        ("-50.00", "-0.01"),  # half-up rounds ties away from zero, symmetric for negatives
    ],
)
def test_to_wan_rounds_half_up_to_two_decimals(amount: str, expected: str) -> None:
    result = to_wan(Decimal(amount))
    assert result == Decimal(expected)
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("amount", "unit", "expected"),
    [
        (None, DisplayUnit.WAN, ""),
        ("0.00", DisplayUnit.WAN, ""),
        ("0.01", DisplayUnit.WAN, ""),  # rounds to zero: printed empty, like a zero
        ("49.99", DisplayUnit.WAN, ""),
        ("50.00", DisplayUnit.WAN, "0.01"),
        ("8882530.00", DisplayUnit.WAN, "888.25"),
        ("100000000.00", DisplayUnit.WAN, "10000.00"),
        ("0.00", DisplayUnit.YUAN, ""),
        ("0.01", DisplayUnit.YUAN, "0.01"),
        ("1234567.8", DisplayUnit.YUAN, "1234567.80"),
        ("0.005", DisplayUnit.YUAN, "0.01"),
    ],
)
def test_format_amount(amount: str | None, unit: DisplayUnit, expected: str) -> None:
    assert format_amount(None if amount is None else Decimal(amount), unit) == expected


def test_format_amount_defaults_to_wan() -> None:
    assert format_amount(Decimal("123456.00")) == "12.35"


def test_wan_to_yuan() -> None:
    assert wan_to_yuan(Decimal("888.25")) == Decimal("8882500.00")
    assert wan_to_yuan(Decimal("0.01")) == Decimal("100.00")
    assert wan_to_yuan(Decimal("0.01")).as_tuple().exponent == -2


def test_in_unit() -> None:
    assert in_unit(Decimal("12345.67"), DisplayUnit.WAN) == Decimal("1.23")
    assert in_unit(Decimal("12345.67"), DisplayUnit.YUAN) == Decimal("12345.67")
    assert in_unit(Decimal("1.005"), DisplayUnit.YUAN) == Decimal("1.01")


@settings(max_examples=300, deadline=None, database=None)
@given(yuan)
def test_to_wan_is_within_half_a_cent_of_the_exact_value(amount: Decimal) -> None:
    exact = amount / Decimal(10000)
    printed = to_wan(amount)
    assert printed.as_tuple().exponent == -2
    # half-up: ties go away from zero, anything below a tie goes toward it
    assert abs(printed - exact) <= Decimal("0.005")
    if abs(printed - exact) == Decimal("0.005"):
        assert abs(printed) > abs(exact)


@settings(max_examples=200, deadline=None, database=None)
@given(yuan)
def test_to_wan_is_odd_and_monotonic(amount: Decimal) -> None:
    assert to_wan(-amount) == -to_wan(amount)
    assert to_wan(amount) <= to_wan(amount + CENT)


@settings(max_examples=200, deadline=None, database=None)
@given(st.integers(min_value=-(10**9), max_value=10**9).map(lambda cents: Decimal(cents).scaleb(-2)))
def test_wan_round_trips_through_yuan(wan: Decimal) -> None:
    assert to_wan(wan_to_yuan(wan)) == wan


@settings(max_examples=300, deadline=None, database=None)
@given(amounts, st.sampled_from(DisplayUnit))
def test_format_amount_prints_two_decimals_or_nothing(amount: Decimal, unit: DisplayUnit) -> None:
    printed = format_amount(amount, unit)
    if in_unit(amount, unit) == 0:
        assert printed == ""
    else:
        assert TWO_DECIMALS.match(printed), printed
        assert Decimal(printed) == in_unit(amount, unit)
