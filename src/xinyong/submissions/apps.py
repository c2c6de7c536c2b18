from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "xinyong.submissions"
    verbose_name = _("Submission lists")

    def ready(self) -> None:
        from xinyong.submissions import receivers  # noqa: F401  (connects the signal receivers)
