"""Every generated or uploaded file goes through Django's default storage, never a path on disk: with an in-memory
storage standing in for S3 (and MEDIA_ROOT pointing nowhere), the export job, the import preview and the
publication still work, and nothing is written to the local file system."""

import io
import json
import os
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage, storages
from django.urls import reverse

from budgets.models import BudgetLine
from catalog.models import BudgetYear
from disclosure import publication
from exports.models import ExportState
from exports.runner import export_job_create
from tests.support.budgets import OTHER, OWN, YEAR
from tests.support.workbooks import exported
from tests.support.workflow import approve_at_once

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_memory_storage(settings, tmp_path) -> Path:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "no-media-here"
    return settings.MEDIA_ROOT


def stored_names(directory: str) -> list[str]:
    return sorted(default_storage.listdir(directory)[1]) if default_storage.exists(directory) else []


def test_the_default_storage_is_the_one_configured() -> None:
    assert type(storages["default"]).__name__ == "InMemoryStorage"


@pytest.mark.parametrize("runner", ["inline", "queue"])
def test_an_export_job_writes_its_zip_to_the_storage(small, settings, runner) -> None:
    settings.EXPORT_RUNNER = runner
    job = export_job_create(year=BudgetYear.objects.get(year=YEAR), user=small.reviewer)
    assert job.state == ExportState.DONE, job.error
    assert stored_names("exports") == [f"2021-{job.pk}.zip"]
    with default_storage.open(job.file.name, "rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        assert [name.split("_")[0] for name in archive.namelist()] == [OWN, OTHER]
    assert not Path(settings.MEDIA_ROOT).exists()


def test_the_export_download_reads_from_the_storage(small, settings, login) -> None:
    settings.EXPORT_RUNNER = "inline"
    job = export_job_create(year=BudgetYear.objects.get(year=YEAR), user=small.reviewer)
    response = login("reviewer").get(reverse("exports:download", args=[job.pk]))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert len(archive.namelist()) == 2


def test_an_import_waits_in_the_storage_between_preview_and_confirmation(small, settings, login) -> None:
    budget = small.budget
    workbook = exported(budget)
    line = BudgetLine.objects.get(budget=budget, function__code="2080505")
    in_workbook = line.amount
    line.amount += Decimal("10000.00")  # the workbook now differs from the stored budget by one figure
    line.save()
    client = login("accountant")

    upload = io.BytesIO(workbook)
    upload.name = f"{OWN}.xlsx"
    preview = client.post(reverse("budget_import", args=[YEAR, OWN]), {"workbook": upload})
    assert preview.status_code == 200
    token = preview.context["token"]
    assert token
    assert stored_names("imports") == [f"{token}.xlsx"]

    confirmed = client.post(reverse("budget_import_confirm", args=[YEAR, OWN]), {"token": token})
    assert confirmed.status_code == 302
    assert BudgetLine.objects.get(budget=budget, function__code="2080505").amount == in_workbook
    assert stored_names("imports") == []  # the pending file is spent with its token
    assert not Path(settings.MEDIA_ROOT).exists()


def test_a_publication_is_stored_and_served_from_the_storage(small, settings, client, monkeypatch) -> None:
    monkeypatch.setattr(publication, "render_pdf", lambda html: b"%PDF-1.7\n% stand-in\n")
    budget = approve_at_once(small.budget)
    document = publication.budget_publish(budget, small.reviewer)
    assert sorted(stored_names(f"published/2021/{OWN}")) == sorted(
        [Path(document.html.name).name, Path(document.pdf.name).name]
    )
    response = client.get(reverse("public_document_pdf", args=[YEAR, OWN]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-1.7\n% stand-in")
    assert not Path(settings.MEDIA_ROOT).exists()


def _storage_in_a_fresh_process(**env: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import json, django; django.setup();"
        "from django.core.files.storage import storages; s = storages['default'];"
        "print(json.dumps({'class': type(s).__name__, 'bucket': getattr(s, 'bucket_name', None),"
        " 'endpoint': getattr(s, 'endpoint_url', None), 'overwrite': getattr(s, 'file_overwrite', None)}))"
    )
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "STORAGE_"))}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "budgetoffice.settings", **env},
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


def _configured(**env: str) -> dict[str, object]:
    result = _storage_in_a_fresh_process(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_environment_chooses_an_s3_compatible_storage() -> None:
    s3 = _configured(
        STORAGE_BACKEND="s3", AWS_STORAGE_BUCKET_NAME="budgets", AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000"
    )
    assert s3["class"] == "S3Storage"
    assert (s3["bucket"], s3["endpoint"], s3["overwrite"]) == ("budgets", "http://127.0.0.1:9000", False)
    assert _configured()["class"] == "FileSystemStorage"


def test_s3_without_a_bucket_is_refused_at_start() -> None:
    result = _storage_in_a_fresh_process(STORAGE_BACKEND="s3")
    assert result.returncode != 0
    assert "AWS_STORAGE_BUCKET_NAME" in result.stderr
