"""Starting an export job: ``export_job_create`` queues it and hands it to the background runner chosen by
``EXPORT_RUNNER`` (web.background says what each runner does)."""

import threading

from budgets.access import BUREAU_ONLY, may_export_all, require
from budgets.models import Budget
from catalog.models import BudgetYear
from exports.models import ExportJob
from exports.services import export_job_run
from exports.tasks import run_export_job
from web import background


def export_job_create(*, year: BudgetYear, user) -> ExportJob:
    """Queue an export of all departments of ``year`` and hand it to the runner."""
    require(may_export_all(user), BUREAU_ONLY.format(what="批量导出"))
    job = ExportJob.objects.create(year=year, requested_by=user, total=Budget.objects.filter(year=year).count())
    start(job)
    job.refresh_from_db()  # the inline runner has finished it already
    return job


def start(job: ExportJob) -> None:
    background.start(job.pk, export_job_run, run_export_job, in_thread=lambda pk: start_thread(pk))


def start_thread(job_id: int) -> threading.Thread:
    return background.start_thread(job_id, export_job_run, f"export-job-{job_id}")
