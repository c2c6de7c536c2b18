from django.contrib.auth import views as auth_views
from django.urls import include, path

import xinyong.row_urls  # noqa: F401  (registers <row:…> before the patterns)
from xinyong.office import (
    evidence,
    joint,
    queries,
    record_objections,
    repairs,
    subjects,
    typical,
    views,
)

app_name = "office"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("home/", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="office:login"), name="logout"),
    path("entries/<row:entry_id>/", views.entry_page, name="entry"),
    path("entries/<row:entry_id>/<str:action>/", views.entry_action, name="entry-action"),
    path("evidence/<row:evidence_id>/", evidence.evidence_file, name="evidence"),
    path("repairs/", repairs.repair_list, name="repairs"),
    path("repairs/<row:application_id>/", repairs.repair_page, name="repair"),
    path("repair-materials/<row:material_id>/", repairs.material_file, name="repair-material"),
    path("record-objections/", record_objections.objection_list, name="record-objections"),
    path(
        "record-objections/<row:objection_id>/",
        record_objections.objection_page,
        name="record-objection",
    ),
    path(
        "record-objection-evidence/<row:evidence_id>/",
        record_objections.evidence_file,
        name="record-objection-evidence",
    ),
    path(
        "records/<row:record_id>/objection/",
        record_objections.register_page,
        name="record-objection-register",
    ),
    path("reports/", include("xinyong.reports.office_urls")),
    path("imports/", include("xinyong.catalog.urls")),
    path("submissions/", include("xinyong.submissions.office_urls")),
    path("subjects/", subjects.search, name="subjects"),
    path("subjects/<row:subject_id>/", subjects.subject, name="subject"),
    path("queries/", queries.queries, name="queries"),
    path("queries/export.csv", queries.export, name="queries-export"),
    path("joint/", joint.joint_statistics, name="joint-statistics"),
    path("joint/cases/", typical.case_list, name="joint-cases"),
    path("joint/cases/<row:feedback_id>/", typical.case_page, name="joint-case"),
]
