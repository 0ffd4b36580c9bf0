from django.urls import path

from exports import views

app_name = "exports"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("start/", views.job_start, name="start"),
    path("<int:pk>/status.json", views.job_status, name="status"),
    path("<int:pk>/download", views.job_download, name="download"),
]
