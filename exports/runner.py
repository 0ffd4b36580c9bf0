"""How a queued export job gets run, chosen by the setting ``EXPORT_RUNNER``.

* ``"thread"`` (default): in a daemon thread of this process, once the transaction that created the job has
  committed. Needs no broker, so it works on the embedded default set-up; a job whose process stops midway
  stays 运行中 (start another one).
* ``"inline"``: at once, in the caller's thread (tests; the request waits for the export).
* ``"worker"``: not at all here; a separate process running ``manage.py run_export_jobs --loop`` picks the
  queued jobs up (production with several web processes).
"""

import logging
import threading

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction

logger = logging.getLogger(__name__)

RUNNERS = ("thread", "inline", "worker")


def backend() -> str:
    name = getattr(settings, "EXPORT_RUNNER", "thread")
    if name not in RUNNERS:
        raise ImproperlyConfigured(f"EXPORT_RUNNER must be one of {', '.join(RUNNERS)}, got {name!r}")
    return name


def start(job) -> None:
    name = backend()
    if name == "inline":
        from exports.services import export_job_run

        export_job_run(job.pk)
    elif name == "thread":
        job_id = job.pk
        transaction.on_commit(lambda: start_thread(job_id))


def start_thread(job_id: int) -> threading.Thread:
    thread = threading.Thread(target=_run_in_thread, args=(job_id,), name=f"export-job-{job_id}", daemon=True)
    thread.start()
    return thread


def _run_in_thread(job_id: int) -> None:
    from exports.services import export_job_run

    try:
        export_job_run(job_id)
    except Exception:
        logger.exception("export job %s could not be run", job_id)
    finally:
        connections.close_all()  # this thread's connections only
