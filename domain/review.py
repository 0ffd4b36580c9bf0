"""审核数: the finance bureau's reviewed amount beside what a department asks for (申报数), per project and per
economic 款 of basic expenditure, and what accepting one does to the ledger.

A reviewed subject groups the lines it covers: a project all its lines (every unit, function, economic code and
source), a basic 款 every basic line of that economic code. A subject without a 审核数 counts as accepted as asked.

Accepting a 审核数 spreads it over the subject's lines in proportion to what each asks for: each share is cut to
the cent, and the cents still missing go one each to the lines that lost most by the cut (the larger line first
on a tie), so that the lines add up to the 审核数 exactly and none goes below zero. This is a split, not a
rounding of a printed figure: domain.money's half-up rule is untouched. A line cut to nothing leaves the ledger.
The department that wants another split keeps its own figures (答复) or edits its lines after accepting.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, Decimal

from domain.classifications import Kind
from domain.ledger import Line

ZERO = Decimal("0.00")
CENT = Decimal("0.01")

PROJECT = "project"
BASIC = "basic"
SUBJECT_KINDS = {PROJECT: "项目", BASIC: "基本支出"}

NEGATIVE = "审核数不能为负数。"
TOO_PRECISE = "审核数最多两位小数（元）。"
RAISED_WITHOUT_REASON = "审核数高于申报数时必须填写理由。"
NOTHING_TO_SPREAD = "该项目前没有申报数字，审核数无法分配到预算明细：请保留本部门数字并答复。"


@dataclass(frozen=True, order=True)
class Subject:
    """What a 审核数 is recorded for: a project (by name) or a basic-expenditure economic 款 (by code)."""

    kind: str  # PROJECT or BASIC
    key: str  # the project's name, or the 5-digit economic code

    @property
    def label(self) -> str:
        return f"{SUBJECT_KINDS[self.kind]}｜{self.key}"


def subject_of(line: Line) -> Subject | None:
    if line.kind == Kind.PROJECT and line.project:
        return Subject(PROJECT, line.project)
    if line.kind == Kind.BASIC:
        return Subject(BASIC, line.economic)
    return None


def requested(lines: Iterable[Line]) -> dict[Subject, Decimal]:
    """申报数: what the lines ask for, per subject."""
    amounts: dict[Subject, Decimal] = {}
    for line in lines:
        subject = subject_of(line)
        if subject is not None:
            amounts[subject] = amounts.get(subject, ZERO) + line.amount
    return amounts


def review_errors(reviewed: Decimal, asked: Decimal, reason: str) -> list[str]:
    """What is wrong with a 审核数 as the reviewer typed it (yuan), beside what the department asks (``asked``)."""
    if reviewed < 0:
        return [NEGATIVE]
    if reviewed != reviewed.quantize(CENT):
        return [TOO_PRECISE]
    if reviewed > asked and not reason.strip():
        return [RAISED_WITHOUT_REASON]
    return []


def spread(amounts: list[Decimal], total: Decimal) -> list[Decimal]:
    """``total`` shared over ``amounts`` in proportion, to the cent, adding up exactly (see the module's rule)."""
    asked = sum(amounts, ZERO)
    if asked == 0:
        if total == 0:
            return [ZERO for _ in amounts]
        raise ValueError(NOTHING_TO_SPREAD)
    exact = [amount * total / asked for amount in amounts]
    shares = [share.quantize(CENT, rounding=ROUND_DOWN) for share in exact]
    cents_left = int((total - sum(shares, ZERO)) / CENT)
    by_remainder = sorted(range(len(amounts)), key=lambda i: (shares[i] - exact[i], -amounts[i], i))
    for index in by_remainder[:cents_left]:
        shares[index] += CENT
    return shares


def apply_reviewed(lines: Iterable[Line], reviewed: Mapping[Subject, Decimal]) -> tuple[Line, ...]:
    """The lines as they are once the ``reviewed`` amounts are accepted; other lines unchanged, in their order.

    Raises ValueError (NOTHING_TO_SPREAD) for a subject reviewed above zero that has no money to spread over."""
    lines = tuple(lines)
    members: dict[Subject, list[int]] = {}
    for index, line in enumerate(lines):
        subject = subject_of(line)
        if subject is not None and subject in reviewed:
            members.setdefault(subject, []).append(index)
    amounts: dict[int, Decimal] = {}
    for subject, total in reviewed.items():
        indexes = members.get(subject, [])
        if not indexes:
            if total:
                raise ValueError(NOTHING_TO_SPREAD)
            continue
        shares = spread([lines[index].amount for index in indexes], total)
        amounts.update(zip(indexes, shares, strict=True))
    return tuple(
        replace(line, amount=amounts[index]) if index in amounts else line
        for index, line in enumerate(lines)
        if amounts.get(index) != ZERO
    )
