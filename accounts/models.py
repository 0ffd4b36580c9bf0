from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models


class Role(models.TextChoices):
    ACCOUNTANT = "accountant", "部门填报人"
    UNIT_ACCOUNTANT = "unit_accountant", "单位填报人"
    REVIEWER = "reviewer", "财政审核人"
    ADMINISTRATOR = "administrator", "系统管理员"


class BudgetUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMINISTRATOR)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in. An accountant works for exactly one department; a unit accountant for one unit of
    one department, whose part of the budget he enters (the department's accountant is his 主管)."""

    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.ACCOUNTANT)
    department = models.ForeignKey(
        "departments.Department",
        verbose_name="所属部门",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    unit = models.ForeignKey(
        "departments.Unit",
        verbose_name="所属单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text="仅单位填报人：其填报的本部门单位。",
    )

    objects = BudgetUserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="accountant") | models.Q(department__isnull=False),
                name="accountant_has_department",
                violation_error_message="部门填报人必须指定所属部门。",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="unit_accountant") | models.Q(department__isnull=False, unit__isnull=False),
                name="unit_accountant_has_unit",
                violation_error_message="单位填报人必须指定所属部门和单位。",
            ),
            models.CheckConstraint(
                condition=models.Q(role="unit_accountant") | models.Q(unit__isnull=True),
                name="only_unit_accountants_have_a_unit",
                violation_error_message="只有单位填报人指定所属单位。",
            ),
        ]

    def clean(self) -> None:
        super().clean()
        if self.unit_id and self.unit.department_id != self.department_id:
            raise ValidationError({"unit": "所属单位必须是所属部门的单位。"})

    @property
    def is_accountant(self) -> bool:
        return self.role == Role.ACCOUNTANT

    @property
    def is_unit_accountant(self) -> bool:
        return self.role == Role.UNIT_ACCOUNTANT

    @property
    def is_reviewer(self) -> bool:
        return self.role == Role.REVIEWER

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR
