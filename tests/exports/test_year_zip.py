"""write_year_zip: one official workbook per department, progress, constant queries, flat memory."""

import gc
import io
import tempfile
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exports.services import member_name, replacing, write_year_zip
from official.workbook import sheet_name
from tests.support.budgets import OTHER, OTHER_NAME, OWN, OWN_NAME
from tests.support.factories import BudgetFactory, BudgetYearFactory, DepartmentFactory
from tests.support.hebei_2021 import OFFICIAL_TABLES

pytestmark = pytest.mark.django_db

MAX_QUERIES_PER_DEPARTMENT = 10


def year_zip(year: int = 2021) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    write_year_zip(year, buffer)
    buffer.seek(0)
    return zipfile.ZipFile(buffer)


def test_one_valid_workbook_per_department_of_the_year(add_departments) -> None:
    add_departments(1)
    BudgetFactory(department=DepartmentFactory(code="777", name="别年部门"), year=BudgetYearFactory(year=2022))
    archive = year_zip()
    assert archive.testzip() is None
    names = archive.namelist()
    assert names == [f"{OWN}_{OWN_NAME}.xlsx", f"{OTHER}_{OTHER_NAME}.xlsx", "900_复制部门900.xlsx"]
    for info in archive.infolist():
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert info.date_time[0] >= 2020  # stamped now, not the 1980 default
    for name in names:
        workbook = openpyxl.load_workbook(io.BytesIO(archive.read(name)))
        # The official tables first; the 绩效目标 sheets follow for a budget that has targets.
        assert workbook.sheetnames[: len(OFFICIAL_TABLES)] == [sheet_name(layout) for layout in OFFICIAL_TABLES]
        department_line = workbook[sheet_name(OFFICIAL_TABLES[0])]["A2"].value
        assert name.split("_")[0] in department_line


def test_another_year_has_only_its_own_departments(small) -> None:
    BudgetFactory(department=DepartmentFactory(code="777", name="别年部门"), year=BudgetYearFactory(year=2022))
    assert year_zip(2022).namelist() == ["777_别年部门.xlsx"]
    assert year_zip(2030).namelist() == []


def test_progress_counts_up_to_the_total(add_departments) -> None:
    add_departments(2)
    calls: list[tuple[int, int, str]] = []
    total = write_year_zip(2021, io.BytesIO(), lambda done, total, line: calls.append((done, total, line)))
    assert total == 4
    assert [(done, total) for done, total, _ in calls] == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    assert [line.split()[0] for _, _, line in calls[1:]] == [OWN, OTHER, "900", "901"]


@pytest.mark.parametrize(
    ("code", "name", "expected"),
    [
        ("202", "中共石家庄市鹿泉区委办公室", "202_中共石家庄市鹿泉区委办公室.xlsx"),
        ("7", 'a/b\\c:d*e?f"g<h>i|j', "7_a_b_c_d_e_f_g_h_i_j.xlsx"),
        ("8", "../..", "8__.xlsx"),
        ("9", "  ", "9.xlsx"),
    ],
)
def test_member_names_are_safe_file_names(code, name, expected) -> None:
    result = member_name(code, name)
    assert result == expected
    assert "/" not in result
    assert "\\" not in result


def test_queries_grow_by_a_fixed_number_per_department(add_departments, django_assert_max_num_queries) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            write_year_zip(2021, io.BytesIO())
        return len(context)

    with_two = queries()
    add_departments(2)
    with_four = queries()
    add_departments(2)
    with_six = queries()
    per_department = (with_four - with_two) // 2
    assert with_six - with_four == with_four - with_two  # linear: the same queries for every department
    assert per_department <= MAX_QUERIES_PER_DEPARTMENT  # not one per line or per table
    with django_assert_max_num_queries(with_two + 4 * MAX_QUERIES_PER_DEPARTMENT):
        write_year_zip(2021, io.BytesIO())


def test_peak_memory_does_not_grow_with_the_departments(add_departments) -> None:
    def peak() -> int:
        gc.collect()
        with tempfile.TemporaryFile() as output:
            tracemalloc.start()
            try:
                write_year_zip(2021, output)
                return tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()

    peak()  # warm-up: first-use caches
    with_two = peak()
    add_departments(6)
    with_eight = peak()
    # Four times the departments; one workbook at a time in memory, so the peak stays nearly where it was.
    assert with_eight < with_two * 1.2


def test_replacing_leaves_no_partial_file(tmp_path) -> None:
    target = tmp_path / "out.zip"
    target.write_bytes(b"old")

    def fail_halfway() -> None:
        with replacing(target) as output:
            output.write(b"half")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fail_halfway()
    assert target.read_bytes() == b"old"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out.zip"]

    with replacing(target) as output:
        output.write(b"new")
    assert target.read_bytes() == b"new"
    assert sorted(Path(path).name for path in tmp_path.iterdir()) == ["out.zip"]
