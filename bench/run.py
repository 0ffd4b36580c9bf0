"""The benchmark run: data, then each measurement in order, in a throw-away database (see ``database``)."""

import io
import os
import platform
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import django
from django.conf import settings
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from bench.anchors import flat_export, record_workbook, replay_workbook
from bench.data import bench_users, copy_budget, load_template
from bench.database import throwaway_database
from bench.measure import Measurement, max_rss_bytes, measure, measure_interleaved, peak_memory
from budgets.models import Budget, BudgetLine
from budgets.selectors import budget_data
from exports.services import write_year_zip
from importing.services import ImportRefused, budget_import_apply, budget_import_preview
from official.edition import Edition, edition
from official.workbook import write_workbook

GROUPS = ("export", "import", "pages", "bulk")
SIZE_LABELS = {"small": "示例规模", "large": "大型部门"}
MB = 1024 * 1024


@dataclass
class BenchReport:
    database: dict[str, object]
    size: str
    departments: int
    repeat: int
    machine: dict[str, object]
    setup_seconds: float = 0.0
    workbook: dict[str, object] = field(default_factory=dict)
    measurements: list[Measurement] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "database": self.database,
            "size": self.size,
            "departments": self.departments,
            "repeat": self.repeat,
            "machine": self.machine,
            "setup_seconds": round(self.setup_seconds, 1),
            "workbook": self.workbook,
            "measurements": [m.as_json() for m in self.measurements],
        }


def _machine() -> dict[str, object]:
    return {
        "cpus": os.cpu_count(),
        "load_average": [round(load, 2) for load in os.getloadavg()],
        "python": platform.python_version(),
        "django": django.get_version(),
        "debug": settings.DEBUG,
        "started_at": datetime.now().astimezone().isoformat(timespec="seconds"),
    }


def _database(name: str) -> dict[str, object]:
    with connection.cursor() as cursor:
        cursor.execute("select sqlite_version()" if connection.vendor == "sqlite" else "show server_version")
        version = cursor.fetchone()[0]
    return {"vendor": connection.vendor, "version": version, "name": name}


def _get(client: Client, url: str) -> None:
    # secure: without DEBUG the settings redirect http to https (SECURE_SSL_REDIRECT), as behind the TLS proxy
    response = client.get(url, secure=True)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} 返回 {response.status_code}")


def run_bench(
    *,
    departments: int,
    size: str,
    repeat: int,
    only: Sequence[str] = GROUPS,
    progress: Callable[[str], None] = lambda message: None,
) -> BenchReport:
    """Generate ``departments`` departments of ``size`` in a throw-away database and measure; see the module
    docstring of ``bench``. The database is destroyed before this returns."""
    if departments < 1 or repeat < 1:
        raise ValueError("departments and repeat must be at least 1")
    machine = _machine()
    with throwaway_database() as name:
        report = BenchReport(_database(name), size, departments, repeat, machine)
        _run(report, only, progress)
    report.machine["load_average_after"] = [round(load, 2) for load in os.getloadavg()]
    return report


SECOND_EDITION = "shanghai-2026"  # the export is measured in the default edition and in this one


def _run(report: BenchReport, only: Sequence[str], progress: Callable[[str], None]) -> None:
    size, count, repeat = report.size, report.departments, report.repeat
    started = time.perf_counter()
    progress(f"生成数据：{count} 个{SIZE_LABELS[size]}的部门 …")
    template = load_template(size)
    accountant, reviewer = bench_users(template)
    copy_budget(template, count - 1)
    year, code = template.year_id, template.department.code
    report.setup_seconds = time.perf_counter() - started

    def fetch() -> Budget:
        return Budget.objects.select_related("department", "year", "control", "goals").get(pk=template.pk)

    def export(layouts: Edition | None = None) -> bytes:
        buffer = io.BytesIO()
        write_workbook(buffer, budget_data(fetch()), layouts=layouts)
        return buffer.getvalue()

    workbook = export()
    recorded = record_workbook(budget_data(fetch()))
    # The same budget in another province's template: Shanghai's, in 元, codes in 类 | 款 | 项, one 三公 row.
    shanghai = edition(SECOND_EDITION).for_year(year)
    recorded_shanghai = record_workbook(budget_data(fetch()), layouts=shanghai)
    lines = BudgetLine.objects.filter(budget=template).count()
    report.workbook = {
        "sheets": len(recorded.sheets),
        "cells": recorded.cells,
        "kb": len(workbook) // 1024,
        "lines": lines,
    }
    results = report.measurements

    progress("测量：锚点（XlsxWriter 下限、django-import-export 平面导出）和导出一个正式工作簿 …")
    compared = [
        ("xlsxwriter_floor", "锚点：XlsxWriter 直接写同样的单元格", lambda: replay_workbook(recorded)),
        ("import_export_flat", f"锚点：import-export 平面导出 {lines} 条数字", lambda: flat_export(template)),
    ]
    if "export" in only:
        compared += [
            ("export_workbook", f"导出一个正式工作簿（{SIZE_LABELS[size]}）", export),
            (
                "xlsxwriter_floor_shanghai",
                "锚点：XlsxWriter 直接写同样的单元格（上海版式）",
                lambda: replay_workbook(recorded_shanghai),
            ),
            (
                "export_workbook_shanghai",
                f"导出一个正式工作簿（{SIZE_LABELS[size]}，上海版式 {SECOND_EDITION}）",
                lambda: export(shanghai),
            ),
        ]
    floor, anchor, *exported = measure_interleaved(compared, repeat)
    results += [floor, anchor]
    if exported:
        hebei, shanghai_floor, shanghai_export = exported
        for result, its_floor in ((hebei, floor), (shanghai_export, shanghai_floor)):
            result.ratio_floor = result.median_ms / its_floor.median_ms
            result.ratio_import_export = result.median_ms / anchor.median_ms
        results += [hebei, shanghai_floor, shanghai_export]

    if "pages" in only:
        progress("测量：预算页面、审核工作台 …")
        results += _pages(accountant, reviewer, year, code, count, repeat)

    if "import" in only:
        progress("测量：导入工作簿（预览、确认导入）…")
        results += _imports(template, workbook, year, code, repeat)

    if "bulk" in only:
        progress(f"测量：批量导出 {count} 个部门 …")
        results.append(_bulk(year, count, repeat, floor))


def _pages(accountant, reviewer, year: int, code: str, count: int, repeat: int) -> list[Measurement]:
    page, dashboard = Client(), Client()
    page.force_login(accountant)
    dashboard.force_login(reviewer)
    detail_url = reverse("budget_detail", args=[year, code])
    dashboard_url = f"{reverse('dashboard')}?year={year}"
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        return [
            measure("budget_page", "预算页面（九张表，填报人）", lambda: _get(page, detail_url), repeat),
            measure(
                "dashboard", f"审核工作台（{count} 个部门，审核人）", lambda: _get(dashboard, dashboard_url), repeat
            ),
        ]


def _imports(template: Budget, workbook: bytes, year: int, code: str, repeat: int) -> list[Measurement]:
    def change_one_figure() -> None:
        """The stored budget differs from the file by 100 yuan in one figure: the import has work to do."""
        line = BudgetLine.objects.filter(budget=template).order_by("pk").values_list("pk", flat=True).first()
        BudgetLine.objects.filter(pk=line).update(amount=F("amount") + Decimal("100.00"))

    def preview() -> None:
        result = budget_import_preview(data=workbook, year=year, department_code=code)
        if not result.ok or not result.changes:
            problems = "；".join(str(problem) for problem in result.problems[:5])
            raise RuntimeError(f"导入预览不符合预期（{len(result.problems)} 个问题）：{problems}")

    def apply() -> None:
        try:
            budget_import_apply(data=workbook, year=year, department_code=code)
        except ImportRefused as refused:
            raise RuntimeError(f"导入被拒绝：{refused}") from refused

    change_one_figure()
    return [
        measure("import_preview", "导入同一工作簿：预览（不写入）", preview, repeat),
        measure("import_apply", "导入同一工作簿：确认导入", apply, repeat, before=change_one_figure),
    ]


def _bulk(year: int, count: int, repeat: int, floor: Measurement) -> Measurement:
    with tempfile.TemporaryDirectory(prefix="bench-") as directory:
        path = Path(directory) / f"{year}.zip"

        def export_year() -> None:
            with path.open("wb") as output:
                write_year_zip(year, output)

        before = max_rss_bytes()
        export_year()  # the warm-up run: does the process's peak memory grow?
        rss_growth = max_rss_bytes() - before
        result = measure("bulk_export", f"批量导出 {count} 个部门（zip）", export_year, repeat, warm_up=False)
        peak = peak_memory(export_year)
        result.extra |= {
            "per_department_ms": round(result.median_ms / count, 2),
            "peak_memory_mb": round(peak / MB, 1),
            "max_rss_growth_mb": round(rss_growth / MB, 1),
            "zip_mb": round(path.stat().st_size / MB, 2),
        }
    result.ratio_floor = result.median_ms / count / floor.median_ms
    return result
