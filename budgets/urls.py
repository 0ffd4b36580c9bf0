from django.urls import path

from budgets import views

urlpatterns = [
    path("", views.home, name="home"),
    path("budgets/<int:year>/<str:department_code>/", views.budget_detail, name="budget_detail"),
    path("budgets/<int:year>/<str:department_code>/workbook.xlsx", views.budget_workbook, name="budget_workbook"),
    path(
        "budgets/<int:year>/<str:department_code>/tables/<slug:table_key>/",
        views.budget_table,
        name="budget_table",
    ),
]
