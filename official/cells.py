"""The independent cells of an official workbook (domain.adjust), read off its tables.

A table is given as a grid: its rows as column key → amount in yuan (or text), with the row's code under "code".
The same reading applies to a file (``read_grid``), to a budget printed as the file prints it (``printed_grid``: in
the file's unit, so rounded like the file), and to a budget's exact sums (``exact_grid``). What a file changes is
then its cells less the stored budget's printed cells, added to the stored exact ones: an amount the file leaves as
printed is left exactly as stored, whatever its 万元 rounding.
"""

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from domain.adjust import REST, Cell, Parts, Shape
from domain.classifications import ECONOMIC_CODE_WIDTHS, FISCAL_SOURCES, FUNCTION_CODE_WIDTHS, Kind, Source
from domain.ledger import BudgetData, Catalogue
from domain.money import YUAN_PER_WAN, DisplayUnit
from domain.tables import ALL_OTHER, INCOME_BY_SOURCE_COLUMNS, INCOME_SOURCE_COLUMNS
from official.layout import ColumnKind, TableLayout
from official.render import TablePrinter
from official.xlsx_reader import ReadTable, normalize

ZERO = Decimal("0.00")
Grid = list[dict[str, object]]

KIND_PARTS = frozenset(kind.value for kind in Kind)
INCOME_PARTS = frozenset({*INCOME_SOURCE_COLUMNS.values(), "carried"})
INCOME_BY_SOURCE_PARTS = frozenset({*INCOME_BY_SOURCE_COLUMNS.values(), ALL_OTHER})
FUND_TABLES: Mapping[str, Source] = {
    "general-appropriation": Source.GENERAL,
    "govfund-appropriation": Source.GOVFUND,
    "statecap-appropriation": Source.STATECAP,
}
FUND_PARTS = frozenset({Kind.BASIC.value, Kind.PROJECT.value})
THREE_PUBLIC_LABELS: Mapping[str, str] = {
    normalize("一、因公出国（境）费"): "abroad",
    normalize("其中：公务用车购置费"): "vehicle_purchase",
    normalize("公务用车运行维护费"): "vehicle_running",
    normalize("三、公务接待费"): "reception",
}
THREE_PUBLIC_ITEMS = ("abroad", "vehicle_purchase", "vehicle_running", "reception")
FUND_COLUMNS: Mapping[str, Source] = {"general": Source.GENERAL, "govfund": Source.GOVFUND, "statecap": Source.STATECAP}
CARRIED_LABEL = normalize("年初财政拨款结转和结余")


def read_grid(table: ReadTable) -> Grid:
    return [{key: cell.value for key, cell in row.items()} for row in table.rows]


def printed_grid(layout: TableLayout, data: BudgetData, unit: DisplayUnit, printer: TablePrinter | None = None) -> Grid:
    """The budget's table as printed in ``unit`` (rounded as a file in that unit is), amounts back in yuan."""
    printed = (printer or TablePrinter())(layout, data, unit)
    in_wan = printed.unit is DisplayUnit.WAN
    # A printed row's cells stand in the order of the layout's columns.
    amounts = [
        (index, column.key, in_wan and not column.always_yuan)
        for index, column in enumerate(layout.columns)
        if column.kind is ColumnKind.MONEY
    ]
    texts = [
        (index, column.key)
        for index, column in enumerate(layout.columns)
        if column.kind is not ColumnKind.MONEY and column.kind is not ColumnKind.NUMBER
    ]
    grid: Grid = []
    for row in printed.rows:
        cells = row.cells
        values: dict[str, object] = {"code": row.code}
        for index, key, wan in amounts:
            amount = cells[index].number or ZERO
            values[key] = amount * YUAN_PER_WAN if wan else amount
        for index, key in texts:
            values.setdefault(key, cells[index].value)
        grid.append(values)
    return grid


def exact_grid(layout: TableLayout, data: BudgetData) -> Grid:
    return [{**row.cells, "code": row.code} for row in layout.rows(data)]


def _amount(row: Mapping[str, object], key: str) -> Decimal:
    value = row.get(key)
    return value if isinstance(value, Decimal) else ZERO


def _leaves(grid: Grid, width: int) -> Iterable[tuple[str, Mapping[str, object]]]:
    for row in grid:
        code = str(row.get("code") or "")
        if len(code) == width:
            yield code, row


def _parted(
    cells: dict[Cell, Decimal], family: tuple[str, ...], grid: Grid, parts: Parts, every: frozenset[str], width: int
) -> None:
    """Per leaf row, each printed part column, and what the 合计 holds beyond them (REST) when some part is not
    printed."""
    for code, row in _leaves(grid, width):
        for part in parts.printed:
            cells[(*family, code, part)] = cells.get((*family, code, part), ZERO) + _amount(row, part)
        if every - parts.printed:
            rest = _amount(row, "total") - sum((_amount(row, part) for part in parts.printed), ZERO)
            cells[(*family, code, REST)] = cells.get((*family, code, REST), ZERO) + rest


def _columns(layout: TableLayout) -> frozenset[str]:
    return frozenset(column.key for column in layout.columns)


def _prints_carried(layout: TableLayout | None) -> bool:
    """Whether the 财政拨款收支总表 has 年初结转 rows (Hebei) rather than carried money with its source (Shanghai)."""
    if layout is None:
        return False
    empty = BudgetData("", "", 0, Catalogue({}, {}), ())
    return any(normalize(row.cells.get("in_label")) == CARRIED_LABEL for row in layout.rows(empty))


def table_shape(layouts: Sequence[TableLayout]) -> Shape:
    """The independent cells these tables print."""
    by_key = {layout.key: layout for layout in layouts}
    shape = Shape()
    if "expenditure" in by_key:
        shape = Shape(spending=Parts(_columns(by_key["expenditure"]) & KIND_PARTS))
    income = by_key.get("income")
    funds = {source: Parts(_columns(by_key[key]) & FUND_PARTS) for key, source in FUND_TABLES.items() if key in by_key}
    by_source = income is not None and bool(_columns(income) & INCOME_BY_SOURCE_PARTS)
    three = by_key.get("three-public") or by_key.get("three-public-running")
    return Shape(
        spending=shape.spending,
        income=Parts(_columns(income) & (INCOME_BY_SOURCE_PARTS if by_source else INCOME_PARTS)) if income else None,
        income_by_source=by_source,
        funds=funds,
        economic="basic-economic" in by_key,
        carried=frozenset(FISCAL_SOURCES) if _prints_carried(by_key.get("fiscal-summary")) else frozenset(),
        three_public="" if three is None else "together" if three.key == "three-public-running" else "by-fund",
    )


def table_cells(shape: Shape, grids: Mapping[str, Grid]) -> dict[Cell, Decimal]:
    """The independent cells of these tables (layout key → grid), the way ``shape`` reads them."""
    cells: dict[Cell, Decimal] = {}
    function_width, economic_width = FUNCTION_CODE_WIDTHS[-1], ECONOMIC_CODE_WIDTHS[-1]
    if shape.spending is not None and "expenditure" in grids:
        _parted(cells, ("spend",), grids["expenditure"], shape.spending, KIND_PARTS, function_width)
    if shape.income is not None and "income" in grids:
        every = INCOME_BY_SOURCE_PARTS if shape.income_by_source else INCOME_PARTS
        _parted(cells, ("income",), grids["income"], shape.income, every, function_width)
    for key, source in FUND_TABLES.items():
        if source in shape.funds and key in grids:
            _parted(cells, ("fund", source.value), grids[key], shape.funds[source], FUND_PARTS, function_width)
    if shape.economic and "basic-economic" in grids:
        for code, row in _leaves(grids["basic-economic"], economic_width):
            cells[("econ", code)] = cells.get(("econ", code), ZERO) + _amount(row, "total")
    if shape.carried and "fiscal-summary" in grids:
        rows = grids["fiscal-summary"]
        labels = [normalize(row.get("in_label")) for row in rows]
        if CARRIED_LABEL in labels:
            start = labels.index(CARRIED_LABEL) + 1
            for source, row in zip(FISCAL_SOURCES, rows[start : start + 3], strict=False):
                cells[("carried", source.value)] = _amount(row, "in_amount")
    if shape.three_public == "by-fund" and "three-public" in grids:
        for row in grids["three-public"]:
            item = THREE_PUBLIC_LABELS.get(normalize(row.get("label")))
            if item:
                for column, source in FUND_COLUMNS.items():
                    cells[("three", item, source.value)] = _amount(row, column)
    if shape.three_public == "together" and grids.get("three-public-running"):
        row = grids["three-public-running"][0]
        for item in THREE_PUBLIC_ITEMS:
            cells[("three", item, "")] = _amount(row, item)
    return {cell: amount for cell, amount in cells.items() if amount}


def changed_cells(
    shape: Shape, read: Mapping[str, ReadTable], stored: BudgetData, printer: TablePrinter | None = None
) -> dict[Cell, Decimal]:
    """What the file changes in each cell (in yuan): the file's cells less the stored budget's as the file's tables
    print it."""
    printer = printer or TablePrinter()
    file_cells = table_cells(shape, {key: read_grid(table) for key, table in read.items()})
    printed = table_cells(
        shape, {key: printed_grid(table.layout, stored, table.unit, printer) for key, table in read.items()}
    )
    deltas = {cell: file_cells.get(cell, ZERO) - printed.get(cell, ZERO) for cell in file_cells.keys() | printed.keys()}
    return {cell: delta for cell, delta in deltas.items() if delta}
