from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "xinyong.portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from xinyong.portal import selectors  # noqa: F401  (connects the home page's forgetting)
