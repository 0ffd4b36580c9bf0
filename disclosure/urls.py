from django.urls import path

import budgets.urls  # noqa: F401  (registers the <year:…> converter, once)
from disclosure import explanation_views, views

urlpatterns = [
    path(
        "budgets/<year:year>/<str:department_code>/publication/",
        views.budget_publication_preview,
        name="budget_publication",
    ),
    path("budgets/<year:year>/<str:department_code>/publish/", views.budget_publish_view, name="budget_publish"),
    # The public pages: no login.
    path("public/<year:year>/", views.public_index, name="public_index"),
    path("public/<year:year>/<str:department_code>/", views.public_document, name="public_document"),
    path(
        "public/<year:year>/<str:department_code>/document.pdf",
        views.public_document_pdf,
        name="public_document_pdf",
    ),
    # The generated explanation (部门预算信息公开情况说明) and its inputs.
    path(
        "budgets/<year:year>/<str:department_code>/explanation/",
        explanation_views.budget_explanation_view,
        name="budget_explanation",
    ),
    path(
        "budgets/<year:year>/<str:department_code>/explanation/edit/",
        explanation_views.budget_explanation_edit,
        name="budget_explanation_edit",
    ),
]
