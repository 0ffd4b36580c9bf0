"""clear_cache: forget everything computed and kept (budgets.computed); pages compute it again on first view.

Needed only after restoring the database from a backup (a restored database reaches revisions it had already
reached, with other contents); a deployment of new code needs nothing (the keys name the code's release)."""

from django.core.cache import cache
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "清空缓存的计算结果（公开表、工作簿）；仅在从备份恢复数据库后需要。"

    def handle(self, *args: object, **options: object) -> None:
        cache.clear()
        self.stdout.write("已清空缓存。")
