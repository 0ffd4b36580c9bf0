"""numbers.js, the one number core of the entry pages, reads what is typed as the server reads it (run with node):
the same amount, quantity, date or code, or the same refusal in the same words; totals printed as the server prints
them; the 万元/元 switch without losing a fen; a block pasted from Excel split into rows and cells."""

from decimal import Decimal
from itertools import product

import pytest
from django.core.exceptions import ValidationError

from domain.ledger import AMOUNT_NEGATIVE
from domain.money import DisplayUnit
from entry import fields
from entry.fields import (
    AmountField,
    DateTextField,
    QuantityField,
    code_of,
    parse_amount,
    printed_total,
    typed_amount,
)
from tests.support.node import each, needs_node, run

pytestmark = needs_node

WHOLES = ["", "0", "7", "00012", "1,234", "12,34", "1,234,567", "99999999", "9999999999", "10000000000"]
WHOLES += ["99999999999999", "100000000000000", "9" * 22, "9" * 23, "9" * 27, "9" * 30]
FRACTIONS = [None, "", "5", "50", "000001", "0000001", "0000000", "1234567", "995", "9999995"]
SIGNS = ["", "-", "+"]
ODD = [
    "",
    " ",
    "\u3000",
    "-",
    ".",
    "1e3",
    "1E-2",
    "12abc",
    "１２．５",
    "１，２３４．５６",
    "－３",
    "1 234",
    " 60.00 ",
    "\u30001",
    "\ufeff1",
    "1\u00a0234",
    "1,2345",
    ",123",
    "1,234,",
    "1.2.3",
    "--1",
    "-0",
    "-0.00",
    "二十",
    "5%",
    "0.004999",
    "0.005",
    "1.001",
]


def typed_numbers() -> list[str]:
    """What people type into a number cell (and worse): every sign, whole part and fraction together."""
    typed = [
        f"{sign}{whole}{'' if fraction is None else '.' + fraction}"
        for sign, whole, fraction in product(SIGNS, WHOLES, FRACTIONS)
    ]
    return typed + ODD


TYPED = typed_numbers()


def field_says(field, text: str) -> tuple[str, object]:
    """("", the value) when the field reads ``text``, else ("its message", None)."""
    try:
        return "", field.clean(text)
    except ValidationError as error:
        return error.messages[0], None


def in_micros(amount: Decimal, unit: DisplayUnit) -> str:
    """Yuan as millionths of ``unit``: the page's exact integers."""
    per_micro = Decimal("0.01") if unit is DisplayUnit.WAN else Decimal("0.000001")
    return str(int(amount / per_micro))


def test_the_messages_are_the_servers_words() -> None:
    messages = run("out(numbers.MESSAGES);")
    assert messages == {
        "amountRequired": fields.AMOUNT_REQUIRED,
        "amountNotANumber": fields.AMOUNT_NOT_A_NUMBER,
        "amountNegative": AMOUNT_NEGATIVE,
        "amountPlaces": fields.AMOUNT_PLACES,
        "amountTooLarge": fields.AMOUNT_TOO_LARGE,
        "amountInvalid": "金额无效。",  # AmountField's words for what Decimal cannot quantize
        "quantityInvalid": fields.QUANTITY_INVALID,
        "quantityTooLarge": fields.QUANTITY_TOO_LARGE,
        "asOfInvalid": fields.AS_OF_INVALID,
    }


@pytest.mark.parametrize("unit", list(DisplayUnit), ids=lambda unit: unit.name)
def test_an_amount_reads_as_amountfield_reads_it_or_gets_its_message(unit: DisplayUnit) -> None:
    read = each("numbers.readAmount", [[text, unit.value] for text in TYPED])
    field = AmountField(unit=unit, blank_is_zero=True)
    for text, page in zip(TYPED, read, strict=True):
        message, yuan = field_says(field, text)
        assert page["problem"] == message, repr(text)
        assert page["micros"] == (None if message else in_micros(yuan, unit)), repr(text)


@pytest.mark.parametrize("unit", list(DisplayUnit), ids=lambda unit: unit.name)
def test_a_required_amount_left_blank_is_told_in_the_servers_words(unit: DisplayUnit) -> None:
    assert field_says(AmountField(unit=unit), "  ") == (run("out(numbers.MESSAGES.amountRequired);"), None)


def test_a_quantity_reads_as_quantityfield_reads_it_or_gets_its_message() -> None:
    read = each("numbers.readQuantity", TYPED)
    for text, page in zip(TYPED, read, strict=True):
        message, quantity = field_says(QuantityField(), text)
        assert page["problem"] == message, repr(text)
        assert page["micros"] == (None if message else in_micros(quantity, DisplayUnit.YUAN)), repr(text)


def typed_dates() -> list[str]:
    years = ["0000", "0001", "0099", "1900", "2000", "2020", "2021", "9999", "20", "12345"]
    months, days = ["0", "1", "02", "12", "13"], ["0", "1", "28", "29", "30", "31", "32"]
    separators = [
        ("-", "-", ""),
        ("/", "/", ""),
        (".", ".", ""),
        ("年", "月", "日"),
        (" - ", " / ", ""),
        ("年", "-", ""),
    ]
    typed = [
        f"{year}{first}{month}{second}{day}{end}"
        for year, month, day, (first, second, end) in product(years, months, days, separators)
    ]
    return [
        *typed,
        "",
        " ",
        " 2020-12-31 ",
        "2020\u3000年12月31日",
        "2020-12-31日日",
        "去年年底",
        "2020-1-1x",
        "2020--1-1",
    ]


def test_a_date_reads_as_the_server_reads_it() -> None:
    typed = typed_dates()
    read = each("numbers.readAsOf", typed)
    for text, page in zip(typed, read, strict=True):
        message, day = field_says(DateTextField(), text)
        assert page["problem"] == message, repr(text)
        assert page["date"] == (None if day is None else [day.year, day.month, day.day]), repr(text)


def test_a_code_reads_as_the_server_reads_it() -> None:
    typed = [
        "2070101",
        " 2070101 ",
        "2070101 行政运行",
        "2070101\u3000行政运行",
        "２０７０１０１",
        "207010",
        "20701011",
    ]
    typed += ["30101", "30101 基本工资", "3010１", "", "abcdefg", "2070101行政运行", "²070101"]
    cases = [[text, width] for text, width in product(typed, (5, 7))]
    assert each("numbers.codeOf", cases) == [code_of(text, width) for text, width in cases]


@pytest.mark.parametrize("unit", list(DisplayUnit), ids=lambda unit: unit.name)
def test_totals_are_printed_as_the_server_prints_them(unit: DisplayUnit) -> None:
    amounts = ["30.00", "17.5", "0.01", "0.004999", "0.005", "0.000001", "1,234.567891", "99999999.99", "7", "12abc"]
    program = (
        "const [amounts, unit] = data;"
        "const micros = amounts.map((a) => numbers.amountMicros(a, unit));"
        "const read = micros.filter((m) => m !== null);"
        "const shown = micros.map((m) => (m === null ? null : numbers.printed(m)));"
        "out([shown, numbers.printed(read.reduce((sum, m) => sum + m, 0n))]);"
    )
    each_printed, grand = run(program, [amounts, unit.value])
    yuan = [fields.read_amount(amount, unit) for amount in amounts]
    assert each_printed == [None if amount is None else printed_total(amount, unit) for amount in yuan]
    assert grand == printed_total(sum((amount for amount in yuan if amount is not None), Decimal(0)), unit)


def test_the_unit_switch_is_exact_both_ways() -> None:
    stored = ["600000.00", "412350.50", "12345.67", "0.01", "0.00", "1.10", "99999999999999.99", "123456789012.34"]
    wan = [typed_amount(Decimal(amount), DisplayUnit.WAN) for amount in stored]
    yuan = [typed_amount(Decimal(amount), DisplayUnit.YUAN) for amount in stored]
    program = "out([data[0].map((a) => numbers.shifted(a, true)), data[1].map((a) => numbers.shifted(a, false))]);"
    to_yuan, to_wan = run(program, [wan, yuan])
    assert to_yuan == yuan
    assert to_wan == wan
    # What is grouped, padded or full width is the same money; what does not read stays as typed, for its cell.
    odd = [["1,234.5", True], ["１２．５", True], ["", True], ["12abc", True], ["1.0000001", True], ["1.005", False]]
    assert each("numbers.shifted", odd) == ["12345000.00", "125000.00", "", "12abc", "1.0000001", "1.005"]
    assert parse_amount("12345000.00", DisplayUnit.YUAN) == parse_amount("1,234.5", DisplayUnit.WAN)


def test_a_block_from_excel_splits_into_rows_and_cells() -> None:
    blocks = ["图书\tA050401\t批\r\n公务用车\t\t辆\r\n", "a\tb", "one\ntwo\n", "单元格"]
    split = each("numbers.splitBlock", blocks)
    assert split[:3] == [[["图书", "A050401", "批"], ["公务用车", "", "辆"]], [["a", "b"]], [["one"], ["two"]]]
    # One value (with Excel's line break) is pasted by the browser as usual; anything more is a block.
    assert each("numbers.isBlock", [*blocks, "60.00\r\n"]) == [True, True, True, False, False]
