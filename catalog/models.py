"""Budget years and the classification catalogues of each year's edition.

Codes are prefix-structured (类 3 digits, 款 5, 项 7), so a parent is always a prefix of its children;
the explicit parent link is kept so that the admin and a loaded catalogue can be checked against it.
"""

from django.db import models

from official.edition import DEFAULT_EDITION, Edition, department_edition_choices, edition


class BudgetYear(models.Model):
    year = models.PositiveSmallIntegerField("预算年度", primary_key=True)
    name = models.CharField("说明", max_length=100, blank=True)
    # The official template the year's budgets are printed, downloaded and published in (official/editions/).
    edition = models.CharField("公开表版式", max_length=40, choices=department_edition_choices, default=DEFAULT_EDITION)
    # Every change of the year's classification codes bumps it (catalog.signals): the budgets' printed names are kept
    # under it (budgets.computed).
    catalogue_revision = models.PositiveIntegerField("科目修订号", default=0, editable=False)

    class Meta:
        verbose_name = "预算年度"
        verbose_name_plural = "预算年度"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年度"

    @property
    def layouts(self) -> Edition:
        """The year's edition: the layouts of its official tables, titled for the year."""
        return edition(self.edition).for_year(self.year)


class CatalogQuerySet(models.QuerySet):
    def leaves(self, year: int) -> "CatalogQuerySet":
        """The codes figures are entered on: 功能分类 项, 经济分类 款."""
        return self.filter(year_id=year, level=self.model.LEAF_LEVEL)


class CatalogEntry(models.Model):
    LEAF_LEVEL: int

    year = models.ForeignKey(BudgetYear, verbose_name="版本年度", on_delete=models.PROTECT)
    code = models.CharField("科目编码", max_length=7)
    name = models.CharField("科目名称", max_length=100)
    level = models.PositiveSmallIntegerField("级次")
    parent = models.ForeignKey(
        "self",
        verbose_name="上级科目",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    objects = CatalogQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["year", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class FunctionCode(CatalogEntry):
    """支出功能分类科目: 类 (level 1) / 款 (2) / 项 (3)."""

    LEAF_LEVEL = 3

    class Meta(CatalogEntry.Meta):
        verbose_name = "支出功能分类科目"
        verbose_name_plural = "支出功能分类科目"
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="unique_function_code_per_year"),
            models.CheckConstraint(condition=models.Q(level__in=[1, 2, 3]), name="function_code_level"),
        ]


class EconomicCode(CatalogEntry):
    """部门预算支出经济分类科目: 类 (level 1) / 款 (2)."""

    LEAF_LEVEL = 2

    class Meta(CatalogEntry.Meta):
        verbose_name = "部门经济分类科目"
        verbose_name_plural = "部门经济分类科目"
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="unique_economic_code_per_year"),
            models.CheckConstraint(condition=models.Q(level__in=[1, 2]), name="economic_code_level"),
        ]
