"""发布公开 in the background: a job per request, the page following its steps (the PDF alone takes seconds).

``publication_job_create`` refuses at once what cannot be published (the reviewer sees why before anything is
queued), returns the job already running for the same version instead of a second one, and hands a new job to the
runner (web.background). ``publication_job_run`` claims it, publishes (disclosure.publication.budget_publish,
which records each step on the job) and keeps the outcome on the row.
"""

import logging
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from budgets.access import REVIEWER_ONLY, may_publish, require
from budgets.models import Budget
from disclosure.models import ACTIVE_PUBLICATION, PublicationJob, PublicationState
from disclosure.publication import PublicationError, budget_publish, publishable_errors
from web import background

logger = logging.getLogger(__name__)

FAILED = "发布时出错，未发布任何内容。请稍后重试；如果一再出现，请联系系统管理员。"


# A job still 排队中 or 发布中 this long after it was asked for has lost its process (a restart, a killed worker):
# it is ended as not published, so that 发布公开 can be asked again.
GIVEN_UP_AFTER = timedelta(minutes=15)
GIVEN_UP = "发布任务超时未完成（处理它的进程可能已停止），未发布任何内容。请重新发布。"


def _give_up_lost_jobs(budget: Budget) -> None:
    cutoff = timezone.now() - GIVEN_UP_AFTER
    lost = budget.publication_jobs.filter(state__in=ACTIVE_PUBLICATION, created_at__lt=cutoff)
    lost.update(state=PublicationState.FAILED, error=GIVEN_UP, finished_at=timezone.now())


def active_job(budget: Budget) -> PublicationJob | None:
    _give_up_lost_jobs(budget)
    return budget.publication_jobs.filter(version=budget.version, state__in=ACTIVE_PUBLICATION).first()


def latest_job(budget: Budget) -> PublicationJob | None:
    _give_up_lost_jobs(budget)
    return budget.publication_jobs.filter(version=budget.version).first()


def publication_job_create(*, budget: Budget, user) -> PublicationJob:
    """Queue the publication of the budget's current version (or return the one queued or running already)."""
    require(may_publish(user), REVIEWER_ONLY.format(what="发布部门预算公开"))
    errors = publishable_errors(budget)
    if errors:
        raise PublicationError(errors)
    running = active_job(budget)
    if running is not None:
        return running
    try:
        with transaction.atomic():
            job = PublicationJob.objects.create(budget=budget, version=budget.version, requested_by=user)
    except IntegrityError:  # another request queued it a moment ago
        return active_job(budget) or latest_job(budget)  # type: ignore[return-value]
    start(job)
    job.refresh_from_db()  # the inline runner has finished it already
    return job


def start(job: PublicationJob) -> None:
    background.start(job.pk, publication_job_run, run_publication_job)


def _claim(job_id: int) -> bool:
    claimed = PublicationJob.objects.filter(pk=job_id, state=PublicationState.QUEUED).update(
        state=PublicationState.RUNNING, started_at=timezone.now(), steps_done=0, error=""
    )
    return claimed == 1


def _finish(job_id: int, **fields: object) -> None:
    PublicationJob.objects.filter(pk=job_id).update(finished_at=timezone.now(), **fields)


def publication_job_run(job_id: int) -> PublicationJob:
    """Run a queued job to its end (published or not). A job that is not queued any more is left alone."""
    if _claim(job_id):
        _execute(job_id)
    return PublicationJob.objects.get(pk=job_id)


def publication_job_run_next() -> PublicationJob | None:
    """Run the oldest queued job, if any (the ``worker`` runner's loop: manage.py run_export_jobs)."""
    queued = PublicationJob.objects.filter(state=PublicationState.QUEUED).order_by("created_at", "id")
    for job_id in queued.values_list("pk", flat=True)[:5]:
        if _claim(job_id):  # several workers may race for it: the one that claims it runs it
            _execute(job_id)
            return PublicationJob.objects.get(pk=job_id)
    return None


@task()
def run_publication_job(job_id: int) -> str:
    """The job as a django-tasks task (the ``queue`` runner); the row is the record, the state only for the log."""
    return publication_job_run(job_id).state


def _execute(job_id: int) -> None:
    job = PublicationJob.objects.select_related("budget", "requested_by").get(pk=job_id)

    def on_step(done: int, label: str) -> None:
        PublicationJob.objects.filter(pk=job_id).update(steps_done=done, step=label)

    try:
        if job.budget.version != job.version:  # an adjustment began while the job waited
            raise PublicationError([f"预算已开始第{job.budget.version}版（预算调整），第{job.version}版未发布。"])
        document = budget_publish(job.budget, job.requested_by, on_step)
    except PublicationError as refused:
        _finish(job_id, state=PublicationState.FAILED, error="；".join(refused.messages))
    except PermissionDenied as refused:
        _finish(job_id, state=PublicationState.FAILED, error=str(refused))
    except Exception:
        logger.exception("publication job %s failed", job_id)
        _finish(job_id, state=PublicationState.FAILED, error=FAILED)
    else:
        done = {"steps_done": PublicationJob.STEPS, "step": "已发布"}
        _finish(job_id, state=PublicationState.DONE, document=document, **done)
