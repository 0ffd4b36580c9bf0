"""Reading a 录入模板 back: the workbook of one budget that exports.entry_template writes (its sheets and columns:
official.entry_layout) and a department accountant edits in Excel.

``read_entry_workbook`` never writes. It reads every sheet and reports every problem at once, each at its cell
(``预算明细!J7``), so that a preview can show them all before anything is written:

* each 预算明细 row by the rules of the admin's flat list (budgets.resources.parse_row), then the rows together by
  the rules the ledger's write refuses with (domain.ledger.inputs_errors, as budget_replace_figures applies them):
  units from the 单位 sheet, leaf codes of the year's catalogue, one row per cell, a project on 项目支出 rows only
  and on every one of them, each project of one unit (that of its first row). A new project name on a 项目支出 row
  is a new project;
* the units by the rule of the units page (domain.structure.unit_errors); procurement items and assets by the
  limits of what stores them; the targets by the indicator framework and the limits of what stores them. A
  procurement item or a target table may name a project no 预算明细 row names (one without figures), as the stored
  budget may; the import registers it, as it does for an official workbook.

The file's department code and year are those of its rows: which budget it is imported into is the caller's to
check (a year other than the one asked for is a problem here, as the catalogue checked against is that year's).

Text cells are read as written, less the quote web.spreadsheets.inert_text puts before text Excel would take for a
formula. Numbers may be numbers or text (``1,234.50``); a blank amount, quantity or value in 政府采购 and 固定资产 is
zero. A formula's cached value is read; one without a value is a problem.

Before anything is parsed the file goes through official.xlsx_safety.scan_workbook: a file it refuses raises
UnsafeWorkbook, as with the official workbook (official.xlsx_reader.read_workbook).
"""

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import iterparse

from django.db.models import CharField, DecimalField, Model
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from python_calamine import CalamineWorkbook

from budgets.models import FixedAsset, ProcurementItem
from budgets.resources import COLUMNS, DEPARTMENT, HEADERS, YEAR, FigureRow, parse_row
from departments.resources import cell_text
from domain.classifications import ECONOMIC_CODE_WIDTHS, FUNCTION_CODE_WIDTHS, Kind
from domain.ledger import (
    MAX_AMOUNT,
    PROJECT_NAME_MAX,
    AssetInfo,
    Catalogue,
    EntryContext,
    Line,
    LineInput,
    ProcurementInfo,
    UnitInfo,
    inputs_errors,
)
from domain.numerals import decimal_places
from domain.performance.checks import (
    MAX_DESCRIPTION,
    MAX_GOAL,
    MAX_GOALS_TEXT,
    MAX_NUMBER,
    MAX_PLACES,
    MAX_RAW,
    MAX_TITLE,
    MAX_UNIT,
    goals_errors,
    table_errors,
)
from domain.performance.framework import FRAMEWORK, LEVEL1
from domain.performance.targets import DepartmentGoals, Indicator, Performance, SubGoal, TargetTable
from domain.performance.values import parse_value
from domain.structure import UNIT_NAME_MAX, UNIT_NAME_TWICE, UnitInput, UnitNature, unit_errors
from official.entry_layout import (
    ALIASES,
    ASSET_COLUMNS,
    ASSET_UNIT,
    ASSETS_AS_OF_LABEL,
    ASSETS_SHEET,
    FIGURES_SHEET,
    GOAL_TEXT_LABELS,
    GOALS_COLUMNS,
    INDICATOR_KEYS,
    OPTIONAL_COLUMNS,
    PERFORMANCE_SHEETS,
    PROCUREMENT_COLUMNS,
    PROCUREMENT_SHEET,
    README_SHEET,
    SHEETS,
    SUB_GOALS_LABEL,
    TARGET_SHEET_COLUMNS,
    TARGETS_SHEET,
    UNIT_COLUMNS,
    UNITS_SHEET,
    YUAN_SUFFIX,
)
from official.layout import Column
from official.targets_layout import GOALS_SHEET, HEADING_NUMBER
from official.xlsx_reader import Problem, normalize
from official.xlsx_safety import UnsafeWorkbook, scan_workbook

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
HEADER_ROWS = 10  # a table's header stands in one of its sheet's first rows
MAX_WORKBOOK_PART = 1024 * 1024  # bytes of xl/workbook.xml is_entry_workbook reads, at most

NOT_AN_ENTRY_FILE = "文件不是录入模板：没有“预算明细”工作表。请上传从预算页面下载的录入模板，或官方公开表工作簿。"
MISSING_SHEET = "缺少工作表“{sheet}”：请不要删除或改名录入模板的工作表。"
ONE_PERFORMANCE_SHEET = (
    "缺少工作表“{sheet}”：“部门整体绩效目标”和“项目绩效目标”应同时保留（同时删除则不导入绩效目标）。"
)
NO_HEADER = "找不到表头（{titles}）：表头应在工作表的前几行。"
MISSING_COLUMNS = "表头缺少列“{columns}”。"
FORMULA_WITHOUT_VALUE = "公式没有计算结果：请在 Excel 中重新计算并保存，或改为数值"
SAME_ROW = "与第{first}行是同一格（单位或项目、科目、类型、来源都相同），请合并。"
OTHER_DEPARTMENT = (
    "部门编码“{code}”与第{first}行的“{department}”不同（共 {count} 行）：一个录入模板只能是一个部门的预算。"
)
OTHER_YEAR = "年度为 {found}，不是本预算的 {year} 年度（共 {count} 行）。"
UNIT_NOT_IN_SHEET = "单位“{unit}”不在“单位”工作表中：请从列表中选择，新单位请先在“单位”工作表中添加。"
REQUIRED = "{title}不能为空。"
TOO_LONG = "{title}最多 {limit} 字（现有 {length} 字）。"
NOT_A_NUMBER = "{title}必须是数字：{text}"
NEGATIVE = "{title}不能为负数。"
TOO_PRECISE = "{title}最多保留两位小数。"
TOO_LARGE = "{title}超出范围：应小于 {limit}。"
AS_OF_INVALID = "截止时间应为日期，如 2020-12-31：{text}"
NO_LABEL = "找不到“{label}”：A 列应有这一行，文字填在它右边。"
PROJECT_MISSING = "项目不能为空：每一行都要填写项目。"
GOAL_TWICE = "项目“{project}”的绩效目标已在第{first}行填写：每个项目只在第一行填写绩效目标（或各行相同）。"
LEVEL1_EMPTY = "一级指标不能为空。"
LEVEL1_UNKNOWN = "一级指标“{level1}”不在指标体系中（应为{choices}）。"
LEVEL2_UNKNOWN = "“{level1}／{level2}”不在指标体系中：{level1}的二级指标为{choices}。"
NAME_EMPTY = "三级指标不能为空。"
VALUE_INVALID = "指标值数值无效（应为不小于0、小于10¹⁴、最多六位小数的数）。"

_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_LEVEL1_NAMES = {normalize(level1): level1 for level1 in LEVEL1}
_LEVEL2_NAMES = {normalize(level2): level2 for twos in FRAMEWORK.values() for level2 in twos}
_NATURES = {**{str(label): value for value, label in UnitNature.choices}, **{v: v for v in UnitNature.values}}


@dataclass
class EntryFile:
    """What a 录入模板 says: a budget's lines, units, procurement, assets and targets, and every problem of the file.

    Nothing is meant to be written unless ``problems`` is empty."""

    department_code: str  # of the 预算明细 rows; "" when the file has none
    year: int  # of the 预算明细 rows; the year asked for when the file has none
    lines: list[Line] = field(default_factory=list)  # with unit and project, in the order of the rows
    units: list[UnitInfo] = field(default_factory=list)
    procurement: list[ProcurementInfo] = field(default_factory=list)
    assets: list[AssetInfo] = field(default_factory=list)
    assets_as_of: date | None = None  # None: the table prints its default (31 December of the previous year)
    performance: Performance | None = None  # None when the file has no 绩效目标 sheets
    asset_units: bool = True  # False: a file made before assets had units (no 单位 column): who holds them is not said
    problems: list[Problem] = field(default_factory=list)  # place: "预算明细!J7", a sheet, or "" for the file

    @property
    def ok(self) -> bool:
        return not self.problems


def is_entry_workbook(data: bytes) -> bool:
    """Whether the file is a 录入模板 (it has a 预算明细 sheet) rather than an official workbook. Cheap: reads the
    sheet names of the workbook part and nothing else; False for anything that is not a readable xlsx."""
    wanted = normalize(FIGURES_SHEET)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            part = archive.getinfo("xl/workbook.xml")
            if part.file_size > MAX_WORKBOOK_PART:
                return False
            with archive.open(part) as stream:
                for _, element in iterparse(stream):
                    if element.tag.rsplit("}", 1)[-1] == "sheet" and normalize(element.get("name")) == wanted:
                        return True
    except Exception:  # zipfile, zlib and the XML parser raise many kinds: what cannot be read is no 录入模板
        return False
    return False


# --- sheets and problems ----------------------------------------------------------------------------------------------


class _Sheet:
    """One sheet's values, row by row from A1 (0-based indices; "" for an empty cell)."""

    def __init__(self, name: str, rows: Sequence[Sequence[object]], order: int = 0):
        self.name = name  # as the file spells it
        self.rows = rows
        self.order = order  # of the sheet among official.entry_layout.SHEETS: problems are listed in that order

    def ref(self, row: int, col: int) -> str:
        return f"{self.name}!{get_column_letter(col + 1)}{row + 1}"

    def value(self, row: int, col: int) -> object:
        cells = self.rows[row] if row < len(self.rows) else []
        return cells[col] if col < len(cells) else ""

    def text(self, row: int, col: int) -> str:
        return _text(self.value(row, col))


def _text(value: object) -> str:
    """A text cell as written: numbers as typed (100, not 100.0), the inert quote and surrounding spaces dropped,
    line breaks as ``\\n``."""
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value.isoformat()
    return cell_text(value).replace("\r\n", "\n")


class _Problems:
    """Problems in the order of the sheets, rows and columns, whatever the order they are found in."""

    def __init__(self) -> None:
        self._found: list[tuple[tuple[int, int, int], Problem]] = []

    def add(self, sheet: _Sheet | None, row: int, col: int, message: str) -> None:
        """At a cell; ``row`` -1 for the sheet as a whole; no ``sheet`` for the file."""
        if sheet is None:
            self._found.append(((-1, -1, -1), Problem("", message)))
            return
        place = sheet.ref(row, col) if row >= 0 else sheet.name
        self._found.append(((sheet.order, row, col), Problem(place, message)))

    def count(self, sheet: _Sheet) -> int:
        """How many problems have been told about the sheet."""
        return sum(order == sheet.order for (order, _, _), _ in self._found)

    def sorted(self) -> list[Problem]:
        return [problem for _, problem in sorted(self._found, key=lambda found: found[0])]


def _titles(sheet_name: str, columns: Sequence[Column]) -> dict[str, str]:
    """Header text (normalized) → column key: the title, the title without （元）, the aliases."""
    titles: dict[str, str] = {}
    aliases = ALIASES.get(sheet_name, {})
    for column in columns:
        for title in (column.title, column.title.removesuffix(YUAN_SUFFIX), *aliases.get(column.key, ())):
            titles.setdefault(normalize(title), column.key)
    return titles


def _header(
    sheet: _Sheet,
    columns: Sequence[Column],
    problems: _Problems,
    first_row: int = 0,
    optional: frozenset[str] = frozenset(),
) -> tuple[int, dict[str, int]] | None:
    """(header row, column key → its column) of a table, or None with the problem told; the ``optional`` columns
    may be missing."""
    titles = _titles(sheet.name, columns)
    for row in range(first_row, min(first_row + HEADER_ROWS, len(sheet.rows))):
        mapping: dict[str, int] = {}
        for col, value in enumerate(sheet.rows[row]):
            key = titles.get(normalize(_text(value)))
            if key is not None:
                mapping.setdefault(key, col)
        if len(mapping) >= min(2, len(columns)):
            missing = [column.title for column in columns if column.key not in mapping and column.key not in optional]
            if missing:
                problems.add(sheet, row, 0, MISSING_COLUMNS.format(columns="”“".join(missing)))
                return None
            return row, mapping
    problems.add(sheet, -1, 0, NO_HEADER.format(titles=" | ".join(column.title for column in columns)))
    return None


def _data_rows(sheet: _Sheet, header: int, mapping: Mapping[str, int]) -> Iterable[tuple[int, dict[str, object]]]:
    """(row, values by column key) of every row under the header with something in its columns."""
    for row in range(header + 1, len(sheet.rows)):
        values = {key: sheet.value(row, col) for key, col in mapping.items()}
        if any(_text(value) for value in values.values()):
            yield row, values


def _max_length(model: type[Model], name: str) -> int:
    column = model._meta.get_field(name)
    if not isinstance(column, CharField) or column.max_length is None:
        raise TypeError(f"{model.__name__}.{name} is not a text field of limited length")
    return column.max_length


def _limit(model: type[Model], name: str) -> Decimal:
    """What a DecimalField holds: less than 10 to the power of its integer digits."""
    column = model._meta.get_field(name)
    if not isinstance(column, DecimalField) or column.max_digits is None or column.decimal_places is None:
        raise TypeError(f"{model.__name__}.{name} is not a decimal field")
    return Decimal(10) ** (column.max_digits - column.decimal_places)


# --- cells ------------------------------------------------------------------------------------------------------------


def _decimal(value: object) -> Decimal | None:
    """A number as the exact decimal it prints as (a spreadsheet's float, or text such as ``1,234.50``)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = _text(value).replace(",", "").replace("，", "").replace(" ", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _amount(value: object, title: str, limit: Decimal) -> tuple[Decimal, str | None]:
    """A non-negative amount or quantity with at most two decimals (blank: zero), or why not."""
    if _text(value) == "":
        return ZERO, None
    amount = _decimal(value)
    if amount is None or not amount.is_finite():
        return ZERO, NOT_A_NUMBER.format(title=title, text=_text(value))
    if abs(amount) >= limit:
        return ZERO, TOO_LARGE.format(title=title, limit=f"{limit:,.0f}")
    if amount < 0:
        return ZERO, NEGATIVE.format(title=title)
    if amount != amount.quantize(CENT):
        return ZERO, TOO_PRECISE.format(title=title)
    return amount.quantize(CENT), None


def _as_of(value: object) -> tuple[date | None, str | None]:
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    text = _text(value)
    if not text:
        return None, None
    match = _DATE_TEXT.match(text) if isinstance(value, str) else None
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3])), None
        except ValueError:
            pass
    return None, AS_OF_INVALID.format(text=text)


def _check_text(
    problems: _Problems, sheet: _Sheet, row: int, col: int, text: str, title: str, limit: int, *, required: bool
) -> None:
    if required and not text:
        problems.add(sheet, row, col, REQUIRED.format(title=title))
    elif len(text) > limit:
        problems.add(sheet, row, col, TOO_LONG.format(title=title, limit=limit, length=len(text)))


# --- 预算明细 ---------------------------------------------------------------------------------------------------------


def _leaves(names: Mapping[str, str], width: int) -> frozenset[str]:
    return frozenset(code for code in names if len(code) == width)


def _read_figures(
    sheet: _Sheet, units: Sequence[UnitInfo], year: int, catalogue: Catalogue, problems: _Problems
) -> tuple[list[FigureRow], str, int]:
    """The rows (each by parse_row), the department code and the year they name; every problem told."""
    found = _header(sheet, [Column(title, title) for title in HEADERS], problems)
    if found is None:
        return [], "", year
    header, mapping = found
    rows: list[FigureRow] = []
    for row, values in _data_rows(sheet, header, mapping):
        parsed, errors = parse_row(row + 1, values)
        for error in errors:
            problems.add(sheet, row, mapping.get(error.column, 0), error.message)
        if parsed is not None:
            rows.append(parsed)
    if not rows:
        return [], "", year
    first = rows[0]
    _report_others(
        sheet,
        problems,
        mapping[DEPARTMENT],
        [row for row in rows if row.department != first.department],
        lambda row: row.department,
        lambda code, count: OTHER_DEPARTMENT.format(
            code=code, first=first.line, department=first.department, count=count
        ),
    )
    _report_others(
        sheet,
        problems,
        mapping[YEAR],
        [row for row in rows if row.year != year],
        lambda row: str(row.year),
        lambda found, count: OTHER_YEAR.format(found=found, year=year, count=count),
    )
    _check_figures(sheet, mapping, rows, units, year, catalogue, problems)
    return rows, first.department, first.year


def _report_others(
    sheet: _Sheet,
    problems: _Problems,
    col: int,
    rows: Sequence[FigureRow],
    value: Callable[[FigureRow], str],
    message: Callable[[str, int], str],
) -> None:
    """One problem per value the rows have that they should not, at its first row."""
    first: dict[str, FigureRow] = {}
    counts: dict[str, int] = {}
    for row in rows:
        first.setdefault(value(row), row)
        counts[value(row)] = counts.get(value(row), 0) + 1
    for text, row in first.items():
        problems.add(sheet, row.line - 1, col, message(text, counts[text]))


def _check_figures(
    sheet: _Sheet,
    mapping: Mapping[str, int],
    rows: Sequence[FigureRow],
    units: Sequence[UnitInfo],
    year: int,
    catalogue: Catalogue,
    problems: _Problems,
) -> None:
    """What budget_replace_figures would refuse of the rows: one row per cell, then domain.ledger.inputs_errors
    against the 单位 sheet, the year's leaf codes and the projects the rows name (each of its first row's unit)."""
    items: list[LineInput] = []
    lines: list[int] = []  # the file's row of each item
    first_row: dict[tuple[object, ...], int] = {}
    for row in rows:
        cell = row.item.cell
        if cell in first_row:
            problems.add(sheet, row.line - 1, 0, SAME_ROW.format(first=first_row[cell]))
            continue
        first_row[cell] = row.line
        items.append(row.item)
        lines.append(row.line)
    projects: dict[str, str] = {}
    for item in items:
        if item.kind == Kind.PROJECT and item.project:
            projects.setdefault(item.project, item.unit)
    context = EntryContext(
        year=year,
        units=frozenset(unit.name for unit in units),
        functions=_leaves(catalogue.function_names, FUNCTION_CODE_WIDTHS[-1]),
        economics=_leaves(catalogue.economic_names, ECONOMIC_CODE_WIDTHS[-1]),
        projects=projects,
    )
    for error in inputs_errors(items, context):
        item = items[error.index - 1]
        message = UNIT_NOT_IN_SHEET.format(unit=item.unit) if error.field == "unit" else error.message
        problems.add(sheet, lines[error.index - 1] - 1, mapping.get(COLUMNS.get(error.field, ""), 0), message)


# --- 单位, 政府采购, 固定资产 -----------------------------------------------------------------------------------------


def _read_units(sheet: _Sheet, problems: _Problems) -> list[UnitInfo]:
    found = _header(sheet, UNIT_COLUMNS, problems)
    if found is None:
        return []
    header, mapping = found
    entered: list[tuple[int, UnitInput]] = []
    for row, values in _data_rows(sheet, header, mapping):
        texts = {key: _text(value) for key, value in values.items()}
        nature = _NATURES.get(texts["nature"], texts["nature"])
        entered.append((row, UnitInput(None, texts["name"], nature, texts["rank"], texts["funding_form"])))
    names = [unit.name for _, unit in entered]
    for error in unit_errors([unit for _, unit in entered]):
        row = entered[error.index - 1][0] if error.index else header + 1
        message = error.message
        if error.index and error.field == "name":
            # The rule counts the units from 1, the file numbers its rows: the first of a repeated name by its row.
            first = names.index(names[error.index - 1])
            if message == UNIT_NAME_TWICE.format(first=first + 1):
                message = UNIT_NAME_TWICE.format(first=entered[first][0] + 1)
        problems.add(sheet, row, mapping.get(error.field, mapping["name"]), message)
    return [UnitInfo(unit.name, unit.nature, unit.rank, unit.funding_form) for _, unit in entered]


def _read_items(
    sheet: _Sheet,
    columns: Sequence[Column],
    model: type[Model],
    fields: Mapping[str, str],
    required: str,
    problems: _Problems,
    header_from: int = 0,
) -> list[dict[str, object]]:
    """The rows of a table of items: texts within their model field's length, amounts and quantities within its
    digits. ``fields`` names the model field of each column where it differs from its key; a missing optional
    column (official.entry_layout.OPTIONAL_COLUMNS) reads as None."""
    found = _header(sheet, columns, problems, header_from, OPTIONAL_COLUMNS)
    if found is None:
        return []
    header, mapping = found
    items = []
    for row, values in _data_rows(sheet, header, mapping):
        item: dict[str, object] = {}
        for column in columns:
            if column.key not in mapping:
                item[column.key] = None  # an optional column the file lacks
                continue
            col, value = mapping[column.key], values[column.key]
            name = fields.get(column.key, column.key)
            if column.is_money or column.is_number:
                amount, problem = _amount(value, column.title, MAX_AMOUNT if column.is_money else _limit(model, name))
                if problem:
                    problems.add(sheet, row, col, problem)
                item[column.key] = amount
            else:
                text = _text(value)
                limits = {"project": PROJECT_NAME_MAX, "unit": UNIT_NAME_MAX}
                limit = limits[column.key] if column.key in limits else _max_length(model, name)
                _check_text(problems, sheet, row, col, text, column.title, limit, required=column.key == required)
                item[column.key] = text
        items.append(item)
    return items


def _read_procurement(sheet: _Sheet, problems: _Problems) -> list[ProcurementInfo]:
    items = _read_items(sheet, PROCUREMENT_COLUMNS, ProcurementItem, {}, "item_name", problems)
    return [ProcurementInfo(**item) for item in items]  # type: ignore[arg-type]


def _find(sheet: _Sheet, text: str, rows: int) -> tuple[int, int] | None:
    """(row, column) of the first cell of the sheet's first ``rows`` rows that says ``text``."""
    wanted = normalize(text)
    for row in range(min(rows, len(sheet.rows))):
        for col, value in enumerate(sheet.rows[row]):
            if normalize(_text(value)) == wanted:
                return row, col
    return None


def _read_assets(sheet: _Sheet, problems: _Problems) -> tuple[list[AssetInfo], date | None]:
    """截止时间 (the cell right of its label), then the assets under their header (a file without the 单位 column:
    see ``asset_units``)."""
    as_of: date | None = None
    labelled = _find(sheet, ASSETS_AS_OF_LABEL, HEADER_ROWS)
    if labelled is None:
        problems.add(sheet, -1, 0, NO_LABEL.format(label=ASSETS_AS_OF_LABEL))
    else:
        row, col = labelled
        as_of, problem = _as_of(sheet.value(row, col + 1))
        if problem:
            problems.add(sheet, row, col + 1, problem)
    first = labelled[0] + 1 if labelled else 0
    items = _read_items(sheet, ASSET_COLUMNS, FixedAsset, {"value": "value_yuan"}, "item", problems, first)
    return [AssetInfo(**(item | {"unit": item["unit"] or ""})) for item in items], as_of  # type: ignore[arg-type]


# --- 绩效目标 ---------------------------------------------------------------------------------------------------------


def _label(text: str) -> str:
    return HEADING_NUMBER.sub("", normalize(text))


def _too_long(problems: _Problems, sheet: _Sheet, row: int, col: int, text: str, title: str, limit: int) -> None:
    _check_text(problems, sheet, row, col, text, title, limit, required=False)


def _read_goals(sheet: _Sheet, problems: _Problems) -> DepartmentGoals:
    """总体绩效目标 and 工作保障措施 (a label in the first filled cell of a row, the text in the next), then the
    分项绩效目标 under their header."""
    before = problems.count(sheet)
    titles = _titles(sheet.name, GOALS_COLUMNS)
    header = next(
        (row for row in range(len(sheet.rows)) if sum(normalize(_text(v)) in titles for v in sheet.rows[row]) >= 2),
        None,
    )
    texts: dict[str, str] = {}
    labels = {_label(label): key for key, label in GOAL_TEXT_LABELS.items()}
    for row in range(len(sheet.rows) if header is None else header):
        filled = [col for col, value in enumerate(sheet.rows[row]) if _text(value)]
        key = labels.get(_label(sheet.text(row, filled[0]))) if filled else None
        if key is None or key in texts:
            continue
        text_col = filled[1] if len(filled) > 1 else filled[0] + 1
        texts[key] = sheet.text(row, text_col)
        _too_long(problems, sheet, row, text_col, texts[key], GOAL_TEXT_LABELS[key], MAX_GOALS_TEXT)
    for key, label in GOAL_TEXT_LABELS.items():
        if key not in texts:
            problems.add(sheet, -1, 0, NO_LABEL.format(label=label))
    sub_goals: list[SubGoal] = []
    found = _header(sheet, GOALS_COLUMNS, problems, header) if header is not None else None
    if header is None:
        titles_text = " | ".join(column.title for column in GOALS_COLUMNS)
        problems.add(sheet, -1, 0, NO_HEADER.format(titles=f"{SUB_GOALS_LABEL}：{titles_text}"))
    if found is not None:
        header, mapping = found
        for row, values in _data_rows(sheet, header, mapping):
            cells = {key: _text(value) for key, value in values.items()}
            _check_text(problems, sheet, row, mapping["title"], cells["title"], "名称", MAX_TITLE, required=True)
            _too_long(problems, sheet, row, mapping["goal"], cells["goal"], "绩效目标", MAX_GOAL)
            _too_long(problems, sheet, row, mapping["indicators"], cells["indicators"], "绩效指标", MAX_GOAL)
            sub_goals.append(SubGoal(cells["title"], cells["goal"], cells["indicators"]))
    goals = DepartmentGoals(texts.get("overall", ""), tuple(sub_goals), texts.get("measures", ""))
    if problems.count(sheet) == before:  # what the write would refuse that the cells above did not say
        for error in goals_errors(goals):
            problems.add(sheet, -1, 0, error.message)
    return goals


@dataclass
class _Table:
    row: int  # its first row
    goal: str = ""
    goal_row: int = -1
    indicators: list[Indicator] = field(default_factory=list)


def _indicator(
    sheet: _Sheet, row: int, mapping: Mapping[str, int], cells: dict[str, str], problems: _Problems
) -> Indicator:
    def at(key: str, message: str) -> None:
        problems.add(sheet, row, mapping[key], message)

    level1, level2 = cells["level1"], cells["level2"]
    if not level1:
        at("level1", LEVEL1_EMPTY)
    elif level1 not in FRAMEWORK:
        at("level1", LEVEL1_UNKNOWN.format(level1=level1, choices="、".join(LEVEL1)))
    elif level2 not in FRAMEWORK[level1]:
        choices = "、".join(FRAMEWORK[level1])
        at("level2", LEVEL2_UNKNOWN.format(level1=level1, level2=level2, choices=choices))
    if not cells["name"]:
        at("name", NAME_EMPTY)
    value = parse_value(cells["value"])
    number = value.number
    invalid = number is not None and (
        not number.is_finite() or number < 0 or number >= MAX_NUMBER or decimal_places(number.normalize()) > MAX_PLACES
    )
    if invalid:
        at("value", VALUE_INVALID)
    titles = {column.key: column.title for column in TARGET_SHEET_COLUMNS}
    for key, limit in (("name", MAX_TITLE), ("description", MAX_DESCRIPTION), ("basis", MAX_DESCRIPTION)):
        _too_long(problems, sheet, row, mapping[key], cells[key], titles[key], limit)
    _too_long(problems, sheet, row, mapping["value"], value.raw, titles["value"], MAX_RAW)
    _too_long(problems, sheet, row, mapping["value"], value.unit, "指标值的单位", MAX_UNIT)
    return Indicator(level1, level2, cells["name"], cells["description"], value, cells["basis"])


def _read_targets(sheet: _Sheet, problems: _Problems) -> tuple[TargetTable, ...]:
    """The project's 绩效目标表 in the order the projects first appear: each row an indicator of its project, the
    goal on any of its rows (once, or the same on each); a blank 一级指标 continues the row above's."""
    found = _header(sheet, TARGET_SHEET_COLUMNS, problems)
    if found is None:
        return ()
    header, mapping = found
    tables: dict[str, _Table] = {}
    above = ("", "")  # (project, 一级指标) of the row above
    for row, values in _data_rows(sheet, header, mapping):
        cells = {key: _text(value) for key, value in values.items()}
        project = cells["project"]
        if not project:
            problems.add(sheet, row, mapping["project"], PROJECT_MISSING)
            continue
        _too_long(problems, sheet, row, mapping["project"], project, "项目", PROJECT_NAME_MAX)
        table = tables.setdefault(project, _Table(row))
        goal = cells["goal"]
        if goal and not table.goal:
            table.goal, table.goal_row = goal, row
            _too_long(problems, sheet, row, mapping["goal"], goal, "绩效目标", MAX_GOAL)
        elif goal and goal != table.goal:
            problems.add(sheet, row, mapping["goal"], GOAL_TWICE.format(project=project, first=table.goal_row + 1))
        if not any(cells[key] for key in INDICATOR_KEYS):
            continue
        cells["level1"] = _LEVEL1_NAMES.get(normalize(cells["level1"]), cells["level1"])
        if not cells["level1"] and above[0] == project:
            cells["level1"] = above[1]
        cells["level2"] = _LEVEL2_NAMES.get(normalize(cells["level2"]), cells["level2"])
        above = (project, cells["level1"])
        table.indicators.append(_indicator(sheet, row, mapping, cells, problems))
    targets = tuple(TargetTable(project, t.goal, tuple(t.indicators)) for project, t in tables.items())
    if not problems.count(sheet):  # what the write would refuse that the cells above did not say
        for target, table in zip(targets, tables.values(), strict=True):
            for error in table_errors(target):
                problems.add(sheet, table.row, mapping["project"], error.message)
    return targets


# --- the file ---------------------------------------------------------------------------------------------------------


def _load(data: bytes, names: Sequence[str]) -> dict[str, _Sheet]:
    """The sheets of these names the file has (by their name, compared without spaces and width)."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as error:  # calamine raises its own kinds for damaged zips and parts
        raise UnsafeWorkbook("文件无法作为 xlsx 工作簿读取，可能已损坏。") from error
    with workbook:
        present = {normalize(name): name for name in workbook.sheet_names}
        sheets = {}
        for name in names:
            actual = present.get(normalize(name))
            if actual is None:
                continue
            try:
                rows = workbook.get_sheet_by_name(actual).to_python(skip_empty_area=False)
            except Exception as error:
                raise UnsafeWorkbook(f"工作表“{actual}”无法读取，文件可能已损坏。") from error
            sheets[name] = _Sheet(actual, rows, SHEETS.index(name))
    return sheets


def read_entry_workbook(data: bytes, *, year: int, catalogue: Catalogue) -> EntryFile:
    """What the 录入模板 says, for the budget of ``year`` (``catalogue``: that year's codes), and every problem of
    the file. Raises UnsafeWorkbook for a file official.xlsx_safety refuses, or one that cannot be read."""
    scans = scan_workbook(data)
    sheets = _load(data, [name for name in SHEETS if name != README_SHEET])
    problems = _Problems()
    entry = EntryFile(department_code="", year=year)
    if FIGURES_SHEET not in sheets:
        problems.add(None, -1, -1, NOT_AN_ENTRY_FILE)
        entry.problems = problems.sorted()
        return entry
    for sheet in sheets.values():
        scan = scans.get(sheet.name)
        for ref in scan.formulas_without_value if scan else ():
            try:
                row, col = coordinate_to_tuple(ref)
            except ValueError:  # a cell without its reference
                row, col = 0, 0
            problems.add(sheet, row - 1, col - 1, FORMULA_WITHOUT_VALUE)
    for name in (UNITS_SHEET, PROCUREMENT_SHEET, ASSETS_SHEET):
        if name not in sheets:
            problems.add(None, -1, -1, MISSING_SHEET.format(sheet=name))
    if UNITS_SHEET in sheets:
        entry.units = _read_units(sheets[UNITS_SHEET], problems)
    rows, entry.department_code, entry.year = _read_figures(
        sheets[FIGURES_SHEET], entry.units, year, catalogue, problems
    )
    entry.lines = [row.item.line for row in rows]
    if PROCUREMENT_SHEET in sheets:
        entry.procurement = _read_procurement(sheets[PROCUREMENT_SHEET], problems)
    if ASSETS_SHEET in sheets:
        entry.assets, entry.assets_as_of = _read_assets(sheets[ASSETS_SHEET], problems)
        entry.asset_units = _find(sheets[ASSETS_SHEET], ASSET_UNIT.title, HEADER_ROWS + 2) is not None
        listed = {unit.name for unit in entry.units}
        for name in dict.fromkeys(asset.unit for asset in entry.assets if asset.unit and asset.unit not in listed):
            problems.add(sheets[ASSETS_SHEET], -1, -1, UNIT_NOT_IN_SHEET.format(unit=name))
    present = [name for name in PERFORMANCE_SHEETS if name in sheets]
    if len(present) == 1:
        missing = next(name for name in PERFORMANCE_SHEETS if name not in sheets)
        problems.add(None, -1, -1, ONE_PERFORMANCE_SHEET.format(sheet=missing))
    elif present:
        goals = _read_goals(sheets[GOALS_SHEET], problems)
        entry.performance = Performance(goals, _read_targets(sheets[TARGETS_SHEET], problems))
    entry.problems = problems.sorted()
    return entry
