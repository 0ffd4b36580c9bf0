"""Reading official workbooks back: tables found by their title, columns by their header text.

Tolerates what real files contain: other sheet names and order, blank rows and columns, full-width and
spaced header text (``项 目``, ``合 计``), numbers stored as text, thousands separators, floats, blank = 0,
and the unit declared on the 单位 line. Every problem names its place as ``sheet!cell``.

The 绩效目标 sheets (official.targets_layout) are found by their titles too: ``部门整体绩效目标`` and
``N、{project}绩效目标表``. In a 绩效目标表 a blank 一级指标 continues the one above (as printed, or merged), the
绩效目标 row may stand above or below the header, repeated headers are skipped, and 指标值 is parsed with
``parse_value`` (text it cannot parse is kept verbatim for rule P03). No formula is accepted in these sheets.

The file is read with python-calamine, once official.xlsx_safety has let it through: values, merged ranges and
which sheets are hidden. openpyxl is not used. What calamine does not give, or gives otherwise than openpyxl did
(the rules here were written against openpyxl's values), comes from the safety scan of the sheet XML or is put
back here:

* numbers: calamine gives every number as a float; a whole one is made an int again (below 2⁵³, where the float
  is exact), as openpyxl read the integers Excel writes, so that 100 in a text column reads "100" and amounts go
  through parse_amount as before (a float by its repr, then to the fen);
* dates: a whole-day date is a datetime again, as openpyxl gave it;
* error values (``#DIV/0!``, ``#N/A``): calamine reads them as empty cells, which would import as zero; the scan
  notes their text and it is put back, so that an amount cell holding one is refused as before;
* formulas: calamine gives only the cached value; the scan lists the formulas and those without a cached value;
* the declared dimension: openpyxl padded every sheet to it (blank formatted cells, merged ranges below the last
  value), calamine stops at the last value; the scan reads it and the rows are padded to it again;
* hidden rows: calamine does not say; the scan does. A hidden sheet, and hidden rows, that hold anything are read
  all the same and named in ``ReadWorkbook.warnings``.
"""

import io
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from typing import NamedTuple

from python_calamine import CalamineWorkbook, SheetMetadata, SheetTypeEnum, SheetVisibleEnum

from domain.ledger import MAX_AMOUNT, BudgetData, Catalogue
from domain.money import CENT, YUAN_PER_WAN, DisplayUnit
from domain.numerals import decimal_places
from domain.performance.framework import FRAMEWORK, LEVEL1
from domain.performance.targets import DepartmentGoals, Indicator, Performance, SubGoal, TargetTable
from domain.performance.values import parse_value
from domain.tables import CODE_PARTS
from official.edition import DEFAULT_EDITION, YEAR, Edition, edition, editions
from official.layout import COLUMN_NUMBER_TITLE, SERIAL_TITLE, Column, ColumnKind, Group, TableLayout
from official.targets_layout import (
    GOAL_LABEL,
    GOALS_TITLE,
    HEADING_NUMBER,
    HEADINGS,
    MAX_LENGTHS,
    SUB_GOAL_COLUMNS,
    TARGET_COLUMNS,
    TARGET_TITLE,
    TARGET_TITLE_SUFFIX,
)
from official.xlsx_safety import (
    DAMAGED,
    MAX_GRID_CELLS,
    SheetScan,
    UnsafeWorkbook,
    check_grid,
    column_letters,
    scan_workbook,
)

ZERO = Decimal("0.00")
MAX_COLUMNS = 60
_DROP = re.compile(r"[\s\u3000“”\"'‘’「」]")
# "202 中共石家庄市鹿泉区委办公室" (Hebei 2021) or "920平山县下口镇财政所" (Hebei 2025): a code, then the name (never
# "2021年…", a year).
_DEPARTMENT_LINE = re.compile(r"^\s*([0-9A-Za-z]+)\s*(?!年)([^\s0-9A-Za-z].*?)\s*$")
# "编制部门：上海市普陀区财政局" (Shanghai): the name only; the code comes from elsewhere (import_budget --department).
_DEPARTMENT_NAMED = re.compile(r"^\s*(?:编制部门|编制单位|预算主管部门|预算单位)\s*[:：]\s*(\S.*?)\s*$")
_ZERO_MARKS = {"-", "－", "—", "--"}


def normalize(text: object) -> str:
    """Header and title text compared without width, spacing or quote variants."""
    return _normalized(str(text)) if text else ""


@lru_cache(maxsize=16384)  # a workbook repeats its labels and headers on every sheet
def _normalized(text: str) -> str:
    return _DROP.sub("", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class Problem:
    place: str  # "部门预算收入总表!F9", or a sheet name, or "" for the whole file
    message: str

    def __str__(self) -> str:
        return f"{self.place}：{self.message}" if self.place else self.message


class ReadCell(NamedTuple):  # a tuple, as PrintedCell: made for every cell of every table read
    value: Decimal | str  # money in yuan, text as text
    ref: str  # "部门预算收入总表!F9"
    printed: Decimal | None = None  # money as the file states it, in its own unit


@dataclass
class ReadTable:
    layout: TableLayout
    sheet: str
    unit: DisplayUnit
    department_line: str
    year: int | None
    rows: list[dict[str, ReadCell]] = field(default_factory=list)
    as_of: date | None = None  # 截止时间 of the fixed-asset table


@dataclass
class ReadWorkbook:
    tables: dict[str, ReadTable]
    problems: list[Problem]
    edition: Edition | None = None  # the edition the file was read in; None when none could be told
    performance: Performance | None = None  # what the 绩效目标 sheets say; None when the file has none
    goals_sheet: str = ""  # the 部门整体绩效目标 sheet read; "" when the file has none (the goals are then empty)
    target_sheets: tuple[str, ...] = ()  # the 绩效目标表 sheets read, in the order of their tables
    # What the file hides and the reader reads all the same: hidden sheets, hidden rows (with something in them).
    warnings: list[Problem] = field(default_factory=list)

    @property
    def department(self) -> tuple[str, str] | None:
        """(code, name) from the department line of the tables; the code is "" where the line names none."""
        for table in self.tables.values():
            match = _DEPARTMENT_LINE.match(table.department_line)
            if match:
                return match.group(1), match.group(2)
            named = _DEPARTMENT_NAMED.match(table.department_line)
            if named:
                return "", named.group(1)
        return None


def parse_amount(
    raw: object, unit: DisplayUnit, ref: str, *, strict: bool = True
) -> tuple[Decimal, Decimal, Problem | None]:
    """(yuan, as printed) of one amount cell, or a problem naming the cell.

    Not strict (a cell of a figure table, which the audit rules judge, E01 and E02, for an import and a check
    alike), a negative amount or one with more than two decimals is kept as written, for the rules to report.
    """
    if raw is None or raw == "":
        return ZERO, ZERO, None
    yuan, printed, message = _amount(raw, unit, strict)
    return yuan, printed, Problem(ref, message) if message else None


class _Amounts:
    """parse_amount for the cells of one workbook. A workbook prints its totals again table after table and nearly
    every amount cell holds a float: each distinct one is parsed once per file. Zero is parsed afresh (-0.0 equals
    0.0 and would share its entry)."""

    def __init__(self) -> None:
        self._parsed: dict[tuple[float, DisplayUnit, bool], tuple[Decimal, Decimal, str]] = {}

    def __call__(
        self, raw: object, unit: DisplayUnit, ref: str, strict: bool
    ) -> tuple[Decimal, Decimal, Problem | None]:
        if type(raw) is not float or not raw:
            return parse_amount(raw, unit, ref, strict=strict)
        key = (raw, unit, strict)
        parsed = self._parsed.get(key)
        if parsed is None:
            parsed = self._parsed[key] = _amount(raw, unit, strict)
        yuan, printed, message = parsed
        return yuan, printed, Problem(ref, message) if message else None


def _amount(raw: object, unit: DisplayUnit, strict: bool) -> tuple[Decimal, Decimal, str]:
    """parse_amount without the place: the problem's message, "" for none."""
    if isinstance(raw, bool) or (isinstance(raw, float) and not math.isfinite(raw)):  # NaN compares with nothing
        return ZERO, ZERO, f"“{raw}”不是有效金额"
    if isinstance(raw, int | float) and not abs(raw) < MAX_AMOUNT:
        return ZERO, ZERO, f"“{raw}”不是有效金额"
    if isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
        if decimal_places(value) > 2 and abs(value - value.quantize(CENT)) < Decimal("1e-9"):
            value = value.quantize(CENT)  # a binary artefact such as 0.30000000000000004
    else:
        text = unicodedata.normalize("NFKC", str(raw)).strip().replace(",", "").replace(" ", "")
        if text in _ZERO_MARKS or text == "":
            return ZERO, ZERO, ""
        try:
            value = Decimal(text)
        except InvalidOperation:
            return ZERO, ZERO, f"“{raw}”不是有效金额"
        if not value.is_finite() or abs(value) >= MAX_AMOUNT:
            return ZERO, ZERO, f"“{raw}”不是有效金额"
    if not strict:
        return (value * YUAN_PER_WAN if unit is DisplayUnit.WAN else value), value, ""
    if value < 0:
        return ZERO, ZERO, f"金额不能为负数：{raw}"
    if value != value.quantize(CENT):
        return ZERO, ZERO, f"{unit.value}金额最多两位小数：{raw}"
    yuan = value * YUAN_PER_WAN if unit is DisplayUnit.WAN else value
    return yuan.quantize(CENT), value.quantize(CENT), ""


def _code_text(raw: object) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return normalize(raw)


_PART_WIDTHS = dict(zip(CODE_PARTS, (3, 2, 2), strict=True))


def _whole_code(cells: dict[str, "ReadCell"]) -> None:
    """Where the code is printed in parts (类 | 款 | 项), the whole code as the rest of the reader knows it: a 款
    or 项 typed as a number (6) is the two digits it stands for (06)."""
    if "code" in cells or CODE_PARTS[0] not in cells:
        return
    parts = []
    for name in CODE_PARTS:
        text = str(cells[name].value) if name in cells else ""
        if text and not text.isdigit():
            # A label standing over the code columns (合计, merged across 类 | 款 | 项 | 名称): the row's name.
            if "name" in cells and not cells["name"].value:
                cells["name"] = ReadCell(text, cells[name].ref)
            cells[name] = ReadCell("", cells[name].ref)
            text = ""
        parts.append(text.zfill(_PART_WIDTHS[name]) if text else text)
        if name in cells and text:
            cells[name] = ReadCell(parts[-1], cells[name].ref)
    cells["code"] = ReadCell("".join(parts), cells[CODE_PARTS[0]].ref)


def _leaf_paths(layout: TableLayout) -> list[tuple[Column, list[str]]]:
    paths: list[tuple[Column, list[str]]] = []

    def walk(node: Column | Group, groups: list[str]) -> None:
        if isinstance(node, Column):
            paths.append((node, [*groups, normalize(node.title)]))
        else:
            for child in node.children:
                walk(child, [*groups, normalize(node.title)])

    for node in layout.header:
        walk(node, [])
    return paths


TITLE_ROWS = 6  # a table's title stands in one of its sheet's first rows
LABEL_ROWS = 60  # where editions with the same titles are told apart by their fixed row labels


_TITLE_YEAR = re.compile(r"^(\d{4})年")


def _titles(layouts: Edition) -> dict[str, TableLayout]:
    """Every title (and alias) a table is recognised by, as compared; a year in it stays ``{year}``."""
    return {normalize(title): layout for layout in layouts.tables for title in (layout.title, *layout.aliases)}


def _title_forms(text: str) -> tuple[str, ...]:
    """A text as a title is looked up: itself, and with a leading year as ``{year}`` (2026年部门… → {year}年部门…)."""
    templated = _TITLE_YEAR.sub(f"{YEAR}年", text)
    return (text, templated) if templated != text else (text,)


def _titled(layout: TableLayout, text: str) -> TableLayout:
    """The layout as titled in the file: the year its title prints filled in."""
    found = _TITLE_YEAR.match(text)
    return replace(layout, title=layout.title.format(year=found.group(1))) if found and YEAR in layout.title else layout


@dataclass(frozen=True)
class _Merge:
    ref: str  # "A1:F1"
    min_col: int  # 1-based
    min_row: int
    max_col: int
    max_row: int


class _Sheet:
    def __init__(self, name: str, values: list[Sequence[object]], scan: SheetScan, merges: Sequence[_Merge] = ()):
        self.name = name
        self.values = values  # rows of at most MAX_COLUMNS values; "" or None for an empty cell
        self.scan = scan
        self.merges = merges  # in the order of the file

    def ref(self, row: int, col: int) -> str:
        return f"{self.name}!{column_letters(col + 1)}{row + 1}"

    def text(self, row: int, col: int) -> str:
        cells = self.values[row] if row < len(self.values) else []
        return normalize(cells[col]) if col < len(cells) else ""

    def row_texts(self, row: int) -> list[str]:
        return [normalize(value) for value in self.values[row]]


def _find_title(sheet: _Sheet, titles: Mapping[str, TableLayout]) -> tuple[TableLayout, int] | None:
    for row in range(min(TITLE_ROWS, len(sheet.values))):
        for text in sheet.row_texts(row):
            for form in _title_forms(text):
                if form in titles:
                    return _titled(titles[form], text), row
    return None


@dataclass(frozen=True)
class _Head:
    """The first rows of a sheet: what its edition is told by (the rest of a sheet is not read for it)."""

    name: str
    texts: list[str]  # the texts of its first TITLE_ROWS rows, as compared
    labels: list[str]  # the texts of its first LABEL_ROWS rows, as compared
    title: str = ""  # its first text as written: what a message shows


def _sheet_heads(sheets: Sequence[_Sheet]) -> list[_Head]:
    heads = []
    for sheet in sheets:
        rows = sheet.values[:LABEL_ROWS]
        texts = [[normalize(value) for value in row if value not in (None, "")] for row in rows]
        first = [text for row in texts[:TITLE_ROWS] for text in row]
        written = next(
            (str(value).strip() for row in rows[:TITLE_ROWS] for value in row if value not in (None, "")), ""
        )
        heads.append(_Head(sheet.name, first, [text for row in texts for text in row], written))
    return heads


@cache
def _fixed_labels(key: str) -> frozenset[str]:
    """The row labels an edition prints whatever the budget (table 1's income rows, 4's): what tells apart
    editions whose titles are the same."""
    empty = BudgetData("", "", 0, Catalogue({}, {}), ())
    labels: set[str] = set()
    for layout in edition(key).figure_tables:
        for row in layout.rows(empty):
            labels.update(normalize(value) for name, value in row.cells.items() if name.endswith("label") and value)
    return frozenset(labels)


def _is_performance_title(text: str) -> bool:
    return GOALS_TITLE in text or text.endswith(TARGET_TITLE_SUFFIX)


def _named(keys: Iterable[str]) -> str:
    return "、".join(f"{key}（{editions()[key].name}）" for key in keys)


def choose_edition(
    heads: Sequence[_Head], asked: str | None = None, expected: str = DEFAULT_EDITION
) -> tuple[Edition | None, Problem | None]:
    """The edition a workbook is in: the one asked for; else the one whose titles it prints most of, then whose
    fixed row labels, the ``expected`` one (its year's) among equals. None, with the problem that says why, when
    the one asked for does not exist or several fit equally; with no known title at all, the expected one (its
    绩效目标 sheets may still be read) and a problem listing the titles found, if any sheet has one."""
    if asked:
        if asked not in editions():
            return None, Problem("", f"没有版式“{asked}”。已知版式：{_named(editions())}")
        return edition(asked), None
    texts = {form for head in heads for text in head.texts for form in _title_forms(text)}
    labels = {text for head in heads for text in head.labels}
    matched = {
        key: (sum(title in texts for title in _titles(found)), len(_fixed_labels(key) & labels))
        for key, found in editions().items()
    }
    best = max(matched.values(), default=(0, 0))
    if best[0] == 0:
        found_titles = [head.title for head in heads if head.texts and not _is_performance_title(head.texts[0])]
        if not found_titles:
            return edition(expected), None
        shown = "、".join(f"“{title}”" for title in found_titles[:12])
        problem = Problem("", f"工作簿中没有认识的公开表：各工作表的标题为 {shown}。已知版式：{_named(editions())}")
        return edition(expected), problem
    candidates = [key for key, count in matched.items() if count == best]
    if len(candidates) == 1:
        return edition(candidates[0]), None
    if expected in candidates:
        return edition(expected), None
    ask = "请指定版式（导入或检查时选择“版式”，命令行用 --edition）"
    return None, Problem("", f"工作簿的表名同时符合版式 {_named(candidates)}，{ask}。")


@dataclass
class _Meta:
    department: str = ""
    year: int | None = None
    unit: DisplayUnit | None = None
    as_of: date | None = None


def _meta(sheet: _Sheet, title_row: int, header_row: int) -> _Meta:
    meta = _Meta()
    for row in range(title_row + 1, header_row):
        for raw in sheet.values[row]:
            if raw in (None, ""):
                continue
            text = unicodedata.normalize("NFKC", str(raw)).strip()
            compact = normalize(text)
            if "预算年度" in compact:
                digits = re.search(r"(\d{4})", compact)
                meta.year = int(digits.group(1)) if digits else None
            elif compact.startswith(("单位", "金额单位")):
                meta.unit = (
                    DisplayUnit.WAN if "万元" in compact else DisplayUnit.YUAN if compact.endswith("元") else None
                )
            elif compact.startswith("截止时间"):
                found = re.search(r"(\d{4})-(\d{1,2})-(\d{1,2})", compact)
                try:
                    meta.as_of = date(*map(int, found.groups())) if found else None
                except ValueError:
                    meta.as_of = None  # not a calendar date: the table prints its default 截止时间
            elif not meta.department and (_DEPARTMENT_LINE.match(text) or _DEPARTMENT_NAMED.match(text)):
                meta.department = text
    return meta


def _header_grid(sheet: _Sheet, first: int, last: int) -> list[list[str]]:
    width = max((len(sheet.values[row]) for row in range(first, last + 1)), default=0)
    grid = [[sheet.text(row, col) for col in range(width)] for row in range(first, last + 1)]
    for merge in sheet.merges:
        top, left = merge.min_row - 1, merge.min_col - 1
        if not first <= top <= last:
            continue
        value = sheet.text(top, left)
        for row in range(top, min(merge.max_row - 1, last) + 1):
            for col in range(left, min(merge.max_col, width)):
                grid[row - first][col] = value
    # Hand-made files often type a group title once, without merging: carry it over to the right, but
    # only from a column that has titles below it (a group), never from a leaf that spans the rows.
    for row in range(len(grid) - 1):
        below = range(row + 1, len(grid))
        for col in range(1, width):
            if (
                not grid[row][col]
                and grid[row][col - 1]
                and any(grid[b][col] for b in below)
                and any(grid[b][col - 1] for b in below)
            ):
                grid[row][col] = grid[row][col - 1]
    return grid


def _map_columns(
    sheet: _Sheet, layout: TableLayout, grid: list[list[str]], header_row: int
) -> tuple[dict[int, Column], list[Problem]]:
    paths = _leaf_paths(layout)
    mapping: dict[int, Column] = {}
    problems = []
    for col in range(len(grid[0]) if grid else 0):
        texts = [text for text in (cells[col] for cells in grid) if text]
        if not texts or texts[-1] in (SERIAL_TITLE, COLUMN_NUMBER_TITLE):
            continue
        candidates = [column for column, path in paths if path[-1] == texts[-1]]
        if len(candidates) > 1:
            candidates = [column for column, path in paths if path[-1] == texts[-1] and set(path[:-1]) <= set(texts)]
        taken = [column for column in candidates if column in mapping.values()]
        candidates = [column for column in candidates if column not in taken] or candidates
        if len(candidates) != 1:
            problems.append(Problem(sheet.ref(header_row, col), f"无法识别的列“{texts[-1]}”"))
            continue
        if candidates[0] in mapping.values():
            problems.append(Problem(sheet.ref(header_row, col), f"列“{texts[-1]}”重复"))
            continue
        mapping[col] = candidates[0]
    for column in layout.columns:
        if column not in mapping.values():
            problems.append(Problem(sheet.name, f"缺少列“{column.title}”"))
    return mapping, problems


def _header_texts(layout: TableLayout) -> set[str]:
    texts = {SERIAL_TITLE, COLUMN_NUMBER_TITLE}

    def walk(node: Column | Group) -> None:
        texts.add(normalize(node.title))
        if isinstance(node, Group):
            for child in node.children:
                walk(child)

    for node in layout.header:
        walk(node)
    return texts


def _header_bounds(sheet: _Sheet, layout: TableLayout, title_row: int) -> tuple[int, int, int] | None:
    """(first header row, last header row, first data row): the header rows hold only header titles;
    numbered tables end them with the 栏次 row."""
    known = _header_texts(layout)
    first = None
    for row in range(title_row + 1, len(sheet.values)):
        texts = [text for text in sheet.row_texts(row) if text]
        if first is None:
            if any(text in known for text in texts):
                first = row
            else:
                continue
        if texts and texts[0] == COLUMN_NUMBER_TITLE:
            return first, row - 1, row + 1
        if not layout.numbered and (not texts or not all(text in known for text in texts)):
            return first, row - 1, row
    if first is not None and not layout.numbered:  # an empty table: its header ends the sheet
        return first, len(sheet.values) - 1, len(sheet.values)
    return None


def _data_row(values: Sequence[object]) -> bool:
    """Whether a row below a table's header holds data: not empty, not the 序号/栏次 row again, not a note (注：…).
    Only texts are normalized: a number is never a title or a note (and zero is empty, as its text was)."""
    texts = [normalize(value) if isinstance(value, str) else value for value in values]
    if not any(texts) or texts[0] in (SERIAL_TITLE, COLUMN_NUMBER_TITLE):
        return False
    return not any(isinstance(text, str) and text.startswith("注:") for text in texts)


def _read_table(
    sheet: _Sheet, layout: TableLayout, title_row: int, amounts: _Amounts
) -> tuple[ReadTable | None, list[Problem]]:
    bounds = _header_bounds(sheet, layout, title_row)
    if bounds is None:
        return None, [Problem(sheet.name, "找不到表头（序号/栏次行）")]
    first, last, data_row = bounds
    meta = _meta(sheet, title_row, first)
    problems = []
    unit = meta.unit or layout.unit  # an edition may fix a table's unit: then its 单位 line may be left out
    if layout.unit is not None and meta.unit not in (None, layout.unit):
        fixed, found = layout.unit.value, meta.unit.value if meta.unit else ""
        return None, [Problem(sheet.name, f"此版式的“{layout.title}”以{fixed}列示，文件为“单位：{found}”")]
    if unit is None:
        if any(column.is_money and not column.always_yuan for column in layout.columns):
            problems.append(Problem(sheet.name, "缺少“单位：万元”或“单位：元”行"))
        unit = DisplayUnit.WAN
    mapping, column_problems = _map_columns(sheet, layout, _header_grid(sheet, first, last), last)
    problems += column_problems
    if set(layout.columns) - set(mapping.values()):
        return None, problems  # every reader of a table may count on each of its columns in every row
    titled = _TITLE_YEAR.match(layout.title)  # an edition without a 预算年度 line names the year in the title
    year = meta.year if meta.year is not None else int(titled.group(1)) if titled else None
    table = ReadTable(layout, sheet.name, unit, meta.department, year, as_of=meta.as_of)
    strict = layout.number is None  # the figure tables' precision and sign are the rules' (E01, E02); others here
    # Each mapped column once: its letters, and the unit its amounts are read in (quantities and 元-only columns as
    # they stand, other money in the table's unit); None for a text column.
    plan = [
        (
            col,
            column.key,
            column.kind,
            column_letters(col + 1),
            DisplayUnit.YUAN if column.kind is ColumnKind.NUMBER or column.always_yuan else unit,
        )
        for col, column in mapping.items()
    ]
    for row in range(data_row, len(sheet.values)):
        values = sheet.values[row]
        if not _data_row(values):
            continue
        cells: dict[str, ReadCell] = {}
        number = row + 1
        for col, key, kind, letters, read_in in plan:
            raw = values[col] if col < len(values) else None
            ref = f"{sheet.name}!{letters}{number}"
            if kind is ColumnKind.MONEY or kind is ColumnKind.NUMBER:
                yuan, printed, problem = amounts(raw, read_in, ref, strict)
                if problem:
                    problems.append(problem)
                cells[key] = ReadCell(yuan, ref, printed)
            elif kind is ColumnKind.CODE:
                cells[key] = ReadCell(_code_text(raw), ref)
            else:
                cells[key] = ReadCell("" if raw is None else str(raw).strip(), ref)
        if any(cell.value not in ("", ZERO) for cell in cells.values()):
            _whole_code(cells)
            table.rows.append(cells)
    labels = {col for col, column in mapping.items() if not (column.is_money or column.is_number)}
    for merge in sheet.merges:
        if merge.min_row - 1 < data_row or normalize(sheet.text(merge.min_row - 1, merge.min_col - 1)).startswith("注"):
            continue
        # A label across the code and name columns of one row (合计 under 类 | 款 | 项 | 名称) is text, not data.
        if merge.min_row == merge.max_row and set(range(merge.min_col - 1, merge.max_col)) <= labels:
            continue
        problems.append(Problem(f"{sheet.name}!{merge.ref}", "数据区不能有合并单元格"))
    return table, problems


# --- 绩效目标 --------------------------------------------------------------------------------------------------

_TARGET_TITLES = {normalize(column.title): column for column in TARGET_COLUMNS}
_SUB_GOAL_TITLES = {normalize(column.title): column for column in SUB_GOAL_COLUMNS}
_LEVEL1_NAMES = {normalize(level1): level1 for level1 in LEVEL1}
_LEVEL2_NAMES = {normalize(level2): level2 for twos in FRAMEWORK.values() for level2 in twos}
FORMULA_IN_TARGETS = "绩效目标不能使用公式：请改为文字"


def cell_text(raw: object) -> str:
    """A text cell as written: numbers as typed (100, not 100.0), surrounding spaces dropped."""
    if raw is None:
        return ""
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() else repr(raw)
    return str(raw).strip()


def _find_target_title(sheet: _Sheet) -> tuple[int, int, int | None, str] | None:
    """(title row, title column, the table's number if it has one, project) of a 绩效目标表 sheet."""
    for row in range(min(6, len(sheet.values))):
        for col, raw in enumerate(sheet.values[row]):
            match = TARGET_TITLE.match(raw) if isinstance(raw, str) else None
            if match:
                return row, col, int(match["number"]) if match["number"] else None, match["project"]
    return None


def _find_goals_title(sheet: _Sheet) -> int | None:
    title = normalize(GOALS_TITLE)
    for row in range(min(6, len(sheet.values))):
        if title in sheet.row_texts(row):
            return row
    return None


def _with_merges(sheet: _Sheet, first_row: int) -> list[list[object]]:
    """The sheet's values with every merged range below ``first_row`` filled with its top-left value."""
    values = [list(row) for row in sheet.values]
    for merge in sheet.merges:
        min_col, min_row, max_col, max_row = merge.min_col, merge.min_row, merge.max_col, merge.max_row
        if min_row - 1 <= first_row or min_row - 1 >= len(values):
            continue
        top = values[min_row - 1]
        value = top[min_col - 1] if min_col - 1 < len(top) else None
        for row in range(min_row - 1, min(max_row, len(values))):
            cells = values[row]
            cells.extend([None] * (min(max_col, MAX_COLUMNS) - len(cells)))
            for col in range(min_col - 1, min(max_col, MAX_COLUMNS)):
                cells[col] = value
    return values


def _column_map(texts: list[str], titles: dict[str, Column]) -> dict[str, int]:
    mapping: dict[str, int] = {}
    for col, text in enumerate(texts):
        column = titles.get(text)
        if column is not None and column.key not in mapping:
            mapping[column.key] = col
    return mapping


def _goal_text(texts: list[str], raw: list[object]) -> str | None:
    """The goal of a 绩效目标 row (its first non-empty cell says 绩效目标), None for any other row."""
    filled = [col for col, text in enumerate(texts) if text]
    if not filled or texts[filled[0]] != GOAL_LABEL:
        return None
    after = (cell_text(raw[col]) for col in filled[1:])
    return next((text for text in after if text and normalize(text) != GOAL_LABEL), "")


def _indicator_problems(
    sheet: _Sheet, row: int, mapping: dict[str, int], cells: dict[str, str], continued: bool
) -> list[Problem]:
    problems = []

    def ref(key: str) -> str:
        return sheet.ref(row, mapping[key])

    level1, level2 = cells["level1"], cells["level2"]
    if not level1:
        problems.append(Problem(ref("level1"), "一级指标为空"))
    elif level1 not in FRAMEWORK:
        if not continued:
            problems.append(Problem(ref("level1"), f"一级指标“{level1}”不在指标体系中（应为{'、'.join(LEVEL1)}）"))
    elif not level2:
        problems.append(Problem(ref("level2"), "二级指标为空"))
    elif level2 not in FRAMEWORK[level1]:
        problems.append(
            Problem(
                ref("level2"),
                f"“{level1}／{level2}”不在指标体系中：{level1}的二级指标为{'、'.join(FRAMEWORK[level1])}",
            )
        )
    if not cells["name"]:
        problems.append(Problem(ref("name"), "三级指标不能为空"))
    for key, limit in MAX_LENGTHS.items():
        if key in cells and len(cells[key]) > limit:
            title = next(column.title for column in TARGET_COLUMNS if column.key == key)
            problems.append(Problem(ref(key), f"{title}超过 {limit} 字"))
    return problems


def _read_targets(sheet: _Sheet, title_row: int, project: str) -> tuple[TargetTable | None, list[Problem]]:
    """One project's 绩效目标表."""
    values = _with_merges(sheet, title_row)
    texts = [[normalize(value) for value in row] for row in values]
    header = next(
        (
            row
            for row in range(title_row + 1, len(values))
            if normalize(TARGET_COLUMNS[0].title) in texts[row] or len(_column_map(texts[row], _TARGET_TITLES)) >= 3
        ),
        None,
    )
    if header is None:
        titles = " | ".join(column.title for column in TARGET_COLUMNS)
        return None, [Problem(sheet.name, f"找不到表头（{titles}）")]
    mapping = _column_map(texts[header], _TARGET_TITLES)
    missing = [column.title for column in TARGET_COLUMNS if column.key not in mapping]
    if missing:
        return None, [Problem(sheet.ref(header, 0), f"表头缺少列“{'”“'.join(missing)}”")]
    problems: list[Problem] = []
    goals = []
    for row in range(title_row + 1, len(values)):
        goal = _goal_text(texts[row], values[row])
        if goal is not None:
            goals.append((row, goal))
    if len(goals) > 1:
        problems.append(Problem(sheet.ref(goals[1][0], 0), "绩效目标行重复"))
    indicators: list[Indicator] = []
    level1 = ""
    for row in range(header + 1, len(values)):
        filled = [text for text in texts[row] if text]
        if not filled or row in {goal_row for goal_row, _ in goals}:
            continue
        if all(text in _TARGET_TITLES for text in filled) or filled[0].startswith("注:"):
            continue  # a header repeated on a new page, a note
        raw = values[row]
        cells = {key: cell_text(raw[col]) if col < len(raw) else "" for key, col in mapping.items()}
        cells["level1"] = _LEVEL1_NAMES.get(normalize(cells["level1"]), cells["level1"]) or level1
        cells["level2"] = _LEVEL2_NAMES.get(normalize(cells["level2"]), cells["level2"])
        continued = bool(indicators) and cells["level1"] == level1  # an unknown 一级指标 is reported once a run
        level1 = cells["level1"]
        problems += _indicator_problems(sheet, row, mapping, cells, continued)
        indicators.append(
            Indicator(
                cells["level1"],
                cells["level2"],
                cells["name"],
                cells["description"],
                parse_value(cells["value"]),
                cells["basis"],
            )
        )
    return TargetTable(project, goals[0][1] if goals else "", tuple(indicators)), problems


def _read_goals(sheet: _Sheet, title_row: int) -> tuple[DepartmentGoals, list[Problem]]:
    """部门整体绩效目标: the paragraphs under 一、总体绩效目标 and 三、工作保障措施; the table of 二、分项绩效目标."""
    paragraphs: dict[str, list[str]] = {"overall": [], "measures": []}
    sub_goals: list[SubGoal] = []
    problems: list[Problem] = []
    section = None
    mapping: dict[str, int] | None = None
    for row in range(title_row + 1, len(sheet.values)):
        raw = sheet.values[row]
        filled = [(col, cell_text(value)) for col, value in enumerate(raw) if cell_text(value)]
        if not filled:
            continue
        heading = HEADING_NUMBER.sub("", normalize(filled[0][1]))
        if len(filled) == 1 and heading in HEADINGS:
            section = HEADINGS[heading]
            continue
        if section in paragraphs:
            paragraphs[section].append(filled[0][1])
        elif section == "sub_goals":
            texts = [normalize(value) for value in raw]
            if mapping is None:
                mapping = _column_map(texts, _SUB_GOAL_TITLES)
                missing = [column.title for column in SUB_GOAL_COLUMNS if column.key not in mapping]
                if missing:
                    problems.append(Problem(sheet.ref(row, 0), f"分项绩效目标的表头缺少列“{'”“'.join(missing)}”"))
                    section = None
                continue
            if all(text in _SUB_GOAL_TITLES for text in texts if text):
                continue  # the header repeated
            cells = {key: cell_text(raw[col]) if col < len(raw) else "" for key, col in mapping.items()}
            if not cells["title"]:
                problems.append(Problem(sheet.ref(row, mapping["title"]), "分项绩效目标的名称不能为空"))
            elif len(cells["title"]) > MAX_LENGTHS["title"]:
                problems.append(Problem(sheet.ref(row, mapping["title"]), f"名称超过 {MAX_LENGTHS['title']} 字"))
            sub_goals.append(SubGoal(cells["title"], cells["goal"], cells["indicators"]))
    if section is None and not any(paragraphs.values()) and not sub_goals and mapping is None:
        headings = "、".join(("一、总体绩效目标", "二、分项绩效目标", "三、工作保障措施"))
        problems.append(Problem(sheet.name, f"找不到{headings}"))
    goals = DepartmentGoals("\n".join(paragraphs["overall"]), tuple(sub_goals), "\n".join(paragraphs["measures"]))
    return goals, problems


class _PerformanceSheets:
    """The 绩效目标 sheets of a workbook as they are met, then their Performance. A sheet with a problem gives
    nothing (an import of it is refused, and the rules need not repeat the problem at the same cell)."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.sheets: set[str] = set()
        self.targets: list[tuple[int | None, int, str, TargetTable]] = []  # (number, position, sheet, table)
        self.goals: tuple[str, DepartmentGoals] | None = None

    def read(self, sheet: _Sheet, position: int) -> bool:
        """Read the sheet if it is a 绩效目标 sheet; whether it was."""
        target_title = _find_target_title(sheet)
        goals_row = _find_goals_title(sheet) if target_title is None else None
        if target_title is None and goals_row is None:
            return False
        self.sheets.add(sheet.name)
        problems = [Problem(f"{sheet.name}!{ref}", FORMULA_IN_TARGETS) for ref in sheet.scan.formulas]
        if target_title is not None:
            title_row, title_col, number, project = target_title
            if len(project) > MAX_LENGTHS["project"]:
                limit = MAX_LENGTHS["project"]
                problems.append(Problem(sheet.ref(title_row, title_col), f"项目名称超过 {limit} 字"))
            table, table_problems = _read_targets(sheet, title_row, project)
            problems += table_problems
            if table is not None and not problems:
                self.targets.append((number, position, sheet.name, table))
        elif self.goals is not None:
            problems.append(Problem(sheet.name, f"与工作表“{self.goals[0]}”重复：{GOALS_TITLE}"))
        elif goals_row is not None:  # always so here: a sheet with neither title has returned above
            goals, goals_problems = _read_goals(sheet, goals_row)
            problems += goals_problems
            if not problems:
                self.goals = (sheet.name, goals)
        self.problems += problems
        return True

    def fill(self, book: ReadWorkbook) -> None:
        if not self.targets and self.goals is None:
            return
        self.targets.sort(key=lambda found: (found[0] is None, found[0] or 0, found[1]))
        seen: dict[str, str] = {}
        for _, _, sheet_name, table in self.targets:
            if table.project in seen:
                other = seen[table.project]
                book.problems.append(
                    Problem(sheet_name, f"项目“{table.project}”的绩效目标表重复（另见工作表“{other}”）")
                )
            seen.setdefault(table.project, sheet_name)
        goals = self.goals[1] if self.goals else DepartmentGoals()
        book.performance = Performance(goals, tuple(table for *_, table in self.targets))
        book.goals_sheet = self.goals[0] if self.goals else ""
        book.target_sheets = tuple(sheet_name for _, _, sheet_name, _ in self.targets)


# --- the file ---------------------------------------------------------------------------------------------------

_EXACT = 2**53  # floats below this hold every whole number exactly


def _cell(value: object) -> object:
    """A value as openpyxl read it (the reader's rules were written for it): calamine gives every number as a float
    and a whole-day date as a date; openpyxl gave whole numbers as ints and dates as datetimes."""
    if type(value) is float:
        return int(value) if value.is_integer() and -_EXACT < value < _EXACT else value
    if type(value) is date:
        return datetime(value.year, value.month, value.day)
    return value


def _values(rows: Sequence[Sequence[object]], scan: SheetScan) -> list[Sequence[object]]:
    """calamine's rows of a sheet as the reader reads them: at most MAX_COLUMNS wide, error values as their text,
    and as many rows and columns as the sheet declares (openpyxl gave them, and merged ranges below the last value
    count on them)."""
    width = max(min(len(rows[0]) if rows else 0, MAX_COLUMNS), min(scan.width, MAX_COLUMNS))
    grid: list[list[object]] = []
    for cells in rows:
        grid.append([value if type(value) is str else _cell(value) for value in cells[:MAX_COLUMNS]])
        grid[-1].extend([None] * (width - len(grid[-1])))
    for (row, col), text in scan.errors.items():
        if row < len(grid) and col < width:
            grid[row][col] = text
    values: list[Sequence[object]] = list(grid)
    if scan.height > len(values):
        values.extend([(None,) * width] * (scan.height - len(values)))  # one shared empty row: never written to
    return values


def _merges(ranges: Sequence[tuple[tuple[int, int], tuple[int, int]]] | None) -> list[_Merge]:
    merges = []
    for (top, left), (bottom, right) in ranges or ():
        ref = f"{column_letters(left + 1)}{top + 1}"
        if (bottom, right) != (top, left):
            ref += f":{column_letters(right + 1)}{bottom + 1}"
        merges.append(_Merge(ref, left + 1, top + 1, right + 1, bottom + 1))
    return merges


def _has_values(rows: Iterable[Sequence[object]]) -> bool:
    return any(value not in (None, "") for row in rows for value in row)


HIDDEN_ROWS_LISTED = 20  # hidden rows named in a warning; the rest are counted


def _hidden(sheet: _Sheet, metadata: SheetMetadata) -> list[Problem]:
    """Warnings for what the file hides and holds something: the sheet, else its rows."""
    if metadata.visible != SheetVisibleEnum.Visible:
        return [Problem("", f"工作表“{sheet.name}”是隐藏的")] if _has_values(sheet.values) else []
    rows = [row for row in sheet.scan.hidden_rows if row <= len(sheet.values) and _has_values([sheet.values[row - 1]])]
    if not rows:
        return []
    shown = "、".join(str(row) for row in rows[:HIDDEN_ROWS_LISTED])
    more = f"等 {len(rows)} 行" if len(rows) > HIDDEN_ROWS_LISTED else ""
    return [Problem("", f"工作表“{sheet.name}”第 {shown} 行{more}是隐藏的")]


def _calamine_failed(error: BaseException) -> bool:
    """Whether ``error`` is calamine failing on the file: its own errors, or a panic of its Rust code (which pyo3
    raises as a PanicException, a BaseException)."""
    return isinstance(error, Exception) or type(error).__name__ == "PanicException"


def _load(data: bytes, scans: dict[str, SheetScan]) -> tuple[list[_Sheet], list[Problem]]:
    """Every worksheet, read whole with python-calamine once the scan has let the file through (chart sheets have
    no cells), and the warnings for what is hidden."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except BaseException as error:
        if not _calamine_failed(error):
            raise
        raise UnsafeWorkbook(DAMAGED) from error
    sheets: list[_Sheet] = []
    warnings: list[Problem] = []
    room = MAX_GRID_CELLS
    with workbook:
        for index, metadata in enumerate(workbook.sheets_metadata):
            if metadata.typ == SheetTypeEnum.ChartSheet:
                continue
            scan = scans.get(metadata.name)
            if scan is None:  # a sheet the scan did not see is not read
                raise UnsafeWorkbook(DAMAGED)
            try:
                found = workbook.get_sheet_by_index(index)
                end = found.end
                room = check_grid(metadata.name, end[0] + 1, end[1] + 1, room) if end else room
                rows = found.to_python(skip_empty_area=False)
                merges = found.merged_cell_ranges
            except UnsafeWorkbook:
                raise
            except BaseException as error:
                if not _calamine_failed(error):
                    raise
                raise UnsafeWorkbook(f"工作表“{metadata.name}”无法读取，文件可能已损坏。") from error
            sheet = _Sheet(metadata.name, _values(rows, scan), scan, _merges(merges))
            sheets.append(sheet)
            warnings += _hidden(sheet, metadata)
    return sheets, warnings


def read_workbook(data: bytes, *, edition: str | None = None, expected: str = DEFAULT_EDITION) -> ReadWorkbook:
    """Every official table found in the file, read in its edition (``edition``, or told from its titles, see
    choose_edition), and every problem with its place (see parse_amount)."""
    scans = scan_workbook(data)
    sheets, warnings = _load(data, scans)
    problems: list[Problem] = []
    tables: dict[str, ReadTable] = {}
    seen: dict[str, str] = {}  # layout key → the sheet it was found on, read or not
    performance = _PerformanceSheets()
    layouts, unknown = choose_edition(_sheet_heads(sheets), edition, expected)
    if unknown is not None:
        problems.append(unknown)
    if layouts is None:
        return ReadWorkbook({}, problems, warnings=warnings)
    titles = _titles(layouts)
    amounts = _Amounts()
    for position, sheet in enumerate(sheets):
        found = _find_title(sheet, titles)
        if found is None:
            performance.read(sheet, position)
            continue
        layout, title_row = found
        if layout.key in seen:
            problems.append(Problem(sheet.name, f"与工作表“{seen[layout.key]}”重复：{layout.title}"))
            continue
        seen[layout.key] = sheet.name
        table, table_problems = _read_table(sheet, layout, title_row, amounts)
        problems += table_problems
        if table is not None:
            tables[layout.key] = table
    # Formulas in the 绩效目标 sheets are refused cell by cell; elsewhere only those without a value.
    problems = [
        Problem(f"{scan.name}!{ref}", "公式没有计算结果：请在 Excel 中重新计算并保存，或改为数值")
        for scan in scans.values()
        if scan.name not in performance.sheets
        for ref in scan.formulas_without_value
    ] + problems
    years = sorted({table.year for table in tables.values() if table.year is not None})
    if years:
        layouts = layouts.for_year(years[0])
        for table in tables.values():  # the year's layouts are those the budget prints (and titled for the year)
            table.layout = layouts.by_key[table.layout.key]
    for layout in layouts.figure_tables:
        if layout.key not in seen:
            # Without a year to fill in, a title that names one is given without it.
            problems.append(Problem("", f"缺少表：{layout.title.replace(f'{YEAR}年', '')}"))
    book = ReadWorkbook(tables, problems + performance.problems, layouts, warnings=warnings)
    performance.fill(book)
    return book
