"""Each official table derived from small hand-made budgets, exactly in yuan."""

from decimal import Decimal

import pytest

from domain.classifications import Kind, Source
from domain.ledger import BudgetData, Catalogue, Line, UnitInfo
from domain.tables import (
    Row,
    basic_economic_rows,
    expenditure_rows,
    fiscal_summary_rows,
    general_appropriation_rows,
    govfund_appropriation_rows,
    income_rows,
    statecap_appropriation_rows,
    summary_rows,
    three_public_rows,
    unit_rows,
)
from tests.support.strategies import ECONOMIC_NAMES, FUNCTION_NAMES

B, P = Kind.BASIC, Kind.PROJECT
ZERO = Decimal("0.00")

CLASSES_2021 = {
    "201": "一般公共服务支出",
    "202": "外交支出",
    "203": "国防支出",
    "204": "公共安全支出",
    "205": "教育支出",
    "206": "科学技术支出",
    "207": "文化旅游体育与传媒支出",
    "208": "社会保障和就业支出",
    "209": "社会保险基金支出",
    "210": "卫生健康支出",
    "211": "节能环保支出",
    "212": "城乡社区支出",
    "213": "农林水支出",
    "214": "交通运输支出",
    "215": "资源勘探工业信息等支出",
    "216": "商业服务业等支出",
    "217": "金融支出",
    "219": "援助其他地区支出",
    "220": "自然资源海洋气象等支出",
    "221": "住房保障支出",
    "222": "粮油物资储备支出",
    "223": "国有资本经营预算支出",
    "224": "灾害防治及应急管理支出",
    "227": "预备费",
    "229": "其他支出",
    "230": "转移性支出",
    "231": "债务还本支出",
    "232": "债务付息支出",
    "233": "债务发行费用支出",
    "234": "抗疫特别国债安排的支出",
}
CATALOGUE = Catalogue({**CLASSES_2021, **FUNCTION_NAMES}, ECONOMIC_NAMES)


def line(
    function: str,
    economic: str,
    amount: str,
    kind: Kind = B,
    source: Source = Source.GENERAL,
    *,
    carried: bool = False,
) -> Line:
    return Line(function, economic, kind, source, Decimal(amount), carried)


def budget(*lines: Line, catalogue: Catalogue = CATALOGUE) -> BudgetData:
    return BudgetData("202", "中共石家庄市鹿泉区委办公室", 2021, catalogue, tuple(lines))


def by_code(rows: list[Row]) -> dict[str, Row]:
    return {row.code: row for row in rows}


def cells(row: Row, *keys: str) -> tuple[Decimal, ...]:
    return tuple(row.amount(key) for key in keys)


HIERARCHICAL = [
    income_rows,
    expenditure_rows,
    general_appropriation_rows,
    govfund_appropriation_rows,
    statecap_appropriation_rows,
    basic_economic_rows,
]

SAMPLE = budget(
    line("2013101", "30101", "300000.00"),
    line("2013101", "30201", "20000.50"),
    line("2013102", "30211", "15000.00", P),
    line("2010101", "30102", "1000.00"),
    line("2080505", "30108", "38830.00"),
    line("2080506", "30108", "0.01", source=Source.BUSINESS, kind=Kind.OPERATING),
    line("2210201", "30113", "42740.00"),
    line("2013101", "30231", "189000.00", P, Source.GOVFUND),
)


# Empty tables ----------------------------------------------------------------------------------


@pytest.mark.parametrize("derive", HIERARCHICAL)
def test_an_empty_budget_gives_no_rows(derive) -> None:
    assert derive(budget()) == []


@pytest.mark.parametrize("derive", HIERARCHICAL)
def test_zero_lines_give_no_rows(derive) -> None:
    assert derive(budget(line("2013101", "30101", "0.00"), line("2080505", "30302", "0"))) == []


def test_fixed_tables_print_every_row_even_when_empty() -> None:
    data = budget()
    summary = summary_rows(data)
    assert len(summary) == 33
    assert all(row.amount(key) == 0 for row in summary for key in ("in_amount", "out_amount"))
    assert len(fiscal_summary_rows(data)) == 36
    three_public = three_public_rows(data)
    assert [row.cells["label"] for row in three_public] == [
        "合计",
        "一、因公出国（境）费",
        "二、公务用车购置及运维费",
        "其中：公务用车购置费",
        "公务用车运行维护费",
        "三、公务接待费",
    ]
    assert all(row.amount(key) == 0 for row in three_public for key in ("total", "general", "govfund", "statecap"))


def test_an_empty_table_elsewhere_does_not_empty_the_others() -> None:
    data = budget(line("2013101", "30101", "1.00", source=Source.BUSINESS, kind=Kind.OPERATING))
    assert income_rows(data)
    assert expenditure_rows(data)
    assert general_appropriation_rows(data) == []
    assert basic_economic_rows(data) == []


# Hierarchy ---------------------------------------------------------------------------------------


def test_rows_are_in_depth_first_code_order_with_levels_and_names() -> None:
    rows = expenditure_rows(SAMPLE)
    assert [(row.code, row.level) for row in rows] == [
        ("", 0),
        ("201", 1),
        ("20101", 2),
        ("2010101", 3),
        ("20131", 2),
        ("2013101", 3),
        ("2013102", 3),
        ("208", 1),
        ("20805", 2),
        ("2080505", 3),
        ("2080506", 3),
        ("221", 1),
        ("22102", 2),
        ("2210201", 3),
    ]
    assert rows[0].emphasis
    assert rows[0].cells["name"] == "合计"
    assert not any(row.emphasis for row in rows[1:])
    assert [row.cells["name"] for row in rows[1:4]] == ["一般公共服务支出", "人大事务", "行政运行"]
    assert all(row.cells["code"] == row.code for row in rows)


def test_a_code_missing_from_the_catalogue_has_an_empty_name() -> None:
    rows = expenditure_rows(budget(line("2013101", "30101", "1.00"), catalogue=Catalogue({}, {})))
    assert [row.cells["name"] for row in rows] == ["合计", "", "", ""]


def test_class_row_is_the_sum_of_its_kuan_rows_and_of_its_xiang_rows() -> None:
    rows = by_code(expenditure_rows(SAMPLE))
    assert cells(rows["2013101"], "total", "basic", "project") == (
        Decimal("509000.50"),
        Decimal("320000.50"),
        Decimal("189000.00"),
    )
    assert cells(rows["201"], "total", "basic", "project") == (
        Decimal("525000.50"),
        Decimal("321000.50"),
        Decimal("204000.00"),
    )
    for key in ("total", "basic", "project", "operating"):
        assert rows["201"].amount(key) == rows["20101"].amount(key) + rows["20131"].amount(key)
        assert rows["201"].amount(key) == sum(
            (rows[code].amount(key) for code in ("2010101", "2013101", "2013102")), ZERO
        )
        assert rows[""].amount(key) == sum((rows[code].amount(key) for code in ("201", "208", "221")), ZERO)


def test_row_amount_of_a_text_or_missing_cell_is_zero() -> None:
    row = Row({"name": "合计", "total": Decimal("1.00"), "other": None})
    assert row.amount("total") == Decimal("1.00")
    assert row.amount("name") == ZERO
    assert row.amount("other") == ZERO
    assert row.amount("absent") == ZERO


# Table 2 and table 3 ------------------------------------------------------------------------------


def test_income_columns_by_source_and_carried_over() -> None:
    data = budget(
        line("2013101", "30101", "100.00", source=Source.GENERAL),
        line("2013101", "30101", "200.00", source=Source.GOVFUND),
        line("2013101", "30101", "400.00", source=Source.STATECAP),
        line("2013101", "30101", "1.00", Kind.OPERATING, Source.SPECIAL),
        line("2013101", "30101", "2.00", Kind.OPERATING, Source.BUSINESS),
        line("2013101", "30101", "3.00", Kind.OPERATING, Source.OPERATING),
        line("2013101", "30101", "4.00", Kind.REMIT, Source.SUPERIOR),
        line("2013101", "30101", "5.00", Kind.SUBSIDY, Source.AFFILIATE),
        line("2013101", "30101", "6.00", Kind.BASIC, Source.OTHER),
        line("2013101", "30101", "1000.00", source=Source.GENERAL, carried=True),
        line("2013101", "30101", "2000.00", Kind.OPERATING, Source.BUSINESS, carried=True),
    )
    total, _class, _kuan, item = income_rows(data)
    assert item.code == "2013101"
    keys = ("total", "subtotal", "fiscal", "special", "business", "operating", "superior", "affiliate", "other")
    assert cells(item, *keys, "carried") == tuple(
        Decimal(value) for value in ("3721.00", "721.00", "700.00", "1", "2", "3", "4", "5", "6", "3000.00")
    )
    assert cells(total, *keys, "carried") == cells(item, *keys, "carried")


def test_a_carried_over_line_is_income_brought_forward_everywhere() -> None:
    data = budget(line("2013101", "30101", "500.00"), line("2013101", "30201", "123.45", carried=True))
    rows = by_code(income_rows(data))
    assert cells(rows["2013101"], "total", "subtotal", "fiscal", "carried") == (
        Decimal("623.45"),
        Decimal("500.00"),
        Decimal("500.00"),
        Decimal("123.45"),
    )

    summary = summary_rows(data)
    assert summary[0].cells["in_label"] == "一、一般公共预算拨款收入"
    assert summary[0].amount("in_amount") == Decimal("500.00")
    assert [row.cells["in_label"] for row in summary[30:]] == ["本年收入合计", "上年结转结余", "收入总计"]
    assert summary[30].amount("in_amount") == Decimal("500.00")
    assert summary[31].amount("in_amount") == Decimal("123.45")
    assert summary[32].amount("in_amount") == Decimal("623.45")
    assert summary[32].amount("out_amount") == Decimal("623.45")
    assert summary[0].cells["out_label"] == "一、一般公共服务支出"
    assert summary[0].amount("out_amount") == Decimal("623.45")  # spending includes what was brought forward

    fiscal = fiscal_summary_rows(data)
    assert len(fiscal) == 36
    # rows 32–35 (1-based): 年初财政拨款结转和结余 and its three fund types
    assert [row.cells["in_label"] for row in fiscal[31:35]] == [
        "年初财政拨款结转和结余",
        "一、一般公共预算拨款",
        "二、政府性基金预算拨款",
        "三、国有资本经营预算拨款",
    ]
    assert [row.amount("in_amount") for row in fiscal[31:35]] == [Decimal("123.45"), Decimal("123.45"), ZERO, ZERO]
    assert fiscal[0].amount("in_amount") == Decimal("500.00")  # only this year's appropriation
    assert fiscal[30].cells["in_label"] == "本年收入合计"
    assert fiscal[30].amount("in_amount") == Decimal("500.00")
    assert fiscal[35].cells["in_label"] == "收入总计"
    assert fiscal[35].amount("in_amount") == fiscal[35].amount("out_total") == Decimal("623.45")


def test_expenditure_columns_by_kind() -> None:
    data = budget(
        line("2050205", "30101", "1.00", Kind.BASIC),
        line("2050205", "30101", "2.00", Kind.PROJECT),
        line("2050205", "30101", "4.00", Kind.OPERATING, Source.OPERATING),
        line("2050205", "30101", "8.00", Kind.REMIT, Source.BUSINESS),
        line("2050205", "30101", "16.00", Kind.SUBSIDY, Source.OTHER, carried=True),
    )
    total, *_ = expenditure_rows(data)
    assert cells(total, "total", "basic", "project", "operating", "remit", "subsidy") == tuple(
        Decimal(value) for value in ("31", "1", "2", "4", "8", "16")
    )


# Tables 5, 7, 8 and 4 ----------------------------------------------------------------------------


def test_a_government_fund_line_is_in_tables_7_and_4_but_not_5() -> None:
    data = budget(line("2120803", "30231", "5000.00", P, Source.GOVFUND))
    assert general_appropriation_rows(data) == []
    assert statecap_appropriation_rows(data) == []
    rows = govfund_appropriation_rows(data)
    assert [row.code for row in rows] == ["", "212", "21208", "2120803"]
    assert all(
        cells(row, "total", "basic", "project") == (Decimal("5000.00"), ZERO, Decimal("5000.00")) for row in rows
    )
    assert rows[1].cells["name"] == "城乡社区支出"

    fiscal = fiscal_summary_rows(data)
    assert fiscal[1].cells["in_label"] == "二、政府性基金预算拨款"
    assert fiscal[1].amount("in_amount") == Decimal("5000.00")
    class_row = next(row for row in fiscal if row.cells.get("out_label") == "十二、城乡社区支出")
    assert cells(class_row, "out_total", "out_general", "out_govfund", "out_statecap") == (
        Decimal("5000.00"),
        ZERO,
        Decimal("5000.00"),
        ZERO,
    )
    assert summary_rows(data)[1].amount("in_amount") == Decimal("5000.00")
    assert income_rows(data)[0].amount("fiscal") == Decimal("5000.00")
    assert basic_economic_rows(data) == []
    assert three_public_rows(data)[4].amount("govfund") == Decimal("5000.00")


def test_appropriation_tables_split_by_fund_type_and_ignore_other_sources() -> None:
    data = budget(
        line("2013101", "30101", "10.00", B, Source.GENERAL),
        line("2013101", "30101", "20.00", P, Source.GENERAL, carried=True),
        line("2013101", "30101", "40.00", B, Source.STATECAP),
        line("2013101", "30101", "80.00", Kind.OPERATING, Source.BUSINESS),
        line("2013101", "30101", "160.00", B, Source.SPECIAL),
    )
    assert cells(general_appropriation_rows(data)[0], "total", "basic", "project") == (
        Decimal("30.00"),
        Decimal("10.00"),
        Decimal("20.00"),
    )
    assert cells(statecap_appropriation_rows(data)[0], "total", "basic", "project") == (
        Decimal("40.00"),
        Decimal("40.00"),
        ZERO,
    )
    assert govfund_appropriation_rows(data) == []
    spent = fiscal_summary_rows(data)[30]
    assert spent.cells["out_label"] == "本年支出合计"
    assert cells(spent, "out_total", "out_general", "out_govfund", "out_statecap") == (
        Decimal("70.00"),
        Decimal("30.00"),
        ZERO,
        Decimal("40.00"),
    )


def test_fiscal_summary_layout_with_a_small_catalogue() -> None:
    catalogue = Catalogue({"201": "一般公共服务支出", "208": "社会保障和就业支出"}, {})
    rows = fiscal_summary_rows(budget(line("2013101", "30101", "1.00"), catalogue=catalogue))
    # three fund rows beside two classes, then 本年, 年初 + three fund types, 总计
    assert len(rows) == 3 + 1 + 4 + 1
    assert rows[2].cells.get("out_label") is None
    assert rows[2].cells["in_label"] == "三、国有资本经营预算拨款"
    assert rows[3].emphasis
    assert rows[8].emphasis


# Table 6 -----------------------------------------------------------------------------------------


def test_personnel_is_301_and_303_and_everything_else_is_public() -> None:
    data = budget(
        line("2013101", "30101", "100.00"),
        line("2013101", "30113", "10.00"),
        line("2080505", "30302", "1.00"),
        line("2013101", "30201", "1000.00"),
        line("2013101", "30231", "20000.00"),
        line("2013101", "31002", "300000.00"),
        line("2013101", "30913", "4000000.00"),
        # not general-budget basic expenditure: left out of table 6
        line("2013101", "30101", "7.00", P),
        line("2013101", "30101", "7.00", B, Source.GOVFUND),
        line("2013101", "30101", "7.00", Kind.OPERATING, Source.BUSINESS),
    )
    rows = basic_economic_rows(data)
    assert [(row.code, row.level) for row in rows] == [
        ("", 0),
        ("301", 1),
        ("30101", 2),
        ("30113", 2),
        ("302", 1),
        ("30201", 2),
        ("30231", 2),
        ("303", 1),
        ("30302", 2),
        ("309", 1),
        ("30913", 2),
        ("310", 1),
        ("31002", 2),
    ]
    coded = by_code(rows)
    assert cells(coded[""], "total", "personnel", "public") == (
        Decimal("4321111.00"),
        Decimal("111.00"),
        Decimal("4321000.00"),
    )
    assert cells(coded["301"], "total", "personnel", "public") == (Decimal("110.00"), Decimal("110.00"), ZERO)
    assert cells(coded["303"], "total", "personnel", "public") == (Decimal("1.00"), Decimal("1.00"), ZERO)
    assert cells(coded["302"], "total", "personnel", "public") == (Decimal("21000.00"), ZERO, Decimal("21000.00"))
    assert coded["301"].cells["name"] == "工资福利支出"
    assert coded[""].amount("total") == general_appropriation_rows(data)[0].amount("basic")


# Table 9 -----------------------------------------------------------------------------------------


def test_three_public_by_economic_code_and_fiscal_sources_only() -> None:
    data = budget(
        line("2013102", "30212", "75000.00", P, Source.GENERAL),
        line("2013101", "30231", "189000.00", B, Source.GENERAL),
        line("2013101", "30231", "1000.00", P, Source.GOVFUND),
        line("2013101", "31013", "200000.00", P, Source.STATECAP),
        line("2013101", "30913", "10.00", P, Source.GENERAL),
        line("2013101", "30217", "3.00", B, Source.GENERAL),
        # not 三公: other sources or other codes
        line("2013101", "30231", "999.00", Kind.OPERATING, Source.BUSINESS),
        line("2013101", "30212", "999.00", B, Source.SPECIAL),
        line("2013101", "30211", "999.00", B, Source.GENERAL),
    )
    total, abroad, vehicles, purchase, running, reception = three_public_rows(data)
    keys = ("total", "general", "govfund", "statecap")
    d = Decimal
    assert cells(abroad, *keys) == (d("75000.00"), d("75000.00"), ZERO, ZERO)
    assert cells(purchase, *keys) == (d("200010.00"), d("10.00"), ZERO, d("200000.00"))
    assert cells(running, *keys) == (d("190000.00"), d("189000.00"), d("1000.00"), ZERO)
    assert cells(vehicles, *keys) == (d("390010.00"), d("189010.00"), d("1000.00"), d("200000.00"))
    assert cells(reception, *keys) == (d("3.00"), d("3.00"), ZERO, ZERO)
    assert cells(total, *keys) == (d("465013.00"), d("264013.00"), d("1000.00"), d("200000.00"))
    assert total.emphasis
    assert purchase.level == running.level == 1


# Table 1 -----------------------------------------------------------------------------------------


def test_summary_income_rows_follow_the_official_source_order() -> None:
    data = budget(*(line("2013101", "30101", f"{n}.00", B, source) for n, source in enumerate(Source, start=1)))
    rows = summary_rows(data)
    assert [row.cells["in_label"] for row in rows[:9]] == [
        "一、一般公共预算拨款收入",
        "二、政府性基金预算拨款收入",
        "三、国有资本经营预算拨款收入",
        "四、财政专户管理资金收入",
        "五、事业收入",
        "六、事业单位经营收入",
        "七、上级补助收入",
        "八、附属单位上缴收入",
        "九、其他收入",
    ]
    assert [row.amount("in_amount") for row in rows[:9]] == [Decimal(n) for n in range(1, 10)]
    assert "in_label" not in rows[9].cells
    assert rows[29].cells["out_label"] == "三十、抗疫特别国债安排的支出"
    assert rows[30].amount("out_amount") == Decimal(45)
    assert rows[31].cells["out_label"] == "年终结转结余"
    assert rows[31].amount("out_amount") == ZERO


def test_summary_expenditure_rows_are_per_class() -> None:
    rows = summary_rows(SAMPLE)
    expenditure = {row.cells["out_label"]: row.amount("out_amount") for row in rows[:30]}
    classes = by_code(expenditure_rows(SAMPLE))
    assert expenditure["一、一般公共服务支出"] == classes["201"].amount("total")
    assert expenditure["八、社会保障和就业支出"] == classes["208"].amount("total")
    assert expenditure["二十、住房保障支出"] == classes["221"].amount("total")
    assert expenditure["二、外交支出"] == ZERO


# 机构设置 ---------------------------------------------------------------------------------------


def test_unit_rows() -> None:
    unit = UnitInfo("中共石家庄市鹿泉区委办公室本级", "行政", "正处（县）级", "财政全额拨款")
    data = BudgetData("202", "办公室", 2021, CATALOGUE, (), (unit,))
    assert [row.cells for row in unit_rows(data)] == [
        {"name": unit.name, "nature": "行政", "rank": "正处（县）级", "funding_form": "财政全额拨款"}
    ]
    assert unit_rows(budget()) == []
