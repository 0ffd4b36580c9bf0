"""The anchors the benchmark compares with (issue 9):

- the XlsxWriter floor: XlsxWriter alone writing exactly the cells, merges, formats and page set-up of one official
  workbook, recorded once from ``write_workbook`` and replayed (no database, no table derivation, no layout logic);
- django-import-export's flat export of the same figures: ``BudgetFigureResource`` to XLSX, as the admin does;
- the read floor: python-calamine alone reading every sheet of a workbook, values and merged ranges (what the
  import's reader parses the file with; no safety checks, no tables, no comparison).
"""

import io
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

import xlsxwriter
from import_export.formats.base_formats import XLSX
from python_calamine import CalamineWorkbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from budgets.models import Budget, BudgetLine
from budgets.resources import BudgetFigureResource
from domain.ledger import BudgetData
from domain.money import DisplayUnit
from official.edition import Edition
from official.workbook import write_workbook

# Every Worksheet method write_workbook calls; recorded at the outermost call only (merge_range writes cells itself).
RECORDED = (
    "write_string", "write_number", "write_blank", "merge_range", "set_row", "set_column", "freeze_panes",
    "repeat_rows", "set_landscape", "set_paper", "fit_to_pages", "center_horizontally", "set_margins", "set_footer",
)  # fmt: skip


@dataclass
class RecordedWorkbook:
    """What ``write_workbook`` asked XlsxWriter to do: its options, formats and each sheet's calls."""

    options: dict[str, Any] = field(default_factory=dict)
    properties: dict[str, Any] = field(default_factory=dict)
    formats: list[dict[str, Any]] = field(default_factory=list)
    sheets: list[tuple[str, list[tuple[str, tuple, dict]]]] = field(default_factory=list)

    @property
    def cells(self) -> int:
        return sum(1 for _, calls in self.sheets for name, _, _ in calls if name.startswith(("write_", "merge_")))


class _RecordingWorksheet(Worksheet):
    """A worksheet that records its calls; a subclass per recording holds the format index and the sheets."""

    format_index: dict[int, int]
    created: list["_RecordingWorksheet"]

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, tuple, dict]] = []
        self._depth = 0
        self.created.append(self)

    def portable(self, value: Any) -> Any:
        """A format replaced by its index, so that the call can be replayed on another workbook."""
        return ("format", self.format_index[id(value)]) if isinstance(value, Format) else value


def _recording(name: str):
    original = getattr(Worksheet, name)

    def method(self: _RecordingWorksheet, *args: Any, **kwargs: Any) -> Any:
        if self._depth == 0:
            portable = tuple(self.portable(arg) for arg in args), {k: self.portable(v) for k, v in kwargs.items()}
            self.calls.append((name, *portable))
        self._depth += 1
        try:
            return original(self, *args, **kwargs)
        finally:
            self._depth -= 1

    return method


for _name in RECORDED:
    setattr(_RecordingWorksheet, _name, _recording(_name))


def record_workbook(
    data: BudgetData, unit: DisplayUnit = DisplayUnit.WAN, layouts: Edition | None = None
) -> RecordedWorkbook:
    """Run ``write_workbook`` once (in ``layouts``, by default the default edition) and record everything it asks of
    XlsxWriter."""
    recorded = RecordedWorkbook()
    sheet_class = type("RecordingWorksheet", (_RecordingWorksheet,), {"format_index": {}, "created": []})
    workbook_class = xlsxwriter.Workbook
    original_init, original_add_format = workbook_class.__init__, workbook_class.add_format
    original_properties = workbook_class.set_properties

    def init(self, filename=None, options=None) -> None:
        recorded.options = dict(options or {})
        original_init(self, filename, options)
        recorded.formats.clear()  # the workbook's own default formats: a new workbook makes them again
        sheet_class.format_index.clear()

    def add_format(self, properties=None) -> Format:
        made = original_add_format(self, properties)
        sheet_class.format_index[id(made)] = len(recorded.formats)
        recorded.formats.append(dict(properties or {}))
        return made

    def set_properties(self, properties) -> None:
        recorded.properties = dict(properties)
        original_properties(self, properties)

    with (
        mock.patch.object(workbook_class, "__init__", init),
        mock.patch.object(workbook_class, "add_format", add_format),
        mock.patch.object(workbook_class, "set_properties", set_properties),
        mock.patch.object(workbook_class, "worksheet_class", sheet_class),
    ):
        write_workbook(io.BytesIO(), data, unit, layouts)
    recorded.sheets = [(sheet.name, sheet.calls) for sheet in sheet_class.created]
    return recorded


def replay_workbook(recorded: RecordedWorkbook) -> bytes:
    """The floor: XlsxWriter alone writes the recorded workbook (same cells, formats, merges, page set-up)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, recorded.options)
    workbook.set_properties(recorded.properties)
    formats = [workbook.add_format(properties) for properties in recorded.formats]

    def value(item: Any) -> Any:
        return formats[item[1]] if isinstance(item, tuple) and item[:1] == ("format",) else item

    for name, calls in recorded.sheets:
        sheet = workbook.add_worksheet(name)
        for method, args, kwargs in calls:
            getattr(sheet, method)(*(value(arg) for arg in args), **{k: value(v) for k, v in kwargs.items()})
    workbook.close()
    return buffer.getvalue()


def flat_export(budget: Budget) -> bytes:
    """The import-export anchor: the budget's figures, one row each, as the admin's XLSX export writes them."""
    dataset = BudgetFigureResource().export(queryset=BudgetLine.objects.filter(budget=budget))
    return XLSX().export_data(dataset)


def calamine_read(data: bytes) -> int:
    """The read floor: python-calamine reads every sheet of the workbook ``data``, its values and its merged
    ranges, and nothing more is done with them; the number of rows and ranges read (so nothing is optimised away)."""
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    read = 0
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        read += len(sheet.to_python()) + len(sheet.merged_cell_ranges or ())
    return read
