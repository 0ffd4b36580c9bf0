"""The example's performance targets as plain data: as published, and corrected for the demo budget.

The corrections are exactly the defects of spec §5.2–5.4 and 5.7, each listed with its reason.
"""

from demo import targets_202_as_published as published
from domain.performance.targets import DepartmentGoals, Indicator, Performance, SubGoal, TargetTable
from domain.performance.values import parse_value

# project, 三级指标, 指标值 as published, corrected 指标值, why
VALUE_CORRECTIONS: tuple[tuple[str, str, str, str, str], ...] = (
    ("党代会经费", "人大代表满意度", "≤98%", "≥98%", "§5.2 满意度指标的比较符方向错误"),
    ("会议接待费", "会议满意度", "≤98%", "≥98%", "§5.2 满意度指标的比较符方向错误"),
    ("专项公用经费", "培训满意度", "≤98%", "≥98%", "§5.2 满意度指标的比较符方向错误"),
    ("宣传推介费", "普法宣传对象满意度(%)", "≤98%", "≥98%", "§5.2 满意度指标的比较符方向错误"),
    ("省委视联网视频调度系统", "满意率", "≥985", "≥98%", "§5.3 不是有效的百分比"),
    ("宣传推介费", "宣传活动次数", "≤5%", "≥5 次", "§5.4 计数指标不能以 % 为单位（目标为组织宣传活动不少于 5 次）"),
)
# sub-goal title, text as published, corrected text, why
TEXT_CORRECTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("党代会经费", "2020年1月份完成", "2021年1月份完成", "§5.7 日期不在预算年度内（党代会于 2021 年第一季度召开）"),
)


def _performance(values: dict[tuple[str, str], str], texts: dict[tuple[str, str], str]) -> Performance:
    def sub_goal(title: str, goal: str, indicators: str) -> SubGoal:
        for (where, old), new in texts.items():
            if where == title:
                goal, indicators = goal.replace(old, new), indicators.replace(old, new)
        return SubGoal(title, goal, indicators)

    return Performance(
        goals=DepartmentGoals(
            published.OVERALL, tuple(sub_goal(*sub) for sub in published.SUB_GOALS), published.MEASURES
        ),
        targets=tuple(
            TargetTable(
                project,
                goal,
                tuple(
                    Indicator(level1, level2, name, description, parse_value(values.get((project, name), value)), basis)
                    for level1, level2, name, description, value, basis in rows
                ),
            )
            for project, goal, rows in published.TARGETS
        ),
    )


AS_PUBLISHED: Performance = _performance({}, {})
CORRECTED: Performance = _performance(
    {(project, name): new for project, name, _, new, _ in VALUE_CORRECTIONS},
    {(title, old): new for title, old, new, _ in TEXT_CORRECTIONS},
)
