from django.urls import path

from importing import views

BUDGET = "budgets/<year:year>/<str:department_code>/"

urlpatterns = [
    path(f"{BUDGET}import/", views.budget_import_upload, name="budget_import"),
    path(f"{BUDGET}import/confirm/", views.budget_import_confirm, name="budget_import_confirm"),
    path(f"{BUDGET}parts/<int:unit_id>/import/", views.budget_unit_import_upload, name="budget_unit_import"),
    path(
        f"{BUDGET}parts/<int:unit_id>/import/confirm/",
        views.budget_unit_import_confirm,
        name="budget_unit_import_confirm",
    ),
    path("check/", views.workbook_check_view, name="workbook_check"),
]
