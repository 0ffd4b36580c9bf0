"""The export pages: for reviewers and administrators only, every view."""

import io
import zipfile
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from accounts.models import User
from catalog.models import BudgetYear
from exports.models import ExportJob, ExportState
from exports.runner import export_job_create
from tests.support.budgets import PASSWORD

pytestmark = pytest.mark.django_db

LIST_URL = reverse("exports:list")
START_URL = reverse("exports:start")


def status_url(pk: int) -> str:
    return reverse("exports:status", args=[pk])


def download_url(pk: int) -> str:
    return reverse("exports:download", args=[pk])


@pytest.fixture
def job(small) -> ExportJob:
    return export_job_create(year=BudgetYear.objects.get(year=2021), user=User.objects.get(username="reviewer"))


def test_anonymous_visitors_are_sent_to_login(client, job) -> None:
    for response in (
        client.get(LIST_URL),
        client.post(START_URL, {"year": 2021}),
        client.get(status_url(job.pk)),
        client.get(download_url(job.pk)),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert ExportJob.objects.count() == 1


def test_accountants_are_refused_everywhere(job, login) -> None:
    client = login("accountant")
    assert client.get(LIST_URL).status_code == 403
    assert client.post(START_URL, {"year": 2021}).status_code == 403
    assert client.get(status_url(job.pk)).status_code == 403
    assert client.get(download_url(job.pk)).status_code == 403
    assert client.get(status_url(9999)).status_code == 403  # refused before looking the job up
    assert ExportJob.objects.count() == 1


@pytest.mark.parametrize("username", ["reviewer", "admin"])
def test_finance_bureau_starts_an_export_and_downloads_it(small, login, username) -> None:
    client = login(username)
    response = client.post(START_URL, {"year": 2021}, follow=True)
    assert response.redirect_chain == [(LIST_URL, 302)]
    job = ExportJob.objects.get()
    assert job.requested_by.username == username
    assert job.state == ExportState.DONE
    assert f"导出任务 #{job.pk}" in response.content.decode()

    download = client.get(download_url(job.pk))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert quote("2021年部门预算公开表_全部部门.zip") in download["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert len(archive.namelist()) == 2


def test_the_list_shows_each_job_with_a_progress_bar_and_polls_without_inline_script(job, login) -> None:
    failed = ExportJob.objects.create(
        year=job.year, requested_by=job.requested_by, state=ExportState.FAILED, total=2, done=1, error="磁盘已满"
    )
    response = login("reviewer").get(LIST_URL)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    rows = {row["data-status-url"]: row for row in page.select("tr[data-status-url]")}
    assert set(rows) == {status_url(job.pk), status_url(failed.pk)}

    done_row = rows[status_url(job.pk)]
    assert done_row["data-state"] == "done"
    assert done_row.select_one("progress")["value"] == done_row.select_one("progress")["max"] == "2"
    assert done_row.select_one(f'a[href="{download_url(job.pk)}"]') is not None

    failed_row = rows[status_url(failed.pk)]
    assert failed_row.select_one("progress")["value"] == "1"
    assert "磁盘已满" in failed_row.get_text()
    assert failed_row.select_one("a") is None

    scripts = page.find_all("script")
    assert [script.get("src") for script in scripts] == [
        "/static/js/confirm.js",
        "/static/js/files.js",
        "/static/js/exports.js",
    ]
    assert all(not script.string for script in scripts)
    assert page.select_one(f'form[action="{START_URL}"] input[name="csrfmiddlewaretoken"]') is not None
    assert [option["value"] for option in page.select("select[name=year] option")] == ["2021"]


def test_status_reports_progress_as_json(job, login) -> None:
    running = ExportJob.objects.create(
        year=job.year, requested_by=job.requested_by, state=ExportState.RUNNING, total=4, done=1
    )
    client = login("reviewer")
    response = client.get(status_url(running.pk))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert response.json() == {
        "id": running.pk,
        "state": "running",
        "state_label": "导出中",
        "done": 1,
        "total": 4,
        "percent": 25,
        "error": "",
        "download_url": None,
    }
    assert client.get(status_url(job.pk)).json()["download_url"] == download_url(job.pk)


def test_unknown_or_unfinished_jobs_answer_not_found(job, login) -> None:
    queued = ExportJob.objects.create(year=job.year, requested_by=job.requested_by)
    client = login("admin")
    assert client.get(status_url(9999)).status_code == 404
    assert client.get(download_url(9999)).status_code == 404
    assert client.get(download_url(queued.pk)).status_code == 404


def test_a_deleted_file_answers_not_found(job, login) -> None:
    job.file.storage.delete(job.file.name)
    assert login("reviewer").get(download_url(job.pk)).status_code == 404


def test_start_needs_post_and_a_csrf_token(small) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="reviewer", password=PASSWORD)
    response = client.get(START_URL)  # a GET starts nothing: back to the home page
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.post(START_URL, {"year": 2021}).status_code == 403
    assert not ExportJob.objects.exists()


def test_a_year_without_budgets_is_refused(small, login) -> None:
    BudgetYear.objects.create(year=2030)
    response = login("reviewer").post(START_URL, {"year": 2030})
    assert response.status_code == 400
    assert "这一年度没有部门预算" in response.content.decode()
    assert not ExportJob.objects.exists()


def test_jobs_cannot_be_deleted_from_the_pages(job, login) -> None:
    client = login("admin")
    assert client.delete(status_url(job.pk)).status_code == 405
    assert client.post(download_url(job.pk)).status_code == 405
    assert ExportJob.objects.filter(pk=job.pk).exists()


@pytest.mark.parametrize(("username", "shown"), [("reviewer", True), ("admin", True), ("accountant", False)])
def test_the_navigation_links_the_exports_for_the_finance_bureau_only(small, login, username, shown) -> None:
    html = login(username).get(reverse("home")).content.decode()
    assert (f'href="{LIST_URL}"' in html) is shown
