from django.contrib.auth import views as auth_views
from django.urls import include, path

import xinyong.row_urls  # noqa: F401  (registers <row:…> before the patterns)
from xinyong.portal import objections, record_objections, red_list_exits, repairs, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="portal:home"), name="logout"),
    path("my/", views.my_record, name="my"),
    path("my/entries/<row:entry_id>/objection/", objections.object_to_entry, name="object"),
    path(
        "my/named-in/<row:entry_id>/objection/",
        objections.object_as_named_person,
        name="object-named",
    ),
    path("my/evidence/<row:evidence_id>/", objections.evidence_file, name="evidence"),
    path("my/entries/<row:entry_id>/repair/", repairs.repair_entry, name="repair-entry"),
    path("my/records/<row:record_id>/repair/", repairs.repair_record, name="repair-record"),
    path("my/repair-materials/<row:material_id>/", repairs.material_file, name="repair-material"),
    path(
        "my/entries/<row:entry_id>/leave-red-list/",
        red_list_exits.leave_red_list,
        name="leave-red-list",
    ),
    path(
        "my/records/<row:record_id>/objection/",
        record_objections.object_to_record,
        name="object-record",
    ),
    path(
        "my/record-evidence/<row:evidence_id>/",
        record_objections.evidence_file,
        name="record-evidence",
    ),
    path("cases/", views.typical_cases, name="cases"),
    path("lists/<str:kind>/", views.public_list, name="list"),
    path("announcements/", views.announcements, name="announcements"),
    path("announcements/<row:announcement_id>/", views.announcement, name="announcement"),
    path("double-publicity/<str:record_format>/", views.public_records, name="records"),
    path(
        "double-publicity/<str:record_format>/<row:record_id>/",
        views.public_record,
        name="record",
    ),
    path("reports/", include("xinyong.reports.portal_urls")),
    path("favicon.ico", views.FaviconView.as_view(), name="favicon"),
]
