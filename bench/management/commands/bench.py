import argparse
import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bench.data import SIZES
from bench.report import format_report
from bench.run import GROUPS, run_bench

DEFAULT_DEPARTMENTS = 100
DEFAULT_REPEAT = 3


def _groups(text: str) -> list[str]:
    groups = [group.strip() for group in text.split(",") if group.strip()]
    unknown = [group for group in groups if group not in GROUPS]
    if unknown or not groups:
        raise argparse.ArgumentTypeError(f"未知的测量项目“{text}”，可选：{','.join(GROUPS)}")
    return groups


class Command(BaseCommand):
    help = (
        "Benchmark in a throw-away database (never the configured one): synthetic departments, then the median "
        "time and SQL queries of exporting and importing a workbook, the budget page, the dashboard and the bulk "
        "export, next to the XlsxWriter floor and django-import-export's flat export."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--departments", type=int, default=DEFAULT_DEPARTMENTS, help=f"departments (default {DEFAULT_DEPARTMENTS})"
        )
        parser.add_argument(
            "--size", choices=SIZES, default="small", help="small: the example 202; large: see budgets/bench/large.py"
        )
        parser.add_argument(
            "--repeat", type=int, default=DEFAULT_REPEAT, help=f"timed runs per measurement (default {DEFAULT_REPEAT})"
        )
        parser.add_argument("--json", dest="as_json", action="store_true", help="print the results as JSON")
        parser.add_argument(
            "--only",
            type=_groups,
            default=list(GROUPS),
            help=f"comma-separated measurements to run: {','.join(GROUPS)} (the anchors always run)",
        )

    def handle(
        self, *args, departments: int, size: str, repeat: int, as_json: bool, only: list[str], **options
    ) -> None:
        if departments < 1 or repeat < 1:
            raise CommandError("--departments 和 --repeat 至少为 1。")

        def progress(message: str) -> None:
            self.stderr.write(message, style_func=str)

        report = run_bench(departments=departments, size=size, repeat=repeat, only=only, progress=progress)
        if as_json:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(format_report(report))
