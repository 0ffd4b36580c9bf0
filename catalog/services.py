"""Loading a year's catalogue: validated as a whole, then written in one transaction, idempotently."""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction

from catalog.models import BudgetYear, CatalogEntry, EconomicCode, FunctionCode
from domain.catalogue import HEADER, CatalogKind, CatalogRow, RowError, check_rows, parse_row

MODELS: dict[CatalogKind, type[CatalogEntry]] = {
    CatalogKind.FUNCTION: FunctionCode,
    CatalogKind.ECONOMIC: EconomicCode,
}


class CatalogImportError(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


@dataclass
class CatalogImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0

    def __str__(self) -> str:
        return f"新增 {len(self.created)} 条，更新 {len(self.updated)} 条，未变 {self.unchanged} 条"


def decode_csv(data: bytes) -> str:
    """The text of an uploaded or read file, which must be UTF-8 (a byte-order mark is allowed)."""
    try:
        return data.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CatalogImportError(
            [RowError(line, "file", "文件必须是 UTF-8 编码的 CSV，此行含有无法识别的字符（可能是 GBK 编码）。")]
        ) from error


def read_csv(text: str) -> list[CatalogRow]:
    """Parse the CSV text of a catalogue; raise CatalogImportError listing every bad row."""
    return parse_table(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def parse_table(table: Iterable[Sequence[object]]) -> list[CatalogRow]:
    """Parse a catalogue given as rows of cells, the first being the header; raise CatalogImportError.

    Shared by the command (rows from ``csv.reader``) and the admin import (rows of a tablib dataset).
    Empty rows are skipped and not counted, as ``csv.DictReader`` does.
    """
    rows_iter = iter(table)
    header = tuple(str(name or "").strip() for name in next(rows_iter, ()))
    if header[: len(HEADER)] != HEADER:
        raise CatalogImportError([RowError(1, "header", f"表头必须是 {','.join(HEADER)}，实际为 {','.join(header)}。")])
    rows, errors = [], []
    for line, cells in enumerate((cells for cells in rows_iter if cells), start=2):
        raw = {name: "" if cell is None else str(cell) for name, cell in zip(header, cells, strict=False)}
        row, row_errors = parse_row(line, raw)
        errors += row_errors
        if row is not None:
            rows.append(row)
    if errors:
        raise CatalogImportError(errors)
    return rows


@transaction.atomic
def catalog_import(*, year: int, kind: CatalogKind, rows: Iterable[CatalogRow]) -> CatalogImportReport:
    """Create or update the year's entries from rows; codes not in the rows are left alone.

    Running it twice with the same rows changes nothing the second time.
    """
    rows = sorted(rows, key=lambda row: (row.level, row.code))
    model = MODELS[kind]
    budget_year, _ = BudgetYear.objects.get_or_create(year=year)
    existing = {entry.code: entry for entry in model.objects.select_for_update().filter(year=budget_year)}
    errors = check_rows(kind, rows, set(existing))
    if errors:
        raise CatalogImportError(errors)

    # A code a budget already uses keeps its meaning: its name is fixed for that year's edition.
    in_use = set(model.objects.filter(year=budget_year, lines__isnull=False).values_list("code", flat=True))
    renamed = [row for row in rows if row.code in in_use and existing[row.code].name != row.name]
    if renamed:
        raise CatalogImportError(
            [RowError(row.line, "name", f"科目{row.code}已被预算使用，不能改名为“{row.name}”。") for row in renamed]
        )

    report = CatalogImportReport()
    for row in rows:  # parents first: rows are sorted by level
        parent = existing[row.parent] if row.parent else None
        entry = existing.get(row.code)
        if entry is None:
            entry = model.objects.create(year=budget_year, code=row.code, name=row.name, level=row.level, parent=parent)
            existing[row.code] = entry
            report.created.append(row.code)
        elif (entry.name, entry.level, entry.parent_id) != (row.name, row.level, parent.pk if parent else None):
            entry.name, entry.level, entry.parent = row.name, row.level, parent
            entry.save(update_fields=["name", "level", "parent"])
            report.updated.append(row.code)
        else:
            report.unchanged += 1
    return report
