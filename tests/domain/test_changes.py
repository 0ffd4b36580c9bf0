from decimal import Decimal

from domain.changes import FigureChange, figure_changes

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
