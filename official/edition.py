"""Editions of the official template as data: one TOML file per edition in official/editions/, read into layouts.

An edition says, for every table it prints, its key, number and title, which of the ledger's derivations fills its
rows, its columns in print order under their header groups, and how it prints (序号 and 栏次, the note of an empty
table, the line above the header). Every column names a *measure*: a value that its table's rows give. The page,
the workbook writer and the reader are driven by the layouts read here; docs/editions.md describes the file.
"""

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache, cached_property, partial
from pathlib import Path
from typing import Any

from domain import supplementary, tables
from domain.classifications import FISCAL_SOURCES, Source
from domain.ledger import BudgetData
from domain.money import DisplayUnit
from domain.prose import PROSE
from domain.tables import Row
from official.layout import Column, ColumnKind, Group, Heading, Placement, ProseSheet, TableLayout

EDITIONS_DIR = Path(__file__).with_name("editions")
DEFAULT_EDITION = "hebei-2021"
YEAR = "{year}"  # where a title names the budget year: "{year}年部门财务收支预算总表"
LEVELS = ("部门", "单位")
KEY_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
DEFAULT_PLACEMENT = Placement()
DEFAULT_WIDTHS = {ColumnKind.TEXT: 24, ColumnKind.CODE: 10, ColumnKind.MONEY: 14, ColumnKind.NUMBER: 10}


class EditionError(ValueError):
    """An edition file that cannot be used; the message names the file and the place in it."""


@dataclass(frozen=True)
class RowSource:
    """One of the ledger's derivations of a table, the measures its rows give and the options an edition may set
    (keyword arguments of ``rows``)."""

    rows: Callable[..., Sequence[Row]]
    measures: frozenset[str]
    options: frozenset[str] = frozenset()


def _source(rows: Callable[..., Sequence[Row]], *measures: str, options: Iterable[str] = ()) -> RowSource:
    return RowSource(rows, frozenset(measures), frozenset(options))


_CLASSIFIED = ("code", *tables.CODE_PARTS, "name")  # a 类/款/项 row's code (whole or 类 | 款 | 项) and name
_HIERARCHY = ("total_last",)  # 合计 after the rows instead of before them

# The vocabulary: what an edition may put in a column, table by table (docs/editions.md lists what each means).
ROW_SOURCES: Mapping[str, RowSource] = {
    "summary": _source(
        tables.summary_rows,
        "in_label",
        "in_amount",
        "out_label",
        "out_amount",
        *tables.SUMMARY_SPENDING_COLUMNS,
        options=("income_rows", "extra_rows", "classes", "carried_over", "part_numbering"),
    ),
    "income": _source(tables.income_rows, *_CLASSIFIED, *tables.INCOME_COLUMNS, options=_HIERARCHY),
    "expenditure": _source(tables.expenditure_rows, *_CLASSIFIED, *tables.EXPENDITURE_COLUMNS, options=_HIERARCHY),
    "fiscal-summary": _source(
        tables.fiscal_summary_rows,
        "in_label",
        "in_amount",
        *(f"out_{column}" for column in ("label", "total", *tables.FUND_COLUMNS.values())),
        options=("fund_labels", "classes", "carried_over"),
    ),
    "general-appropriation": _source(
        tables.general_appropriation_rows, *_CLASSIFIED, *tables.APPROPRIATION_COLUMNS, options=_HIERARCHY
    ),
    "basic-economic": _source(
        tables.basic_economic_rows, *_CLASSIFIED, *tables.BASIC_ECONOMIC_COLUMNS, options=_HIERARCHY
    ),
    "govfund-appropriation": _source(
        tables.govfund_appropriation_rows, *_CLASSIFIED, *tables.APPROPRIATION_COLUMNS, options=_HIERARCHY
    ),
    "statecap-appropriation": _source(
        tables.statecap_appropriation_rows, *_CLASSIFIED, *tables.APPROPRIATION_COLUMNS, options=_HIERARCHY
    ),
    "three-public": _source(tables.three_public_rows, "label", *tables.THREE_PUBLIC_COLUMNS),
    "three-public-row": _source(tables.three_public_row, *tables.THREE_PUBLIC_ROW_COLUMNS),
    "units": _source(tables.unit_rows, "name", "nature", "rank", "funding_form"),
    "procurement": _source(
        supplementary.procurement_rows,
        "project",
        "project_amount",
        "item_name",
        "catalogue_number",
        "measure_unit",
        "quantity",
        "unit_price",
        "total",
        "general",
        "govfund",
        "statecap",
        "special",
    ),
    "fixed-assets": _source(supplementary.asset_rows, "item", "quantity", "value"),
}


def _assets_as_of_line(data: BudgetData) -> str:
    return f"截止时间：{supplementary.assets_as_of(data).isoformat()}"


# What an edition may print at the right of the line above a table's header, in place of 单位：万元.
META_LINES: Mapping[str, Callable[[BudgetData], str]] = {"assets-as-of": _assets_as_of_line}

_EDITION_FIELDS = {"key", "name", "level", "heading", "sheet", "tables", "unit_edition", "prose"}
_PROSE_FIELDS = {"key", "sheet", "after_tables"}
_PLACEMENT_FIELDS = ("title_row", "heading_row", "header_row", "department_columns")
_HEADING_FIELDS = {"department": ("code", "name"), "year": ("year",), "unit": ("unit",)}
_TABLE_FIELDS = {
    "key",
    "number",
    "title",
    "aliases",
    "rows",
    "columns",
    "numbered",
    "meta",
    "empty_note",
    "sheet",
    "unit",
    "merge_total_label",
    *_PLACEMENT_FIELDS,
}
_OPTION_FIELDS = {
    "income_rows",
    "extra_rows",
    "total_last",
    "classes",
    "carried_over",
    "fund_labels",
    "part_numbering",
}
_CHOICE_OPTIONS = {"classes": tables.Classes, "carried_over": tables.CarriedOver}
_COLUMN_FIELDS = {"measure", "title", "kind", "width", "group", "always_yuan"}


@dataclass(frozen=True)
class Edition:
    key: str
    name: str
    level: str  # 部门 (a department's budget) or 单位 (one unit's)
    tables: tuple[TableLayout, ...]
    heading: Heading  # the line under each title: its tables' and the 绩效目标 sheets'
    unit_edition: str = ""  # a 部门 edition's 单位 variant (one unit's budget, 单位预算), by key; "" if it has none
    year: int | None = None  # the year it prints (for_year), None as read from its file
    prose: tuple[ProseSheet, ...] = ()  # the narrative sheets around the tables, in print order

    @cached_property
    def by_key(self) -> dict[str, TableLayout]:
        return {layout.key: layout for layout in self.tables}

    def for_year(self, year: int) -> "Edition":
        """The edition as one year prints it: ``{year}`` in its titles filled in."""
        return _for_year(self, year)

    @cached_property
    def figure_tables(self) -> tuple[TableLayout, ...]:
        """The numbered tables: those printed from the figures."""
        return tuple(layout for layout in self.tables if layout.number is not None)

    @cached_property
    def supplementary_tables(self) -> tuple[TableLayout, ...]:
        """The unnumbered tables of the ledger's other records (procurement, assets), 机构设置 aside."""
        return tuple(layout for layout in self.tables if layout.number is None and layout.source != "units")

    @cached_property
    def compared_tables(self) -> tuple[TableLayout, ...]:
        """What a comparison of two versions shows: every table but 机构设置 (units change on their own page)."""
        return tuple(layout for layout in self.tables if layout.source != "units")


class _Reader:
    """Reads one edition file, saying where in the file anything is wrong."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, message: str) -> EditionError:
        return EditionError(f"{self.path.name}：{where}：{message}")

    def fields(self, where: str, data: Any, allowed: set[str], required: Iterable[str]) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.fail(where, "应为一组键值")
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise self.fail(where, f"未知的项 {', '.join(unknown)}（可用：{', '.join(sorted(allowed))}）")
        for name in required:
            value = data.get(name)
            if value is None or value == "" or value == []:
                raise self.fail(where, f"缺少 {name}")
        return data

    def text(self, where: str, data: dict[str, Any], name: str, default: str = "") -> str:
        value = data.get(name, default)
        if not isinstance(value, str):
            raise self.fail(where, f"{name} 应为文字")
        return value

    def edition(self) -> Edition:
        try:
            data = tomllib.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise self.fail("文件", f"无法读取：{error}") from error
        data = self.fields("文件", data, _EDITION_FIELDS, ("key", "name", "level", "tables"))
        key = self.text("文件", data, "key")
        if not KEY_PATTERN.fullmatch(key) or key != self.path.stem:
            raise self.fail("key", f"“{key}”应与文件名相同，由小写字母、数字和连字符组成")
        level = self.text("文件", data, "level")
        if level not in LEVELS:
            raise self.fail("level", f"应为 {' 或 '.join(LEVELS)}，实际为“{level}”")
        if not isinstance(data["tables"], list):
            raise self.fail("tables", "应为表的列表（[[tables]]）")
        heading = self.heading(data.get("heading", {}))
        place = self.placement("sheet", self.fields("sheet", data.get("sheet", {}), set(_PLACEMENT_FIELDS), ()))
        layouts = [self.table(index, table, heading, place) for index, table in enumerate(data["tables"], start=1)]
        seen: set[str] = set()
        for layout in layouts:
            if layout.key in seen:
                raise self.fail(f"表 {layout.key}", "key 重复：每张表只能定义一次")
            seen.add(layout.key)
        unit_edition = self.text("文件", data, "unit_edition")
        if unit_edition and level != "部门":
            raise self.fail("unit_edition", "只有部门版式可以指定单位版式")
        prose = self.prose(data.get("prose", []))
        named = [sheet.sheet for sheet in prose] + [layout.sheet for layout in layouts if layout.sheet]
        twice = sorted({name for name in named if named.count(name) > 1})
        if twice:
            raise self.fail("sheet", f"工作表名重复：{'、'.join(twice)}")
        return Edition(key, self.text("文件", data, "name"), level, tuple(layouts), heading, unit_edition, prose=prose)

    def prose(self, data: Any) -> tuple[ProseSheet, ...]:
        if not isinstance(data, list):
            raise self.fail("prose", "应为叙述页的列表（[[prose]]）")
        sheets = []
        for place, item in enumerate(data, start=1):
            where = f"第 {place} 个叙述页"
            item = self.fields(where, item, _PROSE_FIELDS, ("key", "sheet"))
            key = self.text(where, item, "key")
            if key not in PROSE:
                raise self.fail(where, f"未知的 key “{key}”（可用：{', '.join(PROSE)}）")
            after = item.get("after_tables", False)
            if not isinstance(after, bool):
                raise self.fail(where, "after_tables 应为 true 或 false")
            sheets.append(ProseSheet(key, self.sheet_name(where, item), after))
        return tuple(sheets)

    def heading(self, data: Any) -> Heading:
        data = self.fields("heading", data, set(_HEADING_FIELDS), ())
        lines: dict[str, str] = {}
        for name, placeholders in _HEADING_FIELDS.items():
            if name not in data:
                continue
            text = self.text("heading", data, name)
            try:
                text.format(**dict.fromkeys(placeholders, ""))
            except (KeyError, IndexError, ValueError):
                names = "、".join("{" + placeholder + "}" for placeholder in placeholders)
                raise self.fail("heading", f"{name} 只能使用 {names}：“{text}”") from None
            lines[name] = text
        return Heading(**lines)

    def sheet_name(self, where: str, data: dict[str, Any]) -> str:
        sheet = self.text(where, data, "sheet")
        if len(sheet) > 31 or any(char in sheet for char in "[]:*?/\\"):
            raise self.fail(where, f"sheet “{sheet}”不能用作工作表名（最多 31 字，不含 []:*?/\\）")
        return sheet

    def placement(self, where: str, data: dict[str, Any], default: Placement = DEFAULT_PLACEMENT) -> Placement:
        values = {}
        for name in _PLACEMENT_FIELDS:
            value = data.get(name, getattr(default, name))
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 50:
                raise self.fail(where, f"{name} 应为 0 到 50 的整数")
            values[name] = value
        found = Placement(**values)
        if not 1 <= found.title_row < found.heading_row < found.header_row:
            raise self.fail(where, "应为 1 ≤ title_row < heading_row < header_row")
        return found

    def options(self, where: str, data: dict[str, Any], source: RowSource) -> dict[str, Any]:
        """The row options a table sets: checked here, passed to its rows as keyword arguments."""
        options: dict[str, Any] = {}
        for name in sorted(_OPTION_FIELDS & set(data)):
            if name not in source.options:
                raise self.fail(where, f"rows “{data['rows']}” 不接受 {name}")
        if "income_rows" in data:
            options["income_rows"] = self.income_rows(where, data["income_rows"])
        if "total_last" in data:
            if not isinstance(data["total_last"], bool):
                raise self.fail(where, "total_last 应为 true 或 false")
            options["total_last"] = data["total_last"]
        if "extra_rows" in data:
            extra = data["extra_rows"]
            if not isinstance(extra, list) or not all(isinstance(label, str) and label for label in extra):
                raise self.fail(where, "extra_rows 应为行名称的列表")
            options["extra_rows"] = tuple(extra)
        for name, choices in _CHOICE_OPTIONS.items():
            if name in data:
                if data[name] not in choices.values:
                    raise self.fail(where, f"{name} 应为 {' 或 '.join(choices.values)}，实际为“{data[name]}”")
                options[name] = data[name]
        if "part_numbering" in data:
            numbering = data["part_numbering"]
            if not isinstance(numbering, str) or "{n}" not in numbering or numbering.replace("{n}", "").count("{"):
                raise self.fail(where, f"part_numbering 应为含 {{n}} 的文字（如 “{{n}}. ”），实际为“{numbering}”")
            options["part_numbering"] = numbering
        if "fund_labels" in data:
            labels = data["fund_labels"]
            count = len(FISCAL_SOURCES)
            if (
                not isinstance(labels, list)
                or len(labels) != count
                or not all(isinstance(x, str) and x for x in labels)
            ):
                raise self.fail(where, f"fund_labels 应为 {count} 个行名称（一般公共预算、政府性基金、国有资本经营）")
            options["fund_labels"] = tuple(labels)
        return options

    def income_rows(self, where: str, data: Any) -> tuple[tables.IncomeRow, ...]:
        if not isinstance(data, list) or not data:
            raise self.fail(where, "income_rows 应为收入行的列表")
        rows = tuple(self.income_row(f"{where} 第 {place} 个收入行", row) for place, row in enumerate(data, 1))
        named = [source for row in rows for source in row.all_sources]
        if sorted(named) != sorted(Source):
            missing = [source.value for source in Source if source not in named]
            twice = sorted({source.value for source in named if named.count(source) > 1})
            listed = f"缺少：{', '.join(missing) or '无'}；重复：{', '.join(twice) or '无'}"
            raise self.fail(where, f"income_rows 须把每种资金来源恰好列入一行（{listed}）")
        return rows

    def income_row(self, where: str, row: Any, *, part: bool = False) -> tables.IncomeRow:
        """One income row: its sources, or (not itself a part) the parts printed below it, each with its sources."""
        allowed = {"label", "sources"} if part else {"label", "sources", "parts"}
        row = self.fields(where, row, allowed, ("label",))
        if ("sources" in row) == ("parts" in row):
            raise self.fail(where, "收入行须有 sources（资金来源）或 parts（其下各行），二者取一")
        label = self.text(where, row, "label")
        if "parts" in row:
            parts = row["parts"]
            if not isinstance(parts, list) or not parts:
                raise self.fail(where, "parts 应为收入行的列表")
            found = [
                self.income_row(f"{where} 第 {place} 个子行", item, part=True) for place, item in enumerate(parts, 1)
            ]
            return tables.IncomeRow(label, parts=tuple(found))
        sources = row["sources"]
        if not isinstance(sources, list) or not sources or not all(source in Source.values for source in sources):
            raise self.fail(where, f"sources 应为资金来源的列表（可用：{', '.join(Source.values)}）")
        return tables.IncomeRow(label, tuple(Source(source) for source in sources))

    def table(self, index: int, data: Any, heading: Heading, place: Placement) -> TableLayout:
        named = isinstance(data, dict) and isinstance(data.get("key"), str) and data["key"]
        where = f"表 {data['key']}" if named else f"第 {index} 张表"
        data = self.fields(where, data, _TABLE_FIELDS | _OPTION_FIELDS, ("key", "title", "rows", "columns"))
        key = self.text(where, data, "key")
        source = ROW_SOURCES.get(self.text(where, data, "rows"))
        if source is None:
            raise self.fail(where, f"未知的 rows “{data['rows']}”（可用：{', '.join(ROW_SOURCES)}）")
        number = data.get("number")
        if number is not None and (not isinstance(number, int) or isinstance(number, bool) or number < 1):
            raise self.fail(where, "number 应为正整数")
        meta_name = self.text(where, data, "meta")
        if meta_name and meta_name not in META_LINES:
            raise self.fail(where, f"未知的 meta “{meta_name}”（可用：{', '.join(META_LINES)}）")
        numbered = data.get("numbered", True)
        if not isinstance(numbered, bool):
            raise self.fail(where, "numbered 应为 true 或 false")
        if not isinstance(data["columns"], list):
            raise self.fail(where, "columns 应为列的列表")
        columns = [self.column(where, place, column, source) for place, column in enumerate(data["columns"], 1)]
        options = self.options(where, data, source)
        unit = self.text(where, data, "unit")
        units = [known.value for known in DisplayUnit]
        if unit and unit not in units:
            raise self.fail(where, f"unit 应为 {' 或 '.join(units)}，实际为“{unit}”")
        merge_total_label = data.get("merge_total_label", False)
        if not isinstance(merge_total_label, bool):
            raise self.fail(where, "merge_total_label 应为 true 或 false")
        sheet = self.sheet_name(where, data)
        return TableLayout(
            key=key,
            number=number,
            title=self.title(where, self.text(where, data, "title")),
            aliases=self.aliases(where, data.get("aliases", [])),
            header=_header_tree(columns),
            rows=partial(source.rows, **options) if options else source.rows,
            empty_note=self.text(where, data, "empty_note"),
            numbered=numbered,
            meta=META_LINES[meta_name] if meta_name else None,
            heading=heading,
            source=data["rows"],
            sheet=sheet,
            unit=DisplayUnit(unit) if unit else None,
            place=self.placement(where, data, place),
            merge_total_label=merge_total_label,
        )

    def title(self, where: str, text: str) -> str:
        try:
            text.format(year=0)
        except (KeyError, IndexError, ValueError):
            raise self.fail(where, f"标题只能用 {YEAR} 代表年度：“{text}”") from None
        return text

    def aliases(self, where: str, data: Any) -> tuple[str, ...]:
        if not isinstance(data, list) or not all(isinstance(alias, str) and alias for alias in data):
            raise self.fail(where, "aliases 应为标题的列表")
        return tuple(self.title(where, alias) for alias in data)

    def column(self, table: str, place: int, data: Any, source: RowSource) -> tuple[tuple[str, ...], Column]:
        where = f"{table} 第 {place} 列"
        data = self.fields(where, data, _COLUMN_FIELDS, ("measure", "title"))
        measure = self.text(where, data, "measure")
        if measure not in source.measures:
            raise self.fail(where, f"未知的度量 “{measure}”（本表可用：{', '.join(sorted(source.measures))}）")
        try:
            kind = ColumnKind(data.get("kind", ColumnKind.MONEY.value))
        except ValueError:
            raise self.fail(where, f"kind 应为 {', '.join(kind.value for kind in ColumnKind)}") from None
        width = data.get("width", DEFAULT_WIDTHS[kind])
        if not isinstance(width, int) or isinstance(width, bool) or not 1 <= width <= 100:
            raise self.fail(where, "width 应为 1 到 100 的整数")
        always_yuan = data.get("always_yuan", False)
        if not isinstance(always_yuan, bool) or (always_yuan and kind is not ColumnKind.MONEY):
            raise self.fail(where, "always_yuan 只用于金额列，应为 true 或 false")
        group = data.get("group", [])
        path = (group,) if isinstance(group, str) else group
        if not isinstance(path, list | tuple) or not all(isinstance(title, str) and title for title in path):
            raise self.fail(where, "group 应为表头分组的名称，或由外到内的名称列表")
        return tuple(path), Column(measure, self.text(where, data, "title"), kind, width, always_yuan)


def _header_tree(columns: Sequence[tuple[tuple[str, ...], Column]], depth: int = 0) -> tuple[Column | Group, ...]:
    """Columns in print order with their group paths, as the header tree: neighbours that share a group at this
    depth sit under one Group."""
    nodes: list[Column | Group] = []
    index = 0
    while index < len(columns):
        path, column = columns[index]
        if len(path) <= depth:
            nodes.append(column)
            index += 1
            continue
        end = index
        while end < len(columns) and len(columns[end][0]) > depth and columns[end][0][depth] == path[depth]:
            end += 1
        nodes.append(Group(path[depth], _header_tree(columns[index:end], depth + 1)))
        index = end
    return tuple(nodes)


@cache
def _for_year(found: Edition, year: int) -> Edition:
    if found.year is not None:  # already a year's
        return found
    tables = tuple(replace(layout, title=layout.title.format(year=year)) for layout in found.tables)
    return replace(found, tables=tables, year=year)


def load_edition(path: Path) -> Edition:
    return _Reader(path).edition()


@cache
def editions() -> dict[str, Edition]:
    """Every edition of official/editions/, by key (read once per process)."""
    read = sorted(map(load_edition, EDITIONS_DIR.glob("*.toml")), key=lambda edition: edition.key)
    found = {edition.key: edition for edition in read}
    for key, edition in found.items():
        variant = found.get(edition.unit_edition)
        if edition.unit_edition and (variant is None or variant.level != "单位"):
            raise EditionError(f"{key}.toml：unit_edition：“{edition.unit_edition}”不是已有的单位版式")
    return found


def edition_choices(level: str | None = None) -> list[tuple[str, str]]:
    """(key, name) of every edition, or of those of one level (a budget year prints in a 部门 edition)."""
    return [(key, found.name) for key, found in editions().items() if level in (None, found.level)]


def department_edition_choices() -> list[tuple[str, str]]:
    return edition_choices("部门")


def unit_edition_of(found: Edition) -> Edition | None:
    """The 单位 variant of a 部门 edition, for the same year; None if it has none."""
    if not found.unit_edition:
        return None
    variant = edition(found.unit_edition)
    return variant.for_year(found.year) if found.year is not None else variant


def edition(key: str = DEFAULT_EDITION) -> Edition:
    try:
        return editions()[key]
    except KeyError:
        raise EditionError(f"没有版式“{key}”（可用：{', '.join(editions())}）") from None
