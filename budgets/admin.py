"""Admin for budgets and their records; the figures (BudgetLine) also as a flat CSV/XLSX list to export and import.

The import of figures goes through ``budgets.resources.BudgetFigureResource``: for each budget in the file its
figures are replaced, through the ledger's own write path, all or nothing (see that module).
"""

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from import_export.forms import ImportForm
from import_export.results import Result

from budgets.models import Budget, BudgetEvent, BudgetLine, FixedAsset, ProcurementItem, Project
from budgets.resources import HEADERS, BudgetFigureResource, FiguresImportResult
from budgets.services.locking import budget_touch, lock_budget
from departments.admin import FlatDataAdmin
from departments.models import Unit
from domain.names import short_unit_name
from domain.workflow import EDITABLE_STATES

MAX_LISTED_ERRORS = 50


class FrozenWithBudget:
    """Admin parts of a budget: read-only once the budget left 草稿/退回 (figures change nowhere then)."""

    def _editable(self, budget) -> bool:
        return budget is None or budget.state in EDITABLE_STATES

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class ProjectInline(FrozenWithBudget, admin.TabularInline):
    model = Project
    extra = 0
    fields = ("name", "unit", "position")


class ProcurementItemInline(FrozenWithBudget, admin.TabularInline):
    model = ProcurementItem
    extra = 0
    fields = (
        "project",
        "item_name",
        "catalogue_number",
        "measure_unit",
        "quantity",
        "unit_price",
        "general",
        "govfund",
        "statecap",
        "special_account",
        "position",
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "project":
            # Only the projects of the budget being edited (none yet on the add page).
            budget_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            kwargs["queryset"] = Project.objects.filter(budget_id=budget_id) if budget_id else Project.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class FixedAssetInline(FrozenWithBudget, admin.TabularInline):
    model = FixedAsset
    extra = 0
    fields = ("item", "quantity", "value_yuan", "unit", "position")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            # Only the units of the budget's department (none yet on the add page).
            budget_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            units = Unit.objects.filter(department__budgets__id=budget_id) if budget_id else Unit.objects.none()
            kwargs["queryset"] = units
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Budget)
class BudgetAdmin(admin.ModelAdmin):
    list_display = ("year", "department", "round", "state", "version", "updated_at")
    list_filter = ("year", "round", "state")
    search_fields = ("department__code", "department__name")
    inlines = [ProjectInline, ProcurementItemInline, FixedAssetInline]

    def get_readonly_fields(self, request, obj=None):
        # A budget's lines hang on its department's units and its year's catalogue: it never moves. Its state,
        # round and version change only through the workflow.
        fixed = ("department", "year") if obj is not None else ()
        return (*fixed, "state", "round", "version", "created_at", "updated_at")

    def has_change_permission(self, request, obj=None) -> bool:
        # A submitted or approved budget is read-only here, its 部门职责 and 截止时间 as much as its parts.
        frozen = obj is not None and obj.state not in EDITABLE_STATES
        return not frozen and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        frozen = obj is not None and obj.state not in EDITABLE_STATES
        return not frozen and super().has_delete_permission(request, obj)

    def save_related(self, request, form, formsets, change) -> None:
        """Changes made here go into the budget's own trail too, and count as a new revision."""
        super().save_related(request, form, formsets, change)
        changed = [str(item) for item in self.construct_change_message(request, form, formsets, change)]
        if change and (form.has_changed() or any(formset.has_changed() for formset in formsets)):
            budget = lock_budget(form.instance, editable=False)
            BudgetEvent.objects.create(budget=budget, actor=request.user, action="admin", data={"admin": changed})
            budget_touch(budget)


class FiguresImportForm(ImportForm):
    """The upload form, with what an import of figures does."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["import_file"].help_text = (
            f"表头：{'，'.join(HEADERS)}。文件可包含一个或多个部门预算（部门编码+年度）的明细；"
            "文件中出现的每个部门预算，其全部明细将被替换为文件中的行，文件中没有的明细将被删除。"
            "部门预算须已存在。任何一行有误时不写入任何数据。"
        )


@admin.register(BudgetLine)
class BudgetLineAdmin(FlatDataAdmin):
    # Narrow columns, so that the list fits a 1366 px screen: the budget by year and code, the unit by its short
    # name, the codes with their names in a tooltip.
    list_display = (
        "budget_short",
        "unit_short",
        "function_code",
        "economic_code",
        "kind",
        "source",
        "carried_over",
        "project",
        "amount",
    )
    list_filter = ("budget__year", "budget__department", "kind", "source", "carried_over")
    search_fields = ("budget__department__code", "function__code", "economic__code", "project__name")
    raw_id_fields = ("function", "economic", "project", "unit", "budget")
    list_select_related = ("budget__department", "unit", "function", "economic", "project")

    resource_classes = [BudgetFigureResource]
    import_form_class = FiguresImportForm

    @admin.display(description="部门预算", ordering="budget__department__code")
    def budget_short(self, line: BudgetLine) -> str:
        department = line.budget.department
        return format_html('<span title="{}">{}年 {}</span>', department.name, line.budget.year_id, department.code)

    @admin.display(description="单位", ordering="unit__name")
    def unit_short(self, line: BudgetLine) -> str:
        short = short_unit_name(line.budget.department.name, line.unit.name)
        return format_html('<span title="{}">{}</span>', line.unit.name, short)

    @admin.display(description="功能分类科目", ordering="function__code")
    def function_code(self, line: BudgetLine) -> str:
        return format_html('<span title="{}">{}</span>', line.function.name, line.function.code)

    @admin.display(description="经济分类科目", ordering="economic__code")
    def economic_code(self, line: BudgetLine) -> str:
        return format_html('<span title="{}">{}</span>', line.economic.name, line.economic.code)

    # Figures change only through the ledger's write path (all or nothing, recorded old → new in the budget's
    # trail): here by importing a file, never one line at a time.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: BudgetLine | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: BudgetLine | None = None) -> bool:
        return False

    def has_import_permission(self, request: HttpRequest) -> bool:
        # An import replaces figures: it adds, changes and deletes lines.
        user = request.user
        may_replace = all(user.has_perm(f"budgets.{verb}_budgetline") for verb in ("add", "change", "delete"))
        return may_replace  # not FlatDataAdmin's rule: single lines cannot be added or changed here

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        response = super().import_action(request, **kwargs)
        result = getattr(response, "context_data", None) and response.context_data.get("result")
        if isinstance(result, FiguresImportResult):
            if result.figure_errors:
                self._message_errors(request, result)
            else:
                for replacement in result.replacements:
                    later = "" if replacement.is_unchanged else "确认导入后才会写入。"
                    messages.info(request, f"预览：{replacement}。{later}")
        return response

    def process_result(self, result: Result, request: HttpRequest) -> HttpResponse:
        if isinstance(result, FiguresImportResult) and result.figure_errors:
            # The data changed between preview and confirmation: nothing was written.
            self._message_errors(request, result)
            return HttpResponseRedirect(reverse("admin:{}_{}_import".format(*self.get_model_info())))
        return super().process_result(result, request)

    def generate_log_entries(self, result: Result, request: HttpRequest) -> None:
        """One entry per budget whose figures were replaced (the lines themselves are new rows)."""
        if self.get_skip_admin_log() or not isinstance(result, FiguresImportResult):
            return
        budgets = Budget.objects.in_bulk([replacement.budget_id for replacement in result.replacements])
        for replacement in result.replacements:
            if not replacement.is_unchanged:
                LogEntry.objects.log_actions(
                    request.user.pk,
                    [budgets[replacement.budget_id]],
                    CHANGE,
                    change_message=f"导入预算明细：{replacement}",
                    single_object=True,
                )

    def add_success_message(self, result: Result, request: HttpRequest) -> None:
        if isinstance(result, FiguresImportResult):
            for replacement in result.replacements:
                messages.success(request, f"已导入：{replacement}。")
        else:
            super().add_success_message(result, request)

    def _message_errors(self, request: HttpRequest, result: FiguresImportResult) -> None:
        errors = result.figure_errors
        items = format_html_join("", "<li>{}</li>", ((str(error),) for error in errors[:MAX_LISTED_ERRORS]))
        more = f"……另有{len(errors) - MAX_LISTED_ERRORS}处错误未列出。" if len(errors) > MAX_LISTED_ERRORS else ""
        messages.error(
            request, format_html("预算明细未导入，没有写入任何数据。发现以下错误：<ul>{}</ul>{}", items, more)
        )

    def get_export_filename(self, request: HttpRequest, queryset: models.QuerySet, file_format: Any) -> str:
        """``budget_figures_2021_202.csv`` when the list shows one budget, ``budget_figures.csv`` otherwise."""
        budgets = list(queryset.order_by().values_list("budget__year_id", "budget__department__code").distinct()[:2])
        name = "budget_figures" if len(budgets) != 1 else "budget_figures_{}_{}".format(*budgets[0])
        return f"{name}.{file_format.get_extension()}"
