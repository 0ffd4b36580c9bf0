from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from budgetoffice.converters import YearConverter
from budgets.access import may_use_admin

admin.site.site_header = "部门预算编制系统 · 管理后台"
admin.site.site_title = "部门预算编制系统"
admin.site.index_title = "基础数据管理"


admin.site.has_permission = lambda request: may_use_admin(request.user)

# Before the included URLconfs are read: their patterns name it (<year:year>).
register_converter(YearConverter, "year")

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Everyone signed in changes their own password (Django's views: the old one asked, the validators applied).
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("admin/", admin.site.urls),
    path("exports/", include("exports.urls")),
    path("", include("entry.urls")),
    path("", include("pages.urls")),
    path("", include("workflow.urls")),
    path("", include("importing.urls")),
    path("", include("audit.urls")),
    path("", include("disclosure.urls")),
]

handler403 = "budgetoffice.errors.permission_denied"
handler404 = "budgetoffice.errors.page_not_found"
