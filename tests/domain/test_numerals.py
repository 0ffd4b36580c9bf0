"""Chinese ordinals of the official row labels: 一 … 九十九."""

import pytest

from domain.numerals import chinese_ordinal

DIGITS = {character: value for value, character in enumerate("零一二三四五六七八九")}


def parse(ordinal: str) -> int:
    """An independent reading of 一 … 九十九, the inverse of chinese_ordinal."""
    if "十" not in ordinal:
        assert len(ordinal) == 1
        return DIGITS[ordinal]
    tens, _, units = ordinal.partition("十")
    return (DIGITS[tens] if tens else 1) * 10 + (DIGITS[units] if units else 0)


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (1, "一"),
        (2, "二"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (12, "十二"),
        (19, "十九"),
        (20, "二十"),
        (21, "二十一"),
        (30, "三十"),
        (36, "三十六"),
        (99, "九十九"),
    ],
)
def test_chinese_ordinal(number: int, expected: str) -> None:
    assert chinese_ordinal(number) == expected


@pytest.mark.parametrize("number", [-1, 0, 100, 1000])
def test_chinese_ordinal_out_of_range(number: int) -> None:
    with pytest.raises(ValueError, match="out of range"):
        chinese_ordinal(number)


def test_every_ordinal_reads_back_and_has_no_zero() -> None:
    ordinals = [chinese_ordinal(number) for number in range(1, 100)]
    assert [parse(ordinal) for ordinal in ordinals] == list(range(1, 100))
    assert len(set(ordinals)) == 99
    assert not any("零" in ordinal for ordinal in ordinals)
    assert not any(ordinal.startswith("一十") for ordinal in ordinals)
