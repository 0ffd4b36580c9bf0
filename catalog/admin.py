"""Admin for budget years and the classification catalogues, with CSV import and export.

The import takes the CSV of ``manage.py import_catalog`` (UTF-8, header ``code,name,level,parent``) and a budget
year chosen in the form. django-import-export supplies the screens (upload, preview, confirm); the resource does
not use its row-by-row machinery but hands the whole file to ``catalog.services.parse_table`` and
``catalog_import``, the command's own parsing, checks and write path. The preview runs the real import in a
transaction that is rolled back, so it reports exactly what the confirmed import will do, or every error with its
line number.
"""

import csv
import io
from collections import defaultdict
from typing import Any

import tablib
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from import_export import fields, resources
from import_export.admin import ImportExportModelAdmin
from import_export.formats import base_formats
from import_export.forms import ConfirmImportForm, ExportForm, ImportForm
from import_export.results import Result, RowResult

from catalog.models import BudgetYear, CatalogEntry, EconomicCode, FunctionCode
from catalog.services import MODELS, CatalogImportError, CatalogImportReport, catalog_import, decode_csv, parse_table
from domain.catalogue import HEADER, CatalogKind, CatalogRow, RowError, check_rows, parse_row
from web.spreadsheets import InertExportMixin

KINDS: dict[type[CatalogEntry], CatalogKind] = {model: kind for kind, model in MODELS.items()}

# Column titles of the preview and error tables, in the order of the CSV header.
PREVIEW_HEADERS = ("科目编码", "科目名称", "级次", "上级科目")

MAX_LISTED_ERRORS = 50


def _year_field(**kwargs: Any) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label="预算年度", queryset=BudgetYear.objects.all(), **kwargs)


# --- import and export ---------------------------------------------------------------------------------------------


class CatalogCSV(base_formats.CSV):
    """CSV read like the command reads it: cells beyond the header are ignored rather than refused."""

    def create_dataset(self, in_stream: str | bytes, **kwargs: Any) -> tablib.Dataset:
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        reader = csv.reader(io.StringIO(in_stream.lstrip("\ufeff")))
        header = next(reader, [])
        width = len(header)
        dataset = tablib.Dataset(headers=header)
        for cells in reader:
            if cells:
                dataset.append((cells + [""] * width)[:width])
        return dataset


class CatalogImportResult(Result):
    """An import-export result that also carries the service's report, or its errors."""

    def __init__(self, *, year: int, kind: CatalogKind) -> None:
        super().__init__()
        self.year = year
        self.kind = kind
        self.report: CatalogImportReport | None = None
        self.catalog_errors: list[RowError] = []
        self.diff_headers = list(PREVIEW_HEADERS)

    @property
    def title(self) -> str:
        return f"{self.year}年度{self.kind.label}"

    def add_catalog_errors(self, errors: list[RowError], dataset: tablib.Dataset) -> None:
        """Record the errors as invalid rows (the file's line numbers) so that no confirm button is offered."""
        self.catalog_errors = errors
        by_line: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for error in errors:
            by_line[error.line][error.column].append(str(error))
        for line, messages_by_column in sorted(by_line.items()):
            if line == 1:
                values = dataset.headers or ()
            elif 0 <= line - 2 < len(dataset):
                values = dataset[line - 2]
            else:
                values = ()
            row = dict(zip(PREVIEW_HEADERS, values, strict=False))
            self.append_invalid_row(line, row, ValidationError(dict(messages_by_column)))


class CatalogEntryResource(InertExportMixin, resources.ModelResource):
    """One catalogue as the CSV of the import command; importing goes through ``catalog_import``."""

    parent = fields.Field(attribute="parent__code", column_name="parent")

    class Meta:
        fields = HEADER
        export_order = HEADER

    def __init__(self, year: BudgetYear | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.year = year

    @property
    def kind(self) -> CatalogKind:
        return KINDS[self._meta.model]

    def import_data(
        self,
        dataset: tablib.Dataset,
        dry_run: bool = False,
        raise_errors: bool = False,
        use_transactions: bool | None = None,
        collect_failed_rows: bool = False,
        rollback_on_validation_errors: bool = False,
        **kwargs: Any,
    ) -> CatalogImportResult:
        """Load the whole dataset with the command's service; a dry run is the same import, rolled back."""
        if self.year is None:
            raise ValueError("the budget year to import into is missing")
        model = self._meta.model
        result = CatalogImportResult(year=self.year.year, kind=self.kind)
        result.total_rows = len(dataset)
        before = {
            code: (name, level, parent or "")
            for code, name, level, parent in model.objects.filter(year=self.year).values_list(
                "code", "name", "level", "parent__code"
            )
        }
        try:
            with transaction.atomic():
                rows = parse_table([dataset.headers or (), *dataset])
                report = catalog_import(year=self.year.year, kind=self.kind, rows=rows)
                entries = {
                    entry.code: entry
                    for entry in model.objects.filter(year=self.year, code__in=[row.code for row in rows])
                }
                if dry_run:
                    transaction.set_rollback(True)
        except CatalogImportError as error:
            if raise_errors:
                raise
            result.add_catalog_errors(error.errors, dataset)
            return result

        result.report = report
        created, updated = set(report.created), set(report.updated)
        for row in rows:
            row_result = self.get_row_result_class()()
            if row.code in created:
                row_result.import_type = RowResult.IMPORT_TYPE_NEW
            elif row.code in updated:
                row_result.import_type = RowResult.IMPORT_TYPE_UPDATE
            else:
                row_result.import_type = RowResult.IMPORT_TYPE_SKIP
            row_result.instance = entries[row.code]
            row_result.add_instance_info(row_result.instance)
            row_result.diff = _preview(before.get(row.code), row)
            result.append_row_result(row_result)
            result.increment_row_result_total(row_result)
        return result


def _preview(old: tuple[str, int, str] | None, row: CatalogRow) -> list[str]:
    """The row's values for the preview table; a changed value is shown as ``old → new``."""
    new = (row.code, row.name, row.level, row.parent)
    if old is None:
        return [str(value) for value in new]
    return [row.code] + [str(now) if was == now else f"{was} → {now}" for was, now in zip(old, new[1:], strict=True)]


class FunctionCodeResource(CatalogEntryResource):
    class Meta(CatalogEntryResource.Meta):
        model = FunctionCode
        name = FunctionCode._meta.verbose_name


class EconomicCodeResource(CatalogEntryResource):
    class Meta(CatalogEntryResource.Meta):
        model = EconomicCode
        name = EconomicCode._meta.verbose_name


COLUMNS_HELP = (
    "UTF-8 编码的 CSV 文件，第一行为表头 code,name,level,parent，各列依次为：科目编码（如 2010101）、科目名称、"
    "级次（1 类、2 款、3 项；经济分类为 1 类、2 款）、上级科目编码（类留空）。已有的编码按文件更新，不会重复；"
    "任何一行有误时整个文件不导入，并指出行号。"
)


class CatalogImportForm(ImportForm):
    year = _year_field(help_text="科目导入到所选年度的版本中。如需新的年度，请先在“预算年度”中添加。")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["import_file"].help_text = COLUMNS_HELP

    field_order = ["resource", "year", "import_file", "format"]

    def clean_import_file(self) -> Any:
        upload = self.cleaned_data["import_file"]
        try:
            decode_csv(b"".join(upload.chunks()))
        except CatalogImportError as error:
            raise ValidationError([str(row_error) for row_error in error.errors]) from error
        return upload


class CatalogConfirmImportForm(ConfirmImportForm):
    year = _year_field(widget=forms.HiddenInput)


class CatalogExportForm(ExportForm):
    year = _year_field(
        help_text="导出所选年度的全部科目：表头为 code,name,level,parent（科目编码、名称、级次、上级科目编码），"
        "可直接再导入。"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = BudgetYear.objects.first()


# --- editing by hand -----------------------------------------------------------------------------------------------


class CatalogEntryForm(forms.ModelForm):
    """Checks an entry typed in the admin with the import's own rules; the parent follows from the code."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        entry = self.instance

        def value(name: str) -> Any:
            return cleaned.get(name) if name in self.fields else getattr(entry, name)

        year, code, name, level = value("year"), value("code"), value("name"), value("level")
        if year is None or code is None or name is None or level is None:
            return cleaned  # a field error is already reported
        kind = KINDS[self._meta.model]
        widths = kind.widths
        parent_code = code[: widths[level - 2]] if 2 <= level <= len(widths) else ""
        raw = {"code": code, "name": name, "level": str(level), "parent": parent_code}
        row, errors = parse_row(0, raw)
        if row is not None:
            known = set(self._meta.model.objects.filter(year=year).exclude(pk=entry.pk).values_list("code", flat=True))
            errors = check_rows(kind, [row], known)
        for error in errors:
            self.add_error(error.column if error.column in self.fields else None, error.message)
        if not errors:
            entry.parent = self._meta.model.objects.get(year=year, code=parent_code) if parent_code else None
        return cleaned


@admin.register(BudgetYear)
class BudgetYearAdmin(admin.ModelAdmin):
    list_display = ("year", "name", "edition")
    search_fields = ("year", "name")

    def get_readonly_fields(self, request: HttpRequest, obj: BudgetYear | None = None) -> tuple[str, ...]:
        return ("year",) if obj is not None else ()  # the year is the primary key


class CatalogEntryAdmin(ImportExportModelAdmin):
    form = CatalogEntryForm
    fields = ("year", "code", "name", "level", "parent")
    list_display = ("code", "name", "level", "parent", "year")
    list_filter = ("year", "level")
    search_fields = ("^code", "name")
    list_select_related = ("year", "parent")

    import_form_class = CatalogImportForm
    confirm_form_class = CatalogConfirmImportForm
    export_form_class = CatalogExportForm
    import_formats = [CatalogCSV]
    export_formats = [base_formats.CSV]

    # --- who may do what

    def has_import_permission(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def get_readonly_fields(self, request: HttpRequest, obj: CatalogEntry | None = None) -> tuple[str, ...]:
        """The parent follows from the code. A code a budget uses keeps its meaning, as in the import."""
        if obj is None:
            return ("parent",)
        if obj.lines.exists():
            return self.fields
        if obj.children.exists():
            return ("year", "code", "level", "parent")
        return ("year", "parent")

    # --- import: the year travels from the upload form to the confirm form to the resource

    @property
    def kind(self) -> CatalogKind:
        return KINDS[self.model]

    def get_import_form_initial(self, request: HttpRequest) -> dict[str, Any]:
        return {**super().get_import_form_initial(request), "year": BudgetYear.objects.first()}

    def get_confirm_form_initial(self, request: HttpRequest, import_form: forms.Form | None) -> dict[str, Any]:
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["year"] = import_form.cleaned_data["year"].pk
        return initial

    def get_import_resource_kwargs(self, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
        form = kwargs.get("form")
        cleaned = getattr(form, "cleaned_data", {}) if form is not None else {}
        return {"year": cleaned.get("year")}

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        response = super().import_action(request, **kwargs)
        result = getattr(response, "context_data", None) and response.context_data.get("result")
        if isinstance(result, CatalogImportResult):
            if result.catalog_errors:
                self._message_errors(request, result)
            elif result.report is not None:
                messages.info(request, f"预览：{result.title}将{result.report}。确认导入后才会写入。")
        return response

    def process_result(self, result: Result, request: HttpRequest) -> HttpResponse:
        if isinstance(result, CatalogImportResult) and result.catalog_errors:
            # The catalogue changed between preview and confirmation: nothing was written.
            self._message_errors(request, result)
            return HttpResponseRedirect(reverse("admin:{}_{}_import".format(*self.get_model_info())))
        return super().process_result(result, request)

    def add_success_message(self, result: Result, request: HttpRequest) -> None:
        if isinstance(result, CatalogImportResult) and result.report is not None:
            messages.success(request, f"{result.title}已导入：{result.report}。")
        else:
            super().add_success_message(result, request)

    def _message_errors(self, request: HttpRequest, result: CatalogImportResult) -> None:
        errors = result.catalog_errors
        items = format_html_join("", "<li>{}</li>", ((str(error),) for error in errors[:MAX_LISTED_ERRORS]))
        more = f"……另有{len(errors) - MAX_LISTED_ERRORS}处错误未列出。" if len(errors) > MAX_LISTED_ERRORS else ""
        messages.error(
            request,
            format_html("{}未导入，发现以下错误：<ul>{}</ul>{}", result.title, items, more),
        )

    # --- export: one year's catalogue, re-importable

    def get_data_for_export(self, request: HttpRequest, queryset: models.QuerySet, **kwargs: Any) -> tablib.Dataset:
        form = kwargs.get("export_form")
        year = getattr(form, "cleaned_data", {}).get("year") if form is not None else None
        if year is not None:
            queryset = queryset.filter(year=year)
        return super().get_data_for_export(request, queryset, **kwargs)

    def get_export_filename(self, request: HttpRequest, queryset: models.QuerySet, file_format: Any) -> str:
        return f"{self.kind.value}_classification.{file_format.get_extension()}"


@admin.register(FunctionCode)
class FunctionCodeAdmin(CatalogEntryAdmin):
    resource_classes = [FunctionCodeResource]


@admin.register(EconomicCode)
class EconomicCodeAdmin(CatalogEntryAdmin):
    resource_classes = [EconomicCodeResource]
