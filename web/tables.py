"""django-tables2 listings whose body rows are rendered in Python, column by column as django-tables2 renders a
cell (the accessor, a model field's choice label, the column's empty values and default, the table's render_*
method, the td class), in one pass.

django-tables2 renders each cell through a template and inspects the render method's signature on every call:
about 1 ms a row for a dozen columns, most of a 50-row page. Here each column is prepared once per page. The head,
ordering, pagination and export stay django-tables2's (tests/web/test_tables.py compares the two renderings).
"""

import inspect
from collections.abc import Callable, Iterable
from typing import Any

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django_tables2.utils import Accessor

CellArguments = ("value", "record", "column", "bound_column", "table")


class _Cell:
    """How one column renders its cell of a record."""

    def __init__(self, table: tables.Table, bound: Any) -> None:
        self.accessor, self.column, self.default = Accessor(bound.accessor), bound.column, bound.default
        self.render: Callable[..., Any] = bound.render
        parameters = inspect.signature(self.render).parameters
        unknown = set(parameters) - set(CellArguments) - {"args", "kwargs"}
        if unknown:
            raise TypeError(f"render_{bound.name} asks for {sorted(unknown)}, which a quick row does not give")
        self.arguments = {"column": bound.column, "bound_column": bound, "table": table}
        self.wanted = [name for name in CellArguments if name in parameters]
        self.td_class = (bound.column.attrs.get("td") or {}).get("class")
        self.choices = self._choice_field(table, bound)

    @staticmethod
    def _choice_field(table: tables.Table, bound: Any) -> str | None:
        """The field name when the accessor ends on a model field with choices (shown by its label)."""
        model = getattr(getattr(table.data, "model", None), "_meta", None)
        if model is None or "__" in str(bound.accessor) or "." in str(bound.accessor):
            return None
        try:
            field = table.data.model._meta.get_field(str(bound.accessor))
        except FieldDoesNotExist:
            return None
        return field.name if getattr(field, "choices", None) else None

    def html(self, record: models.Model) -> SafeString:
        if self.choices is not None:
            value = getattr(record, f"get_{self.choices}_display")()
        else:
            value = self.accessor.resolve(record, quiet=True)
        if value in self.column.empty_values:
            content = self.default
        else:
            given = {"value": value, "record": record, **self.arguments}
            content = self.render(**{name: given[name] for name in self.wanted})
        css = self.td_class(record=record) if callable(self.td_class) else self.td_class
        cell = conditional_escape(content)
        return format_html('<td class="{}">{}</td>', css, cell) if css else format_html("<td >{}</td>", cell)


class QuickRowsTable(tables.Table):  # type: ignore[misc]  # django-tables2 is untyped
    """A Table whose template (web/quick_rows_table.html) asks ``quick_rows`` for its body rows."""

    def quick_rows(self) -> SafeString:
        cells = [_Cell(self, bound) for bound in self.columns]
        records: Iterable[models.Model] = (row.record for row in self.paginated_rows)
        rows = ("<tr >" + "".join(cell.html(record) for cell in cells) + "</tr>" for record in records)
        return mark_safe("".join(rows))  # every cell was escaped by format_html
