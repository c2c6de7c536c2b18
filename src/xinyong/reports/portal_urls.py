"""Public report pages, included under /reports/ (namespace ``portal:reports``)."""

from django.urls import path

from xinyong.reports import views

app_name = "reports"
urlpatterns = [
    path("entries/<int:entry_id>/", views.report_entry, name="new"),
    path("lookup/", views.look_up, name="lookup"),
]
