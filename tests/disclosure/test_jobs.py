"""发布公开 in the background (disclosure.jobs): the job follows its steps and keeps its outcome; a refusal is said
before anything is queued; one job per version at a time; the budget is not locked while the document is made."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from budgets.models import Budget
from disclosure import publication
from disclosure.jobs import FAILED, GIVEN_UP, GIVEN_UP_AFTER, publication_job_create, publication_job_run
from disclosure.models import PublicationJob, PublicationState, PublishedDocument
from disclosure.publication import PublicationError
from tests.support.budgets import OWN, YEAR
from tests.support.workflow import approve_at_once, step, user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7 stand-in"


@pytest.fixture
def steps_seen(monkeypatch) -> list[str]:
    """The job's step as the PDF is being made (a stand-in for WeasyPrint, which takes seconds)."""
    seen: list[str] = []

    def render_pdf(html: str) -> bytes:
        seen.append(PublicationJob.objects.get(state=PublicationState.RUNNING).step)
        return PDF

    monkeypatch.setattr(publication, "render_pdf", render_pdf)
    return seen


def test_a_job_publishes_the_approved_version_step_by_step(small, steps_seen) -> None:
    budget = approve_at_once(small.budget)
    job = publication_job_create(budget=budget, user=user("reviewer"))
    assert job.state == PublicationState.DONE
    assert steps_seen == ["生成公开文件（PDF）"]
    assert (job.steps_done, job.step) == (PublicationJob.STEPS, "已发布")
    assert job.document == PublishedDocument.objects.get(budget=budget, version=1)
    assert job.finished_at is not None


def test_what_cannot_be_published_is_refused_before_a_job_is_queued(small, steps_seen) -> None:
    with pytest.raises(PublicationError, match="只有已批复的预算可以发布公开"):
        publication_job_create(budget=small.budget, user=user("reviewer"))
    assert not PublicationJob.objects.exists()


def test_a_second_request_while_one_runs_gets_the_same_job(small, settings, steps_seen) -> None:
    settings.EXPORT_RUNNER = "worker"  # queued, for a worker process
    budget = approve_at_once(small.budget)
    first = publication_job_create(budget=budget, user=user("reviewer"))
    second = publication_job_create(budget=budget, user=user("reviewer"))
    assert first.pk == second.pk
    assert first.state == PublicationState.QUEUED
    call_command("run_export_jobs")  # the worker runs the queued publications too
    first.refresh_from_db()
    assert first.state == PublicationState.DONE


def test_an_error_while_making_the_document_fails_the_job_and_publishes_nothing(small, monkeypatch) -> None:
    def broken(html: str) -> bytes:
        raise OSError("no fonts")

    monkeypatch.setattr(publication, "render_pdf", broken)
    job = publication_job_create(budget=approve_at_once(small.budget), user=user("reviewer"))
    assert (job.state, job.error) == (PublicationState.FAILED, FAILED)
    assert not PublishedDocument.objects.exists()


def test_an_adjustment_begun_while_the_document_is_made_is_not_published_as_the_old_version(small, monkeypatch) -> None:
    budget = approve_at_once(small.budget)

    def adjusted_meanwhile(html: str) -> bytes:
        step(Budget.objects.get(pk=budget.pk), "adjust", "accountant", "追加预算")
        return PDF

    monkeypatch.setattr(publication, "render_pdf", adjusted_meanwhile)
    job = publication_job_create(budget=budget, user=user("reviewer"))
    assert job.state == PublicationState.FAILED
    assert "第1版未发布" in job.error
    assert not PublishedDocument.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_budget_is_not_locked_while_the_pdf_is_made(small, monkeypatch) -> None:
    in_transaction: list[bool] = []

    def render_pdf(html: str) -> bytes:
        in_transaction.append(connection.in_atomic_block)
        return PDF

    monkeypatch.setattr(publication, "render_pdf", render_pdf)
    publication_job_create(budget=approve_at_once(small.budget), user=user("reviewer"))
    assert in_transaction == [False]


def test_a_job_already_run_is_left_alone(small, steps_seen) -> None:
    job = publication_job_create(budget=approve_at_once(small.budget), user=user("reviewer"))
    assert publication_job_run(job.pk).state == PublicationState.DONE
    assert PublishedDocument.objects.count() == 1


def test_the_page_follows_the_job_and_the_status_says_how_far_it_is(small, settings, steps_seen, login) -> None:
    settings.EXPORT_RUNNER = "worker"
    approve_at_once(small.budget)
    client = login("reviewer")
    response = client.post(reverse("budget_publish", args=[YEAR, OWN]), follow=True)
    html = response.content.decode()
    assert "正在发布第1版" in html
    assert 'data-status-url="' + reverse("budget_publish_status", args=[YEAR, OWN]) in html
    assert "发布公开</button>" not in html  # not twice
    status = client.get(reverse("budget_publish_status", args=[YEAR, OWN])).json()
    assert (status["state"], status["steps_done"], status["steps_total"]) == ("queued", 0, 3)
    call_command("run_export_jobs")
    status = client.get(reverse("budget_publish_status", args=[YEAR, OWN])).json()
    assert (status["state"], status["steps_done"]) == ("done", 3)
    page = client.get(reverse("budget_detail", args=[YEAR, OWN])).content.decode()
    assert "已公开（第1版）" in page
    assert PublishedDocument.objects.get().html_sha256 in page  # in the detail line, not the message


def test_a_job_whose_process_was_lost_is_given_up_so_publishing_can_be_asked_again(small, settings, steps_seen) -> None:
    settings.EXPORT_RUNNER = "worker"  # queued, and no worker ever comes
    budget = approve_at_once(small.budget)
    lost = publication_job_create(budget=budget, user=user("reviewer"))
    PublicationJob.objects.filter(pk=lost.pk).update(created_at=timezone.now() - GIVEN_UP_AFTER - timedelta(minutes=1))
    settings.EXPORT_RUNNER = "inline"
    again = publication_job_create(budget=budget, user=user("reviewer"))
    assert again.pk != lost.pk
    assert again.state == PublicationState.DONE
    lost.refresh_from_db()
    assert (lost.state, lost.error) == (PublicationState.FAILED, GIVEN_UP)


def test_a_job_that_waited_past_an_adjustment_does_not_publish_the_new_version(small, settings, steps_seen) -> None:
    settings.EXPORT_RUNNER = "worker"
    budget = approve_at_once(small.budget)
    job = publication_job_create(budget=budget, user=user("reviewer"))
    step(Budget.objects.get(pk=budget.pk), "adjust", "accountant", "追加预算")
    call_command("run_export_jobs")
    job.refresh_from_db()
    assert job.state == PublicationState.FAILED
    assert "第1版未发布" in job.error
    assert not PublishedDocument.objects.exists()
