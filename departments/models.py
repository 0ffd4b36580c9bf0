from django.core.validators import RegexValidator
from django.db import models

from domain.structure import UnitNature


class Department(models.Model):
    """A budget department (预算部门), e.g. ``202 中共石家庄市鹿泉区委办公室``."""

    code = models.CharField(
        "部门编码",
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[0-9A-Za-z]+$", "部门编码只能包含数字和字母。")],
    )
    name = models.CharField("部门名称", max_length=100)
    reviewer = models.ForeignKey(
        "accounts.User",
        verbose_name="责任审核人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_departments",
        limit_choices_to={"role": "reviewer"},
        help_text="负责审核本部门预算的财政审核人（用于分工和筛选）。",
    )
    # Every change of the department or its units bumps it (departments.signals, department_touch): what its
    # budgets' pages and downloads print is kept under it (budgets.computed).
    revision = models.PositiveIntegerField("修订号", default=0, editable=False)

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Unit(models.Model):
    """A budget unit (预算单位) of a department; the department's figures are the sum of its units'."""

    department = models.ForeignKey(Department, verbose_name="部门", on_delete=models.PROTECT, related_name="units")
    name = models.CharField("单位名称", max_length=100)
    nature = models.CharField("单位性质", max_length=10, choices=UnitNature.choices)
    rank = models.CharField("单位规格", max_length=50, blank=True, help_text="如 正处（县）级、正科级")
    funding_form = models.CharField(
        "经费保障形式", max_length=50, blank=True, help_text="如 财政拨款、财政性资金基本保证"
    )
    position = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["department", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="unique_unit_name_per_department"),
        ]

    def __str__(self) -> str:
        return self.name
