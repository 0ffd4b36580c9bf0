"""The official workbook (xlsx): one sheet per official table, written from the same layouts as the pages.

Sheet shape, the same for every table so that a reader can find its way back: the title; the department line
(left), 预算年度 (middle), 单位 (right); the header rows with their merged cells, the 栏次 row, the data rows, and the
empty-table note. The edition places them (layout.place: by default in rows 1, 2 and 3 on), names the sheet and may
merge 合计 across the code and name columns. Amounts are numbers with two
decimals (format 0.00) and an empty cell for zero. Every text is written as text, never as a formula,
whatever it starts with.

After the official tables come the 绩效目标 sheets (official.targets_layout), when the budget has any:
部门整体绩效目标, then one 绩效目标表N per project, with the same title and department lines and print set-up.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import IO

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from domain.ledger import BudgetData
from domain.money import DisplayUnit
from domain.prose import PROSE, Prose, ProseInputs
from official.edition import Edition, edition
from official.layout import ColumnKind, Placement, TableLayout
from official.render import PrintedTable, print_table
from official.targets_layout import (
    GOAL_LABEL,
    MEASURES_HEADING,
    OVERALL_HEADING,
    SUB_GOAL_COLUMNS,
    SUB_GOALS_HEADING,
    TARGET_COLUMNS,
    PrintedGoals,
    PrintedTargets,
    has_targets,
    print_goals,
    print_targets,
)

FONT = "宋体"
TITLE_ROW = 0  # the 绩效目标 sheets' rows (0-based); the tables' come from their edition
META_ROW = 1
HEADER_START = 2
SERIAL_WIDTH = 6
A4 = 9


DEFAULT_PLACE = Placement()
HEADER_LINE_HEIGHT = 15  # points per line of wrapped header text
MAX_ROW_HEIGHT = 409  # points: Excel's limit


def _text_width(text: str) -> int:
    """Column-width units a text needs: a CJK character is about two digits wide."""
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text) + 1


def sheet_name(layout: TableLayout) -> str:
    # Excel limits sheet names to 31 characters; the official titles fit.
    return layout.sheet or layout.title[:31]


@dataclass(frozen=True)
class _Formats:
    title: Format
    meta_left: Format
    meta_centre: Format
    meta_right: Format
    header: Format
    text: Format
    code: Format
    money: Format
    number: Format
    serial: Format
    text_bold: Format
    money_bold: Format
    note: Format
    wrap: Format  # bordered text that wraps (the 绩效目标 tables)
    wrap_centre: Format
    section: Format  # 一、总体绩效目标 …
    paragraph: Format

    @classmethod
    def create(cls, workbook: xlsxwriter.Workbook) -> "_Formats":
        def fmt(**properties: object) -> Format:
            return workbook.add_format({"font_name": FONT, "font_size": 10, "valign": "vcenter", **properties})

        cell = {"border": 1}
        return cls(
            title=fmt(bold=True, font_size=16, align="center"),
            meta_left=fmt(align="left"),
            meta_centre=fmt(align="center"),
            meta_right=fmt(align="right"),
            header=fmt(**cell, align="center", text_wrap=True, bg_color="#F2F2F2"),
            text=fmt(**cell, align="left"),
            code=fmt(**cell, align="center"),
            money=fmt(**cell, align="right", num_format="0.00"),
            number=fmt(**cell, align="right", num_format="General"),
            serial=fmt(**cell, align="center"),
            text_bold=fmt(**cell, align="left", bold=True),
            money_bold=fmt(**cell, align="right", num_format="0.00", bold=True),
            note=fmt(align="left"),
            wrap=fmt(**cell, align="left", text_wrap=True),
            wrap_centre=fmt(**cell, align="center", text_wrap=True),
            section=fmt(bold=True, font_size=12, align="left"),
            paragraph=fmt(align="left", valign="top", text_wrap=True),
        )


def _merge_or_write(
    sheet: Worksheet, top: int, left: int, bottom: int, right: int, text: str, cell_format: Format
) -> None:
    if (top, left) == (bottom, right):
        sheet.write_string(top, left, text, cell_format)
    else:
        sheet.merge_range(top, left, bottom, right, text, cell_format)


def _write_heading(
    sheet: Worksheet,
    formats: _Formats,
    widths: list[int],
    title: str,
    department_line: str,
    year_line: str,
    meta_line: str = "",
    place: Placement = DEFAULT_PLACE,
) -> None:
    """The title; under it the department line (left), 预算年度 (middle) and the meta line (right)."""
    title_row, meta_row = place.title_row - 1, place.heading_row - 1
    last_col = len(widths) - 1
    _merge_or_write(sheet, title_row, 0, title_row, last_col, title, formats.title)
    sheet.set_row(title_row, 30)
    # The department line gets as many columns as its text needs (or as its edition says), so that nothing to its
    # right cuts it off. A table too narrow for both (three columns) prints the department line without 预算年度.
    needed = next((col for col in range(1, last_col) if sum(widths[:col]) >= _text_width(department_line)), last_col)
    year_col = min(place.department_columns, last_col) if place.department_columns else needed
    _merge_or_write(sheet, meta_row, 0, meta_row, max(year_col - 1, 0), department_line, formats.meta_left)
    if 0 < year_col < last_col and year_line:
        sheet.write_string(meta_row, year_col, year_line, formats.meta_centre)
    if meta_line:
        sheet.write_string(meta_row, last_col, meta_line, formats.meta_right)


def _page_setup(sheet: Worksheet, widths: list[int]) -> None:
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.set_landscape()
    sheet.set_paper(A4)
    sheet.fit_to_pages(1, 0)
    sheet.center_horizontally()
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    # A table that runs over several pages is printed with its page numbers (the header rows repeat on each).
    sheet.set_footer("&C第 &P 页，共 &N 页", {"margin": 0.25})


def _write_decimal(sheet: Worksheet, row: int, col: int, value: Decimal, cell_format: Format) -> None:
    # XlsxWriter writes a Decimal as it is (format(value, ".16G")): every amount below 10¹⁴ yuan keeps its fen,
    # which a float would not. Its type hints name only float and Fraction.
    sheet.write_number(row, col, value, cell_format)  # type: ignore[call-overload]


def _write_table(sheet: Worksheet, formats: _Formats, table: PrintedTable) -> None:
    layout = table.layout
    last_col = layout.width - 1
    header_start = layout.place.header_row - 1

    widths = ([SERIAL_WIDTH] if layout.numbered else []) + [column.width for column in layout.columns]
    _write_heading(
        sheet, formats, widths, layout.title, table.department_line, table.year_line, table.meta_line, layout.place
    )

    lines_per_row = [1] * layout.header_depth
    for header in layout.header_cells:
        top = header_start + header.row
        _merge_or_write(
            sheet,
            top,
            header.col,
            top + header.rowspan - 1,
            header.col + header.colspan - 1,
            header.text,
            formats.header,
        )
        if header.rowspan == 1:
            room = sum(widths[header.col : header.col + header.colspan])
            lines_per_row[header.row] = max(lines_per_row[header.row], -(-_text_width(header.text) // room))
    for offset, lines in enumerate(lines_per_row):
        sheet.set_row(header_start + offset, HEADER_LINE_HEIGHT * lines)
    row = header_start + layout.header_depth
    if layout.numbered:
        for col, number in enumerate(layout.column_numbers):
            sheet.write_string(row, col, number, formats.header)
        row += 1
    header_end = row - 1

    offset = 1 if layout.numbered else 0
    label_span = layout.total_label_span
    for printed in table.rows:
        if layout.numbered:
            sheet.write_number(row, 0, printed.serial or 0, formats.serial)
        merged = label_span > 1 and printed.is_total
        if merged:
            label = "".join(cell.text for cell in printed.cells[:label_span])
            sheet.merge_range(row, offset, row, offset + label_span - 1, label, formats.text_bold)
        for col, cell in enumerate(printed.cells, start=offset):
            if merged and col < offset + label_span:
                continue
            kind = cell.column.kind
            if kind is ColumnKind.MONEY:
                money_format = formats.money_bold if printed.emphasis else formats.money
                if isinstance(cell.value, Decimal):
                    _write_decimal(sheet, row, col, cell.value, money_format)
                else:
                    sheet.write_blank(row, col, None, money_format)
            elif kind is ColumnKind.NUMBER:
                if isinstance(cell.value, Decimal):
                    _write_decimal(sheet, row, col, cell.value, formats.number)
                else:
                    sheet.write_blank(row, col, None, formats.number)
            else:
                text_format = formats.code if kind is ColumnKind.CODE else formats.text
                if printed.emphasis and kind is ColumnKind.TEXT:
                    text_format = formats.text_bold
                if cell.text:
                    sheet.write_string(row, col, cell.text, text_format)
                else:
                    sheet.write_blank(row, col, None, text_format)
        row += 1
    if table.note:
        _merge_or_write(sheet, row, 0, row, last_col, table.note, formats.note)

    sheet.freeze_panes(header_end + 1, 0)
    sheet.repeat_rows(header_start, header_end)
    _page_setup(sheet, widths)


def _lines(text: str, room: int) -> int:
    """Printed lines of a wrapped text in ``room`` width units (a tenth kept for the cell's padding and for
    wrapping at punctuation)."""
    usable = max(room * 9 // 10, 1)
    return sum(max(1, -(-_text_width(line) // usable)) for line in text.split("\n")) if text else 1


def _fit_row(sheet: Worksheet, row: int, texts_and_rooms: list[tuple[str, int]]) -> None:
    lines = max((_lines(text, room) for text, room in texts_and_rooms), default=1)
    if lines > 1:
        sheet.set_row(row, min(HEADER_LINE_HEIGHT * lines, MAX_ROW_HEIGHT))


def _write_text(sheet: Worksheet, row: int, col: int, text: str, cell_format: Format) -> None:
    if text:
        sheet.write_string(row, col, text, cell_format)
    else:
        sheet.write_blank(row, col, None, cell_format)


def _write_targets(sheet: Worksheet, formats: _Formats, table: PrintedTargets) -> None:
    """One project's 绩效目标表: title, department line, the 绩效目标 row, the header, one row per indicator."""
    widths = [column.width for column in TARGET_COLUMNS]
    last_col = len(widths) - 1
    _write_heading(sheet, formats, widths, table.title, table.department_line, table.year_line)
    goal_row, header_row = HEADER_START, HEADER_START + 1
    sheet.write_string(goal_row, 0, GOAL_LABEL, formats.header)
    sheet.merge_range(goal_row, 1, goal_row, last_col, table.goal, formats.wrap)
    _fit_row(sheet, goal_row, [(table.goal, sum(widths[1:]))])
    for col, column in enumerate(TARGET_COLUMNS):
        sheet.write_string(header_row, col, column.title, formats.header)
    for offset, printed in enumerate(table.rows):
        row = header_row + 1 + offset
        if printed.level1_rows > 1:
            sheet.merge_range(row, 0, row + printed.level1_rows - 1, 0, printed.level1, formats.wrap_centre)
        elif printed.level1_rows == 1:
            _write_text(sheet, row, 0, printed.level1, formats.wrap_centre)
        for col, text in enumerate(printed.rest, start=1):
            _write_text(sheet, row, col, text, formats.wrap)
        _fit_row(sheet, row, list(zip(printed.cells, widths, strict=True)))
    sheet.freeze_panes(header_row + 1, 0)
    sheet.repeat_rows(header_row, header_row)
    _page_setup(sheet, widths)


def _write_goals(sheet: Worksheet, formats: _Formats, goals: PrintedGoals) -> None:
    """部门整体绩效目标: 一、总体绩效目标 (a paragraph a row), 二、分项绩效目标 (a table), 三、工作保障措施."""
    widths = [column.width for column in SUB_GOAL_COLUMNS]
    last_col, room = len(widths) - 1, sum(widths)
    # Three columns: the department line takes the first two, 预算年度 stands at the right.
    _write_heading(sheet, formats, widths, goals.title, goals.department_line, "", goals.year_line)
    row = HEADER_START

    def section(heading: str, texts: tuple[str, ...]) -> None:
        nonlocal row
        sheet.merge_range(row, 0, row, last_col, heading, formats.section)
        sheet.set_row(row, 22)
        row += 1
        for text in texts:
            sheet.merge_range(row, 0, row, last_col, text, formats.paragraph)
            _fit_row(sheet, row, [(text, room)])
            row += 1

    section(OVERALL_HEADING, goals.overall)
    section(SUB_GOALS_HEADING, ())
    for col, column in enumerate(SUB_GOAL_COLUMNS):
        sheet.write_string(row, col, column.title, formats.header)
    row += 1
    for sub in goals.sub_goals:
        texts = (sub.title, sub.goal, sub.indicators)
        for col, text in enumerate(texts):
            _write_text(sheet, row, col, text, formats.wrap)
        _fit_row(sheet, row, list(zip(texts, widths, strict=True)))
        row += 1
    section(MEASURES_HEADING, goals.measures)
    _page_setup(sheet, widths)


PROSE_WIDTH = 120  # characters: the narrative sheets' one column, as wide as the template's


def _write_prose(sheet: Worksheet, formats: _Formats, prose: Prose) -> None:
    """A narrative sheet: its title in row 1, a paragraph a row from row 3, wrapped in one wide column."""
    sheet.write_string(0, 0, prose.title, formats.title)
    sheet.set_row(0, 30)
    for row, text in enumerate(prose.paragraphs, start=2):
        sheet.write_string(row, 0, text, formats.paragraph)
        _fit_row(sheet, row, [(text, PROSE_WIDTH)])
    _page_setup(sheet, [PROSE_WIDTH])


def write_workbook(
    output: IO[bytes],
    data: BudgetData,
    unit: DisplayUnit = DisplayUnit.WAN,
    layouts: Edition | None = None,
    texts: ProseInputs | None = None,
) -> None:
    """Write the official workbook of one budget to ``output``, in the tables of ``layouts`` (by default the
    default edition), with the narrative sheets the edition prints around them (from ``texts``: the department's
    duties, last year's budget, its remarks)."""
    workbook = xlsxwriter.Workbook(
        output,
        {
            "in_memory": True,
            # User-typed text is data: never turn "=…" into a formula, "http…" into a link, "1e5" into a number.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    workbook.set_properties({"title": f"{data.year}年部门预算公开表 {data.department_line}", "author": "budgetoffice"})
    formats = _Formats.create(workbook)
    layouts = layouts or edition()
    titles = [layout.title for layout in layouts.figure_tables]
    texts = texts or ProseInputs()

    def prose(after_tables: bool) -> None:
        for found in (item for item in layouts.prose if item.after_tables is after_tables):
            sheet = workbook.add_worksheet(found.sheet)
            _write_prose(sheet, formats, PROSE[found.key](data, texts, titles, layouts.level))

    prose(after_tables=False)
    for layout in layouts.tables:
        sheet = workbook.add_worksheet(sheet_name(layout))
        _write_table(sheet, formats, print_table(layout, data, unit))
    prose(after_tables=True)
    if has_targets(data.performance):
        department_line = layouts.heading.department_line(data)
        if layouts.level == "部门":  # the goals are the department's: a unit's budget has its projects' tables only
            goals = print_goals(data.performance.goals, department_line, data.year)
            _write_goals(workbook.add_worksheet(goals.sheet_name), formats, goals)
        for table in print_targets(data.performance, department_line, data.year):
            _write_targets(workbook.add_worksheet(table.sheet_name), formats, table)
    workbook.close()
