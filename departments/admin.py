"""Admin for departments and units, with import and export of flat files (CSV, XLSX).

django-import-export supplies the screens (upload, preview, confirm, export); ``departments.resources`` defines the
columns and the checks. ``FlatDataAdmin`` holds what the flat-data admins share (also the budget figures'): the
formats, a re-importable export of every column, and all-or-nothing imports.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from import_export.admin import ImportExportModelAdmin
from import_export.forms import ExportForm
from import_export.results import Result

from departments.models import Department, Unit
from departments.resources import FLAT_FORMATS, DepartmentResource, UnitResource


class FlatDataAdmin(ImportExportModelAdmin):
    """Import and export of CSV (UTF-8) and XLSX; an import writes nothing unless every row is valid."""

    import_formats = FLAT_FORMATS
    export_formats = FLAT_FORMATS
    export_form_class = ExportForm  # every column, so that an exported file can be imported again
    to_encoding = "utf-8-sig"  # with a byte order mark, so that Excel opens the CSV as UTF-8
    import_error_display = ("message",)
    export_basename = "export"

    def has_import_permission(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def get_export_data(self, file_format: Any, request: HttpRequest, queryset: models.QuerySet, **kwargs: Any):
        """As import-export's, but any binary format (our XLSX subclass too) gets numbers as numbers."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = self.get_data_for_export(request, queryset, force_native_type=file_format.is_binary(), **kwargs)
        export_data = file_format.export_data(data)
        encoding = kwargs.get("encoding")
        if not file_format.is_binary() and encoding:
            export_data = export_data.encode(encoding)
        return export_data

    def get_import_data_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        # Also at confirmation: a file that became invalid since its preview is rolled back entirely.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def add_data_read_fail_error_to_form(self, form: forms.Form, e: Exception) -> None:
        form.add_error(
            "import_file",
            f"无法读取文件（{type(e).__name__}）。请确认所选格式与文件一致；CSV 文件须为 UTF-8 编码。",
        )

    def import_refused_message(self, result: Result) -> str:
        return "文件未导入，没有写入任何数据：发现错误，请改正后重新上传。"

    def process_result(self, result: Result, request: HttpRequest) -> HttpResponse:
        if result.has_errors() or result.has_validation_errors():
            # The data changed between preview and confirmation: the import was rolled back.
            messages.error(request, self.import_refused_message(result))
            return HttpResponseRedirect(reverse("admin:{}_{}_import".format(*self.get_model_info())))
        return super().process_result(result, request)

    def get_export_filename(self, request: HttpRequest, queryset: models.QuerySet, file_format: Any) -> str:
        return f"{self.export_basename}.{file_format.get_extension()}"


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Department)
class DepartmentAdmin(FlatDataAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")
    inlines = [UnitInline]
    resource_classes = [DepartmentResource]
    export_basename = "departments"


@admin.register(Unit)
class UnitAdmin(FlatDataAdmin):
    list_display = ("name", "department", "nature", "rank", "funding_form")
    list_filter = ("nature", "department")
    search_fields = ("name", "department__name", "department__code")
    list_select_related = ("department",)
    resource_classes = [UnitResource]
    export_basename = "units"

    def get_readonly_fields(self, request, obj=None):
        # A unit's figures belong to its department's budgets: it cannot change department.
        return ("department",) if obj is not None else ()
