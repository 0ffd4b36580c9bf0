"""Audit rules of performance targets (P01–P10): plain functions over the targets and the project amounts."""

import re
from collections.abc import Iterator
from decimal import Decimal

from domain.audit.model import Cell, Figures, Severity, fmt, rule
from domain.money import YUAN_PER_WAN, DisplayUnit
from domain.performance.framework import COST, FRAMEWORK, LEVEL1, SATISFACTION
from domain.performance.targets import Indicator, TargetTable

MONEY_UNITS = {"元": Decimal(1), "万": YUAN_PER_WAN, "万元": YUAN_PER_WAN}
# 三级指标 names that count things (宣传活动次数, 参会人数 …): a percentage does not fit them.
COUNT_WORDS = ("次数", "人数", "个数", "件数", "场次", "数量")
# A year and month (and day); one followed by 前/以前/以来/之前 tells history, not what the budget plans.
DATE = re.compile(
    r"(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月(?:\s*份|\s*\d{1,2}\s*日)?(?P<before>\s*(?:以前|之前|以来|前))?"
)


def _tables(figures: Figures) -> tuple[TargetTable, ...]:
    return figures.performance.targets if figures.performance else ()


GOALS_ANCHOR = "department-goals"  # the element ids of the targets page (official.targets_layout)


def table_anchor(figures: Figures, project: str) -> str:
    numbers = {table.project: number for number, table in enumerate(_tables(figures), start=1)}
    return f"target-{numbers[project]}" if project in numbers else ""


def _indicators(figures: Figures) -> Iterator[tuple[TargetTable, int, Indicator]]:
    for table in _tables(figures):
        for number, indicator in enumerate(table.indicators, start=1):
            yield table, number, indicator


def place(table: TargetTable, number: int, indicator: Indicator, column: str = "指标值") -> str:
    return f"绩效目标表｜{table.project}｜第{number}行 {indicator.name}｜{column}"


def at(figures: Figures, where: str) -> Cell:
    """A place of the targets, with the anchor of its table (or of the department goals) on the targets page."""
    if where.startswith("部门整体绩效目标"):
        return Cell(None, where, GOALS_ANCHOR)
    project = where.split("｜")[1] if where.startswith("绩效目标表｜") else ""
    return Cell(None, where, table_anchor(figures, project))


def is_satisfaction(indicator: Indicator) -> bool:
    return indicator.level1 == SATISFACTION or "满意" in indicator.name


@rule("P01", Severity.ERROR, "每个有项目支出的项目都有绩效目标表")
def project_without_targets(figures: Figures) -> Iterator[tuple[str, str]]:
    if figures.performance is None or figures.project_amounts is None:
        return
    with_targets = {table.project for table in figures.performance.targets if table.indicators}
    for project, amount in sorted(figures.project_amounts.items()):
        if amount > 0 and project not in with_targets:
            yield (
                f"绩效目标表｜{project}",
                f"项目“{project}”有项目支出 {fmt(amount, DisplayUnit.WAN)}，但没有绩效目标表。",
            )


@rule("P02", Severity.ERROR, "每张绩效目标表的产出、效益、满意度指标各至少一项")
def missing_level1(figures: Figures) -> Iterator[tuple[Cell, str]]:
    for table in _tables(figures):
        present = {indicator.level1 for indicator in table.indicators}
        for level1 in LEVEL1:
            if level1 not in present:
                yield at(figures, f"绩效目标表｜{table.project}"), f"缺少{level1}。"


@rule("P03", Severity.ERROR, "指标值可以识别：比较符、数值、单位，或定性词语（无法识别的原样保留并列出）")
def unparsed_value(figures: Figures) -> Iterator[tuple[Cell, str]]:
    for table, number, indicator in _indicators(figures):
        if not indicator.value.parsed:
            shown = indicator.value.raw or "（空）"
            message = f"指标值“{shown}”无法识别，应为如“≥98%”“5 场”“保障”的形式。"
            yield at(figures, place(table, number, indicator)), message


@rule("P04", Severity.ERROR, "一级、二级指标属于指标体系")
def outside_framework(figures: Figures) -> Iterator[tuple[Cell, str]]:
    for table, number, indicator in _indicators(figures):
        if indicator.level2 not in FRAMEWORK.get(indicator.level1, ()):
            yield (
                at(figures, place(table, number, indicator, "二级指标")),
                f"“{indicator.level1}／{indicator.level2}”不在指标体系中。",
            )


@rule("P05", Severity.ERROR, "满意度指标不能用“≤”或“<”（满意度应设下限）")
def satisfaction_capped(figures: Figures) -> Iterator[tuple[Cell, str]]:
    for table, number, indicator in _indicators(figures):
        if is_satisfaction(indicator) and indicator.value.comparator in ("≤", "<"):
            message = f"满意度指标值“{indicator.value}”的比较符方向错误，应为“≥”。"
            yield at(figures, place(table, number, indicator)), message


@rule("P06", Severity.ERROR, "满意度指标值是不超过100%的百分比")
def satisfaction_not_a_percentage(figures: Figures) -> Iterator[tuple[Cell, str]]:
    for table, number, indicator in _indicators(figures):
        value = indicator.value
        if is_satisfaction(indicator) and value.parsed and not value.is_percentage:
            yield at(figures, place(table, number, indicator)), f"满意度指标值“{value}”不是有效的百分比（如“≥95%”）。"


@rule("P07", Severity.ERROR, "百分比不超过100%")
def percentage_above_100(figures: Figures) -> Iterator[tuple[Cell, str]]:
    for table, number, indicator in _indicators(figures):
        value = indicator.value
        percent = value.number if value.is_percentage else None
        if percent is not None and percent > 100 and value.comparator not in ("≤", "<"):
            yield at(figures, place(table, number, indicator)), f"指标值“{value}”超过100%。"


@rule("P08", Severity.ERROR, "计数类指标（次数、人数、数量…）不能以“%”为单位")
def count_with_percent(figures: Figures) -> Iterator[tuple[Cell, str]]:
    for table, number, indicator in _indicators(figures):
        if indicator.value.is_percentage and any(word in indicator.name for word in COUNT_WORDS):
            yield (
                at(figures, place(table, number, indicator)),
                f"“{indicator.name}”是计数，指标值“{indicator.value}”的单位应为次、人、个等，不能是“%”。",
            )


@rule("P09", Severity.WARNING, "绩效目标中的日期在预算年度内（写明“以前”的历史日期除外）")
def date_outside_year(figures: Figures) -> Iterator[tuple[Cell, str]]:
    if figures.performance is None or figures.year is None:
        return
    for where, text in figures.performance.texts().items():
        for match in DATE.finditer(text):
            if int(match["year"]) != figures.year and not match["before"]:
                yield at(figures, where), f"“{match.group(0).strip()}”不在{figures.year}年度内。"


@rule("P10", Severity.ERROR, "成本指标与项目预算金额相符")
def cost_contradicts_amount(figures: Figures) -> Iterator[tuple[Cell, str]]:
    amounts = figures.project_amounts or {}
    for table, number, indicator in _indicators(figures):
        value = indicator.value
        if indicator.level2 != COST or value.number is None or value.unit not in MONEY_UNITS:
            continue
        if table.project not in amounts:
            continue
        cost, amount = value.number * MONEY_UNITS[value.unit], amounts[table.project]
        contradiction = {
            "": cost != amount,
            "=": cost != amount,
            "≤": amount > cost,
            "<": amount >= cost,
            "≥": cost > amount,
            ">": cost >= amount,
        }[value.comparator]
        if contradiction:
            yield (
                at(figures, place(table, number, indicator)),
                f"成本指标“{value}”与项目预算 {fmt(amount, DisplayUnit.WAN, exact=True)}不符。",
            )
