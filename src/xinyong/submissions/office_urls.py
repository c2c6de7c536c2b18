"""Back-office submission-list pages, included under /office/submissions/
(namespace ``office:submissions``)."""

from django.urls import path

import xinyong.row_urls  # noqa: F401  (registers <row:…> before the patterns)
from xinyong.submissions import views

app_name = "submissions"
urlpatterns = [
    path("", views.submission_lists, name="list"),
    path("duties/<row:duty_id>/", views.duty_page, name="duty"),
    path("changes/new/", views.new_change, name="new-change"),
]
