"""Text written into spreadsheets (CSV, XLSX) for people to open in Excel: never run as a formula.

A cell whose text begins with = + - @ (or a tab or carriage return, which Excel skips) is a formula to Excel,
which may call out to other programs (CSV/DDE injection, OWASP "CSV Injection"). Such text is written with a
leading apostrophe, which shows it as typed; reading the file back removes that apostrophe again. Numbers are
never touched: a negative amount stays a number.
"""

from typing import Any

from import_export import resources

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert_text(value: object) -> object:
    """``value``, with text that a spreadsheet would run as a formula quoted so that it shows as typed."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def typed_text(text: str) -> str:
    """What was typed, from a cell ``inert_text`` quoted (a file exported here and edited in Excel)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


class InertExportMixin(resources.Resource):
    """For django-import-export resources: every exported text cell goes through ``inert_text``."""

    def export_field(self, field: Any, instance: Any, **kwargs: Any) -> Any:
        return inert_text(super().export_field(field, instance, **kwargs))
