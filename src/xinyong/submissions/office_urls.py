"""Back-office submission-list pages, included under /office/submissions/
(namespace ``office:submissions``)."""

from django.urls import path

from xinyong.submissions import views

app_name = "submissions"
urlpatterns = [
    path("", views.submission_lists, name="list"),
    path("duties/<int:duty_id>/", views.duty_page, name="duty"),
    path("changes/new/", views.new_change, name="new-change"),
]
