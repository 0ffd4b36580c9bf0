from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from importing.pending import purge


class Command(BaseCommand):
    help = "Delete uploaded workbooks whose import was previewed but never confirmed (older than --hours)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hours",
            type=float,
            default=settings.PENDING_IMPORT_HOURS,
            help=f"age after which a waiting upload is deleted (default {settings.PENDING_IMPORT_HOURS})",
        )

    def handle(self, *args, hours: float, **options) -> None:
        deleted = purge(timedelta(hours=hours))
        self.stdout.write(f"已删除 {deleted} 个未确认的导入文件（超过 {hours:g} 小时）。")
