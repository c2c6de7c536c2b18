from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemediesConfig(AppConfig):
    name = "xinyong.remedies"
    verbose_name = _("Objections")

    def ready(self) -> None:
        from xinyong.remedies import receivers  # noqa: F401  (connects the signal receivers)
