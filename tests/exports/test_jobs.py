"""Export jobs: created by the finance bureau, run by a runner, kept with their zip or their error."""

import io
import os
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from catalog.models import BudgetYear
from exports import runner, services
from exports.models import ExportJob, ExportState
from exports.runner import export_job_create
from exports.services import export_job_run, export_job_run_next
from tests.support.budgets import OTHER, OWN

pytestmark = pytest.mark.django_db

MAX_QUERIES_PER_DEPARTMENT = 16  # budget_data's reads plus the job row's locked read and update (and savepoints)


def create_job(username: str = "reviewer", year: int = 2021) -> ExportJob:
    return export_job_create(year=BudgetYear.objects.get(year=year), user=User.objects.get(username=username))


def export_files(settings) -> list[str]:
    directory = Path(settings.MEDIA_ROOT) / "exports"
    return sorted(path.name for path in directory.iterdir()) if directory.exists() else []


@pytest.mark.parametrize("username", ["reviewer", "admin"])
def test_inline_job_runs_from_queued_to_done(small, settings, username) -> None:
    job = create_job(username)
    assert job.state == ExportState.DONE
    assert (job.done, job.total) == (2, 2)
    assert job.percent == 100
    assert job.started_at is not None
    assert job.finished_at >= job.started_at
    assert job.error == ""
    assert job.requested_by.username == username
    with job.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        assert [name.split("_")[0] for name in archive.namelist()] == [OWN, OTHER]
    assert export_files(settings) == [f"2021-{job.pk}.zip"]  # no temporary file left next to it


def test_accountants_cannot_create_jobs(small) -> None:
    with pytest.raises(PermissionDenied):
        create_job("accountant")
    assert not ExportJob.objects.exists()


def test_failure_marks_the_job_failed_and_leaves_no_partial_file(small, settings, monkeypatch) -> None:
    real_write = services.write_workbook
    written: list[str] = []

    def write_then_fail(output, data, unit, layouts, texts=None):
        if written:
            raise RuntimeError("磁盘已满")
        written.append(data.department_code)
        real_write(output, data, unit, layouts, texts)

    monkeypatch.setattr(services, "write_workbook", write_then_fail)
    job = create_job()
    assert job.state == ExportState.FAILED
    assert "磁盘已满" in job.error
    assert job.done == 1  # progress was recorded up to the failure
    assert job.finished_at is not None
    assert not job.file
    assert export_files(settings) == []


def test_a_finished_job_is_not_run_again(small) -> None:
    job = create_job()
    finished_at = job.finished_at
    again = export_job_run(job.pk)
    assert again.state == ExportState.DONE
    assert again.finished_at == finished_at


def test_worker_runner_leaves_jobs_queued_for_run_export_jobs(small, settings) -> None:
    settings.EXPORT_RUNNER = "worker"
    first, second = create_job(), create_job("admin")
    assert first.state == second.state == ExportState.QUEUED
    assert (first.done, first.total) == (0, 2)

    out = io.StringIO()
    call_command("run_export_jobs", stdout=out)
    assert ExportJob.objects.filter(state=ExportState.DONE).count() == 2
    assert f"#{first.pk}" in out.getvalue()
    assert f"#{second.pk}" in out.getvalue()

    out = io.StringIO()
    call_command("run_export_jobs", stdout=out)
    assert "没有排队的任务" in out.getvalue()


def test_run_next_takes_the_oldest_queued_job(small, settings) -> None:
    settings.EXPORT_RUNNER = "worker"
    first, second = create_job(), create_job()
    assert export_job_run_next().pk == first.pk
    assert ExportJob.objects.get(pk=second.pk).state == ExportState.QUEUED
    assert export_job_run_next().pk == second.pk
    assert export_job_run_next() is None


def test_thread_runner_waits_for_the_commit(small, settings, django_capture_on_commit_callbacks) -> None:
    settings.EXPORT_RUNNER = "thread"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = create_job()
    assert job.state == ExportState.QUEUED  # nothing runs before the job row is committed
    assert len(callbacks) == 1


# Committed for real: the thread runner starts its thread once the job row is committed.
@pytest.mark.django_db(transaction=True)
def test_thread_runner_runs_the_job_in_a_background_thread(small, settings, monkeypatch) -> None:
    settings.EXPORT_RUNNER = "thread"
    threads: list[threading.Thread] = []
    real_start_thread = runner.start_thread
    real_run = runner.export_job_run
    created = threading.Event()

    def recording_start_thread(job_id: int) -> threading.Thread:
        thread = real_start_thread(job_id)
        threads.append(thread)
        return thread

    def run_once_created(job_id: int):
        # SQLite's in-memory test database is one cache shared by the connections: a connection that reads a table
        # while another one writes it gets "database table is locked" at once, where a database file would wait.
        # export_job_create reads the job row back after starting the thread, so the thread's export starts once
        # the creating call has returned (as a request that has answered is done with the database).
        assert created.wait(timeout=60)
        return real_run(job_id)

    monkeypatch.setattr(runner, "start_thread", recording_start_thread)
    monkeypatch.setattr(runner, "export_job_run", run_once_created)
    try:
        job = create_job()
    finally:
        created.set()
    assert job.state == ExportState.QUEUED  # nothing ran in the creating thread
    assert len(threads) == 1
    assert threads[0].daemon
    threads[0].join(timeout=60)
    assert not threads[0].is_alive()
    job.refresh_from_db()
    assert job.state == ExportState.DONE, job.error
    assert Path(job.file.path).is_file()


def test_an_unknown_runner_is_a_configuration_error(small, settings) -> None:
    settings.EXPORT_RUNNER = "celery"
    with pytest.raises(ImproperlyConfigured):
        create_job()


def test_job_queries_grow_by_a_fixed_number_per_department(add_departments, settings) -> None:
    settings.EXPORT_RUNNER = "worker"

    def queries() -> int:
        job = create_job()
        with CaptureQueriesContext(connection) as context:
            export_job_run(job.pk)
        return len(context)

    with_two = queries()
    add_departments(4)
    with_six = queries()
    assert with_six - with_two <= 4 * MAX_QUERIES_PER_DEPARTMENT
    assert (with_six - with_two) % 4 == 0  # the same queries for every department


def test_run_export_jobs_loop_keeps_looking_for_jobs(small, settings, monkeypatch) -> None:
    from exports.management.commands import run_export_jobs

    settings.EXPORT_RUNNER = "worker"
    job = create_job()
    naps: list[float] = []

    class Stop(Exception):
        pass

    def nap(seconds: float) -> None:
        naps.append(seconds)
        if len(naps) == 2:
            raise Stop
        create_job("admin")  # queued while the worker waits

    monkeypatch.setattr(run_export_jobs.time, "sleep", nap)
    with pytest.raises(Stop):
        call_command("run_export_jobs", "--loop", "--interval", "0.5", stdout=io.StringIO())
    assert naps == [0.5, 0.5]
    assert ExportJob.objects.get(pk=job.pk).state == ExportState.DONE
    assert ExportJob.objects.filter(state=ExportState.DONE).count() == 2


def test_queue_runner_with_the_immediate_backend_runs_the_job_at_once(small, settings) -> None:
    settings.EXPORT_RUNNER = "queue"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    job = create_job()
    assert job.state == ExportState.DONE, job.error
    assert export_files(settings) == [f"2021-{job.pk}.zip"]


# Committed for real: the worker closes and reopens connections between tasks as in production, which a test
# wrapped in one transaction (and PostgreSQL) would not survive.
@pytest.mark.django_db(transaction=True)
def test_queue_runner_with_the_database_backend_leaves_the_job_to_db_worker(small, settings) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.EXPORT_RUNNER = "queue"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = create_job()
    assert job.state == ExportState.QUEUED  # the request returns at once: nothing runs in this process
    task = DBTaskResult.objects.get()
    assert task.task_path == "exports.tasks.run_export_job"
    assert task.args_kwargs == {"args": [job.pk], "kwargs": {}}

    call_command("db_worker", "--batch", "--no-startup-delay", "--worker-id", "test-worker", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.state == ExportState.DONE, job.error
    assert (job.done, job.total) == (2, 2)
    assert export_files(settings) == [f"2021-{job.pk}.zip"]
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert task.return_value == ExportState.DONE


def test_a_job_already_run_elsewhere_is_left_alone_by_its_task(small, settings) -> None:
    from exports.tasks import run_export_job

    settings.EXPORT_RUNNER = "worker"
    job = create_job()
    call_command("run_export_jobs", stdout=io.StringIO())
    finished_at = ExportJob.objects.get(pk=job.pk).finished_at
    assert run_export_job.call(job.pk) == ExportState.DONE
    assert ExportJob.objects.get(pk=job.pk).finished_at == finished_at


def _settings_in_a_fresh_process(**env: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.EXPORT_RUNNER, settings.TASKS['default']['BACKEND'])"
    )
    clean = {key: value for key, value in os.environ.items() if key not in ("TASKS_BACKEND", "EXPORT_RUNNER")}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "budgetoffice.settings", **env},
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_task_backend_chosen_in_the_environment_decides_the_default_runner() -> None:
    embedded = _settings_in_a_fresh_process().stdout.split()
    assert embedded == ["thread", "django_tasks.backends.immediate.ImmediateBackend"]
    production = _settings_in_a_fresh_process(TASKS_BACKEND="database").stdout.split()
    assert production == ["queue", "django_tasks_db.DatabaseBackend"]
    refused = _settings_in_a_fresh_process(TASKS_BACKEND="redis")
    assert refused.returncode != 0
    assert "TASKS_BACKEND must be one of" in refused.stderr
