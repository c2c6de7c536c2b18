from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "xinyong.access"
    verbose_name = _("Access control")

    def ready(self) -> None:
        # Fail at start-up, not at the first request, when the matrix is malformed (R14).
        from xinyong.access import matrix

        matrix.load()
