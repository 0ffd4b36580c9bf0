import time

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection

from disclosure.jobs import publication_job_run_next
from exports.services import export_job_run_next


class Command(BaseCommand):
    help = (
        "Run the queued background jobs (批量导出, 发布公开): until none is left, or with --loop keep waiting "
        "for new ones. "
        "Used with EXPORT_RUNNER=worker; several workers may run at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep running, looking for queued jobs")
        parser.add_argument(
            "--interval", type=float, default=5.0, help="seconds between looks for queued jobs (with --loop)"
        )

    def handle(self, *args, loop: bool, interval: float, **options) -> None:
        while True:
            ran = self._run_queued()
            if not loop:
                if not ran:
                    self.stdout.write("没有排队的任务。")
                return
            # A long-lived worker drops connections the server has closed; inside a transaction (a test's)
            # there is nothing to drop, and Django would close the live connection.
            if not connection.in_atomic_block:
                close_old_connections()
            time.sleep(interval)

    def _run_queued(self) -> int:
        ran = 0
        while (job := export_job_run_next()) is not None:
            ran += 1
            self._report(
                f"导出任务 #{job.pk}（{job.year_id}年）：{job.get_state_display()} {job.done}/{job.total}", job.error
            )
        while (publication := publication_job_run_next()) is not None:
            ran += 1
            self._report(
                f"发布公开任务 #{publication.pk}（{publication.budget}）：{publication.get_state_display()}",
                publication.error,
            )
        return ran

    def _report(self, line: str, error: str) -> None:
        if error:
            self.stderr.write(f"{line} {error}")
        else:
            self.stdout.write(self.style.SUCCESS(line))
