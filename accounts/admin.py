from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "last_name", "first_name", "role", "department", "unit", "is_active")
    list_filter = ("role", "department", "is_active")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("角色", {"fields": ("role", "department", "unit")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("角色", {"fields": ("role", "department", "unit")}),
    )


# What a user may do follows from the role (budgets.access), not from groups: the 组 page would only mislead.
admin.site.unregister(Group)
