"""``manage.py bench``: a tiny run prints every measurement, and never opens the configured database; its
XlsxWriter floor writes exactly the official workbook."""

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings
from django.db import connection

from bench.anchors import record_workbook, replay_workbook
from bench.data import load_template
from bench.database import NotThrowaway, bench_database_name, check_throwaway
from budgets.selectors import budget_data
from official.edition import edition
from official.workbook import write_workbook

MEASUREMENTS = {
    "xlsxwriter_floor",
    "import_export_flat",
    "export_workbook",
    "xlsxwriter_floor_shanghai",
    "export_workbook_shanghai",
    "budget_page",
    "budget_page_cold",
    "budget_table",
    "budget_table_cold",
    "workbook_download",
    "workbook_download_cold",
    "dashboard",
    "read_floor_calamine",
    "import_preview",
    "import_confirm",
    "refuse_cells",
    "refuse_strings",
    "bulk_export",
}
# The floors write or read cells, nothing else
WITHOUT_QUERIES = {"xlsxwriter_floor", "xlsxwriter_floor_shanghai", "read_floor_calamine"}


def _bench(database_url: str, *arguments: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "bench", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_tiny_run_prints_every_measurement_and_never_opens_the_configured_database(tmp_path) -> None:
    configured = tmp_path / "real.sqlite3"
    result = _bench(f"sqlite:///{configured}", "--departments", "2", "--size", "small", "--repeat", "1", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert not configured.exists()  # SQLite would have created the file on the first connection
    assert list(tmp_path.iterdir()) == []
    assert report["database"]["vendor"] == "sqlite"
    assert report["database"]["name"].startswith("file:memorydb_")
    assert (report["size"], report["departments"], report["repeat"]) == ("small", 2, 1)
    measurements = {m["key"]: m for m in report["measurements"]}
    assert set(measurements) == MEASUREMENTS
    for key, measurement in measurements.items():
        assert measurement["median_ms"] > 0, key
        assert len(measurement["runs_ms"]) == 1
        assert (measurement["queries"] == 0) if key in WITHOUT_QUERIES else (measurement["queries"] > 0), key
    for key in ("budget_page", "budget_table", "workbook_download"):  # kept: the figures are not read again
        assert measurements[key]["queries"] < measurements[f"{key}_cold"]["queries"], key
    for key in ("export_workbook", "export_workbook_shanghai"):
        assert measurements[key]["ratio_floor"] > 0
        assert measurements[key]["ratio_import_export"] > 0
    bulk = measurements["bulk_export"]
    assert bulk["ratio_floor"] > 0
    assert bulk["peak_memory_mb"] > 0
    assert bulk["zip_mb"] > 0
    assert report["workbook"]["sheets"] > 12  # the official tables and the 绩效目标 sheets
    assert "测量：批量导出 2 个部门" in result.stderr  # progress goes to stderr, the JSON alone to stdout


@pytest.mark.skipif(connection.vendor != "postgresql", reason="runs where the suite runs on PostgreSQL")
def test_on_postgresql_the_bench_database_is_its_own_and_dropped(db) -> None:
    configured = dict(dj_database_url.parse(os.environ["DATABASE_URL"]))
    real_name = f"{configured['NAME']}_never_created"
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{real_name}"
    result = _bench(url, "--departments", "1", "--repeat", "1", "--only", "export", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["database"]["name"].startswith(f"test_{real_name}_bench_")
    with connection.cursor() as cursor:
        cursor.execute("select datname from pg_database where datname like %s", [f"%{real_name}%"])
        assert cursor.fetchall() == []  # neither the configured database nor the bench one is left


def test_only_a_throwaway_database_is_accepted() -> None:
    check_throwaway("sqlite", {"NAME": "file:memorydb_default?mode=memory&cache=shared"}, "var/db.sqlite3")
    check_throwaway("postgresql", {"NAME": bench_database_name("budgetoffice")}, "budgetoffice")
    with pytest.raises(NotThrowaway):
        check_throwaway("sqlite", {"NAME": "var/db.sqlite3"}, "var/db.sqlite3")
    with pytest.raises(NotThrowaway):
        check_throwaway("postgresql", {"NAME": "budgetoffice"}, "budgetoffice")
    with pytest.raises(NotThrowaway):
        check_throwaway("postgresql", {"NAME": "test_budgetoffice"}, "budgetoffice")  # a test suite's database


def test_the_command_refuses_nonsense(tmp_path) -> None:
    result = _bench(f"sqlite:///{tmp_path / 'real.sqlite3'}", "--only", "everything")
    assert result.returncode != 0
    assert not (tmp_path / "real.sqlite3").exists()


@pytest.mark.parametrize("key", ["hebei-2021", "shanghai-2026"])
def test_the_xlsxwriter_floor_writes_exactly_the_official_workbook(db, key: str) -> None:
    data = budget_data(load_template("small"))
    layouts = edition(key).for_year(data.year)
    official = io.BytesIO()
    write_workbook(official, data, layouts=layouts)
    recorded = record_workbook(data, layouts=layouts)
    floor = zipfile.ZipFile(io.BytesIO(replay_workbook(recorded)))
    expected = zipfile.ZipFile(official)
    assert floor.namelist() == expected.namelist()
    for name in expected.namelist():
        if name != "docProps/core.xml":  # holds the time of writing
            assert floor.read(name) == expected.read(name), name
    assert recorded.cells > 1000  # the small template: some 2,000 cells in hebei-2021, 1,500 in shanghai-2026
