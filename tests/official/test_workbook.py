"""The official workbook: written from the layouts, cell for cell what the pages print."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from budgets.selectors import budget_data
from departments.models import Unit
from domain.money import DisplayUnit
from official.render import print_table
from official.workbook import HEADER_START, sheet_name, write_workbook
from tests.golden.seed import load_seed, seed_bytes
from tests.support.hebei_2021 import OFFICIAL_TABLES
from tests.support.workbooks import first_data_row, sheet_rows

pytestmark = pytest.mark.django_db


def workbook_of(budget, unit: DisplayUnit = DisplayUnit.WAN) -> openpyxl.Workbook:
    buffer = io.BytesIO()
    write_workbook(buffer, budget_data(budget), unit)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


@pytest.mark.parametrize("code", ["202", "318"])
@pytest.mark.parametrize("unit", list(DisplayUnit), ids=lambda unit: unit.name)
def test_every_cell_is_what_the_page_prints(demo, code, unit) -> None:
    budget = demo[code]
    workbook = workbook_of(budget, unit)
    data = budget_data(budget)
    # The official tables, then the 绩效目标 sheets (tests/performance/test_golden_targets.py checks those).
    targets = ["部门整体绩效目标", *(f"绩效目标表{n}" for n in range(1, len(data.performance.targets) + 1))]
    assert workbook.sheetnames == [sheet_name(layout) for layout in OFFICIAL_TABLES] + targets
    for layout in OFFICIAL_TABLES:
        sheet = workbook[sheet_name(layout)]
        printed = print_table(layout, data, unit)
        expected = []
        for row in printed.rows:
            cells = [row.serial] if layout.numbered else []
            for cell in row.cells:
                cells.append(float(cell.value) if isinstance(cell.value, Decimal) else (cell.value or None))
            expected.append(tuple(cells))
        if printed.note:
            expected.append((printed.note, *([None] * (layout.width - 1))))
        assert sheet_rows(sheet, layout) == expected, layout.title


def test_sheet_heading_lines(demo) -> None:
    sheet = workbook_of(demo["202"])["部门预算收入总表"]
    assert sheet["A1"].value == "部门预算收入总表"
    assert sheet["A2"].value == "202 中共石家庄市鹿泉区委办公室"
    assert "预算年度：2021" in [cell.value for cell in sheet[2]]
    assert sheet.cell(row=2, column=13).value == "单位：万元"


@pytest.mark.parametrize("layout", OFFICIAL_TABLES, ids=lambda layout: layout.key)
def test_header_merges_follow_the_layout(demo, layout) -> None:
    sheet = workbook_of(demo["202"])[sheet_name(layout)]
    merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}
    for cell in layout.header_cells:
        top, left = HEADER_START + cell.row + 1, cell.col + 1
        assert sheet.cell(row=top, column=left).value == cell.text
        if cell.rowspan > 1 or cell.colspan > 1:
            bottom, right = top + cell.rowspan - 1, left + cell.colspan - 1
            start = sheet.cell(row=top, column=left).coordinate
            end = sheet.cell(row=bottom, column=right).coordinate
            assert f"{start}:{end}" in merged


def test_amounts_are_numbers_with_two_decimals_and_zero_is_empty(demo) -> None:
    sheet = workbook_of(demo["202"])["部门预算支出总表"]
    # Row 合计: 888.25 | 653.74 | 234.51 | (empty 经营支出 …)
    total_row = first_data_row(next(layout for layout in OFFICIAL_TABLES if layout.key == "expenditure"))
    assert sheet.cell(row=total_row, column=4).value == pytest.approx(888.25)
    assert sheet.cell(row=total_row, column=4).number_format == "0.00"
    assert sheet.cell(row=total_row, column=7).value is None
    assert sheet.cell(row=total_row, column=7).number_format == "0.00"


def test_printing_is_a4_landscape_fit_to_width_with_repeated_headers(demo) -> None:
    sheet = workbook_of(demo["202"])["部门预算收支总表"]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    # fitToWidth is absent from the file when it is 1, its OOXML default.
    assert (sheet.page_setup.fitToWidth or 1, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$3:$5"  # 收入/支出, 项目/预算数, 栏次
    assert sheet.freeze_panes == "A6"
    assert sheet["A6"].font.name == "宋体"


def test_workbook_has_the_examples_figures(demo) -> None:
    """The exported 202 workbook against the published example, table by table (spec §5.1 aside)."""
    seed = load_seed()
    workbook = workbook_of(demo["202"])
    for layout in OFFICIAL_TABLES:
        if layout.title in seed:
            seed_rows = seed[layout.title].rows
        else:
            # The seed reader does not parse the two supplementary tables; the example prints both empty.
            assert layout.key in {"procurement", "fixed-assets"}, layout.title
            assert layout.empty_note in seed_bytes().decode("utf-8")
            seed_rows = []
        sheet = workbook[sheet_name(layout)]
        exported = [
            ["" if value is None else (f"{value:.2f}" if isinstance(value, float) else str(value)) for value in row]
            for row in sheet_rows(sheet, layout)
        ]
        if not seed_rows:
            assert exported == [[layout.empty_note, *[""] * (layout.width - 1)]]
            continue
        expected = [[cell.replace("121.783", "121.78") for cell in row] for row in seed_rows]
        assert exported == expected, layout.title


def test_typed_text_is_never_a_formula(demo) -> None:
    budget = demo["202"]
    Unit.objects.filter(department=budget.department, position=1).update(name='=HYPERLINK("http://evil","x")')
    sheet = workbook_of(budget)["部门机构设置情况"]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value and str(cell.value).startswith("=")]
    assert [(cell.value, cell.data_type) for cell in cells] == [('=HYPERLINK("http://evil","x")', "s")]


def test_export_command_writes_the_workbook(demo, tmp_path) -> None:
    out = tmp_path / "202.xlsx"
    call_command("export_budget", "--year", "2021", "--department", "202", "-o", str(out), "--unit", "元")
    sheet = openpyxl.load_workbook(out)["部门预算收支总表"]
    assert sheet.cell(row=6, column=3).value == pytest.approx(8882530.00)
    assert sheet["E2"].value == "单位：元"


def test_export_command_names_a_missing_budget(demo, tmp_path) -> None:
    with pytest.raises(CommandError, match="没有部门 999 的 2021 年预算"):
        call_command("export_budget", "--year", "2021", "--department", "999", "-o", str(tmp_path / "x.xlsx"))
    assert not (tmp_path / "x.xlsx").exists()


def test_accountant_downloads_own_workbook_only(demo, login) -> None:
    client = login("acc202")
    response = client.get(reverse("budget_workbook", args=[2021, "202"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook["部门预算收支总表"]["A1"].value == "部门预算收支总表"
    assert client.get(reverse("budget_workbook", args=[2021, "318"])).status_code == 404


def test_reviewer_downloads_in_yuan(demo, login) -> None:
    response = login("reviewer").get(reverse("budget_workbook", args=[2021, "318"]) + "?unit=元")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "单位：元" in [cell.value for cell in workbook["部门预算收入总表"][2]]


@pytest.mark.parametrize("layout", OFFICIAL_TABLES, ids=lambda layout: layout.key)
def test_the_department_line_is_never_cut_off_by_the_year(demo, layout) -> None:
    sheet = workbook_of(demo["318"])[sheet_name(layout)]
    [merged] = [str(r) for r in sheet.merged_cells.ranges if str(r).startswith("A2")] or ["A2:A2"]
    last = openpyxl.utils.column_index_from_string(merged.split(":")[1].rstrip("0123456789"))
    room = sum(sheet.column_dimensions[openpyxl.utils.get_column_letter(col)].width for col in range(1, last + 1))
    text = sheet["A2"].value
    assert room >= sum(2 if ord(char) > 0x2E7F else 1 for char in text)
    assert all(sheet.cell(row=2, column=col).value is None for col in range(2, last + 1))


def test_header_rows_grow_for_titles_that_wrap(demo) -> None:
    sheet = workbook_of(demo["202"])["部门预算财政拨款收支总表"]
    # 政府性基金预算财政拨款 needs two lines in its 14-wide column; 收入/支出 need one.
    assert sheet.row_dimensions[4].height == 30
    assert (sheet.row_dimensions[3].height or 15) == 15  # absent from the file when it is the default 15
