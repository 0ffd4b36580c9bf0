"""指标值: a comparator, a number and a unit (≥98%, 5 场, ≥1.8 万元), or a qualitative word (保障, 长期).

Parsing never loses anything: text that is neither is kept verbatim (``raw``) and flagged by the rules.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from domain.performance.framework import COMPARATORS, UNITS

# Other ways people type the comparators.
_COMPARATOR_SPELLINGS = {
    ">=": "≥",
    "<=": "≤",
    "＞＝": "≥",
    "＜＝": "≤",
    "＞": ">",
    "＜": "<",
    "＝": "=",
    "≧": "≥",
    "≦": "≤",
}
_NUMERIC = re.compile(r"(?P<comparator>[≥≤=><]?)\s*(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>[^\d\s.,，。;；]{0,6})")
_HAS_DIGIT = re.compile(r"\d")
MAX_WORD = 40
MAX_OTHER_UNIT = 2


@dataclass(frozen=True)
class IndicatorValue:
    comparator: str = ""  # one of COMPARATORS, or "" for none
    number: Decimal | None = None
    unit: str = ""
    word: str = ""  # a qualitative value (保障, 提高 …) instead of a number
    raw: str = ""  # what was typed or read, kept whatever it is

    @property
    def parsed(self) -> bool:
        return self.number is not None or bool(self.word)

    @property
    def is_percentage(self) -> bool:
        return self.number is not None and self.unit == "%"

    def __str__(self) -> str:
        """The official printing: ``≥98%``, ``5 场``, ``≥1.8 万元``, ``保障``; unparsed text as it came."""
        if self.word:
            return self.word
        if self.number is None:
            return self.raw
        unit = self.unit if self.unit in ("", "%") else f" {self.unit}"
        return f"{self.comparator}{self.number}{unit}"


def _normalise(text: str) -> str:
    text = " ".join(text.split())
    for spelling, comparator in _COMPARATOR_SPELLINGS.items():
        text = text.replace(spelling, comparator)
    return text.replace("％", "%")


def parse_value(text: str) -> IndicatorValue:
    raw = " ".join(str(text).split())
    value = _normalise(raw)
    if not value:
        return IndicatorValue(raw=raw)
    match = _NUMERIC.fullmatch(value)
    # A unit is one of the usual ones or a short word (件, 间): "2021 年底前" is a phrase, not a number and unit.
    if match and (match["unit"] in UNITS or len(match["unit"]) <= MAX_OTHER_UNIT):
        try:
            number = Decimal(match["number"])
        except InvalidOperation:  # pragma: no cover - the pattern admits only plain decimals
            return IndicatorValue(raw=raw)
        return IndicatorValue(match["comparator"], number, match["unit"], raw=raw)
    if not _HAS_DIGIT.search(value) and value[0] not in COMPARATORS and len(value) <= MAX_WORD:
        return IndicatorValue(word=value, raw=raw)
    return IndicatorValue(raw=raw)


def build_value(comparator: str, number: Decimal | None, unit: str, word: str) -> IndicatorValue:
    """A value entered field by field (comparator buttons, number, unit pick-list, or a word)."""
    value = IndicatorValue(comparator, number, unit.strip(), word.strip())
    return IndicatorValue(value.comparator, value.number, value.unit, value.word, raw=str(value))
