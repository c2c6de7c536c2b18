from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListingsConfig(AppConfig):
    name = "xinyong.listings"
    verbose_name = _("Red and black lists")

    def ready(self) -> None:
        from xinyong.listings import receivers  # noqa: F401  (connects the signal receivers)
