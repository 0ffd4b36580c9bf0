from django.contrib import admin

from departments.models import Department, Unit


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "department", "nature", "rank", "funding_form")
    list_filter = ("nature", "department")
    search_fields = ("name", "department__name", "department__code")

    def get_readonly_fields(self, request, obj=None):
        # A unit's figures belong to its department's budgets: it cannot change department.
        return ("department",) if obj is not None else ()
