"""Enumerations with a Chinese label per member, in plain Python (the ledger's fields take ``.choices``).

``class Kind(TextChoices): BASIC = "basic", "基本支出"`` gives a ``str`` member ``Kind.BASIC == "basic"`` with
``Kind.BASIC.label == "基本支出"``, ``Kind.choices`` (value, label) pairs and ``Kind.values``, as Django's own
TextChoices do, without the domain importing Django.
"""

from enum import EnumType, IntEnum, StrEnum
from typing import Any


class _ChoicesType(EnumType):
    @property
    def choices(cls) -> list[tuple[Any, str]]:
        return [(member.value, member.label) for member in cls]  # type: ignore[attr-defined]

    @property
    def values(cls) -> list[Any]:
        return [member.value for member in cls]  # type: ignore[attr-defined]

    @property
    def do_not_call_in_templates(cls) -> bool:
        # Django's templates call what is callable; an enumeration is a class, to be read, not called.
        return True


class TextChoices(StrEnum, metaclass=_ChoicesType):
    label: str

    def __new__(cls, value: str, label: str) -> "TextChoices":
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


class IntegerChoices(IntEnum, metaclass=_ChoicesType):
    label: str

    def __new__(cls, value: int, label: str) -> "IntegerChoices":
        member = int.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member
