"""What keeps performance targets from being stored: texts within their columns, indicators within the framework."""

from decimal import Decimal

from domain.errors import FigureError
from domain.numerals import decimal_places
from domain.performance.framework import FRAMEWORK
from domain.performance.targets import DepartmentGoals, Performance, TargetTable

MAX_NUMBER = Decimal("1e14")
MAX_PLACES = 6  # the decimal places Indicator.number keeps
# The lengths the columns hold (the text fields have no limit in the database; these keep pages and tables sane).
MAX_TITLE = 200  # SubGoal.title, 三级指标
MAX_DESCRIPTION = 500  # 绩效指标描述, 指标值确定依据
MAX_UNIT = 10
MAX_WORD = 40
MAX_RAW = 200
MAX_GOAL = 2000  # a project's 绩效目标, a sub-goal's goal and indicators
MAX_GOALS_TEXT = 5000  # 总体绩效目标, 工作保障措施


def _too_long(label: str, text: str, limit: int) -> str | None:
    return f"{label}过长（{len(text)} 字），最多 {limit} 字。" if len(text) > limit else None


def goals_errors(goals: DepartmentGoals) -> list[FigureError]:
    """What keeps the department's goals from being stored."""
    problems = [
        _too_long("总体绩效目标", goals.overall, MAX_GOALS_TEXT),
        _too_long("工作保障措施", goals.measures, MAX_GOALS_TEXT),
    ]
    for number, sub in enumerate(goals.sub_goals, start=1):
        where = f"分项绩效目标第{number}项"
        problems += [
            None if sub.title.strip() else f"{where}：名称不能为空。",
            _too_long(f"{where}：名称", sub.title, MAX_TITLE),
            _too_long(f"{where}：绩效目标", sub.goal, MAX_GOAL),
            _too_long(f"{where}：绩效指标", sub.indicators, MAX_GOAL),
        ]
    return [FigureError(0, problem) for problem in problems if problem]


def table_errors(table: TargetTable) -> list[FigureError]:
    """What keeps one target table from being stored (the rules judge the rest, e.g. an unparsed 指标值)."""
    problems = [_too_long(f"绩效目标表｜{table.project}｜绩效目标", table.goal, MAX_GOAL)]
    for number, indicator in enumerate(table.indicators, start=1):
        where = f"绩效目标表｜{table.project}｜第{number}行"
        value = indicator.value
        if indicator.level2 not in FRAMEWORK.get(indicator.level1, ()):
            problems.append(f"{where}：“{indicator.level1}／{indicator.level2}”不在指标体系中。")
        if not indicator.name.strip():
            problems.append(f"{where}：三级指标不能为空。")
        figure = value.number
        if figure is not None and (
            not figure.is_finite()
            or figure < 0
            or figure >= MAX_NUMBER
            or decimal_places(figure.normalize()) > MAX_PLACES
        ):
            problems.append(f"{where}：指标值数值无效（应为不小于0、小于10¹⁴、最多六位小数的数）。")
        problems += [
            _too_long(f"{where}：三级指标", indicator.name, MAX_TITLE),
            _too_long(f"{where}：绩效指标描述", indicator.description, MAX_DESCRIPTION),
            _too_long(f"{where}：指标值确定依据", indicator.basis, MAX_DESCRIPTION),
            _too_long(f"{where}：单位", value.unit, MAX_UNIT),
            _too_long(f"{where}：定性指标值", value.word, MAX_WORD),
            _too_long(f"{where}：指标值", value.raw, MAX_RAW),
        ]
    return [FigureError(0, problem) for problem in problems if problem]


def performance_errors(performance: Performance, projects: set[str]) -> list[FigureError]:
    """What keeps these targets from being stored."""
    errors = goals_errors(performance.goals)
    seen: set[str] = set()
    for table in performance.targets:
        if table.project not in projects:
            errors.append(FigureError(0, f"绩效目标表的项目“{table.project}”不是本预算的项目。"))
        if table.project in seen:
            errors.append(FigureError(0, f"项目“{table.project}”有两张绩效目标表。"))
        seen.add(table.project)
        errors += table_errors(table)
    return errors
