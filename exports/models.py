"""Background exports: one job per request, kept with its result so it can be downloaded later."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from catalog.models import BudgetYear


class ExportState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "导出中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class ExportJob(models.Model):
    """All departments' official workbooks of one year, as one zip written in the background."""

    year = models.ForeignKey(BudgetYear, verbose_name="预算年度", on_delete=models.PROTECT, related_name="export_jobs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="export_jobs"
    )
    state = models.CharField(
        "状态", max_length=10, choices=ExportState.choices, default=ExportState.QUEUED, db_index=True
    )
    total = models.PositiveIntegerField("部门总数", default=0)
    done = models.PositiveIntegerField("已导出部门数", default=0)
    file = models.FileField("导出文件", upload_to="exports/", max_length=255, blank=True)
    error = models.TextField("错误信息", blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "导出任务"
        verbose_name_plural = "导出任务"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(done__lte=F("total")), name="export_done_within_total"),
        ]

    def __str__(self) -> str:
        return f"{self.year_id}年全部部门导出 #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.state in (ExportState.QUEUED, ExportState.RUNNING)

    @property
    def percent(self) -> int:
        if self.state == ExportState.DONE:
            return 100
        return self.done * 100 // self.total if self.total else 0

    @property
    def progress_max(self) -> int:
        return self.total or 1  # a <progress> needs a positive max, even for a year without departments

    @property
    def progress_value(self) -> int:
        return self.progress_max if self.state == ExportState.DONE else self.done

    @property
    def download_name(self) -> str:
        return f"{self.year_id}年部门预算公开表_全部部门.zip"
