"""Each performance rule fires on a target that breaks it and is silent on the corrected example and on 318.

The example as published carries exactly the defects of spec §5.2–5.4 and 5.7; corrected, it has none.
"""

from dataclasses import replace
from decimal import Decimal

import pytest

from demo import luquan_202, luquan_318
from demo.targets_202 import AS_PUBLISHED, CORRECTED
from domain.audit.model import CATALOGUE, Figures, Severity
from domain.audit.rules import run_rules
from domain.classifications import Kind, Source
from domain.ledger import Line
from domain.performance.targets import Indicator, Performance, TargetTable
from domain.performance.values import parse_value
from official.audit import figures_from_budget
from tests.support.figures import data_of

PERFORMANCE_RULES = sorted(rule for rule in CATALOGUE if rule.startswith("P"))


def figures(performance: Performance | None = None, spec=luquan_202.BUDGET) -> Figures:
    data = data_of(spec)
    return figures_from_budget(replace(data, performance=performance if performance is not None else data.performance))


def fired(figures: Figures, rule_id: str) -> list[str]:
    return [f"{v.place} {v.message}" for v in run_rules(figures, [CATALOGUE[rule_id]])]


def with_row(project: str, row: int, **changes) -> Performance:
    """The corrected example with one indicator row of one project's table changed."""
    tables = []
    for table in CORRECTED.targets:
        if table.project == project:
            rows = list(table.indicators)
            rows[row - 1] = replace(rows[row - 1], **changes)
            table = replace(table, indicators=tuple(rows))
        tables.append(table)
    return replace(CORRECTED, targets=tuple(tables))


@pytest.mark.parametrize("rule_id", PERFORMANCE_RULES)
def test_silent_on_the_corrected_example_and_on_318(rule_id) -> None:
    assert fired(figures(CORRECTED), rule_id) == []
    assert fired(figures(spec=luquan_318.BUDGET), rule_id) == []


def test_the_example_as_published_has_exactly_the_defects_of_spec_5() -> None:
    found = [(v.rule, v.severity, v.place) for v in run_rules(figures(AS_PUBLISHED)) if v.rule.startswith("P")]
    assert found == [
        ("P05", Severity.ERROR, "绩效目标表｜党代会经费｜第10行 人大代表满意度｜指标值"),
        ("P05", Severity.ERROR, "绩效目标表｜会议接待费｜第9行 会议满意度｜指标值"),
        ("P05", Severity.ERROR, "绩效目标表｜专项公用经费｜第13行 培训满意度｜指标值"),
        ("P05", Severity.ERROR, "绩效目标表｜宣传推介费｜第10行 普法宣传对象满意度(%)｜指标值"),
        ("P06", Severity.ERROR, "绩效目标表｜省委视联网视频调度系统｜第8行 满意率｜指标值"),
        ("P08", Severity.ERROR, "绩效目标表｜宣传推介费｜第4行 宣传活动次数｜指标值"),
        ("P09", Severity.WARNING, "部门整体绩效目标｜分项绩效目标1 党代会经费"),
    ]


def test_p01_a_project_with_spending_and_no_target_table() -> None:
    without = replace(CORRECTED, targets=CORRECTED.targets[1:])
    assert fired(figures(without), "P01") == [
        "绩效目标表｜党代会经费 项目“党代会经费”有项目支出 20.00 万元，但没有绩效目标表。"
    ]


def test_p01_prints_the_project_amount_in_wan_to_two_decimals() -> None:
    data = data_of(luquan_202.BUDGET)
    extra = (
        Line("2013101", "30215", Kind.PROJECT, Source.GENERAL, Decimal("138514.80"), project="档案数字化"),
        Line("2013101", "31002", Kind.PROJECT, Source.GENERAL, Decimal("28544130.00"), project="办公设备购置"),
    )
    found = fired(figures_from_budget(replace(data, lines=(*data.lines, *extra), performance=CORRECTED)), "P01")
    assert found == [
        "绩效目标表｜办公设备购置 项目“办公设备购置”有项目支出 2854.41 万元，但没有绩效目标表。",
        "绩效目标表｜档案数字化 项目“档案数字化”有项目支出 13.85 万元，但没有绩效目标表。",
    ]


def test_p02_a_table_without_satisfaction_indicators() -> None:
    table = CORRECTED.targets[0]
    cut = replace(table, indicators=tuple(i for i in table.indicators if i.level1 != "满意度指标"))
    assert fired(figures(replace(CORRECTED, targets=(cut, *CORRECTED.targets[1:]))), "P02") == [
        "绩效目标表｜党代会经费 缺少满意度指标。"
    ]


def test_p03_a_value_that_does_not_parse_is_kept_and_listed() -> None:
    broken = with_row("党代会经费", 1, value=parse_value("约5场"))
    assert fired(figures(broken), "P03") == [
        "绩效目标表｜党代会经费｜第1行 计划租场地｜指标值 指标值“约5场”无法识别，应为如“≥98%”“5 场”“保障”的形式。"
    ]


def test_p04_a_pair_outside_the_framework() -> None:
    broken = with_row("党代会经费", 1, level2="社会效益指标")
    assert fired(figures(broken), "P04") == [
        "绩效目标表｜党代会经费｜第1行 计划租场地｜二级指标 “产出指标／社会效益指标”不在指标体系中。"
    ]


def test_p05_satisfaction_capped_from_above() -> None:
    broken = with_row("因公出国", 9, value=parse_value("<90%"))
    assert len(fired(figures(broken), "P05")) == 1


def test_p06_satisfaction_that_is_not_a_percentage() -> None:
    assert fired(figures(with_row("因公出国", 9, value=parse_value("满意"))), "P06") != []
    assert fired(figures(with_row("因公出国", 9, value=parse_value("≥98 分"))), "P06") != []


def test_p07_a_percentage_above_100() -> None:
    broken = with_row("党代会经费", 3, value=parse_value("≥120%"))
    assert fired(figures(broken), "P07") == [
        "绩效目标表｜党代会经费｜第3行 人大代表参与率｜指标值 指标值“≥120%”超过100%。"
    ]
    assert fired(figures(with_row("党代会经费", 3, value=parse_value("≤120%"))), "P07") == []


def test_p08_a_count_in_percent() -> None:
    broken = with_row("会议接待费", 1, value=parse_value("5%"))
    assert fired(figures(broken), "P08") == [
        "绩效目标表｜会议接待费｜第1行 计划会议数量｜指标值 "
        "“计划会议数量”是计数，指标值“5%”的单位应为次、人、个等，不能是“%”。"
    ]


def test_p09_dates_outside_the_year_but_not_history() -> None:
    table = CORRECTED.targets[0]
    for goal, expected in (
        ("2022年3月底前完成", ["绩效目标表｜党代会经费｜绩效目标 “2022年3月”不在2021年度内。"]),
        ("2019年10月1日前设备已互联互通", []),
        ("2021年5月完成", []),
    ):
        performance = replace(CORRECTED, targets=(replace(table, goal=goal), *CORRECTED.targets[1:]))
        assert fired(figures(performance), "P09") == expected


@pytest.mark.parametrize(
    ("value", "fires"),
    [("20 万", False), ("≤20 万元", False), ("≥20 万", False), ("200000 元", False), ("18 万", True), ("≥25 万", True),
     ("≤19 万", True), ("<20 万", True)],
)  # fmt: skip
def test_p10_a_cost_indicator_against_the_project_amount(value, fires) -> None:
    table = TargetTable("党代会经费", "", (Indicator("产出指标", "成本指标", "会议成本", "", parse_value(value), ""),))
    performance = replace(CORRECTED, targets=(replace(CORRECTED.targets[0], indicators=table.indicators),))
    assert bool(fired(figures(performance), "P10")) is fires
    assert Decimal("200000.00") == figures(performance).project_amounts["党代会经费"]


def test_p10_names_the_project_amount_in_wan_and_in_exact_yuan() -> None:
    # 200,000.40 yuan prints as 20.00 万元, yet exceeds a cost of at most 20 万.
    table = TargetTable(
        "党代会经费", "", (Indicator("产出指标", "成本指标", "会议成本", "", parse_value("≤20 万"), ""),)
    )
    performance = replace(CORRECTED, targets=(replace(CORRECTED.targets[0], indicators=table.indicators),))
    over = replace(figures(performance), project_amounts={"党代会经费": Decimal("200000.40")})
    assert fired(over, "P10") == [
        "绩效目标表｜党代会经费｜第1行 会议成本｜指标值 成本指标“≤20 万”与项目预算 20.00 万元（200,000.40 元）不符。"
    ]
