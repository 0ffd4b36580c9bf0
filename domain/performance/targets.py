"""Performance targets as plain data: the department's goals and one target table per project."""

from dataclasses import dataclass, field

from domain.performance.values import IndicatorValue


@dataclass(frozen=True)
class Indicator:
    level1: str  # 一级指标
    level2: str  # 二级指标
    name: str  # 三级指标 (free text)
    description: str  # 绩效指标描述
    value: IndicatorValue  # 指标值
    basis: str = ""  # 指标值确定依据


@dataclass(frozen=True)
class TargetTable:
    """The 绩效目标表 of one project."""

    project: str
    goal: str
    indicators: tuple[Indicator, ...] = ()


@dataclass(frozen=True)
class SubGoal:
    """One 分项绩效目标 of the department: usually a project, with its goal and its indicators in words."""

    title: str
    goal: str
    indicators: str


@dataclass(frozen=True)
class DepartmentGoals:
    """部门整体绩效目标: the overall goals, the sub-goals and the 工作保障措施."""

    overall: str = ""
    sub_goals: tuple[SubGoal, ...] = ()
    measures: str = ""


@dataclass(frozen=True)
class Performance:
    goals: DepartmentGoals = field(default_factory=DepartmentGoals)
    targets: tuple[TargetTable, ...] = ()

    def texts(self) -> dict[str, str]:
        """Every narrative field by the place the rules name, for the text rules (placeholders, references)."""
        texts = {}
        if self.goals.overall:
            texts["部门整体绩效目标｜总体绩效目标"] = self.goals.overall
        for number, sub in enumerate(self.goals.sub_goals, start=1):
            texts[f"部门整体绩效目标｜分项绩效目标{number} {sub.title}"] = f"{sub.goal}\n{sub.indicators}"
        if self.goals.measures:
            texts["部门整体绩效目标｜工作保障措施"] = self.goals.measures
        for table in self.targets:
            texts[f"绩效目标表｜{table.project}｜绩效目标"] = table.goal
            for number, indicator in enumerate(table.indicators, start=1):
                words = " ".join((indicator.name, indicator.description, indicator.basis))
                texts[f"绩效目标表｜{table.project}｜第{number}行 {indicator.name}"] = words
        return texts
