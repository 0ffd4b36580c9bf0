"""targets.js shows the 指标值 as it will print: the same text as the server's printed_value, whatever is typed in
the number (run with node)."""

from itertools import product

from entry.targets_forms import printed_value
from tests.support.node import each, needs_node

pytestmark = needs_node

CASES = [
    ("≥", "98", "%", ""),
    ("≥", "98.50", "%", ""),
    ("", "5", "场", ""),
    ("≥", "1.80", "万元", ""),
    ("=", "０１２", "场次", ""),
    ("<", ".5", "", ""),
    ("≤", "100.000", "%", ""),
    ("", "007", "人", ""),
    ("", "", "", "保障"),
    ("≥", "", "", " 提高 "),
    ("≥", "abc", "%", ""),
    ("", "-5", "", ""),
    ("", "", "", ""),
    ("≥", "5", " 个 ", ""),
]
# What may be typed in the 数值 cell: signs, zeros, places, exponents, full width, units and comparators in it.
NUMBERS = [
    f"{sign}{whole}{fraction}{power}"
    for sign, whole, fraction, power in product(
        ["", "+", "-"],
        ["", "0", "00", "7", "100", "0098", "99999999999999", "100000000000000"],
        ["", ".", ".5", ".50", ".000001", ".0000001", ".00000010", ".1234567"],
        ["", "e3", "E-2", "e-7", "e+14", "e99999999999"],
    )
]
NUMBERS += [" 12 ", "１２．５", "12%", "12％", "≥12", ">=12", "1,000", "1 000", "12场", "0x1F", "∞", "1e", "e3", "."]


def test_the_page_prints_values_as_the_server_does() -> None:
    shown = each("targets.printedValue", CASES)
    assert shown == [printed_value(*parts) for parts in CASES]
    assert shown[:3] == ["≥98%", "≥98.5%", "5 场"]


def test_any_typed_number_prints_as_the_server_prints_it() -> None:
    cases = [["≥", number, "%", ""] for number in NUMBERS]
    assert each("targets.printedValue", cases) == [printed_value(*case) for case in cases]
