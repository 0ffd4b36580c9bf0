"""Backup and restore (docs/backup.md): a whole year dumped with ``dumpdata`` and loaded into an emptied database
gives the same official workbooks, cell by cell, and the same trail (events, snapshots, revisions).

The PostgreSQL variant (pg_dump -Fc / pg_restore) runs only when the tests run on PostgreSQL and the client
tools are installed.
"""

import io
import os
import shutil
import subprocess

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection

from budgets.models import Budget, BudgetEvent, BudgetSnapshot, WarningExplanation
from budgets.selectors import budget_data
from official.workbook import write_workbook
from performance.models import Indicator
from tests.support.budgets import OWN, make_small_world
from tests.support.workflow import EXPLANATION, explain_warnings, issue_control, step, with_a_warning

# What the documented backup command leaves out: rebuilt by ``migrate`` (content types, permissions) or not worth
# keeping (sessions, the admin's log, login throttling records).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]


def dump_command_args(path: str) -> list:
    return [
        "dumpdata",
        "--natural-foreign",
        "--natural-primary",
        *[f"--exclude={label}" for label in EXCLUDED],
        "--format=xml",
        f"--output={path}",
    ]


def approve_after_a_return() -> None:
    """The own budget, a warning explained, through 一上 and a return in 二上 to approval."""
    budget = Budget.objects.get(department__code=OWN)
    budget = with_a_warning(budget)
    explain_warnings(budget, "accountant")
    issue_control(budget, "accountant")
    step(budget, "submit", "accountant", EXPLANATION)
    step(budget, "start_review", "reviewer")
    step(budget, "return", "reviewer", "三公经费请再核对。")
    step(budget, "submit", "accountant", EXPLANATION)
    step(budget, "start_review", "reviewer")
    step(budget, "approve", "reviewer")


def workbooks() -> dict[str, dict[str, list[tuple]]]:
    """Every cell value of every sheet of every budget's official workbook."""
    result = {}
    for budget in Budget.objects.select_related("department").order_by("year_id", "department__code"):
        buffer = io.BytesIO()
        write_workbook(buffer, budget_data(budget))
        book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
        result[f"{budget.year_id}/{budget.department.code}"] = {
            sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets
        }
    return result


def trail() -> dict[str, list]:
    """The record of what happened, by natural values (primary keys of users may change on restore)."""
    return {
        "budgets": list(
            Budget.objects.order_by("year_id", "department__code").values_list(
                "year_id", "department__code", "state", "round", "version", "revision", "submitted_at", "duties"
            )
        ),
        "events": list(
            BudgetEvent.objects.order_by("pk").values_list(
                "pk",
                "budget__department__code",
                "actor__username",
                "action",
                "from_state",
                "to_state",
                "comment",
                "data",
                "created_at",
            )
        ),
        "snapshots": list(
            BudgetSnapshot.objects.order_by("pk").values_list(
                "pk", "budget__department__code", "kind", "version", "event_id", "data", "created_at"
            )
        ),
        "explanations": list(WarningExplanation.objects.order_by("pk").values_list("pk", "budget_id", "text")),
        "indicators": list(Indicator.objects.order_by("pk").values_list("pk", "table_id", "name", "raw")),
    }


@pytest.fixture
def year_with_history(transactional_db) -> None:
    make_small_world()
    approve_after_a_return()
    assert BudgetSnapshot.objects.filter(budget__department__code=OWN).count() >= 2  # returned, approved
    assert WarningExplanation.objects.exists()
    assert Indicator.objects.exists()


def test_dumpdata_then_loaddata_into_an_emptied_database_gives_the_same_workbooks(year_with_history, tmp_path):
    before_books, before_trail = workbooks(), trail()
    path = str(tmp_path / "budgetoffice.xml")
    call_command(*dump_command_args(path))

    call_command("flush", interactive=False, verbosity=0)  # an empty database, as after ``migrate`` on a new one
    assert not Budget.objects.exists()
    call_command("loaddata", path, verbosity=0)

    after_trail = trail()
    for key, rows in before_trail.items():
        for a, b in zip(rows, after_trail[key], strict=True):
            assert a == b, [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    assert workbooks() == before_books
    assert Budget.objects.get(department__code=OWN).state == "approved"


@pytest.mark.skipif(shutil.which("pg_restore") is None, reason="the PostgreSQL client tools are not installed")
def test_pg_dump_then_pg_restore_into_a_new_database_gives_the_same_workbooks(year_with_history, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the tests do not run on PostgreSQL")
    before_books, before_trail = workbooks(), trail()
    settings = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    common = ["-h", settings.get("HOST") or "127.0.0.1", "-p", str(settings.get("PORT") or 5432)]
    common += ["-U", settings.get("USER") or "postgres"]
    path = str(tmp_path / "budgetoffice.dump")
    original, restored = settings["NAME"], f"{settings['NAME']}_restored"
    subprocess.run(["pg_dump", "-Fc", *common, "-d", original, "-f", path], check=True, env=env)
    subprocess.run(["dropdb", "--if-exists", *common, restored], check=True, env=env)
    subprocess.run(["createdb", *common, restored], check=True, env=env)
    try:
        subprocess.run(["pg_restore", "--no-owner", *common, "-d", restored, path], check=True, env=env)
        connection.close()
        settings["NAME"] = restored
        assert trail() == before_trail
        assert workbooks() == before_books
    finally:
        connection.close()
        settings["NAME"] = original
        subprocess.run(["dropdb", "--if-exists", *common, restored], check=True, env=env)
