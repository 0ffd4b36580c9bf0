"""指标值 as people type it and as the official tables print it."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.performance.framework import COMPARATORS, UNITS
from domain.performance.values import IndicatorValue, build_value, parse_value


@pytest.mark.parametrize(
    ("text", "comparator", "number", "unit", "printed"),
    [
        ("≥98%", "≥", "98", "%", "≥98%"),
        ("5 场", "", "5", "场", "5 场"),
        ("≥1.8 万元", "≥", "1.8", "万元", "≥1.8 万元"),
        ("≥5年", "≥", "5", "年", "≥5 年"),
        ("≥985", "≥", "985", "", "≥985"),
        (">= 90 ％", "≥", "90", "%", "≥90%"),
        ("＜＝3 次", "≤", "3", "次", "≤3 次"),
        ("10000 册", "", "10000", "册", "10000 册"),
    ],
)
def test_numbers_with_comparator_and_unit(text, comparator, number, unit, printed) -> None:
    value = parse_value(text)
    assert (value.comparator, value.number, value.unit) == (comparator, Decimal(number), unit)
    assert value.parsed
    assert str(value) == printed


@pytest.mark.parametrize("text", ["保障", "长期", "促进三创四建工作小组顺利发展"])
def test_qualitative_words(text) -> None:
    value = parse_value(text)
    assert (value.word, value.number) == (text, None)
    assert str(value) == text


@pytest.mark.parametrize("text", ["2021年底前", "≥", "约 5 场以上", "", "≥较好", "98%以上"])
def test_anything_else_is_kept_verbatim_and_not_parsed(text) -> None:
    value = parse_value(text)
    assert not value.parsed
    assert value.raw == text
    assert str(value) == text


@given(
    comparator=st.sampled_from(("", *COMPARATORS)),
    number=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
    unit=st.sampled_from(("", *UNITS)),
)
def test_what_is_printed_reads_back_the_same(comparator, number, unit) -> None:
    value = build_value(comparator, number, unit, "")
    again = parse_value(str(value))
    assert (again.comparator, again.number, again.unit) == (comparator, number, unit)


def test_a_value_without_number_or_word_is_not_parsed() -> None:
    assert not IndicatorValue(raw="x").parsed
