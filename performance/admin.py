"""Admin for performance targets: read-only for administrators (they are entered on the budget's pages, through
performance.services, so that every change is checked, locked and in the budget's trail); the department's
indicator library can be tidied up (deleted) here too."""

from django.contrib import admin
from django.http import HttpRequest

from performance.models import DepartmentGoals, Indicator, LibraryIndicator, SubGoal, TargetTable


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ("position", "level1", "level2", "name", "description", "comparator", "number", "unit", "word", "raw")

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(DepartmentGoals)
class DepartmentGoalsAdmin(ReadOnlyAdmin):
    list_display = ("budget", "overall")
    list_select_related = ("budget__department",)
    list_filter = ("budget__year",)
    search_fields = ("budget__department__code", "budget__department__name", "overall")


@admin.register(SubGoal)
class SubGoalAdmin(ReadOnlyAdmin):
    list_display = ("title", "budget", "position")
    list_select_related = ("budget__department",)
    list_filter = ("budget__year",)
    search_fields = ("title", "goal", "budget__department__code")


@admin.register(TargetTable)
class TargetTableAdmin(ReadOnlyAdmin):
    list_display = ("project", "budget", "goal")
    list_select_related = ("project__budget__department",)
    list_filter = ("project__budget__year",)
    search_fields = ("project__name", "project__budget__department__code", "goal")
    inlines = [IndicatorInline]

    @admin.display(description="部门预算")
    def budget(self, table: TargetTable) -> str:
        return str(table.project.budget)


@admin.register(LibraryIndicator)
class LibraryIndicatorAdmin(ReadOnlyAdmin):
    list_display = ("department", "level1", "level2", "name", "unit")
    list_select_related = ("department",)
    list_filter = ("level1", "department")
    search_fields = ("name", "description", "department__code", "department__name")

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm("performance.delete_libraryindicator")
