"""审核数: what a subject asks for, the reviewer's input checks, and accepting spreads the 审核数 over the lines."""

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from domain.classifications import Kind, Source
from domain.ledger import Line
from domain.review import (
    BASIC,
    NEGATIVE,
    NOTHING_TO_SPREAD,
    PROJECT,
    RAISED_WITHOUT_REASON,
    TOO_PRECISE,
    Subject,
    apply_reviewed,
    requested,
    review_errors,
    spread,
)

D = Decimal
MEETINGS = "党代会经费"


def line(economic: str, amount: str, *, kind: Kind = Kind.BASIC, project: str = "", unit: str = "本级") -> Line:
    return Line("2013101", economic, kind, Source.GENERAL, D(amount), project=project, unit=unit)


LINES = (
    line("30101", "300000.00"),
    line("30101", "100000.00", unit="信息中心"),
    line("30201", "30000.00"),
    line("30201", "60000.00", kind=Kind.PROJECT, project=MEETINGS),
    line("30299", "40000.00", kind=Kind.PROJECT, project=MEETINGS, unit="信息中心"),
    line("30201", "5000.00", kind=Kind.OPERATING),
)


def test_a_project_asks_for_all_its_lines_and_a_basic_kuan_for_its_basic_lines() -> None:
    asked = requested(LINES)
    assert asked == {
        Subject(BASIC, "30101"): D("400000.00"),
        Subject(BASIC, "30201"): D("30000.00"),
        Subject(PROJECT, MEETINGS): D("100000.00"),
    }  # the operating line is no reviewed subject


@pytest.mark.parametrize(
    ("reviewed", "asked", "reason", "errors"),
    [
        ("-1.00", "10.00", "", [NEGATIVE]),
        ("1.005", "10.00", "", [TOO_PRECISE]),
        ("11.00", "10.00", "", [RAISED_WITHOUT_REASON]),
        ("11.00", "10.00", "新增会议", []),
        ("9.99", "10.00", "", []),
        ("0", "10.00", "", []),
    ],
)
def test_a_reviewed_amount_is_checked(reviewed: str, asked: str, reason: str, errors: list[str]) -> None:
    assert review_errors(D(reviewed), D(asked), reason) == errors


def test_accepting_a_project_cut_scales_each_of_its_lines_and_nothing_else() -> None:
    after = apply_reviewed(LINES, {Subject(PROJECT, MEETINGS): D("80000.00")})
    project = [item for item in after if item.project == MEETINGS]
    assert [item.amount for item in project] == [D("48000.00"), D("32000.00")]
    assert [item.unit for item in project] == ["本级", "信息中心"]  # same unit, code and source as stored
    assert [item for item in after if item.project != MEETINGS] == [item for item in LINES if item.project != MEETINGS]


def test_a_cut_to_nothing_takes_the_lines_out() -> None:
    after = apply_reviewed(LINES, {Subject(BASIC, "30201"): D("0")})
    assert len(after) == len(LINES) - 1
    assert all(not (item.kind == Kind.BASIC and item.economic == "30201") for item in after)


def test_a_subject_without_money_cannot_take_a_reviewed_amount() -> None:
    with pytest.raises(ValueError, match=NOTHING_TO_SPREAD):
        apply_reviewed(LINES, {Subject(PROJECT, "没有数字的项目"): D("100.00")})
    assert apply_reviewed(LINES, {Subject(PROJECT, "没有数字的项目"): D("0")}) == LINES


def test_the_cents_a_split_leaves_go_to_the_lines_the_cut_took_most_from() -> None:
    assert spread([D("1.00")] * 3, D("1.00")) == [D("0.34"), D("0.33"), D("0.33")]
    assert spread([D("1.00")] * 4, D("0.02")) == [D("0.01"), D("0.01"), D("0.00"), D("0.00")]


cents = st.integers(min_value=0, max_value=10**12).map(lambda n: D(n).scaleb(-2))


@given(amounts=st.lists(cents, min_size=1, max_size=12), total=cents)
def test_a_split_adds_up_exactly_and_never_goes_below_zero(amounts: list[Decimal], total: Decimal) -> None:
    assume(sum(amounts) > 0)
    shares = spread(amounts, total)
    assert sum(shares) == total
    assert all(share >= 0 and share == share.quantize(D("0.01")) for share in shares)
    # in proportion: no share is a whole cent (or more) away from its exact part
    asked = sum(amounts)
    assert all(abs(share - amount * total / asked) < D("0.01") for share, amount in zip(shares, amounts, strict=True))
