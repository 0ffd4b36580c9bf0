from django.urls import path

from disclosure import views

urlpatterns = [
    path(
        "budgets/<year:year>/<str:department_code>/publication/",
        views.budget_publication_preview,
        name="budget_publication",
    ),
    path(
        "budgets/<year:year>/<str:department_code>/publication.pdf",
        views.budget_publication_pdf,
        name="budget_publication_pdf",
    ),
    path("budgets/<year:year>/<str:department_code>/publish/", views.budget_publish_view, name="budget_publish"),
    path(
        "budgets/<year:year>/<str:department_code>/publish/status/",
        views.budget_publish_status,
        name="budget_publish_status",
    ),
    # The public pages: no login.
    path("public/", views.public_home, name="public_home"),
    path("public/<year:year>/", views.public_index, name="public_index"),
    path("public/<year:year>/<str:department_code>/", views.public_document, name="public_document"),
    path(
        "public/<year:year>/<str:department_code>/document.pdf",
        views.public_document_pdf,
        name="public_document_pdf",
    ),
]
