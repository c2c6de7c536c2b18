"""Back-office report pages, included under /office/reports/ (namespace ``office:reports``)."""

from django.urls import path

import xinyong.row_urls  # noqa: F401  (registers <row:…> before the patterns)
from xinyong.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.office_reports, name="list"),
    path("<row:report_id>/", views.office_report, name="report"),
]
