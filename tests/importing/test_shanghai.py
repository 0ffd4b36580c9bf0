"""Shanghai workbooks through the finance IT interface: the real template filled with our budgets imports (the file
names no department code: --department), a budget converts Hebei → Shanghai → Hebei and Shanghai → Hebei → Shanghai
with every figure equal, and what Shanghai's tables do not show is kept."""

import io
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from budgets.models import Budget
from budgets.selectors import budget_data
from departments.models import Department
from domain.unit_budget import unit_budget
from importing.services import budget_import_preview
from official.render import print_table
from official.workbook import write_workbook
from official.xlsx_reader import read_workbook
from tests.support.budgets import CENTRE, OFFICE, OWN, YEAR
from tests.support.shanghai import (
    SHANGHAI,
    SHANGHAI_UNIT,
    UNIT_TEMPLATE,
    fill_template,
    first_data_row,
    template_sheet,
)

pytestmark = pytest.mark.django_db

NEW, NEWER = "901", "902"

Figures = dict[str, list[tuple[dict[str, object], dict[str, Decimal]]]]


def figures_of(data: bytes) -> Figures:
    """Every row of the numbered tables a workbook prints: its texts and its amounts as printed."""
    book = read_workbook(data)
    assert book.problems == []
    return {
        key: [
            (
                {name: cell.value for name, cell in row.items() if cell.printed is None},
                {name: cell.printed for name, cell in row.items() if cell.printed is not None},
            )
            for row in table.rows
        ]
        for key, table in book.tables.items()
        if table.layout.number is not None
    }


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def export(tmp_path: Path, department: str, edition: str, *extra: str) -> bytes:
    path = tmp_path / f"{department}-{edition}.xlsx"
    run("export_budget", "--year", str(YEAR), "--department", department, "--edition", edition, "-o", str(path), *extra)
    return path.read_bytes()


def import_file(tmp_path: Path, data: bytes, *extra: str) -> str:
    path = tmp_path / "in.xlsx"
    path.write_bytes(data)
    return run("import_budget", str(path), "--year", str(YEAR), *extra)


def with_department_line(data: bytes, line: str) -> bytes:
    """The workbook as another department would have it: every table's line under the title says ``line``."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        sheet["A2"] = line
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_filled_template_of_a_stored_budget_changes_nothing(small) -> None:
    preview = budget_import_preview(data=fill_template(budget_data(small.budget)), year=YEAR, department_code=OWN)
    assert preview.edition is not None
    assert preview.edition.key == "shanghai-2026"
    assert preview.problems == []
    assert preview.unchanged


def test_a_workbook_without_a_department_code_asks_for_one(small, tmp_path: Path) -> None:
    path = tmp_path / "in.xlsx"
    path.write_bytes(fill_template(budget_data(small.budget)))
    errors = io.StringIO()
    with pytest.raises(CommandError, match="未导入"):
        call_command("import_budget", str(path), "--year", str(YEAR), stdout=io.StringIO(), stderr=errors)
    assert "没有部门编码：请指定部门（import_budget --department）" in errors.getvalue()


def test_the_filled_template_creates_the_department_named_by_its_line(small, tmp_path: Path) -> None:
    """The own budget has carried-over money, non-fiscal income and 经营支出: Shanghai shows them by source and in 合计;
    the budget imported from the file prints the same Shanghai tables."""
    original = fill_template(budget_data(small.budget))
    out = import_file(tmp_path, original, "--department", NEW, "--create-department")
    assert "版式：shanghai-2026" in out
    assert "单位预算" not in out
    department = Department.objects.get(code=NEW)
    assert department.name == small.budget.department.name  # from 编制部门：…
    assert figures_of(export(tmp_path, NEW, "shanghai-2026")) == figures_of(original)


def test_a_hebei_workbook_converts_to_shanghai_and_back_with_every_figure_equal(demo, tmp_path: Path) -> None:
    hebei = export(tmp_path, "202", "hebei-2021")
    shanghai = export(tmp_path, "202", "shanghai-2026")
    import_file(tmp_path, shanghai, "--department", NEW, "--create-department")
    assert figures_of(export(tmp_path, NEW, "hebei-2021")) == figures_of(hebei)


def test_a_shanghai_workbook_converts_to_hebei_and_back_with_every_figure_equal(demo, tmp_path: Path) -> None:
    shanghai = fill_template(budget_data(demo["202"]))
    import_file(tmp_path, shanghai, "--department", NEW, "--create-department")
    hebei = export(tmp_path, NEW, "hebei-2021", "--unit", "元")  # Shanghai's 元, not rounded to 万元
    import_file(tmp_path, with_department_line(hebei, f"{NEWER} 转换测试局"), "--create-department")
    assert Budget.objects.filter(department__code=NEWER, year_id=YEAR).exists()
    assert figures_of(export(tmp_path, NEWER, "shanghai-2026")) == figures_of(shanghai)


def test_what_shanghai_has_no_table_for_is_kept(small) -> None:
    stored = budget_data(small.budget)
    assert stored.procurement
    assert stored.assets
    preview = budget_import_preview(data=fill_template(stored), year=YEAR, department_code=OWN)
    assert preview.problems == []
    assert preview.procurement == list(stored.procurement)
    assert preview.assets == list(stored.assets)


def test_a_running_cost_the_file_states_otherwise_is_shown_not_refused(small) -> None:
    data = fill_template(budget_data(small.budget))
    book = openpyxl.load_workbook(io.BytesIO(data))
    layout = SHANGHAI.by_key["three-public-running"]
    sheet = template_sheet(book, layout)
    row = first_data_row(layout)
    printed = print_table(layout, budget_data(small.budget)).rows[0].cells[-1].value or Decimal("0.00")
    sheet.cell(row, len(layout.columns)).value = printed + Decimal("1.00")
    buffer = io.BytesIO()
    book.save(buffer)
    preview = budget_import_preview(data=buffer.getvalue(), year=YEAR, department_code=OWN)
    assert preview.problems == []
    [notice] = [notice for notice in preview.notices if "机关运行经费" in notice.message]
    assert notice.place == f"{sheet.title}!G{row}"
    assert f"文件为 {printed + 1:.2f}，导入后为 {printed:.2f}" in notice.message


# --- 单位预算: one unit's tables of the department's ledger -------------------------------------------------------


def unit_workbook(data, unit: str) -> bytes:
    buffer = io.BytesIO()
    write_workbook(buffer, unit_budget(data, unit), layouts=SHANGHAI_UNIT.for_year(data.year))
    return buffer.getvalue()


def test_a_units_budget_is_exported_in_the_unit_edition(small, tmp_path: Path) -> None:
    path = tmp_path / "centre.xlsx"
    out = run(
        "export_budget", "--year", str(YEAR), "--department", OWN, "--edition", "shanghai-2026",
        "--unit-budget", CENTRE, "-o", str(path),
    )  # fmt: skip
    assert "单位预算公开表" in out
    book = read_workbook(path.read_bytes())
    assert book.problems == []
    assert book.edition is not None
    assert book.edition.key == "shanghai-2026-unit"
    assert book.department == ("", CENTRE)
    centre = sum((line.amount for line in budget_data(small.budget).lines if line.unit == CENTRE), Decimal(0))
    [total] = [row for row in book.tables["expenditure"].rows if row["name"].value == "合计"]
    assert total["total"].printed == centre > 0


def test_a_unit_edition_is_refused_without_the_unit(small, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="请用 --unit-budget 指定单位"):
        export(tmp_path, OWN, "shanghai-2026-unit")
    with pytest.raises(CommandError, match="没有单位“信息处”"):
        export(tmp_path, OWN, "shanghai-2026", "--unit-budget", "信息处")


def test_a_units_workbook_of_the_stored_figures_changes_nothing(small) -> None:
    preview = budget_import_preview(
        data=unit_workbook(budget_data(small.budget), CENTRE), year=YEAR, department_code=OWN
    )
    assert preview.problems == []
    assert preview.unit == CENTRE
    assert preview.department_name == small.budget.department.name
    assert preview.unchanged


def test_the_unit_template_filled_by_hand_imports_into_its_unit(small) -> None:
    filled = fill_template(unit_budget(budget_data(small.budget), CENTRE), UNIT_TEMPLATE, SHANGHAI_UNIT)
    preview = budget_import_preview(data=filled, year=YEAR, department_code=OWN)
    assert preview.problems == []
    assert preview.unit == CENTRE
    assert preview.unchanged


def test_a_units_workbook_replaces_that_units_lines_and_no_other(small, tmp_path: Path) -> None:
    stored = budget_data(small.budget)
    office = sorted((line for line in stored.lines if line.unit == OFFICE), key=str)
    centre = [line for line in stored.lines if line.unit == CENTRE]
    raised = replace(centre[0], amount=centre[0].amount + Decimal("1000.00"))
    changed = replace(stored, lines=(*office, raised, *centre[1:]))
    preview = budget_import_preview(data=unit_workbook(changed, CENTRE), year=YEAR, department_code=OWN)
    assert preview.problems == []
    assert preview.changes  # shown first, in the unit's tables
    assert {change.table for change in preview.changes} <= {
        layout.title for layout in SHANGHAI_UNIT.for_year(YEAR).tables
    }
    out = import_file(tmp_path, unit_workbook(changed, CENTRE), "--department", OWN)
    assert f"单位预算：{CENTRE}（只替换该单位的数字，其他单位不变）" in out
    assert f"年单位预算（{CENTRE}）。" in out
    after = budget_data(Budget.objects.get(pk=small.budget.pk))
    assert sorted((line for line in after.lines if line.unit == OFFICE), key=str) == office
    in_centre = sum((line.amount for line in after.lines if line.unit == CENTRE), Decimal(0))
    assert in_centre == sum((line.amount for line in centre), Decimal(0)) + Decimal("1000.00")
    assert after.performance.goals == stored.performance.goals  # the department's, not the unit's
    office_projects = {line.project for line in office if line.project}
    office_targets = [table for table in stored.performance.targets if table.project in office_projects]
    assert office_targets
    assert [table for table in after.performance.targets if table.project in office_projects] == office_targets


def test_a_units_workbook_for_a_unit_the_department_lacks_is_refused(small) -> None:
    stored = budget_data(small.budget)
    data = unit_workbook(replace(stored, units=(replace(stored.units[1], name="别的单位"),), lines=()), "别的单位")
    preview = budget_import_preview(data=data, year=YEAR, department_code=OWN)
    assert [problem.message for problem in preview.problems] == [
        f"部门 {OWN} 没有单位“别的单位”（有：{OFFICE}、{CENTRE}）"
    ]
    missing = budget_import_preview(data=unit_workbook(stored, CENTRE), year=YEAR, department_code="999")
    assert [problem.message for problem in missing.problems] == ["单位预算表只能导入已有部门的单位：部门 999 不存在"]
