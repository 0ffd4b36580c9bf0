"""Enumerations with a Chinese label per member, in plain Python (the ledger's fields take ``.choices``).

``class Kind(TextChoices): BASIC = "basic", "基本支出"`` gives a ``str`` member ``Kind.BASIC == "basic"`` with
``Kind.BASIC.label == "基本支出"``, ``Kind.choices`` (value, label) pairs and ``Kind.values``, as Django's own
TextChoices do, without the domain importing Django.
"""

from collections.abc import Iterator
from enum import EnumType, IntEnum, StrEnum
from typing import TYPE_CHECKING, Protocol, Self, TypeVar

_V = TypeVar("_V")
_V_co = TypeVar("_V_co", covariant=True)


class _Labelled(Protocol[_V_co]):
    @property
    def value(self) -> _V_co: ...
    @property
    def label(self) -> str: ...


class _LabelledClass(Protocol[_V_co]):
    # What the metaclass's properties are read on: a TextChoices or IntegerChoices subclass, iterated for its
    # members. A protocol, because mypy takes an explicit self type narrower than the class only when it is one.
    def __iter__(self) -> Iterator[_Labelled[_V_co]]: ...


class _ChoicesType(EnumType):
    @property
    def choices(cls: _LabelledClass[_V]) -> list[tuple[_V, str]]:
        return [(member.value, member.label) for member in cls]

    @property
    def values(cls: _LabelledClass[_V]) -> list[_V]:
        return [member.value for member in cls]

    @property
    def do_not_call_in_templates(cls) -> bool:
        # Django's templates call what is callable; an enumeration is a class, to be read, not called.
        return True


class TextChoices(StrEnum, metaclass=_ChoicesType):
    label: str

    if TYPE_CHECKING:
        # The constructor below only builds the members from their ``NAME = value, label`` pairs; once the class
        # exists, ``Kind(value)`` is the enum's lookup of a member by value, and that is what the checker sees.
        def __new__(cls, value: str) -> Self: ...

    else:

        def __new__(cls, value: str, label: str) -> "TextChoices":
            member = str.__new__(cls, value)
            member._value_ = value
            member.label = label
            return member


class IntegerChoices(IntEnum, metaclass=_ChoicesType):
    label: str

    if TYPE_CHECKING:
        # As for TextChoices: ``BudgetRound(value)`` is a lookup, not the member-building constructor.
        def __new__(cls, value: int) -> Self: ...

    else:

        def __new__(cls, value: int, label: str) -> "IntegerChoices":
            member = int.__new__(cls, value)
            member._value_ = value
            member.label = label
            return member
