from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "部门预算编制系统 · 管理后台"
admin.site.site_title = "部门预算编制系统"
admin.site.index_title = "基础数据管理"

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("budgets.urls")),
]
