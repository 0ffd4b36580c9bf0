from django.contrib import admin

from budgets.models import Budget, BudgetLine, FixedAsset, ProcurementItem, Project


class ProjectInline(admin.TabularInline):
    model = Project
    extra = 0
    fields = ("name", "unit", "position")


class ProcurementItemInline(admin.TabularInline):
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


class FixedAssetInline(admin.TabularInline):
    model = FixedAsset
    extra = 0
    fields = ("item", "quantity", "value_yuan", "position")


@admin.register(Budget)
class BudgetAdmin(admin.ModelAdmin):
    list_display = ("year", "department", "updated_at")
    list_filter = ("year",)
    search_fields = ("department__code", "department__name")
    inlines = [ProjectInline, ProcurementItemInline, FixedAssetInline]

    def get_readonly_fields(self, request, obj=None):
        # A budget's lines hang on its department's units and its year's catalogue: it never moves.
        fixed = ("department", "year") if obj is not None else ()
        return (*fixed, "created_at", "updated_at")


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ("budget", "unit", "function", "economic", "kind", "source", "carried_over", "project", "amount")
    list_filter = ("budget__year", "kind", "source", "carried_over")
    search_fields = ("budget__department__code", "function__code", "economic__code", "project__name")
    raw_id_fields = ("function", "economic", "project", "unit", "budget")
    list_select_related = ("budget__department", "unit", "function", "economic", "project")
