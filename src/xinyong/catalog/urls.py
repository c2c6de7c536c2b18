"""Back-office import pages, included under /office/imports/ (namespace ``office:imports``)."""

from django.urls import path

import xinyong.row_urls  # noqa: F401  (registers <row:…> before the patterns)
from xinyong.catalog import views

app_name = "imports"
urlpatterns = [
    path("", views.imports, name="list"),
    path("<row:job_id>/", views.import_job, name="job"),
    path("<row:job_id>/report.csv", views.import_report, name="report"),
]
