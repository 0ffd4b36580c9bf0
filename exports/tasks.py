"""The export job as a django-tasks task: what the ``queue`` runner enqueues (see ``exports.runner``)."""

from django_tasks import task

from exports.services import export_job_run


@task()
def run_export_job(job_id: int) -> str:
    """Run export job ``job_id`` on whatever process takes the task (a ``db_worker``, or this one).

    The job row, not the task's result, is the record the pages read: progress, file and error live there, and a
    job another runner has already taken is left alone. The state is returned only for the worker's log.
    """
    return export_job_run(job_id).state
