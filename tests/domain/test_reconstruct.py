"""Recovering lines from printed marginals: the 尾差 fitting and the allocation rule."""

from decimal import Decimal

from domain.classifications import Kind, Source
from domain.reconstruct import DEFAULT_ECONOMIC, Marginals, allocate, fit_to_parents, reconstruct

D = Decimal


def test_children_move_within_half_a_printed_cent_to_meet_their_parent() -> None:
    printed = {"": D("1217800"), "302": D("1217800"), "30201": D("214500"), "30227": D("394400"), "30207": D("608800")}
    exact = fit_to_parents(printed, (3, 5), D("50"))
    children = [exact[code] for code in ("30201", "30227", "30207")]
    assert sum(children) == exact["302"] == D("1217800")
    for code in ("30201", "30227", "30207"):
        assert printed[code] - 50 <= exact[code] < printed[code] + 50


def test_nothing_moves_when_the_figures_already_add_up_or_in_yuan() -> None:
    printed = {"": D("300"), "201": D("300"), "20101": D("100"), "20102": D("199")}
    assert fit_to_parents(printed, (3, 5), D("0")) == printed
    consistent = {"": D("300"), "201": D("300"), "20101": D("100"), "20102": D("200")}
    assert fit_to_parents(consistent, (3, 5), D("50")) == consistent


def test_an_impossible_remainder_is_left_for_the_comparison_to_report() -> None:
    printed = {"": D("1000"), "201": D("1000"), "20101": D("100")}
    exact = fit_to_parents(printed, (3, 5), D("50"))
    assert exact["20101"] == D("149.99")  # as far as it may go; the parent stays out of reach


def test_allocation_prefers_the_known_pairs_then_code_order() -> None:
    cells = allocate(
        {"30108": D("388300"), "30101": D("100000")},
        {"2013101": D("100000"), "2080505": D("388300")},
        lambda economic, function: (economic, function) == ("30108", "2080505"),
    )
    assert sorted(cells) == [("30101", "2013101", D("100000")), ("30108", "2080505", D("388300"))]


def test_carried_over_appropriations_go_to_projects_and_other_sources_fill_the_rest() -> None:
    marginals = Marginals(
        kinds={"2070104": {"basic": D("100"), "project": D("80"), "operating": D("30")}},
        sources={"2070104": {"fiscal": D("100"), "business": D("50"), "operating": D("30"), "carried": D("30")}},
        funds={Source.GENERAL: {"2070104": {"basic": D("100"), "project": D("30")}}},
        economic={"30101": D("100")},
        carried_fiscal={Source.GENERAL: D("30")},
    )
    lines = {(d.kind, d.source, d.carried_over, d.economic): d.amount for d in reconstruct(marginals)}
    assert lines == {
        (Kind.BASIC, Source.GENERAL, False, "30101"): D("100"),
        (Kind.PROJECT, Source.GENERAL, True, DEFAULT_ECONOMIC): D("30"),
        (Kind.OPERATING, Source.OPERATING, False, DEFAULT_ECONOMIC): D("30"),
        (Kind.PROJECT, Source.BUSINESS, False, DEFAULT_ECONOMIC): D("50"),
    }


def test_three_public_codes_beyond_table_6_go_to_appropriated_projects() -> None:
    marginals = Marginals(
        kinds={"2013102": {"project": D("75000")}},
        sources={"2013102": {"fiscal": D("75000")}},
        funds={Source.GENERAL: {"2013102": {"project": D("75000")}}},
        three_public={"abroad": {Source.GENERAL: D("50000")}},
    )
    lines = {(d.economic, d.amount) for d in reconstruct(marginals)}
    assert lines == {("30212", D("50000")), (DEFAULT_ECONOMIC, D("25000"))}


def test_carried_money_is_placed_even_where_filling_in_order_would_strand_it() -> None:
    # 2010101 spends 100 general (this year's) and 50 government-fund money (carried over);
    # 2010102 spends 50 general, carried over. Taking general first for 2010101 would leave 2010102 stuck.
    marginals = Marginals(
        kinds={"2010101": {"project": D("150")}, "2010102": {"project": D("50")}},
        sources={"2010101": {"fiscal": D("100"), "carried": D("50")}, "2010102": {"carried": D("50")}},
        funds={
            Source.GENERAL: {"2010101": {"project": D("100")}, "2010102": {"project": D("50")}},
            Source.GOVFUND: {"2010101": {"project": D("50")}},
        },
        carried_fiscal={Source.GENERAL: D("50"), Source.GOVFUND: D("50")},
    )
    carried = {(d.function, d.source): d.amount for d in reconstruct(marginals) if d.carried_over}
    assert carried == {("2010101", Source.GOVFUND): D("50"), ("2010102", Source.GENERAL): D("50")}
