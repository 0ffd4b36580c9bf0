"""The 录入模板 of a budget: the workbook a department accountant downloads from the budget page, edits in Excel and
uploads back (importing.entry_template reads it). Its sheets and columns: official.entry_layout.

The file holds what is stored and nothing derived: one row per figure, the units, the procurement items, the assets
and the performance targets. Written so that Excel keeps what it reads back:

* every text is a text cell, quoted by web.spreadsheets.inert_text when Excel would take it for a formula (the
  reader removes the quote again); code columns are formatted as text, so a code typed in a new row stays text;
* amounts are numbers in 元 with two decimals, written from the Decimal (never through a float);
* headers are frozen, columns as wide as their content needs, and the columns people choose from (支出类型,
  资金来源, 上年结转, 单位, 单位性质, 一级指标, 二级指标) have drop-down lists down to the last row an upload may have.
"""

import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from budgets.resources import (
    AMOUNT,
    CARRIED_OVER,
    DEPARTMENT,
    ECONOMIC,
    FUNCTION,
    HEADERS,
    KIND,
    NO,
    PROJECT,
    SOURCE,
    UNIT,
    YEAR,
    YES,
)
from domain.classifications import Kind, Source
from domain.ledger import BudgetData, Line
from domain.performance.framework import FRAMEWORK, LEVEL1
from domain.performance.targets import Performance
from domain.performance.values import IndicatorValue, parse_value
from domain.structure import UnitNature
from official.entry_layout import (
    ASSET_COLUMNS,
    ASSETS_AS_OF_HINT,
    ASSETS_AS_OF_LABEL,
    ASSETS_HEADER_ROW,
    ASSETS_SHEET,
    FIGURES_SHEET,
    GOAL_TEXT_LABELS,
    GOALS_COLUMNS,
    PROCUREMENT_COLUMNS,
    PROCUREMENT_SHEET,
    README_SHEET,
    SHEETS,
    SUB_GOALS_HEADER_ROW,
    SUB_GOALS_LABEL,
    TARGET_SHEET_COLUMNS,
    TARGETS_SHEET,
    UNIT_COLUMNS,
    UNITS_SHEET,
)
from official.layout import Column, ColumnKind
from official.targets_layout import GOALS_SHEET
from official.workbook import FONT
from official.xlsx_safety import MAX_ROWS_PER_SHEET
from web.spreadsheets import inert_text

# 预算明细: the columns of the admin's flat list (budgets.resources.HEADERS, in its order), with their kind and width.
_FIGURE_KINDS: dict[str, tuple[ColumnKind, int]] = {
    DEPARTMENT: (ColumnKind.CODE, 10),
    YEAR: (ColumnKind.NUMBER, 8),
    UNIT: (ColumnKind.TEXT, 30),
    FUNCTION: (ColumnKind.CODE, 14),
    ECONOMIC: (ColumnKind.CODE, 14),
    KIND: (ColumnKind.TEXT, 16),
    SOURCE: (ColumnKind.TEXT, 24),
    CARRIED_OVER: (ColumnKind.TEXT, 10),
    PROJECT: (ColumnKind.TEXT, 30),
    AMOUNT: (ColumnKind.MONEY, 18),
}
FIGURE_COLUMNS: tuple[Column, ...] = tuple(Column(title, title, *_FIGURE_KINDS[title]) for title in HEADERS)

README_WIDTH = 110  # characters
TEXT_WIDTH = sum(column.width for column in GOALS_COLUMNS[1:])  # 总体绩效目标 and 工作保障措施, merged across
LINE_HEIGHT = 15  # points per line of wrapped text
MAX_ROW_HEIGHT = 409  # points: Excel's limit
LAST_ROW = MAX_ROWS_PER_SHEET - 1  # 0-based: drop-down lists reach the last row an upload may have


@dataclass(frozen=True)
class _Formats:
    header: Format
    text: Format
    code: Format
    money: Format
    number: Format
    date: Format
    wrap: Format
    label: Format
    title: Format
    paragraph: Format

    @classmethod
    def create(cls, workbook: Workbook) -> "_Formats":
        def fmt(**properties: object) -> Format:
            return workbook.add_format({"font_name": FONT, "font_size": 10, "valign": "vcenter", **properties})

        return cls(
            header=fmt(bold=True, align="center", text_wrap=True, bg_color="#F2F2F2", border=1),
            text=fmt(num_format="@"),
            code=fmt(num_format="@", align="center"),
            money=fmt(num_format="0.00"),
            number=fmt(num_format="General"),
            date=fmt(num_format="yyyy-mm-dd", align="left"),
            wrap=fmt(num_format="@", text_wrap=True, valign="top"),
            label=fmt(bold=True),
            title=fmt(bold=True, font_size=14),
            paragraph=fmt(text_wrap=True, valign="top"),
        )

    def of(self, column: Column) -> Format:
        return {
            ColumnKind.CODE: self.code,
            ColumnKind.MONEY: self.money,
            ColumnKind.NUMBER: self.number,
        }.get(column.kind, self.text)


def _text_width(text: str) -> int:
    """Column-width units a text needs: a CJK character is about two digits wide."""
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)


def _fit(sheet: Worksheet, row: int, text: str, room: int) -> None:
    """A row as tall as a wrapped text needs in ``room`` width units."""
    lines = sum(max(1, math.ceil(_text_width(line) / (room * 0.9))) for line in text.split("\n"))
    if lines > 1:
        sheet.set_row(row, min(LINE_HEIGHT * lines, MAX_ROW_HEIGHT))


def _write(sheet: Worksheet, row: int, col: int, value: object, cell_format: Format) -> None:
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        # XlsxWriter writes a Decimal as it prints: every amount below 10¹⁴ yuan keeps its fen. Its type hints name
        # only float and Fraction.
        sheet.write_number(row, col, value, cell_format)  # type: ignore[arg-type]
    elif isinstance(value, date):
        moment = value if isinstance(value, datetime) else datetime.combine(value, time())
        sheet.write_datetime(row, col, moment, cell_format)
    elif value:
        sheet.write_string(row, col, str(inert_text(str(value))), cell_format)
    else:
        sheet.write_blank(row, col, None, cell_format)


def _table(
    sheet: Worksheet,
    formats: _Formats,
    columns: Sequence[Column],
    rows: Iterable[Sequence[object]],
    header_row: int = 0,
    wrapped: frozenset[str] = frozenset(),
    freeze: bool = True,
) -> int:
    """A table under its header (``header_row``, 0-based; frozen unless told not): the number of rows written."""
    for col, column in enumerate(columns):
        column_format = formats.wrap if column.key in wrapped else formats.of(column)
        sheet.set_column(col, col, column.width, column_format)
        sheet.write_string(header_row, col, column.title, formats.header)
    count = 0
    for count, values in enumerate(rows, start=1):
        for col, (column, value) in enumerate(zip(columns, values, strict=True)):
            _write(sheet, header_row + count, col, value, formats.wrap if column.key in wrapped else formats.of(column))
    if freeze:
        sheet.freeze_panes(header_row + 1, 0)
    return count


def _choices(
    sheet: Worksheet, first_row: int, col: int, source: Sequence[str] | str, message: str, *, strict: bool = True
) -> None:
    """A drop-down list on a column from ``first_row`` (0-based) down: anything else is refused with ``message``, or
    (not ``strict``) taken once the user confirms it."""
    sheet.data_validation(
        first_row,
        col,
        LAST_ROW,
        col,
        {
            "validate": "list",
            "source": list(source) if not isinstance(source, str) else source,
            "ignore_blank": True,
            "error_type": "stop" if strict else "warning",
            "error_title": "请从列表中选择",
            "error_message": message,
        },
    )


# --- 预算明细 ---------------------------------------------------------------------------------------------------------


def _figure_row(data: BudgetData, line: Line) -> tuple[object, ...]:
    values: dict[str, object] = {
        DEPARTMENT: data.department_code,
        YEAR: data.year,
        UNIT: line.unit,
        FUNCTION: line.function,
        ECONOMIC: line.economic,
        KIND: str(Kind(line.kind).label),
        SOURCE: str(Source(line.source).label),
        CARRIED_OVER: YES if line.carried_over else NO,
        PROJECT: line.project,
        AMOUNT: line.amount,
    }
    return tuple(values[header] for header in HEADERS)


def _write_figures(sheet: Worksheet, formats: _Formats, data: BudgetData) -> None:
    count = _table(sheet, formats, FIGURE_COLUMNS, (_figure_row(data, line) for line in data.lines))
    sheet.autofilter(0, 0, max(count, 1), len(FIGURE_COLUMNS) - 1)
    col = HEADERS.index
    kinds = [str(kind.label) for kind in Kind]
    _choices(sheet, 1, col(KIND), kinds, f"支出类型应为{'、'.join(kinds)}之一。")
    sources = [str(source.label) for source in Source]
    _choices(sheet, 1, col(SOURCE), sources, f"资金来源应为{'、'.join(sources)}之一。")
    _choices(sheet, 1, col(CARRIED_OVER), [YES, NO], "上年结转应填“是”或“否”（留空为“否”）。")
    if data.units:
        # The units as written on the 单位 sheet. One added there is not in the list: Excel asks before taking it, and
        # the reader checks every unit against the 单位 sheet anyway.
        names = f"='{UNITS_SHEET}'!$A$2:$A${len(data.units) + 1}"
        message = "单位应为“单位”工作表中的单位。如已在“单位”工作表中添加了这个单位，请选“是”继续。"
        _choices(sheet, 1, col(UNIT), names, message, strict=False)


# --- 单位, 政府采购, 固定资产 -----------------------------------------------------------------------------------------


def _write_units(sheet: Worksheet, formats: _Formats, data: BudgetData) -> None:
    _table(sheet, formats, UNIT_COLUMNS, ((u.name, u.nature, u.rank, u.funding_form) for u in data.units))
    natures = list(UnitNature.values)
    _choices(sheet, 1, 1, natures, f"单位性质应为{'、'.join(natures)}之一。")


def _write_procurement(sheet: Worksheet, formats: _Formats, data: BudgetData) -> None:
    rows = ([getattr(item, column.key) for column in PROCUREMENT_COLUMNS] for item in data.procurement)
    _table(sheet, formats, PROCUREMENT_COLUMNS, rows)


def _write_assets(sheet: Worksheet, formats: _Formats, data: BudgetData) -> None:
    sheet.write_string(0, 0, ASSETS_AS_OF_LABEL, formats.label)
    _write(sheet, 0, 1, data.assets_as_of, formats.date)
    sheet.write_string(0, 2, ASSETS_AS_OF_HINT, formats.text)
    rows = ([getattr(asset, column.key) for column in ASSET_COLUMNS] for asset in data.assets)
    _table(sheet, formats, ASSET_COLUMNS, rows, header_row=ASSETS_HEADER_ROW - 1)


# --- 绩效目标 ---------------------------------------------------------------------------------------------------------


def indicator_text(value: IndicatorValue) -> str:
    """The 指标值 as the file shows it: as it was typed when that reads as the same value, else as printed."""
    return value.raw if value.raw and parse_value(value.raw) == value else str(value)


def _write_goals(sheet: Worksheet, formats: _Formats, performance: Performance) -> None:
    goals = performance.goals
    for row, (key, label) in enumerate(GOAL_TEXT_LABELS.items()):
        value = getattr(goals, key)
        sheet.write_string(row, 0, label, formats.label)
        sheet.merge_range(row, 1, row, 2, str(inert_text(value)), formats.wrap)
        _fit(sheet, row, value, TEXT_WIDTH)
    header_row = SUB_GOALS_HEADER_ROW - 1
    sheet.write_string(header_row - 1, 0, SUB_GOALS_LABEL, formats.label)
    rows = ((sub.title, sub.goal, sub.indicators) for sub in goals.sub_goals)
    # Not frozen: the texts above the header may be taller than a screen.
    wrapped = frozenset(column.key for column in GOALS_COLUMNS)
    _table(sheet, formats, GOALS_COLUMNS, rows, header_row, wrapped=wrapped, freeze=False)


def _target_rows(performance: Performance) -> Iterable[tuple[object, ...]]:
    for table in performance.targets:
        if not table.indicators:
            yield (table.project, table.goal, *([""] * len(TARGET_SHEET_COLUMNS[2:])))
        for number, indicator in enumerate(table.indicators):
            yield (
                table.project,
                table.goal if number == 0 else "",
                indicator.level1,
                indicator.level2,
                indicator.name,
                indicator.description,
                indicator_text(indicator.value),
                indicator.basis,
            )


def _write_targets(sheet: Worksheet, formats: _Formats, performance: Performance) -> None:
    _table(
        sheet,
        formats,
        TARGET_SHEET_COLUMNS,
        _target_rows(performance),
        wrapped=frozenset({"goal", "description", "basis"}),
    )
    keys = [column.key for column in TARGET_SHEET_COLUMNS]
    _choices(sheet, 1, keys.index("level1"), LEVEL1, f"一级指标应为{'、'.join(LEVEL1)}之一。")
    level2 = list(dict.fromkeys(two for twos in FRAMEWORK.values() for two in twos))
    _choices(sheet, 1, keys.index("level2"), level2, "二级指标应为指标体系中的二级指标。")


# --- 说明 -------------------------------------------------------------------------------------------------------------


def readme(data: BudgetData) -> tuple[str, ...]:
    """What the 说明 sheet says, a paragraph a row."""
    kinds = "、".join(str(kind.label) for kind in Kind)
    return (
        f"本文件是 {data.department_line} {data.year}年度部门预算的录入模板，由系统导出。在 Excel 中修改后，可在"
        "本预算页面“导入”上传：系统先列出文件中的全部问题或全部改动，确认后才写入。",
        f"预算明细：每行是一个数字，即一个单位（项目支出为一个项目）在一个功能分类科目（7位项级）、经济分类科目"
        f"（5位款级）、支出类型（{kinds}）、资金来源和是否上年结转下的金额；同一格只能有一行。"
        "部门编码和年度每行都要填写，且与本预算相同。",
        "金额（元）：以元为单位，最多两位小数，不能为负数。删除一行即删除这个数字。",
        "上年结转：填“是”表示用以前年度结转的资金安排的支出；其他填“否”或留空。",
        "新增项目：在预算明细中新增一行，支出类型选“项目支出”，在“项目”列填写新项目的名称（最多200字）；项目属于它"
        "第一行的单位，同一项目的各行必须是同一单位。项目支出必须填写项目，其他支出类型的行“项目”列留空。",
        "单位：本部门的全部单位（单位名称、单位性质、单位规格、经费保障形式）；预算明细中的单位必须是本表中的单位。",
        "政府采购、固定资产：金额以元为单位；政府采购的“项目名称”填本预算的项目或留空。固定资产的截止时间填在第一行，"
        "留空则为预算年度上一年的12月31日。",
        "绩效目标：“部门整体绩效目标”填写总体绩效目标、工作保障措施和分项绩效目标（每行一项）；“项目绩效目标”每行一个"
        "指标，每行都填项目，绩效目标只需填在该项目的第一行。",
        "各公开表中的合计、小计、各级科目汇总，以及政府采购的合计和预算资金，都由系统根据本文件计算，本文件不含也不必"
        "填写。请不要修改工作表名称和表头；本说明页导入时不读取。",
        "文字前的单引号（'）是为防止 Excel 把文字当作公式而加的，导入时会自动去掉。",
    )


def _write_readme(sheet: Worksheet, formats: _Formats, data: BudgetData) -> None:
    sheet.set_column(0, 0, README_WIDTH)
    sheet.write_string(0, 0, f"{data.year}年度部门预算录入模板：{data.department_line}", formats.title)
    sheet.set_row(0, 24)
    for row, paragraph in enumerate(readme(data), start=2):
        sheet.write_string(row, 0, paragraph, formats.paragraph)
        _fit(sheet, row, paragraph, README_WIDTH)


# --- the workbook -----------------------------------------------------------------------------------------------------


def entry_workbook(data: BudgetData) -> bytes:
    """The 录入模板 of one budget, as the bytes of an xlsx file."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            # User-typed text is data: never turn "=…" into a formula, "http…" into a link, "1e5" into a number.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    workbook.set_properties(
        {"title": f"{data.year}年度部门预算录入模板 {data.department_line}", "author": "budgetoffice"}
    )
    formats = _Formats.create(workbook)
    writers = {
        README_SHEET: lambda sheet: _write_readme(sheet, formats, data),
        FIGURES_SHEET: lambda sheet: _write_figures(sheet, formats, data),
        UNITS_SHEET: lambda sheet: _write_units(sheet, formats, data),
        PROCUREMENT_SHEET: lambda sheet: _write_procurement(sheet, formats, data),
        ASSETS_SHEET: lambda sheet: _write_assets(sheet, formats, data),
        GOALS_SHEET: lambda sheet: _write_goals(sheet, formats, data.performance),
        TARGETS_SHEET: lambda sheet: _write_targets(sheet, formats, data.performance),
    }
    for name in SHEETS:
        writers[name](workbook.add_worksheet(name))
    workbook.close()
    return buffer.getvalue()
