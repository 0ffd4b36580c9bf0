"""Control figures: what a budget asks of the bureau's money this year, and what a bureau may issue."""

from decimal import Decimal

from domain.classifications import Kind, Source
from domain.control import control_actuals, control_input_errors, control_items
from domain.ledger import Line


def line(amount: str, *, kind=Kind.BASIC, source=Source.GENERAL, economic="30101", carried_over=False) -> Line:
    return Line("2013101", economic, kind, source, Decimal(amount), carried_over)


def test_only_this_years_appropriations_count() -> None:
    lines = [
        line("100.00"),
        line("50.00", kind=Kind.PROJECT, source=Source.GOVFUND),
        line("30.00", economic="30217"),  # 公务接待费: basic and 三公
        line("7.00", carried_over=True),  # appropriated in an earlier year
        line("9.00", source=Source.BUSINESS),  # the department's own income
    ]
    assert control_actuals(lines) == {
        "total": Decimal("180.00"),
        "basic": Decimal("130.00"),
        "project": Decimal("50.00"),
        "three_public": Decimal("30.00"),
    }


def test_variance_is_positive_over_the_limit() -> None:
    limits = {"total": Decimal("150"), "basic": Decimal("100"), "project": Decimal("50"), "three_public": Decimal("0")}
    items = {item.key: item for item in control_items(limits, control_actuals([line("120.00")]))}
    assert items["basic"].variance == Decimal("20.00")
    assert items["project"].variance == Decimal("-50.00")
    assert items["basic"].label == "基本支出"


def test_control_figures_that_contradict_themselves_are_refused() -> None:
    good = {"total": Decimal("100"), "basic": Decimal("60"), "project": Decimal("40"), "three_public": Decimal("5")}
    assert control_input_errors(good) == []
    assert control_input_errors({**good, "basic": Decimal("70")}) == [
        "基本支出与项目支出控制数之和不能超过财政拨款支出合计控制数。"
    ]
    assert control_input_errors({**good, "three_public": Decimal("-1")}) == ["“三公”经费：不能为负数。"]
    assert "项目支出：必须填写。" in control_input_errors({key: v for key, v in good.items() if key != "project"})
