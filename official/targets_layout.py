"""The 预算绩效信息 of the disclosure (spec §3), as one layout for the web page, the workbook and its reader.

Each project's 绩效目标表 prints, from the top: its title ``N、{project}绩效目标表`` (N counts the tables from 1),
the department line and 预算年度 like the other tables, the 绩效目标 row (the label, then the goal across the
other columns), the header 一级指标 | 二级指标 | 三级指标 | 绩效指标描述 | 指标值 | 指标值确定依据, and one row per
indicator. 一级指标 is printed once for each run of rows that share it (merged vertically in the workbook, a
rowspan on the page). 指标值 prints in the official style (``IndicatorValue.__str__``: ``≥98%``, ``5 场``).

部门整体绩效目标 prints 一、总体绩效目标 (one paragraph a row), 二、分项绩效目标 (a table 名称 | 绩效目标 | 绩效指标)
and 三、工作保障措施 (one paragraph a row). Blank lines of these texts are not printed.

There are no amounts in these tables: nothing is scaled to 万元, and no 单位 line is printed.
"""

import re
from dataclasses import dataclass

from domain.numerals import chinese_ordinal
from domain.performance.targets import DepartmentGoals, Performance, SubGoal, TargetTable
from official.layout import Column, text

GOAL_LABEL = "绩效目标"
TARGET_TITLE_SUFFIX = "绩效目标表"
# What a reader accepts as a title: the number is optional, 、 may be typed as . or ，
TARGET_TITLE = re.compile(r"^\s*(?:(?P<number>\d+)\s*[、.．,，]\s*)?(?P<project>\S.*?)\s*绩效目标表\s*$")
TARGET_SHEET_PREFIX = "绩效目标表"  # sheets 绩效目标表1, 绩效目标表2 … (Excel: unique, at most 31 characters)

TARGET_COLUMNS: tuple[Column, ...] = (
    text("level1", "一级指标", 12),
    text("level2", "二级指标", 16),
    text("name", "三级指标", 26),
    text("description", "绩效指标描述", 40),
    text("value", "指标值", 14),
    text("basis", "指标值确定依据", 26),
)
TARGET_KEYS: tuple[str, ...] = tuple(column.key for column in TARGET_COLUMNS)

GOALS_TITLE = "部门整体绩效目标"
GOALS_SHEET = GOALS_TITLE
OVERALL_HEADING = "一、总体绩效目标"
SUB_GOALS_HEADING = "二、分项绩效目标"
MEASURES_HEADING = "三、工作保障措施"
# The headings without their numbering, as a reader compares them.
HEADINGS = {"总体绩效目标": "overall", "分项绩效目标": "sub_goals", "工作保障措施": "measures"}
HEADING_NUMBER = re.compile(r"^[（(]?[一二三四五六七八九十0-9]+[)）]?[、.．]?")
SUB_GOAL_COLUMNS: tuple[Column, ...] = (
    text("title", "名称", 24),
    text("goal", "绩效目标", 60),
    text("indicators", "绩效指标", 60),
)
SUB_GOAL_KEYS: tuple[str, ...] = tuple(column.key for column in SUB_GOAL_COLUMNS)

# What the stored fields hold (performance.models; a test keeps the two equal): longer text is refused on import.
MAX_LENGTHS: dict[str, int] = {
    "name": 200,
    "description": 500,
    "value": 200,  # Indicator.raw, the 指标值 as read
    "basis": 500,
    "title": 200,  # SubGoal.title
    "project": 200,  # Project.name, from the table's title
}


@dataclass(frozen=True)
class PrintedIndicator:
    cells: tuple[str, ...]  # the six texts in the order of TARGET_COLUMNS; 一级指标 on every row
    level1_rows: int  # how many rows the 一级指标 cell spans from this row; 0 below the first row of a run

    @property
    def level1(self) -> str:
        return self.cells[0]

    @property
    def rest(self) -> tuple[str, ...]:
        return self.cells[1:]


@dataclass(frozen=True)
class PrintedTargets:
    number: int  # 1-based position among the budget's target tables
    project: str
    goal: str
    department_line: str
    year: int
    rows: tuple[PrintedIndicator, ...]

    @property
    def title(self) -> str:
        return f"{self.number}、{self.project}{TARGET_TITLE_SUFFIX}"

    @property
    def anchor(self) -> str:
        """The element id of the table on the targets page."""
        return f"target-{self.number}"

    @property
    def sheet_name(self) -> str:
        return f"{TARGET_SHEET_PREFIX}{self.number}"

    @property
    def year_line(self) -> str:
        return f"预算年度：{self.year}"


@dataclass(frozen=True)
class PrintedGoals:
    department_line: str
    year: int
    overall: tuple[str, ...]  # paragraphs
    sub_goals: tuple[SubGoal, ...]
    measures: tuple[str, ...]  # paragraphs

    title = GOALS_TITLE
    sheet_name = GOALS_SHEET

    @property
    def year_line(self) -> str:
        return f"预算年度：{self.year}"

    @property
    def is_empty(self) -> bool:
        return not (self.overall or self.sub_goals or self.measures)

    @property
    def numbered_sub_goals(self) -> list[tuple[str, SubGoal]]:
        """Each sub-goal with its heading as the disclosure prints it: （一）党代会经费."""
        return [
            (f"（{chinese_ordinal(number) if number < 100 else number}）{sub.title}", sub)
            for number, sub in enumerate(self.sub_goals, start=1)
        ]


def paragraphs(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def indicator_cells(table: TargetTable) -> list[tuple[str, ...]]:
    """Each indicator's six printed texts."""
    return [(row.level1, row.level2, row.name, row.description, str(row.value), row.basis) for row in table.indicators]


def _printed_rows(table: TargetTable) -> tuple[PrintedIndicator, ...]:
    cells = indicator_cells(table)
    rows = []
    for index, row in enumerate(cells):
        if index and cells[index - 1][0] == row[0]:
            rows.append(PrintedIndicator(row, 0))
            continue
        run = 1
        while index + run < len(cells) and cells[index + run][0] == row[0]:
            run += 1
        rows.append(PrintedIndicator(row, run))
    return tuple(rows)


def print_targets(performance: Performance, department_line: str, year: int) -> list[PrintedTargets]:
    return [
        PrintedTargets(number, table.project, table.goal, department_line, year, _printed_rows(table))
        for number, table in enumerate(performance.targets, start=1)
    ]


def print_goals(goals: DepartmentGoals, department_line: str, year: int) -> PrintedGoals:
    return PrintedGoals(
        department_line, year, paragraphs(goals.overall), tuple(goals.sub_goals), paragraphs(goals.measures)
    )


def has_targets(performance: Performance) -> bool:
    """Whether there is anything to print: the workbook writes the 绩效目标 sheets only then."""
    return bool(performance.targets) or not print_goals(performance.goals, "", 0).is_empty
