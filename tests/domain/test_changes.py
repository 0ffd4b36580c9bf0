from decimal import Decimal

from domain.changes import FigureChange, FigureKey, figure_changes, merge_figures

KEY = ("本级", "2013101", "30101", "basic", "general", False, "")


def test_only_figures_that_differ_are_listed_with_old_and_new() -> None:
    added = ("本级", "2013101", "30201", "basic", "general", False, "")
    gone = ("本级", "2013101", "30217", "project", "general", True, "接待")
    before = {KEY: Decimal("10.00"), gone: Decimal("5.00")}
    after = {KEY: Decimal("12.00"), added: Decimal("1.00")}
    assert figure_changes(before, after) == [
        FigureChange(KEY, Decimal("10.00"), Decimal("12.00")),
        FigureChange(added, None, Decimal("1.00")),
        FigureChange(gone, Decimal("5.00"), None),
    ]
    assert figure_changes(after, after) == []


def test_a_change_names_its_place_in_words() -> None:
    change = FigureChange(("本级", "2013101", "30217", "project", "general", True, "接待"), Decimal("5.00"), None)
    assert change.as_json() == ["本级｜2013101｜30217｜项目支出｜一般公共预算拨款｜上年结转｜项目：接待", "5.00", ""]


def _key(economic: str) -> FigureKey:
    return ("本级", "2010101", economic, "basic", "general", False, "")


OFFICE, TRAVEL, MEETING, TRAINING = (_key(code) for code in ("30201", "30211", "30215", "30216"))


def test_a_merge_takes_what_only_the_other_side_changed_and_keeps_what_only_the_page_changed() -> None:
    base = {OFFICE: Decimal("1.00"), TRAVEL: Decimal("2.00"), MEETING: Decimal("3.00")}
    theirs = {OFFICE: Decimal("1.50"), TRAVEL: Decimal("2.00"), MEETING: Decimal("3.00"), TRAINING: Decimal("4.00")}
    mine = {OFFICE: Decimal("1.00"), TRAVEL: Decimal("2.25")}  # 会议费 removed on the page
    merge = merge_figures(base, theirs, mine)
    assert merge.figures == {OFFICE: Decimal("1.50"), TRAVEL: Decimal("2.25"), TRAINING: Decimal("4.00")}
    assert [(m.key, m.base, m.theirs) for m in merge.taken] == [
        (OFFICE, Decimal("1.00"), Decimal("1.50")),
        (TRAINING, None, Decimal("4.00")),
    ]
    assert merge.conflicts == []


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    merge = merge_figures({OFFICE: Decimal("1")}, {OFFICE: Decimal("2")}, {OFFICE: Decimal("2")})
    assert merge.figures == {OFFICE: Decimal("2")}
    assert (merge.taken, merge.conflicts) == ([], [])


def test_a_cell_both_sides_changed_differently_is_a_conflict_that_keeps_the_pages_value() -> None:
    merge = merge_figures({OFFICE: Decimal("1")}, {OFFICE: Decimal("2")}, {OFFICE: Decimal("3")})
    assert merge.figures == {OFFICE: Decimal("3")}
    assert [(m.base, m.theirs, m.mine) for m in merge.conflicts] == [(Decimal("1"), Decimal("2"), Decimal("3"))]
    assert "30201" in merge.conflicts[0].place


def test_a_figure_removed_on_the_page_but_changed_by_the_other_comes_back_as_a_conflict() -> None:
    merge = merge_figures({OFFICE: Decimal("1")}, {OFFICE: Decimal("2")}, {})
    assert merge.figures == {OFFICE: Decimal("2")}
    assert [(m.theirs, m.mine) for m in merge.conflicts] == [(Decimal("2"), None)]


def test_a_figure_the_other_removed_but_the_page_changed_stays_as_typed() -> None:
    merge = merge_figures({OFFICE: Decimal("1")}, {}, {OFFICE: Decimal("5")})
    assert merge.figures == {OFFICE: Decimal("5")}
    assert [(m.theirs, m.mine) for m in merge.conflicts] == [(None, Decimal("5"))]


def test_a_figure_the_other_removed_and_the_page_left_alone_is_removed() -> None:
    merge = merge_figures({OFFICE: Decimal("1")}, {}, {OFFICE: Decimal("1")})
    assert merge.figures == {}
    assert [(m.base, m.theirs) for m in merge.taken] == [(Decimal("1"), None)]
