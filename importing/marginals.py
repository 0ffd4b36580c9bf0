"""What an official workbook's tables say about the lines behind them: their marginals (domain.reconstruct), each
fitted to its printed parents within the 万元 rounding, and its procurement and asset items.

A budget the database does not have yet is rebuilt from these; an existing one is changed line by line instead
(importing.services, domain.adjust), and rebuilt from them only where that finds no way.
"""

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from domain.classifications import ECONOMIC_CODE_WIDTHS, FISCAL_SOURCES, FUNCTION_CODE_WIDTHS, Kind, Source
from domain.ledger import AssetInfo, ProcurementInfo
from domain.money import DisplayUnit
from domain.reconstruct import Marginals, fit_parts_to_total, fit_to_parents
from official.xlsx_reader import ReadTable, ReadWorkbook, normalize

ZERO = Decimal("0.00")
HALF_PRINTED_CENT = Decimal("50.00")  # yuan behind half a printed 万元 cent

INCOME_COMPONENTS = ("fiscal", "special", "business", "operating", "superior", "affiliate", "other", "carried")
# An income table by source whatever the year of the money (Shanghai's): its columns as the ledger's sources; the
# money is read as this year's, 其他收入 as other income.
INCOME_BY_SOURCE: Mapping[str, str] = {
    "all_fiscal": "fiscal",
    "all_business": "business",
    "all_operating": "operating",
    "all_other": "other",
}
KIND_COMPONENTS = tuple(kind.value for kind in Kind)
FUND_TABLES: Mapping[Source, str] = {
    Source.GENERAL: "general-appropriation",
    Source.GOVFUND: "govfund-appropriation",
    Source.STATECAP: "statecap-appropriation",
}
THREE_PUBLIC_ITEMS = ("abroad", "vehicle_purchase", "vehicle_running", "reception")  # the one-row table's columns
THREE_PUBLIC_ROWS: Mapping[str, str] = {
    normalize("一、因公出国（境）费"): "abroad",
    normalize("其中：公务用车购置费"): "vehicle_purchase",
    normalize("公务用车运行维护费"): "vehicle_running",
    normalize("三、公务接待费"): "reception",
}
FUND_COLUMNS: Mapping[Source, str] = {Source.GENERAL: "general", Source.GOVFUND: "govfund", Source.STATECAP: "statecap"}


def _tolerance(table: ReadTable) -> Decimal:
    return HALF_PRINTED_CENT if table.unit is DisplayUnit.WAN else ZERO


def _printed_leaves(table: ReadTable, columns: Sequence[str], width: int) -> dict[str, dict[str, Decimal]]:
    return {
        row["code"].value: {column: row[column].value for column in columns if column in row}
        for row in table.rows
        if len(row["code"].value) == width
    }


def _leaf_columns(table: ReadTable, columns: Sequence[str], widths: Sequence[int]) -> dict[str, dict[str, Decimal]]:
    """Per leaf code, the exact amount of each component column: each column fitted to its parents, then
    each leaf's components fitted to the leaf's own 合计 (a 合计 can print a cent its parts each hide)."""
    tolerance = _tolerance(table)

    def fitted(column: str) -> dict[str, Decimal]:
        printed = {row["code"].value: row[column].value for row in table.rows if column in row and "code" in row}
        return fit_to_parents(printed, widths, tolerance)

    parts = {column: fitted(column) for column in columns}
    totals = fitted("total")
    printed = _printed_leaves(table, columns, widths[-1])
    leaves: dict[str, dict[str, Decimal]] = {}
    for code in {code for values in parts.values() for code in values} | set(totals):
        if len(code) != widths[-1]:
            continue
        values = {column: parts[column].get(code, ZERO) for column in columns}
        total = totals.get(code, sum(values.values(), ZERO))
        leaves[code] = fit_parts_to_total(values, total, tolerance, printed.get(code, {}))
    return {code: {k: v for k, v in values.items() if v} for code, values in leaves.items() if any(values.values())}


def _reconcile(
    values: dict[str, dict[str, Decimal]],
    printed: Mapping[str, Mapping[str, Decimal]],
    totals: Mapping[str, Decimal],
    tolerance: Decimal,
) -> None:
    """Where two tables print the same leaf total from their own rounding, let ``values`` follow ``totals``."""
    for code, total in totals.items():
        parts = values.get(code, {})
        if parts and sum(parts.values(), ZERO) != total:
            values[code] = fit_parts_to_total(parts, total, tolerance, printed.get(code, {}))


def _printed_kinds(table: ReadTable) -> dict[str, dict[str, Decimal]]:
    """Per leaf code, the amount of each kind. A table without some kind's column (Shanghai's has 基本支出 and 项目支出
    only) gives what its 合计 holds beyond the columns it prints to the first kind it lacks (经营支出)."""
    printed = {column.key for column in table.layout.columns}
    kinds = _leaf_columns(table, KIND_COMPONENTS, FUNCTION_CODE_WIDTHS)
    missing = [kind for kind in KIND_COMPONENTS if kind not in printed]
    if not missing:
        return kinds
    totals = fit_to_parents(
        {row["code"].value: row["total"].value for row in table.rows}, FUNCTION_CODE_WIDTHS, _tolerance(table)
    )
    for code, total in totals.items():
        if len(code) != FUNCTION_CODE_WIDTHS[-1]:
            continue
        rest = total - sum(kinds.get(code, {}).values(), ZERO)
        if rest > 0:
            kinds.setdefault(code, {})[missing[0]] = rest
    return kinds


def _printed_sources(table: ReadTable) -> tuple[dict[str, dict[str, Decimal]], dict[str, dict[str, Decimal]]]:
    """Per leaf code, the amount of each income component (INCOME_COMPONENTS), fitted and as printed."""
    by_source = [column.key for column in table.layout.columns if column.key in INCOME_BY_SOURCE]
    columns = by_source or list(INCOME_COMPONENTS)
    leaves = _leaf_columns(table, columns, FUNCTION_CODE_WIDTHS)
    printed = _printed_leaves(table, columns, FUNCTION_CODE_WIDTHS[-1])
    if not by_source:
        return leaves, printed

    def renamed(values: Mapping[str, Mapping[str, Decimal]]) -> dict[str, dict[str, Decimal]]:
        return {code: {INCOME_BY_SOURCE[k]: v for k, v in parts.items()} for code, parts in values.items()}

    return renamed(leaves), renamed(printed)


def workbook_marginals(book: ReadWorkbook) -> Marginals:
    tables = book.tables
    marginals = Marginals()
    if "expenditure" in tables:
        marginals.kinds = _printed_kinds(tables["expenditure"])
    if "income" in tables:
        income = tables["income"]
        marginals.sources, printed = _printed_sources(income)
        # Income and expenditure print the same 项 totals; where their roundings part, expenditure leads.
        spent = {code: sum(kinds.values(), ZERO) for code, kinds in marginals.kinds.items()}
        _reconcile(marginals.sources, printed, spent, _tolerance(income))
    for source, key in FUND_TABLES.items():
        if key in tables:
            marginals.funds[source] = _leaf_columns(tables[key], ("basic", "project"), FUNCTION_CODE_WIDTHS)
    if "basic-economic" in tables:
        basic = tables["basic-economic"]
        by_code = _leaf_columns(basic, ("personnel", "public"), ECONOMIC_CODE_WIDTHS)
        # Table 6 classifies the basic column of table 5 economically: the two totals are one amount.
        general_basic = sum(
            (kinds.get("basic", ZERO) for kinds in marginals.funds.get(Source.GENERAL, {}).values()), ZERO
        )
        flat = {"": {code: sum(values.values(), ZERO) for code, values in by_code.items()}}
        printed = {
            "": {
                code: sum(values.values(), ZERO)
                for code, values in _printed_leaves(basic, ("personnel", "public"), ECONOMIC_CODE_WIDTHS[-1]).items()
            }
        }
        if flat[""]:
            _reconcile(flat, printed, {"": general_basic}, _tolerance(basic))
        marginals.economic = {code: amount for code, amount in flat[""].items() if amount}
    if "fiscal-summary" in tables:
        rows = tables["fiscal-summary"].rows
        labels = [normalize(row["in_label"].value) for row in rows]
        if "年初财政拨款结转和结余" in labels:
            start = labels.index("年初财政拨款结转和结余") + 1
            for source, row in zip(FISCAL_SOURCES, rows[start : start + 3], strict=False):
                marginals.carried_fiscal[source] = row["in_amount"].value
    if "three-public" in tables:
        for row in tables["three-public"].rows:
            item = THREE_PUBLIC_ROWS.get(normalize(row["label"].value))
            if item:
                marginals.three_public[item] = {source: row[column].value for source, column in FUND_COLUMNS.items()}
    if "three-public-running" in tables and tables["three-public-running"].rows:
        # One row for every appropriated fund together: read as general-budget money, the usual case.
        table = tables["three-public-running"]
        row = table.rows[0]
        marginals.three_public = {item: {Source.GENERAL: row[item].value} for item in THREE_PUBLIC_ITEMS}
        marginals.three_public_tolerance = _tolerance(table)
    return marginals


def procurement_items(book: ReadWorkbook) -> list[ProcurementInfo]:
    table = book.tables.get("procurement")
    if table is None:
        return []
    return [
        ProcurementInfo(
            project=row["project"].value,
            item_name=row["item_name"].value,
            catalogue_number=row["catalogue_number"].value,
            measure_unit=row["measure_unit"].value,
            quantity=row["quantity"].value,
            unit_price=row["unit_price"].value,
            general=row["general"].value,
            govfund=row["govfund"].value,
            statecap=row["statecap"].value,
            special_account=row["special"].value,
        )
        for row in table.rows
        if normalize(row["project"].value) != "合计"
    ]


def asset_items(book: ReadWorkbook) -> tuple[list[AssetInfo], date | None]:
    table = book.tables.get("fixed-assets")
    if table is None:
        return [], None
    assets = [
        AssetInfo(item=row["item"].value, quantity=row["quantity"].value, value=row["value"].value)
        for row in table.rows
        if normalize(row["item"].value) != "合计"
    ]
    return assets, table.as_of
