import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from catalog.models import BudgetYear
from official.edition import Edition
from tests.support.budgets import OWN, YEAR
from tests.support.editions import PREFIX, RENAMED

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def first_title(path: Path) -> str:
    book = load_workbook(path, read_only=True)
    try:
        return str(book.worksheets[0]["A1"].value)
    finally:
        book.close()  # a read-only workbook holds its file open until closed


def test_editions_lists_each_edition_with_the_years_that_use_it(small, renamed_edition: Edition) -> None:
    BudgetYear.objects.create(year=2022)
    lines = run("editions").splitlines()
    assert any(line.startswith("hebei-2021\t") and line.endswith("使用年度：2021、2022") for line in lines)
    assert any(line.startswith(f"{RENAMED}\t") and line.endswith("使用年度：无") for line in lines)


def test_editions_with_tables_lists_each_tables_key_and_title(small) -> None:
    output = run("editions", "--tables")
    assert "  summary\t表1\t部门预算收支总表" in output
    assert "  fixed-assets\t附表\t部门固定资产占用情况表" in output


def test_export_budget_prints_the_years_edition_or_the_one_named(small, renamed_edition: Edition, tmp_path) -> None:
    BudgetYear.objects.filter(year=YEAR).update(edition=RENAMED)
    years, named = tmp_path / "year.xlsx", tmp_path / "named.xlsx"
    run("export_budget", "--year", str(YEAR), "--department", OWN, "-o", str(years))
    run("export_budget", "--year", str(YEAR), "--department", OWN, "-o", str(named), "--edition", "hebei-2021")
    assert first_title(years) == f"{PREFIX}部门预算收支总表"
    assert first_title(named) == "部门预算收支总表"


def test_export_budget_refuses_an_unknown_edition_and_writes_nothing(small, tmp_path) -> None:
    output = tmp_path / "out.xlsx"
    with pytest.raises(CommandError, match="guangdong-2030"):
        run("export_budget", "--year", str(YEAR), "--department", OWN, "-o", str(output), "--edition", "guangdong-2030")
    assert not output.exists()
