"""export_budget --all: every department of the year as one zip, with a progress bar on stderr."""

import io
import zipfile

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from tests.support.budgets import OTHER, OTHER_NAME, OWN, OWN_NAME

pytestmark = pytest.mark.django_db


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_all_departments_go_into_one_zip_with_a_progress_bar(small, tmp_path) -> None:
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "2021.zip"
    call_command("export_budget", "--year", "2021", "--all", "-o", str(target), stdout=out, stderr=err)
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        assert [name.split("_")[0] for name in names] == [OWN, OTHER]
        for name in names:
            openpyxl.load_workbook(io.BytesIO(archive.read(name)))
    long_line = f"{OTHER} {OTHER_NAME}"
    assert len(long_line) > 16
    assert (
        err.getvalue().splitlines()
        == [
            f"[{'.' * 30}] 0/2",
            f"[{'#' * 15}{'.' * 15}] 1/2 {OWN} {OWN_NAME}",  # short enough to be shown whole
            f"[{'#' * 30}] 2/2 {long_line[:15]}…",  # cut to 16 characters
        ]
    )
    assert "全部 2 个部门" in out.getvalue()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["2021.zip"]  # no temporary file left


def test_on_a_terminal_the_bar_is_redrawn_in_place(small, tmp_path) -> None:
    err = Terminal()
    call_command(
        "export_budget", "--year", "2021", "--all", "-o", str(tmp_path / "x.zip"), stdout=io.StringIO(), stderr=err
    )
    text = err.getvalue()
    assert text.count("\r") == 3
    assert text.endswith("\n")
    assert text.count("\n") == 1


def test_the_unit_option_applies_to_every_workbook(small, tmp_path) -> None:
    target = tmp_path / "yuan.zip"
    call_command("export_budget", "--year", "2021", "--all", "--unit", "元", "-o", str(target), stderr=io.StringIO())
    with zipfile.ZipFile(target) as archive:
        workbook = openpyxl.load_workbook(io.BytesIO(archive.read(archive.namelist()[0])))
    meta = [cell.value for cell in workbook.worksheets[0][2] if cell.value]
    assert any("元" in value and "万元" not in value for value in meta)


def test_a_year_without_budgets_writes_nothing(small, tmp_path) -> None:
    target = tmp_path / "none.zip"
    with pytest.raises(CommandError, match="没有 2030 年的部门预算"):
        call_command("export_budget", "--year", "2030", "--all", "-o", str(target))
    assert not target.exists()


@pytest.mark.parametrize("which", [[], ["--all", "--department", OWN]])
def test_exactly_one_of_department_and_all(small, tmp_path, which) -> None:
    with pytest.raises(CommandError):
        call_command("export_budget", "--year", "2021", *which, "-o", str(tmp_path / "x"))
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_output_is_reported(small, tmp_path) -> None:
    with pytest.raises(CommandError, match="无法写入"):
        call_command("export_budget", "--year", "2021", "--all", "-o", str(tmp_path / "missing" / "x.zip"))
