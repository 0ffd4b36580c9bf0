"""Departments and units as flat files (CSV, XLSX) for the admin's import and export.

The columns carry the Chinese field names; a department is identified by its code, a unit by its department's code
and its name, so importing a file twice changes nothing the second time. Every row is checked (unknown department,
invalid choice, a row repeated in the file) and reported with its line in the file (the header is line 1); the
admin writes nothing unless every row is valid.

The text-safe XLSX format and the cell helpers here are shared with the flat list of budget figures
(``budgets.resources``).
"""

import io
from decimal import Decimal
from typing import Any

import openpyxl
import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model
from import_export import fields, resources, widgets
from import_export.formats import base_formats
from import_export.results import Result
from openpyxl.styles import Font

from departments.models import Department, Unit
from web.spreadsheets import InertExportMixin, typed_text

# --- file formats --------------------------------------------------------------------------------------------------


class TextSafeXLSX(base_formats.XLSX):
    """XLSX whose text cells are always text: a name typed as ``=…`` is never written as a formula.

    Decimal amounts are written as numbers shown with two decimals; the header row is bold and frozen.
    """

    def export_data(self, dataset: tablib.Dataset, **kwargs: Any) -> bytes:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = (dataset.title or "Sheet1")[:31]
        bold = Font(bold=True)
        for column, header in enumerate(dataset.headers or (), start=1):
            cell = sheet.cell(row=1, column=column, value=str(header))
            cell.data_type = "s"
            cell.font = bold
        for row_number, row in enumerate(dataset, start=2):
            for column, value in enumerate(row, start=1):
                if isinstance(value, str) or value is None:
                    cell = sheet.cell(row=row_number, column=column, value=value or None)
                    if value:
                        cell.data_type = "s"
                else:
                    cell = sheet.cell(row=row_number, column=column, value=value)
                    if isinstance(value, Decimal):
                        cell.number_format = "0.00"
        sheet.freeze_panes = "A2"
        stream = io.BytesIO()
        book.save(stream)
        return stream.getvalue()


FLAT_FORMATS = [base_formats.CSV, TextSafeXLSX]


# --- cells ---------------------------------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as text: XLSX gives numbers for cells such as ``202`` or ``2013101``; integral ones lose the ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return str(value.to_integral_value())
    return typed_text(str(value).strip())


def is_blank_row(row: dict[str, Any]) -> bool:
    """Spreadsheets often end with formatted but empty rows: such rows are skipped, not refused."""
    return all(cell_text(value) == "" for value in row.values())


class TextWidget(widgets.CharWidget):
    """Text read from CSV or XLSX, trimmed; numbers typed into a spreadsheet are taken as their digits."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        return cell_text(value)


class PositionWidget(widgets.Widget):
    """The sort position: a whole number, 0 when the cell is empty."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int:
        text = cell_text(value)
        if text == "":
            return 0
        if not text.isdigit() or int(text) > 32767:
            raise ValueError(f"排序必须是0到32767之间的整数：{text}")
        return int(text)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return value if kwargs.get("force_native_type") else str(value)


class DepartmentCodeWidget(widgets.ForeignKeyWidget):
    """A department given by its code; an unknown code is a row error, not a crash."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(Department, field="code", **kwargs)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Department:
        code = cell_text(value)
        if not code:
            raise ValueError("部门编码不能为空。")
        try:
            return Department.objects.get(code=code)
        except Department.DoesNotExist:
            raise ValueError(f"部门编码“{code}”不存在，请先导入或添加该部门。") from None

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.code if value is not None else ""


# --- resources -----------------------------------------------------------------------------------------------------


class FlatResource(InertExportMixin, resources.ModelResource):
    """Row-by-row import with the project's conventions.

    * errors are keyed by the Chinese column titles and numbered by the line in the file (header = line 1);
    * a row whose import id repeats an earlier row's is an error (import-export would silently update twice);
    * empty rows are skipped.
    """

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        super().before_import(dataset, **kwargs)
        self._seen: dict[tuple[str, ...], int] = {}
        expected = [field.column_name for field in self.get_import_fields()]
        headers = [cell_text(header) for header in dataset.headers or ()]
        if dataset.headers:
            dataset.headers = headers  # "部门编码 " typed with a space is still the column 部门编码
        missing = [column for column in expected if column not in headers]
        if missing:
            raise ValueError(f"第1行：表头缺少列 {'、'.join(missing)}。表头应为：{','.join(expected)}")

    def import_id_texts(self, row: dict[str, Any]) -> tuple[str, ...]:
        return tuple(cell_text(row.get(self.fields[name].column_name)) for name in self.get_import_id_fields())

    def before_import_row(self, row: dict[str, Any], **kwargs: Any) -> None:
        super().before_import_row(row, **kwargs)
        if is_blank_row(row):
            return
        key = self.import_id_texts(row)
        line = kwargs["row_number"] + 1
        first = self._seen.setdefault(key, line)
        if first != line:
            columns = "、".join(self.fields[name].column_name for name in self.get_import_id_fields())
            raise ValidationError(f"与第{first}行重复（{columns}相同），每条只能出现一次。")

    def get_instance(self, instance_loader: Any, row: dict[str, Any]) -> Model | None:
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None  # the same cell is reported as the row's error when the row is imported

    def skip_row(self, instance: Model, original: Model, row: dict[str, Any], import_validation_errors: Any = None):
        if is_blank_row(row):
            return True
        return super().skip_row(instance, original, row, import_validation_errors)

    def after_import(self, dataset: tablib.Dataset, result: Result, **kwargs: Any) -> None:
        super().after_import(dataset, result, **kwargs)
        columns = {field.attribute: field.column_name for field in self.get_import_fields()}
        for invalid in result.invalid_rows:
            invalid.number += 1  # import-export counts data rows; people count lines of the file
            invalid.error_dict = {
                (key if key == NON_FIELD_ERRORS else columns.get(key, key)): messages
                for key, messages in invalid.error_dict.items()
            }
        for error_row in result.error_rows:
            error_row.number += 1


class DepartmentResource(FlatResource):
    code = fields.Field(attribute="code", column_name="部门编码", widget=TextWidget())
    name = fields.Field(attribute="name", column_name="部门名称", widget=TextWidget())

    class Meta:
        model = Department
        name = "部门"
        fields = ("code", "name")
        import_id_fields = ("code",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


class UnitResource(FlatResource):
    department = fields.Field(attribute="department", column_name="部门编码", widget=DepartmentCodeWidget())
    name = fields.Field(attribute="name", column_name="单位名称", widget=TextWidget())
    nature = fields.Field(attribute="nature", column_name="单位性质", widget=TextWidget())
    rank = fields.Field(attribute="rank", column_name="单位规格", widget=TextWidget())
    funding_form = fields.Field(attribute="funding_form", column_name="经费保障形式", widget=TextWidget())
    position = fields.Field(attribute="position", column_name="排序", widget=PositionWidget())

    class Meta:
        model = Unit
        name = "单位"
        fields = ("department", "name", "nature", "rank", "funding_form", "position")
        import_id_fields = ("department", "name")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return super().get_queryset().select_related("department")
