"""Every rule fires on a figure that breaks it and is silent on correct budgets."""

import re
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings

from demo import luquan_202
from domain.audit.model import CATALOGUE as RULES
from domain.audit.model import Figures, Severity
from domain.audit.rules import run_rules
from domain.classifications import Kind, Source
from domain.control import control_actuals
from domain.ledger import BudgetData, Line
from official.audit import figures_from_budget
from official.edition import edition
from tests.domain.audit import test_names as name_rule_tests
from tests.domain.audit import test_targets as performance_rule_tests
from tests.support.figures import CATALOGUE, changed, data_of, row_key
from tests.support.strategies import budgets

BASIC = "部门预算一般公共预算财政拨款基本支出表"


def fired(figures, rule_id: str) -> list[str]:
    return [f"{v.place} {v.message}" for v in run_rules(figures, [RULES[rule_id]])]


def basic(function: str, economic: str, yuan: str) -> Line:
    return Line(function, economic, Kind.BASIC, Source.GENERAL, Decimal(yuan))


def of_lines(*lines: Line, layouts: str = "hebei-2021") -> Figures:
    """The printed figures of a budget of these lines alone: in 万元 (hebei-2021), or in 元 (shanghai-2026)."""
    return figures_from_budget(BudgetData("202", "测试部门", 2021, CATALOGUE, lines), layouts=edition(layouts))


@pytest.mark.parametrize("rule_id", sorted(set(RULES) - {"A02"}))
def test_every_rule_is_silent_on_the_corrected_example_and_on_318(example, other, rule_id) -> None:
    assert fired(example, rule_id) == []
    assert fired(other, rule_id) == []


def test_the_only_remark_on_the_corrected_example_is_the_302_tail(example) -> None:
    remarks = [(v.rule, v.severity, v.place) for v in run_rules(example)]
    assert remarks == [
        ("A02", Severity.NOTICE, f"{BASIC}｜302 商品和服务支出｜合计"),
        ("A02", Severity.NOTICE, f"{BASIC}｜302 商品和服务支出｜公用经费"),
    ]


def test_a01_a_class_that_is_not_the_sum_of_its_items(example) -> None:
    broken = changed(example, "expenditure", "201", "total", "750.48")
    assert fired(broken, "A01") == [
        "部门预算支出总表｜合计｜合计 合计为 888.25，其下各级之和为 889.25",
        "部门预算支出总表｜201 一般公共服务支出｜合计 类 201为 750.48，其下各级之和为 749.48",
    ]


def test_a01_the_total_row_against_its_classes(example) -> None:
    broken = changed(example, "basic-economic", "", "total", "653.84")
    assert any("合计为 653.84" in message for message in fired(broken, "A01"))


def test_a02_a_tail_within_half_a_cent_per_part_is_only_a_notice(example) -> None:
    assert fired(example, "A01") == []
    assert len(fired(example, "A02")) == 2
    bigger = changed(example, "basic-economic", "302", "public", "121.87")
    assert any("302" in message for message in fired(bigger, "A01"))


def test_a02_one_notice_for_a_total_that_is_a_tail_both_of_its_classes_and_of_its_row() -> None:
    # 50 yuan of basic spending in 201 and 50 of project spending in 208 print 0.01 each; their 100 yuan prints 0.01.
    project = Line("2080505", "30108", Kind.PROJECT, Source.GENERAL, Decimal("50.00"), project="测试项目")
    figures = of_lines(basic("2013101", "30101", "50.00"), project)
    grand = figures.tables["expenditure"].by_key()[""]
    assert (grand.amount("total"), grand.amount("basic"), grand.amount("project")) == (Decimal("0.01"),) * 3
    notices = fired(figures, "A02")
    assert [n for n in notices if n.startswith("部门预算支出总表｜合计｜合计 ")] == [
        "部门预算支出总表｜合计｜合计 尾差 -0.01：合计为 0.01，分项之和为 0.02"
    ]
    places = [v.place for v in run_rules(figures, [RULES["A02"]])]
    assert len(places) == len(set(places)) == 5


def test_a01_amounts_are_printed_to_two_decimals_half_up_in_the_unit_of_their_table(example) -> None:
    # A workbook may print a cell off the cent: E01 reports it as written, the sums print as the table would.
    in_wan = changed(example, "expenditure", "201", "total", "750.485")
    assert fired(in_wan, "A01") == [
        "部门预算支出总表｜合计｜合计 合计为 888.25，其下各级之和为 889.26",
        "部门预算支出总表｜201 一般公共服务支出｜合计 类 201为 750.49，其下各级之和为 749.48",
    ]
    assert fired(in_wan, "E01") == ["部门预算支出总表｜201 一般公共服务支出｜合计 750.485 超过两位小数（万元）"]
    figures = of_lines(
        basic("2013101", "30101", "1234567.89"), basic("2080505", "30108", "100000.00"), layouts="shanghai-2026"
    )
    in_yuan = changed(figures, "expenditure", "201", "total", "1234600.005")
    assert fired(in_yuan, "A01") == [
        "2021年部门支出预算总表｜201 一般公共服务支出｜合计 类 201为 1234600.01，其下各级之和为 1234567.89",
        "2021年部门支出预算总表｜合计｜合计 合计为 1334567.89，其下各级之和为 1334600.01",
    ]


def test_a03_a_row_whose_columns_do_not_add_up(example) -> None:
    broken = changed(example, "expenditure", "2013101", "basic", "515.97")
    assert any("合计 594.97，各列之和为 595.97" in message for message in fired(broken, "A03"))


def test_a04_personnel_costs_in_the_public_column(example) -> None:
    broken = changed(example, "basic-economic", "30101", "public", "1.00")
    assert fired(broken, "A04") == [f"{BASIC}｜30101 基本工资｜公用经费 30101 基本工资 应全部列为人员经费"]


def test_b01_income_and_expenditure_of_a_code_differ(example) -> None:
    broken = changed(example, "income", "2101101", "total", "36.17")
    assert any("2101101 收入 36.17，支出 36.16" in message for message in fired(broken, "B01"))


def test_b02_summary_row_against_the_expenditure_table(example) -> None:
    key = row_key(example, "summary", "卫生健康支出")
    broken = changed(example, "summary", key, "out_amount", "36.26")
    assert any("卫生健康支出 36.26，支出总表为 36.16" in message for message in fired(broken, "B02"))


def test_b02_summary_income_against_the_income_table(example) -> None:
    key = row_key(example, "summary", "一般公共预算拨款收入")
    broken = changed(example, "summary", key, "in_amount", "880.00")
    assert any("三项财政拨款收入之和 880.00" in message for message in fired(broken, "B02"))


def test_b03_fiscal_summary_against_the_appropriation_tables(example) -> None:
    key = row_key(example, "fiscal-summary", "住房保障支出")
    broken = changed(example, "fiscal-summary", key, "out_general", "40.00")
    assert any("住房保障支出 40.00" in message for message in fired(broken, "B03"))


def test_b04_basic_economic_total_against_general_basic(example) -> None:
    broken = changed(example, "general-appropriation", "", "basic", "650.00")
    assert fired(broken, "B04") == [f"{BASIC}｜合计｜合计 基本支出表合计 653.74，一般公共预算财政拨款基本支出为 650.00"]


def test_b05_appropriations_beyond_the_expenditure_table(example) -> None:
    broken = changed(example, "general-appropriation", "2210201", "total", "50.00")
    assert any("2210201 财政拨款 50.00 超过支出总表 42.74" in message for message in fired(broken, "B05"))


def test_c01_a_blank_parent_above_non_zero_sub_items(example) -> None:
    key = row_key(example, "three-public", "公务用车购置及运维费")
    broken = changed(example, "three-public", key, "general", None)
    assert any("公务用车购置及运维费为 0.00，其分项之和为 18.90" in message for message in fired(broken, "C01"))


def test_c02_three_public_below_its_economic_code(example) -> None:
    key = row_key(example, "three-public", "公务用车运行维护费")
    broken = changed(example, "three-public", key, "general", "10.00")
    assert any("少于基本支出表科目 30231 的 18.90" in message for message in fired(broken, "C02"))


def test_c03_the_one_row_three_public_in_wan_below_its_economic_code_in_yuan() -> None:
    shanghai = figures_from_budget(data_of(luquan_202.BUDGET), layouts=edition("shanghai-2026"))
    assert fired(shanghai, "C03") == []
    broken = changed(shanghai, "three-public-running", "0", "vehicle_running", "10.00")
    [message] = fired(broken, "C03")
    assert message.endswith("公务用车运行维护费 10.00，少于基本支出表科目 30231 的 18.90")
    assert message.startswith("2021年部门“三公”经费和机关运行经费预算表｜")


def test_d01_pension_contributions_against_their_functional_code(example) -> None:
    broken = changed(example, "basic-economic", "30108", "total", "38.00")
    assert fired(broken, "D01") == [
        f"{BASIC}｜30108 机关事业单位基本养老保险缴费｜合计 "
        "养老保险和职业年金缴费：经济科目 30108 + 30109 为 38.00，功能科目 2080505 + 2080506 基本支出为 38.83"
    ]


def test_d01_medical_insurance_and_civil_servant_medical_aid_together_make_21011() -> None:
    # A municipal budget: 21011 行政事业单位医疗 holds both 30110 职工基本医疗保险缴费 and 30111 公务员医疗补助缴费.
    lines = (basic("2101101", "30110", "3300000.00"), basic("2101101", "30111", "1320000.00"))
    in_yuan = of_lines(*lines, layouts="shanghai-2026")
    assert in_yuan.tables["general-appropriation"].by_key()["21011"].amount("basic") == Decimal("4620000.00")
    assert in_yuan.tables["basic-economic"].by_key()["30110"].amount("total") == Decimal("3300000.00")
    assert fired(in_yuan, "D01") == []
    assert fired(of_lines(*lines), "D01") == []


def test_d01_a_group_that_does_not_add_up_names_its_codes_and_both_sums() -> None:
    # 60,000 yuan of 30108 booked under 2013101 行政运行 instead of its 20805 项.
    lines = (
        basic("2080505", "30108", "600000.00"),
        basic("2080506", "30109", "240000.50"),
        basic("2013101", "30108", "60000.00"),
        basic("2101101", "30110", "3300000.00"),
        basic("2101101", "30111", "1320000.00"),
    )
    [in_yuan] = fired(of_lines(*lines, layouts="shanghai-2026"), "D01")
    assert in_yuan.endswith(
        "｜30108 机关事业单位基本养老保险缴费｜合计 "
        "养老保险和职业年金缴费：经济科目 30108 + 30109 为 900000.50，功能科目 2080505 + 2080506 基本支出为 840000.50"
    )
    assert fired(of_lines(*lines), "D01") == [
        f"{BASIC}｜30108 机关事业单位基本养老保险缴费｜合计 "
        "养老保险和职业年金缴费：经济科目 30108 + 30109 为 90.00，功能科目 2080505 + 2080506 基本支出为 84.00"
    ]


def test_d01_a_code_missing_from_its_table_counts_as_zero() -> None:
    # 住房公积金 booked under 2013101: the 功能 table has no 2210201; then the other way round, under another 款.
    assert fired(of_lines(basic("2013101", "30113", "123456.00")), "D01") == [
        f"{BASIC}｜30113 住房公积金｜合计 住房公积金：经济科目 30113 为 12.35，功能科目 2210201 基本支出为 0.00"
    ]
    [message] = fired(of_lines(basic("2210201", "30112", "123456.00")), "D01")
    assert message.endswith(
        "｜2210201 住房公积金｜基本支出 住房公积金：经济科目 30113 为 0.00，功能科目 2210201 基本支出为 12.35"
    )


def test_d01_allows_the_rounding_of_a_group_of_several_codes() -> None:
    # 30110 and 30111 of 50 yuan each print 0.01 and 0.01, while their 21011 of 100 yuan prints once as 0.01.
    figures = of_lines(basic("2101101", "30110", "50.00"), basic("2101101", "30111", "50.00"))
    assert figures.tables["general-appropriation"].by_key()["21011"].amount("basic") == Decimal("0.01")
    assert fired(figures, "D01") == []
    # 200 yuan of 30111 outside 21011: 0.01 + 0.02 against 0.01 is beyond the 0.015 of three printed cells.
    beyond = of_lines(basic("2101101", "30110", "50.00"), basic("2013101", "30111", "200.00"))
    assert fired(beyond, "D01") == [
        f"{BASIC}｜30110 职工基本医疗保险缴费｜合计 "
        "行政事业单位医疗：经济科目 30110 + 30111 为 0.03，功能科目 21011 基本支出为 0.01"
    ]


def test_e01_three_decimals(example) -> None:
    broken = changed(example, "basic-economic", "302", "total", "121.783")
    assert fired(broken, "E01") == [f"{BASIC}｜302 商品和服务支出｜合计 121.783 超过两位小数（万元）"]


def test_e02_negative_amount(example) -> None:
    broken = changed(example, "expenditure", "2013103", "project", "-4.50")
    assert any("-4.50 为负数" in message for message in fired(broken, "E02"))


def test_the_catalogue_has_one_test_per_rule() -> None:
    names = [*globals(), *vars(performance_rule_tests), *vars(name_rule_tests)]
    tested = {name.split("_")[1].upper() for name in names if re.fullmatch(r"test_[a-z]\d\d_.*", name)}
    assert set(RULES) <= tested | {"A02"}


@settings(max_examples=150, deadline=None, database=None)
@given(budgets())
def test_no_budget_the_product_prints_breaks_an_error_rule(data) -> None:
    errors = [v for v in run_rules(figures_from_budget(data)) if v.severity is Severity.ERROR]
    assert errors == []


def test_c02_allows_the_rounding_of_two_vehicle_purchase_codes() -> None:
    # 30913 and 31013 of 50 yuan each print 0.01 and 0.01, while their 100 yuan print once as 0.01.
    lines = (
        Line("2013101", "30913", Kind.BASIC, Source.GENERAL, Decimal("50.00")),
        Line("2013101", "31013", Kind.BASIC, Source.GENERAL, Decimal("50.00")),
    )
    figures = figures_from_budget(BudgetData("202", "测试部门", 2021, CATALOGUE, lines))
    assert fired(figures, "C02") == []


def test_t01_a_placeholder_left_in_a_narrative(example) -> None:
    texts = replace(example, texts={"部门职责": "负责……（待填写）", "项目名称｜党代会经费": "党代会经费"})
    assert fired(texts, "T01") == ["部门职责 含有占位符“待填写”"]
    assert fired(replace(example, texts={"项目名称｜x": "xxxx 工程二期建设"}), "T01") == [
        "项目名称｜x 含有占位符“xxxx”"
    ]


def test_t02_a_broken_reference_in_a_narrative(example) -> None:
    texts = replace(example, texts={"目录": "三、机关运行经费安排情况\t错误！未定义书签。"})
    assert fired(texts, "T02") == ["目录 含有失效的引用“错误！未定义书签”"]
    assert fired(replace(example, texts={"部门职责": "负责推动党中央决策部署的落实。"}), "T02") == []


def test_k01_a_formal_budget_over_its_control_figures() -> None:
    data = data_of(luquan_202.BUDGET)
    limits = control_actuals(data.lines)
    assert fired(figures_from_budget(data, control=limits), "K01") == []
    tighter = {**limits, "basic": limits["basic"] - Decimal("100.00"), "three_public": Decimal("200000.00")}
    assert fired(figures_from_budget(data, control=tighter), "K01") == [
        "控制数｜基本支出 基本支出 653.74 万元，超过控制数 653.73 万元，超出 0.01 万元（100.00 元）。",
        "控制数｜“三公”经费 “三公”经费 26.40 万元，超过控制数 20.00 万元，超出 6.40 万元（64,000.00 元）。",
    ]


def test_k01_prints_two_decimals_of_wan_and_the_exact_excess_in_yuan() -> None:
    # 28,882,530 yuan asked (2888.253 万元) against 28,882,529.50 allowed: the excess is below a cent of 万元.
    data = BudgetData("202", "测试部门", 2021, CATALOGUE, (basic("2013101", "30101", "28882530.00"),))
    limits = {**control_actuals(data.lines), "total": Decimal("28882529.50"), "basic": Decimal("28882529.50")}
    assert fired(figures_from_budget(data, control=limits), "K01") == [
        "控制数｜财政拨款支出合计 财政拨款支出合计 2888.25 万元，超过控制数 2888.25 万元，超出 0.00 万元（0.50 元）。",
        "控制数｜基本支出 基本支出 2888.25 万元，超过控制数 2888.25 万元，超出 0.00 万元（0.50 元）。",
    ]


def test_x01_a_number_of_the_explanation_must_equal_its_table_cell(example) -> None:
    """More in tests/disclosure/test_explanation.py: silent on the demo, fires when a claim disagrees."""
    from dataclasses import replace as replaced

    from domain.explanation import Claim, Explanation, Section

    wrong = Explanation((Section("四", "“三公”", claims=(Claim("26.5", "three-public", "合计", "total"),)),))
    assert fired(replaced(example, explanation=wrong), "X01") == [
        "情况说明｜四、“三公”｜合计 文中写作 26.5 万元，部门预算财政拨款“三公”经费支出表｜第1行｜合计 为 26.40 万元"
    ]
    right = Explanation((Section("四", "“三公”", claims=(Claim("26.4", "three-public", "合计", "total"),)),))
    assert fired(replaced(example, explanation=right), "X01") == []
