from decimal import Decimal

_DIGITS = "零一二三四五六七八九"


def chinese_ordinal(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 30 → 三十: the numbering of the official row labels (1–99)."""
    if not 1 <= number <= 99:
        raise ValueError(f"ordinal out of range: {number}")
    tens, units = divmod(number, 10)
    if tens == 0:
        return _DIGITS[units]
    prefix = "" if tens == 1 else _DIGITS[tens]
    return prefix + "十" + (_DIGITS[units] if units else "")


def decimal_places(number: Decimal) -> int:
    """The decimals a number is written with: 2 for 1.50, 1 for 1.5, -3 for 1.5E+4."""
    exponent = number.as_tuple().exponent
    # Only NaN and the infinities have a letter for an exponent, and every caller has refused them already.
    return -exponent if isinstance(exponent, int) else 0
