"""The disclosure (部门预算公开): the explanation's inputs and the published documents."""

from django.db import models
from django.db.models import Q

from budgets.models import Budget
from domain.explanation import REMARKS


class PreviousYearFigures(models.Model):
    """Last year's figures typed in for a budget, for the year-over-year comparison of the explanation; used only
    when no approved budget of the department for that year is stored. Amounts in yuan."""

    budget = models.OneToOneField(
        Budget, verbose_name="部门预算", on_delete=models.CASCADE, related_name="previous_year_figures"
    )
    total = models.DecimalField("上年支出合计（元）", max_digits=16, decimal_places=2)
    basic = models.DecimalField("上年基本支出（元）", max_digits=16, decimal_places=2)
    project = models.DecimalField("上年项目支出（元）", max_digits=16, decimal_places=2)
    # The “三公” items: all four, or none (no comparison of 三公 is then stated).
    abroad = models.DecimalField("上年因公出国（境）费（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    vehicle_purchase = models.DecimalField(
        "上年公务用车购置费（元）", max_digits=16, decimal_places=2, null=True, blank=True
    )
    vehicle_running = models.DecimalField(
        "上年公务用车运行维护费（元）", max_digits=16, decimal_places=2, null=True, blank=True
    )
    reception = models.DecimalField("上年公务接待费（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "上年预算数"
        verbose_name_plural = "上年预算数"
        constraints = [
            models.CheckConstraint(
                condition=Q(total__gte=0) & Q(basic__gte=0) & Q(project__gte=0),
                name="previous_year_not_negative",
                violation_error_message="上年预算数不能为负数。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.budget} 上年预算数"


class ExplanationRemark(models.Model):
    """What the department writes into the explanation itself: a reason for a change, the use of the running
    costs, other matters (keys: domain.explanation.REMARKS)."""

    budget = models.ForeignKey(
        Budget, verbose_name="部门预算", on_delete=models.CASCADE, related_name="explanation_remarks"
    )
    key = models.CharField("项目", max_length=30, choices=list(REMARKS.items()))
    text = models.TextField("内容", max_length=2000)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "情况说明补充内容"
        verbose_name_plural = "情况说明补充内容"
        ordering = ["budget", "key"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "key"], name="one_explanation_remark_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()}：{self.text}"


# --- Published documents (disclosure.publication) ----------------------------------------------------------------

from django.conf import settings  # noqa: E402
from django.utils import timezone  # noqa: E402


class PublishedDocument(models.Model):
    """One approved version of a budget as published (部门预算公开): the whole document as HTML and as PDF, stored
    once under ``published/`` with their SHA-256, and never changed or deleted afterwards."""

    budget = models.ForeignKey(
        "budgets.Budget", verbose_name="部门预算", on_delete=models.PROTECT, related_name="published_documents"
    )
    version = models.PositiveSmallIntegerField("版本")
    html = models.FileField("公开文件（HTML）", upload_to="published/", max_length=255)
    html_sha256 = models.CharField("HTML 的 SHA-256", max_length=64)
    pdf = models.FileField("公开文件（PDF）", upload_to="published/", max_length=255)
    pdf_sha256 = models.CharField("PDF 的 SHA-256", max_length=64)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", default=timezone.now, editable=False, db_index=True)

    class Meta:
        verbose_name = "已公开的部门预算"
        verbose_name_plural = "已公开的部门预算"
        ordering = ["budget", "version"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "version"], name="one_publication_per_approved_version"),
        ]

    def __str__(self) -> str:
        return f"{self.budget} 第{self.version}版（公开）"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("已公开的文件不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("已公开的文件不能删除。")


class PublicationState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "发布中"
    DONE = "done", "已发布"
    FAILED = "failed", "未发布"


ACTIVE_PUBLICATION = (PublicationState.QUEUED, PublicationState.RUNNING)


class PublicationJob(models.Model):
    """One 发布公开 of a budget's approved version, run in the background: the document and its PDF take seconds
    to make, and the reviewer's page shows how far it has come (web.background runs it)."""

    STEPS = 3  # the web document, its PDF, stored and recorded

    budget = models.ForeignKey(
        "budgets.Budget", verbose_name="部门预算", on_delete=models.PROTECT, related_name="publication_jobs"
    )
    version = models.PositiveSmallIntegerField("版本")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        "状态", max_length=10, choices=PublicationState.choices, default=PublicationState.QUEUED, db_index=True
    )
    step = models.CharField("当前步骤", max_length=40, blank=True)
    steps_done = models.PositiveSmallIntegerField("已完成步骤", default=0)
    document = models.ForeignKey(
        PublishedDocument, verbose_name="公开文件", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    error = models.TextField("未发布的原因", blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "发布公开任务"
        verbose_name_plural = "发布公开任务"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "version"],
                condition=models.Q(state__in=["queued", "running"]),
                name="one_active_publication_per_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.budget} 第{self.version}版发布 #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_PUBLICATION
