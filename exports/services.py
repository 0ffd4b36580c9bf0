"""Exports of a whole year: the zip writer shared by the command and the background job, and the job's life.

Memory stays flat however many departments a year has: the zip is written straight to a file, and only one
department's data and workbook are in memory at a time (freed before the next one is read). Queries are a fixed
number per department (those of ``budget_data``; the job adds a locked read and an update of its own row for the
progress).
"""

import gc
import io
import logging
import os
import re
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from budgets.models import Budget
from budgets.selectors import budget_data
from disclosure.selectors import prose_inputs
from domain.money import DisplayUnit
from exports.models import ExportJob, ExportState
from official.edition import Edition
from official.workbook import write_workbook

logger = logging.getLogger(__name__)

# on_progress(done, total, department_line): once with done=0 before the first department, then after each one.
ProgressCallback = Callable[[int, int, str], None]

EXPORT_DIR = "exports"
MAX_ERROR_LENGTH = 2000
_UNSAFE_IN_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def member_name(code: str, name: str) -> str:
    """The workbook's name inside the zip: ``202_中共石家庄市鹿泉区委办公室.xlsx``, safe on every file system."""
    safe_name = _UNSAFE_IN_FILENAME.sub("_", name).strip(" .")
    return f"{_UNSAFE_IN_FILENAME.sub('_', code)}_{safe_name}.xlsx" if safe_name else f"{code}.xlsx"


def year_budgets(year: int) -> list[Budget]:
    budgets = Budget.objects.filter(year_id=year).defer("violations").select_related("department", "year")
    return list(budgets.order_by("department__code"))


def write_year_zip(
    year: int,
    output: IO[bytes],
    on_progress: ProgressCallback | None = None,
    unit: DisplayUnit = DisplayUnit.WAN,
    layouts: Edition | None = None,
) -> int:
    """Write one official workbook per department of ``year`` into a zip on ``output``, in the year's edition
    unless ``layouts`` names another; returns their number."""
    budgets = year_budgets(year)
    total = len(budgets)
    if on_progress:
        on_progress(0, total, "")
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, budget in enumerate(budgets, start=1):
            data = budget_data(budget)
            buffer = io.BytesIO()
            printed_in = layouts or budget.year.layouts
            write_workbook(buffer, data, unit, printed_in, prose_inputs(budget, printed_in))
            entry = zipfile.ZipInfo(member_name(data.department_code, data.department_name), time.localtime()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16  # a plain readable file when unpacked
            with archive.open(entry, "w") as member, buffer.getbuffer() as view:
                member.write(view)
            del buffer
            # A workbook's objects reference each other, so they would wait for a full collection (rare in a big
            # process) and pile up; a young-generation collection frees them now, and costs next to nothing.
            gc.collect(1)
            if on_progress:
                on_progress(done, total, data.department_line)
    return total


@contextmanager
def replacing(path: Path) -> Iterator[IO[bytes]]:
    """A temporary file next to ``path`` that takes its place only once everything has been written.

    On any error the temporary file is removed, and ``path`` is left as it was: never a partial file.
    """
    # Not a with-block of its own: the file must outlive its closing to be moved into place.
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
        dir=path.parent, prefix=f".{path.name}.", suffix=".part", delete=False
    )
    try:
        with handle:
            yield handle
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _claim(job_id: int) -> bool:
    # A conditional update: of two runners that reach the same queued job, exactly one wins (on every database).
    claimed = ExportJob.objects.filter(pk=job_id, state=ExportState.QUEUED).update(
        state=ExportState.RUNNING, started_at=timezone.now(), done=0, error=""
    )
    return claimed == 1


def export_job_run(job_id: int) -> ExportJob:
    """Run a queued job to its end (done or failed). A job that is not queued any more is left alone."""
    if _claim(job_id):
        _execute(job_id)
    return ExportJob.objects.get(pk=job_id)


def export_job_run_next() -> ExportJob | None:
    """Claim the oldest queued job and run it; ``None`` when no job is queued. Safe with several workers."""
    while True:
        with transaction.atomic():
            job_id = (
                ExportJob.objects.select_for_update(skip_locked=True)
                .filter(state=ExportState.QUEUED)
                .order_by("created_at", "id")
                .values_list("pk", flat=True)
                .first()
            )
            if job_id is None:
                return None
            claimed = _claim(job_id)
        if claimed:
            _execute(job_id)
            return ExportJob.objects.get(pk=job_id)


def _update(job_id: int, **fields: object) -> None:
    # Each write to the job row is its own short transaction, so the page sees progress while the export runs.
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job_id)
        for name, value in fields.items():
            setattr(job, name, value)
        job.save(update_fields=list(fields))


def _execute(job_id: int) -> None:
    job = ExportJob.objects.get(pk=job_id)
    stored: str | None = None
    try:
        # The zip is built in a local temporary file (zipfile seeks back to write its directory, which an object in
        # S3 cannot do), then handed whole to the default storage: the local MEDIA_ROOT or an S3-compatible bucket
        # that every app server reads. Memory stays flat either way: the storage copies or uploads it in chunks.
        with tempfile.TemporaryFile(prefix=f"export-{job_id}-", suffix=".zip") as scratch:
            write_year_zip(job.year_id, scratch, lambda done, total, _line: _update(job_id, done=done, total=total))
            scratch.seek(0)
            name = f"{EXPORT_DIR}/{job.year_id}-{job.pk}.zip"
            stored = default_storage.save(name, File(scratch, name=name))
        _update(job_id, state=ExportState.DONE, file=stored, finished_at=timezone.now())
    except Exception as error:
        logger.exception("export job %s failed", job_id)
        if stored is not None:
            default_storage.delete(stored)
        message = str(error) or type(error).__name__
        _update(job_id, state=ExportState.FAILED, error=message[:MAX_ERROR_LENGTH], finished_at=timezone.now())
