from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """Secure defaults that apply to every response: headers, upload limits, log-in throttling."""

    name = "xinyong.security"
    verbose_name = _("Security")

    def ready(self) -> None:
        from xinyong.security import checks  # noqa: F401  (registers the deploy checks)
