from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models


class Role(models.TextChoices):
    ACCOUNTANT = "accountant", "部门填报人"
    REVIEWER = "reviewer", "财政审核人"
    ADMINISTRATOR = "administrator", "系统管理员"


class BudgetUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMINISTRATOR)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in. An accountant works for exactly one department."""

    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.ACCOUNTANT)
    department = models.ForeignKey(
        "departments.Department",
        verbose_name="所属部门",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
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
        ]

    @property
    def is_accountant(self) -> bool:
        return self.role == Role.ACCOUNTANT

    @property
    def is_reviewer(self) -> bool:
        return self.role == Role.REVIEWER

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR
