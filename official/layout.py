"""Declarative layout of an official table: one definition drives the web page, the export and the import.

A layout is a tree of header groups over leaf columns. From it come the header grid with its merged
cells, the 栏次 numbers and the order of the values in each data row.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cached_property

from domain.ledger import BudgetData
from domain.money import DisplayUnit
from domain.tables import Row


class ColumnKind(Enum):
    TEXT = "text"
    CODE = "code"
    MONEY = "money"
    NUMBER = "number"  # a quantity: up to two decimals, trailing zeros trimmed, never scaled to 万元


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: ColumnKind = ColumnKind.MONEY
    width: int = 14  # characters; used for the printed and exported column widths
    always_yuan: bool = False  # money printed in 元 whatever the table's display unit (its title says so)

    @property
    def is_money(self) -> bool:
        return self.kind is ColumnKind.MONEY

    @property
    def is_number(self) -> bool:
        return self.kind is ColumnKind.NUMBER


@dataclass(frozen=True)
class Group:
    title: str
    children: tuple["Column | Group", ...]


@dataclass(frozen=True)
class HeaderCell:
    text: str
    row: int  # 0-based within the header block
    col: int  # 0-based over all printed columns, 序号 included
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class Heading:
    """How an edition prints the line under a table's title: the department, the year and the unit."""

    department: str = "{code} {name}"
    year: str = "预算年度：{year}"
    unit: str = "单位：{unit}"

    def department_line(self, data: BudgetData) -> str:
        return self.department.format(code=data.department_code, name=data.department_name)


@dataclass(frozen=True)
class Placement:
    """Where a table's parts stand on its sheet (rows 1-based, as Excel numbers them): the title, the line under it,
    the first header row. ``department_columns``: how many columns the department line is merged across (0: as
    many as its text needs)."""

    title_row: int = 1
    heading_row: int = 2
    header_row: int = 3
    department_columns: int = 0


@dataclass(frozen=True)
class ProseSheet:
    """A narrative sheet an edition prints around its tables (domain.prose.PROSE names what each says)."""

    key: str
    sheet: str
    after_tables: bool = False  # after the tables (其他相关情况说明), else before them (封面 … 编制说明)


SERIAL_TITLE = "序号"
COLUMN_NUMBER_TITLE = "栏次"


def text(key: str, title: str, width: int = 24) -> Column:
    return Column(key, title, ColumnKind.TEXT, width)


def code(key: str = "code", title: str = "科目编码") -> Column:
    return Column(key, title, ColumnKind.CODE, 10)


def money(key: str, title: str, width: int = 14, *, always_yuan: bool = False) -> Column:
    return Column(key, title, ColumnKind.MONEY, width, always_yuan)


def number(key: str, title: str, width: int = 10) -> Column:
    return Column(key, title, ColumnKind.NUMBER, width)


def _depth(node: "Column | Group") -> int:
    if isinstance(node, Column):
        return 1
    return 1 + max(_depth(child) for child in node.children)


def _leaves(node: "Column | Group") -> list[Column]:
    if isinstance(node, Column):
        return [node]
    return [leaf for child in node.children for leaf in _leaves(child)]


@dataclass(frozen=True)
class TableLayout:
    key: str  # stable identifier, used in URLs and workbook sheet lookup
    number: int | None  # the official table number, None for the supplementary tables
    title: str
    header: tuple[Column | Group, ...]
    rows: Callable[[BudgetData], Sequence[Row]]
    empty_note: str = ""
    numbered: bool = True  # a 序号 column and a 栏次 row
    # The right-hand text of the line above the header, in place of 单位：万元 (e.g. 截止时间：2020-12-31).
    meta: Callable[[BudgetData], str] | None = None
    heading: Heading = Heading()
    source: str = ""  # the name of ``rows`` in the editions' vocabulary (official.edition.ROW_SOURCES)
    aliases: tuple[str, ...] = ()  # other titles the table is recognised by when a workbook is read
    sheet: str = ""  # the sheet's name in a workbook; "" for the title's first 31 characters
    unit: DisplayUnit | None = None  # the unit the table always prints in; None: the one asked for
    place: Placement = Placement()
    merge_total_label: bool = False  # 合计 merged across the code and name columns

    @cached_property
    def columns(self) -> list[Column]:
        return [leaf for node in self.header for leaf in _leaves(node)]

    @cached_property
    def keyed_by_code(self) -> bool:
        """Whether its rows are told apart by a classification code (else by their place in the table)."""
        return any(column.key == "code" for column in self.columns)

    @cached_property
    def has_amounts(self) -> bool:
        """Whether some column prints money in the display unit (and so the table prints 单位：…)."""
        return any(column.is_money and not column.always_yuan for column in self.columns)

    @cached_property
    def total_label_span(self) -> int:
        """How many leading columns the 合计 label is merged across (merge_total_label): the code and name columns
        before the first amount; 0 where it is not merged."""
        if not self.merge_total_label:
            return 0
        kinds = [column.kind for column in self.columns]
        return next((col for col, kind in enumerate(kinds) if kind not in (ColumnKind.CODE, ColumnKind.TEXT)), 0)

    @cached_property
    def header_depth(self) -> int:
        return max(_depth(node) for node in self.header)

    @cached_property
    def width(self) -> int:
        """Printed columns, 序号 included."""
        return len(self.columns) + (1 if self.numbered else 0)

    @cached_property
    def header_cells(self) -> list[HeaderCell]:
        depth = self.header_depth
        cells: list[HeaderCell] = []
        col = 0
        if self.numbered:
            cells.append(HeaderCell(SERIAL_TITLE, 0, 0, rowspan=depth))
            col = 1

        def place(node: Column | Group, row: int, col: int) -> int:
            if isinstance(node, Column):
                cells.append(HeaderCell(node.title, row, col, rowspan=depth - row))
                return col + 1
            span = len(_leaves(node))
            cells.append(HeaderCell(node.title, row, col, colspan=span))
            for child in node.children:
                col = place(child, row + 1, col)
            return col

        for node in self.header:
            col = place(node, 0, col)
        return sorted(cells, key=lambda cell: (cell.row, cell.col))

    @cached_property
    def header_rows(self) -> list[list[HeaderCell]]:
        rows: list[list[HeaderCell]] = [[] for _ in range(self.header_depth)]
        for cell in self.header_cells:
            rows[cell.row].append(cell)
        return rows

    @cached_property
    def column_numbers(self) -> list[str]:
        """The 栏次 row: its title under 序号, then 1..n over the columns."""
        return [COLUMN_NUMBER_TITLE, *(str(n) for n in range(1, len(self.columns) + 1))]
