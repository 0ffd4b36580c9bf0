"""The real Shanghai templates (普陀区 2026 样张) filled with a budget of ours, as a district's accountant would fill
them: the template file itself, its placeholder data rows replaced by the budget's rows, every other sheet, format,
merge and print setting left as the template has them."""

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from domain.ledger import BudgetData
from official.edition import Edition, edition
from official.layout import ColumnKind, TableLayout
from official.render import PrintedRow, print_table

TEMPLATES = Path(__file__).resolve().parents[1] / "fixtures" / "shanghai"
DEPARTMENT_TEMPLATE = TEMPLATES / "department_budget_template.xlsx"
UNIT_TEMPLATE = TEMPLATES / "unit_budget_template.xlsx"
SHANGHAI = edition("shanghai-2026")
SHANGHAI_UNIT = edition("shanghai-2026-unit")


def template_sheet(book: openpyxl.Workbook, layout: TableLayout) -> Worksheet:
    """The template's sheet of a table: its names carry stray spaces (“部门国有资本经营预算拨款表 ”)."""
    return next(sheet for sheet in book.worksheets if sheet.title.strip() == layout.sheet)


def first_data_row(layout: TableLayout) -> int:
    return layout.place.header_row + layout.header_depth


def _clear_from(sheet: Worksheet, row: int) -> None:
    for merged in [m for m in sheet.merged_cells.ranges if m.min_row >= row]:
        sheet.unmerge_cells(str(merged))
    sheet.delete_rows(row, sheet.max_row - row + 1)


def _write_row(sheet: Worksheet, row: int, printed: PrintedRow, label_span: int) -> None:
    for col, cell in enumerate(printed.cells, start=1):
        if cell.column.kind is ColumnKind.MONEY:
            value: object = cell.value if isinstance(cell.value, Decimal) else None
        elif cell.column.key == "class_code" and cell.text.isdigit():
            value = int(cell.text)  # the template types the 类 as a number (205), 款 and 项 as text ("02")
        else:
            value = cell.text or None
        sheet.cell(row, col, value)
    if label_span > 1 and printed.is_total:
        sheet.cell(row, 1, "合计")
        sheet.merge_cells(f"A{row}:{get_column_letter(label_span)}{row}")


def fill_template(data: BudgetData, path: Path = DEPARTMENT_TEMPLATE, layouts: Edition = SHANGHAI) -> bytes:
    """The template at ``path`` with the nine tables of ``data``: title year and 编制部门 line filled in, the data rows
    replaced."""
    book = openpyxl.load_workbook(path)
    layouts = layouts.for_year(data.year)
    for layout in layouts.figure_tables:
        sheet = template_sheet(book, layout)
        sheet.cell(layout.place.title_row, 1, layout.title)
        sheet.cell(layout.place.heading_row, 1, layout.heading.department_line(data))
        start = first_data_row(layout)
        _clear_from(sheet, start)
        for offset, printed in enumerate(print_table(layout, data).rows):
            _write_row(sheet, start + offset, printed, layout.total_label_span)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
