"""Workbooks for import tests: our own exports, edited, and the example typed in by hand."""

import io
from decimal import Decimal

import openpyxl

from budgets.selectors import budget_data
from domain.money import DisplayUnit
from official.layout import TableLayout
from official.workbook import HEADER_START, write_workbook
from tests.golden.seed import TABLE_TITLES, UNITS_TITLE, load_seed

# Tables whose second and third columns are 科目编码 and 科目名称 (digits that are not amounts).
CODED = {
    "部门预算收入总表",
    "部门预算支出总表",
    "部门预算一般公共预算财政拨款支出表",
    "部门预算一般公共预算财政拨款基本支出表",
    "部门预算政府基金预算财政拨款支出表",
    "部门预算国有资本经营预算财政拨款支出表",
}


def exported(budget, unit: DisplayUnit = DisplayUnit.WAN) -> bytes:
    buffer = io.BytesIO()
    write_workbook(buffer, budget_data(budget), unit)
    return buffer.getvalue()


def edited(data: bytes, edit) -> bytes:
    """Open an xlsx with openpyxl, let ``edit(workbook)`` change it, return the saved bytes."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# In 元 a table must add up to the fen: the example's 302 款 print 121.77 under a 302 of 121.78, so a 元
# file of it carries the 100 yuan they share in its 款 (each still printing its published 万元 figure).
YUAN_REMAINDER = {"30227": Decimal("49.99"), "30201": Decimal("49.99"), "30239": Decimal("0.02")}


def _amount_text(text: str, in_yuan: bool, extra: Decimal = Decimal(0)) -> str:
    if not in_yuan or not text or not text.replace(".", "").isdigit():
        return text
    return f"{Decimal(text) * 10000 + extra:,.2f}"  # 元 with thousands separators, as text


def hand_typed_example(*, in_yuan: bool = False, as_published: bool = False) -> bytes:
    """The 2021 example typed from the published text: every cell a string, spaced header text,
    no merged cells, sheets named Sheet1… in reverse order, a blank row under the heading and a blank
    column in table 3; 302 entered as 121.78 (the published 121.783 is a defect) unless ``as_published``."""
    seed = load_seed()
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for number, title in enumerate(reversed(TABLE_TITLES), start=1):
        table = seed[title]
        sheet = workbook.create_sheet(f"Sheet{number}")
        rows: list[list[str]] = [[title], ["202 中共石家庄市鹿泉区委办公室", "", "预算年度：2021"]]
        if title != UNITS_TITLE:
            rows[1].append("单位：元" if in_yuan else "单位：万元")
        rows.append([])
        rows += [list(header) for header in table.page_headers[0]]
        if table.column_numbers:
            rows.append(list(table.column_numbers))
        for cells in table.rows:
            if not as_published:
                cells = [cell.replace("121.783", "121.78") for cell in cells]
            first_amount = 3 if title in CODED else 1
            extra = YUAN_REMAINDER.get(cells[1], Decimal(0)) if title == "部门预算一般公共预算财政拨款基本支出表" else 0
            amounts = [_amount_text(cell, in_yuan, extra if cell else Decimal(0)) for cell in cells[first_amount:]]
            rows.append([*cells[:first_amount], *amounts])
        if table.note:
            rows.append([table.note])
        if title == "部门预算支出总表":
            rows = [[*row[:4], "", *row[4:]] if len(row) > 4 else row for row in rows]
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_rows(sheet, layout: TableLayout) -> list[tuple]:
    return [
        row
        for row in sheet.iter_rows(min_row=first_data_row(layout), max_col=layout.width, values_only=True)
        if any(value not in (None, "") for value in row)
    ]


def first_data_row(layout: TableLayout) -> int:
    """1-based row of the first data row: title, meta line, header rows, 栏次 row."""
    return HEADER_START + layout.header_depth + (1 if layout.numbered else 0) + 1
