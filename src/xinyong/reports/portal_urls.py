"""Public report pages, included under /reports/ (namespace ``portal:reports``)."""

from django.urls import path

import xinyong.row_urls  # noqa: F401  (registers <row:…> before the patterns)
from xinyong.reports import views

app_name = "reports"
urlpatterns = [
    path("entries/<row:entry_id>/", views.report_entry, name="new"),
    path("lookup/", views.look_up, name="lookup"),
]
