"""Starting an export job: ``export_job_create`` queues it and hands it to the runner chosen by the setting
``EXPORT_RUNNER``:

* ``"thread"`` (default without a task queue): in a daemon thread of this process, once the transaction that
  created the job has committed. Needs no broker, so it works on the embedded default set-up; a job whose process
  stops midway stays 运行中 (start another one).
* ``"queue"`` (default with ``TASKS_BACKEND=database``): enqueued as the django-tasks task
  ``exports.tasks.run_export_job``, right after the job row is written. With the database backend any
  ``manage.py db_worker`` process, on any machine, runs it (several run different jobs at once); with the
  immediate backend it runs at once in the caller's thread.
* ``"inline"``: at once, in the caller's thread (tests; the request waits for the export).
* ``"worker"``: not at all here; a separate process running ``manage.py run_export_jobs --loop`` picks the
  queued jobs up (polling the job table: the fallback when no task worker runs).
"""

import logging
import threading

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction

from budgets.access import BUREAU_ONLY, may_export_all, require
from budgets.models import Budget
from catalog.models import BudgetYear
from exports.models import ExportJob
from exports.services import export_job_run
from exports.tasks import run_export_job

logger = logging.getLogger(__name__)


def export_job_create(*, year: BudgetYear, user) -> ExportJob:
    """Queue an export of all departments of ``year`` and hand it to the runner (below)."""
    require(may_export_all(user), BUREAU_ONLY.format(what="批量导出"))
    job = ExportJob.objects.create(year=year, requested_by=user, total=Budget.objects.filter(year=year).count())
    start(job)
    job.refresh_from_db()  # the inline runner has finished it already
    return job


RUNNERS = ("thread", "queue", "inline", "worker")


def backend() -> str:
    name = getattr(settings, "EXPORT_RUNNER", "thread")
    if name not in RUNNERS:
        raise ImproperlyConfigured(f"EXPORT_RUNNER must be one of {', '.join(RUNNERS)}, got {name!r}")
    return name


def start(job: ExportJob) -> None:
    name = backend()
    if name == "inline":
        export_job_run(job.pk)
    elif name == "queue":
        run_export_job.enqueue(job.pk)
    elif name == "thread":
        job_id = job.pk
        transaction.on_commit(lambda: start_thread(job_id))


def start_thread(job_id: int) -> threading.Thread:
    thread = threading.Thread(target=_run_in_thread, args=(job_id,), name=f"export-job-{job_id}", daemon=True)
    thread.start()
    return thread


def _run_in_thread(job_id: int) -> None:
    try:
        export_job_run(job_id)
    except Exception:
        logger.exception("export job %s could not be run", job_id)
    finally:
        connections.close_all()  # this thread's connections only
