from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "xinyong.calendars"
    verbose_name = _("Working-day calendar")

    def ready(self) -> None:
        # Connects the signals that drop the cached calendar when a day or a year changes.
        from xinyong.calendars import selectors  # noqa: F401
