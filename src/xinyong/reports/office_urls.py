"""Back-office report pages, included under /office/reports/ (namespace ``office:reports``)."""

from django.urls import path

from xinyong.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.office_reports, name="list"),
    path("<int:report_id>/", views.office_report, name="report"),
]
