"""Running a job row in the background (批量导出, 发布公开), the way the setting ``EXPORT_RUNNER`` says:

* ``"thread"`` (default without a task queue): in a daemon thread of this process, once the transaction that
  created the job has committed. Needs no broker, so it works on the embedded default set-up; a job whose process
  stops midway stays 运行中 (start another one).
* ``"queue"`` (default with ``TASKS_BACKEND=database``): enqueued as the job's django-tasks task, right after the
  job row is written. With the database backend any ``manage.py db_worker`` process, on any machine, runs it;
  with the immediate backend it runs at once in the caller's thread.
* ``"inline"``: at once, in the caller's thread (tests; the request waits for the job).
* ``"worker"``: not at all here; a separate process running ``manage.py run_export_jobs --loop`` picks the
  queued jobs up (polling the job tables: the fallback when no task worker runs).

The job row, not the task's result, is what pages read: each job's ``run`` claims its row (a conditional update,
so that of two runners exactly one runs it) and records progress, result and error there.
"""

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction

logger = logging.getLogger(__name__)

RUNNERS = ("thread", "queue", "inline", "worker")
Run = Callable[[int], object]


def backend() -> str:
    name = getattr(settings, "EXPORT_RUNNER", "thread")
    if name not in RUNNERS:
        raise ImproperlyConfigured(f"EXPORT_RUNNER must be one of {', '.join(RUNNERS)}, got {name!r}")
    return name


def start(job_id: int, run: Run, task: Any, in_thread: Callable[[int], object] | None = None) -> None:
    """Hand job ``job_id`` to the runner: ``run`` runs it here, ``task`` (a django-tasks task taking the id)
    queues it; ``in_thread`` starts the thread of the thread runner (default: ``start_thread`` of ``run``)."""
    name = backend()
    if name == "inline":
        run(job_id)
    elif name == "queue":
        task.enqueue(job_id)
    elif name == "thread":
        starter = in_thread or (lambda pk: start_thread(pk, run, f"job-{pk}"))
        transaction.on_commit(lambda: starter(job_id))


def start_thread(job_id: int, run: Run, name: str) -> threading.Thread:
    thread = threading.Thread(target=_run_in_thread, args=(job_id, run), name=name, daemon=True)
    thread.start()
    return thread


def _run_in_thread(job_id: int, run: Run) -> None:
    try:
        run(job_id)
    except Exception:
        logger.exception("background job %s could not be run", job_id)
    finally:
        connections.close_all()  # this thread's connections only
