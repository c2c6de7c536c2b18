"""Back-office import pages, included under /office/imports/ (namespace ``office:imports``)."""

from django.urls import path

from xinyong.catalog import views

app_name = "imports"
urlpatterns = [
    path("", views.imports, name="list"),
    path("<int:job_id>/", views.import_job, name="job"),
    path("<int:job_id>/report.csv", views.import_report, name="report"),
]
