"""Form fields of the entry grids, and the readers behind them (static/js/numbers.js mirrors them in the page).

Amounts are typed in 万元 (default) or 元 and stored in 元, converted exactly, never rounded: in 万元 at most six
decimals (0.000001 万元 = 0.01 元, one fen), in 元 at most two. Thousands separators and full-width digits are read,
as Excel and input methods give them. Codes are read from what a datalist entry holds ("2070101 行政运行"); whether
a code is one the budget may use is the ledger's rule (domain.ledger), not the field's.
"""

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from domain.choices import TextChoices
from domain.ledger import AMOUNT_NEGATIVE, MAX_AMOUNT
from domain.money import CENT, YUAN_PER_WAN, DisplayUnit

PLACES = {DisplayUnit.WAN: 6, DisplayUnit.YUAN: 2}
MAX_QUANTITY = Decimal("1e10")  # ProcurementItem.quantity: max_digits=12, decimal_places=2
ZERO = Decimal("0.00")

AMOUNT_REQUIRED = "请填写金额。"
AMOUNT_NOT_A_NUMBER = "金额只能填数字（{unit}），如 12.50。"
AMOUNT_PLACES = "金额最多保留 {places} 位小数（{unit}；{exact}）。"
AMOUNT_TOO_LARGE = "金额过大。"
QUANTITY_INVALID = "数量只能填不为负的数字，最多保留 2 位小数，如 5 或 5.2。"
QUANTITY_TOO_LARGE = "数量过大。"
AS_OF_INVALID = "截止日期请按“2020-12-31”的格式填写，或留空（即上年12月31日）。"

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")
_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)")
_GROUPED = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def display_unit(value: str | None) -> DisplayUnit:
    return DisplayUnit.YUAN if value == DisplayUnit.YUAN.value else DisplayUnit.WAN


def other_unit(unit: DisplayUnit) -> DisplayUnit:
    return DisplayUnit.YUAN if unit is DisplayUnit.WAN else DisplayUnit.WAN


# --- Readers ------------------------------------------------------------------------------------------------------


def parse_amount(text: str, unit: DisplayUnit) -> Decimal:
    """The amount in yuan of what was typed in ``unit``; ValueError with the reason (in Chinese) otherwise."""
    text = text.strip().translate(_FULL_WIDTH).replace(" ", "")
    if not text:
        raise ValueError(AMOUNT_REQUIRED)
    if _GROUPED.fullmatch(text):
        text = text.replace(",", "")
    if not _NUMBER.fullmatch(text):
        raise ValueError(AMOUNT_NOT_A_NUMBER.format(unit=unit.value))
    number = Decimal(text)
    if number < 0:
        raise ValueError(AMOUNT_NEGATIVE)
    places = PLACES[unit]
    if number != number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):
        exact = "0.000001 万元即 1 分" if unit is DisplayUnit.WAN else "元以下到分"
        raise ValueError(AMOUNT_PLACES.format(places=places, unit=unit.value, exact=exact))
    yuan = (number * YUAN_PER_WAN if unit is DisplayUnit.WAN else number).quantize(CENT)
    if yuan >= MAX_AMOUNT:
        raise ValueError(AMOUNT_TOO_LARGE)
    return yuan


def read_amount(text: object, unit: DisplayUnit) -> Decimal | None:
    """An amount for a total: what does not read counts as nothing (its cell says why)."""
    try:
        return parse_amount(str(text or ""), unit)
    except (ValueError, InvalidOperation):
        return None


def typed_amount(yuan: Decimal, unit: DisplayUnit) -> str:
    """A stored amount as the grid shows it: exact, with two decimals, or more where the fen need them."""
    value = yuan / YUAN_PER_WAN if unit is DisplayUnit.WAN else yuan
    value = value.normalize()
    if value.as_tuple().exponent > -2:  # type: ignore[operator]  # finite: stored amounts are
        value = value.quantize(CENT)
    return f"{value:f}"


def printed_total(yuan: Decimal, unit: DisplayUnit) -> str:
    """A derived total: in 万元 half-up to two decimals (domain.money), in 元 to the fen."""
    value = yuan / YUAN_PER_WAN if unit is DisplayUnit.WAN else yuan
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


def parse_quantity(text: str) -> Decimal:
    """A quantity (not money): blank is zero, else a number ≥ 0 with at most two decimals; ValueError otherwise."""
    if not text.strip():
        return ZERO
    try:
        # The same reading as a yuan amount (digits, grouping, full width, two decimals), with its own message.
        quantity = parse_amount(text, DisplayUnit.YUAN)
    except (ValueError, InvalidOperation):
        raise ValueError(QUANTITY_INVALID) from None
    if quantity >= MAX_QUANTITY:
        raise ValueError(QUANTITY_TOO_LARGE)
    return quantity


def parse_as_of(text: str) -> date | None:
    """A date as 2020-12-31, 2020/12/31 or 2020年12月31日; blank is none; ValueError otherwise."""
    text = text.strip()
    if not text:
        return None
    match = _DATE.fullmatch(text)
    try:
        if match is None:
            raise ValueError
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValueError(AS_OF_INVALID) from None


def code_of(text: str, width: int) -> str | None:
    """The code of "2070101" or of a datalist entry "2070101 行政运行"; None when it is not ``width`` digits."""
    token = text.strip().translate(_FULL_WIDTH).split(" ", 1)[0].split("\u3000", 1)[0]
    return token if len(token) == width and token.isascii() and token.isdigit() else None


# --- Fields -------------------------------------------------------------------------------------------------------


class AmountField(forms.CharField):
    """An amount typed in the page's unit, cleaned to yuan. ``blank_is_zero``: a blank cell is 0 (a fund column
    most items leave empty) rather than a missing figure."""

    def __init__(self, *, unit: DisplayUnit = DisplayUnit.WAN, blank_is_zero: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"required": AMOUNT_REQUIRED})
        super().__init__(required=not blank_is_zero, **kwargs)
        self.unit, self.blank_is_zero = unit, blank_is_zero

    def clean(self, value: Any) -> Decimal:
        text = super().clean(value)
        if not text.strip() and self.blank_is_zero:
            return ZERO
        try:
            return parse_amount(text, self.unit)
        except (ValueError, InvalidOperation) as error:
            raise ValidationError(str(error) if isinstance(error, ValueError) else "金额无效。") from None


class QuantityField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def clean(self, value: Any) -> Decimal:
        try:
            return parse_quantity(super().clean(value))
        except ValueError as error:
            raise ValidationError(str(error)) from None


class DateTextField(forms.CharField):
    """A date in the forms people type (see parse_as_of); blank is None."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def clean(self, value: Any) -> date | None:
        try:
            return parse_as_of(super().clean(value))
        except ValueError as error:
            raise ValidationError(str(error)) from None


class CodeField(forms.CharField):
    """A classification code of ``width`` digits, from "2070101" or "2070101 行政运行". Anything else is kept as
    typed, for the ledger's rule to name."""

    def __init__(self, *, width: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.width = width

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        return code_of(text, self.width) or text.strip().translate(_FULL_WIDTH)


class LabelledChoiceField(forms.CharField):
    """One of an enumeration, by its value or by its label (a block pasted from Excel holds "基本支出")."""

    def __init__(self, *, choices: type[TextChoices], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.enumeration = choices

    def clean(self, value: Any) -> TextChoices:
        text = super().clean(value).strip()
        for choice in self.enumeration:
            if text in (choice.value, choice.label):
                return choice
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")

    def valid(self, value: object) -> bool:
        return any(str(value or "").strip() in (choice.value, choice.label) for choice in self.enumeration)


class FlagField(forms.CharField):
    """A checkbox, or a pasted word that means yes (是, √, the column's own title …)."""

    def __init__(self, *, words: frozenset[str], **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)
        self.words = words

    def clean(self, value: Any) -> bool:
        return str(value or "").strip().lower() in self.words


def cell(label: str, column: str, kind: str = "text", css: str = "", **attrs: Any) -> forms.TextInput:
    """The input of one grid cell, as grid.js finds it: its column, what it holds, its label for screen readers."""
    classes = " ".join(part for part in ("cell", css) if part)
    if kind in ("amount", "quantity"):
        classes += " num"
        attrs.setdefault("inputmode", "decimal")
    return forms.TextInput(
        attrs={
            "class": classes,
            "data-col": column,
            "data-kind": kind,
            "aria-label": label,
            "autocomplete": "off",
            **attrs,
        }
    )


def text_messages(label: str, limit: int) -> dict[str, str]:
    return {"required": f"请填写{label}。", "max_length": f"{label}最多 {limit} 字。"}
