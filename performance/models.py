"""Performance targets (绩效目标): the department's goals for the year and one target table per project.

The plain-data twins of these models, and the rules, are in domain.performance.
"""

from django.db import models
from django.db.models import Q

from departments.models import Department
from domain.performance.framework import COMPARATORS, FRAMEWORK, LEVEL1
from domain.performance.values import IndicatorValue

LEVEL1_CHOICES = [(level1, level1) for level1 in LEVEL1]
LEVEL2_CHOICES = [(level2, level2) for twos in FRAMEWORK.values() for level2 in twos]
COMPARATOR_CHOICES = [("", "（无）"), *((comparator, comparator) for comparator in COMPARATORS)]
IN_FRAMEWORK = Q()
for _level1, _twos in FRAMEWORK.items():
    IN_FRAMEWORK |= Q(level1=_level1, level2__in=_twos)


class DepartmentGoals(models.Model):
    """部门整体绩效目标 of a budget: the overall goals and the 工作保障措施 (the sub-goals are rows of SubGoal)."""

    budget = models.OneToOneField(
        "budgets.Budget", verbose_name="部门预算", on_delete=models.CASCADE, related_name="goals"
    )
    overall = models.TextField("总体绩效目标", blank=True)
    measures = models.TextField("工作保障措施", blank=True)

    class Meta:
        verbose_name = "部门整体绩效目标"
        verbose_name_plural = "部门整体绩效目标"

    def __str__(self) -> str:
        return f"{self.budget} 部门整体绩效目标"


class SubGoal(models.Model):
    """分项绩效目标: a heading (usually a project), its goal and its indicators in words."""

    budget = models.ForeignKey(
        "budgets.Budget", verbose_name="部门预算", on_delete=models.CASCADE, related_name="sub_goals"
    )
    position = models.PositiveSmallIntegerField("排序", default=0)
    title = models.CharField("名称", max_length=200)
    goal = models.TextField("绩效目标", blank=True)
    indicators = models.TextField("绩效指标", blank=True)

    class Meta:
        verbose_name = "分项绩效目标"
        verbose_name_plural = "分项绩效目标"
        ordering = ["budget", "position", "id"]

    def __str__(self) -> str:
        return self.title


class TargetTable(models.Model):
    """The 绩效目标表 of one project; its amount is the project's 项目支出 in the budget."""

    # Replacing a budget's figures keeps a project that has targets (see budget_replace_figures).
    project = models.OneToOneField(
        "budgets.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="target"
    )
    goal = models.TextField("绩效目标", blank=True)

    class Meta:
        verbose_name = "项目绩效目标表"
        verbose_name_plural = "项目绩效目标表"
        ordering = ["project__budget", "project__position", "project_id"]

    def __str__(self) -> str:
        return f"{self.project.name}绩效目标表"


class IndicatorFields(models.Model):
    """What an indicator says, shared by the target tables' rows and the department's library."""

    level1 = models.CharField("一级指标", max_length=20, choices=LEVEL1_CHOICES)
    level2 = models.CharField("二级指标", max_length=20, choices=LEVEL2_CHOICES)
    name = models.CharField("三级指标", max_length=200)
    description = models.CharField("绩效指标描述", max_length=500, blank=True)

    class Meta:
        abstract = True


class Indicator(IndicatorFields):
    """One row of a target table. 指标值 is stored structured; ``raw`` keeps text that could not be parsed."""

    table = models.ForeignKey(
        TargetTable, verbose_name="绩效目标表", on_delete=models.CASCADE, related_name="indicators"
    )
    position = models.PositiveSmallIntegerField("排序", default=0)
    comparator = models.CharField("比较符", max_length=1, choices=COMPARATOR_CHOICES, blank=True)
    number = models.DecimalField("数值", max_digits=20, decimal_places=6, null=True, blank=True)
    unit = models.CharField("单位", max_length=10, blank=True)
    word = models.CharField("定性指标值", max_length=40, blank=True)
    raw = models.CharField("指标值原文", max_length=200, blank=True)
    basis = models.CharField("指标值确定依据", max_length=500, blank=True)

    class Meta:
        verbose_name = "绩效指标"
        verbose_name_plural = "绩效指标"
        ordering = ["table", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=IN_FRAMEWORK,
                name="indicator_in_framework",
                violation_error_message="一级、二级指标不在指标体系中。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.value}"

    @property
    def value(self) -> IndicatorValue:
        number = self.number.normalize() if self.number is not None else None
        if number is not None and number == number.to_integral_value():
            number = number.quantize(1)
        return IndicatorValue(self.comparator, number, self.unit, self.word, self.raw)


class LibraryIndicator(IndicatorFields):
    """A department's reusable indicator (指标库): a 三级指标 with its description and unit."""

    department = models.ForeignKey(
        Department, verbose_name="部门", on_delete=models.CASCADE, related_name="indicator_library"
    )
    unit = models.CharField("单位", max_length=10, blank=True)

    class Meta:
        verbose_name = "指标库指标"
        verbose_name_plural = "指标库"
        ordering = ["department", "level1", "level2", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "level1", "level2", "name"], name="one_library_indicator_per_name"
            ),
            models.CheckConstraint(
                condition=IN_FRAMEWORK,
                name="library_indicator_in_framework",
                violation_error_message="一级、二级指标不在指标体系中。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level1}／{self.level2}／{self.name}"
