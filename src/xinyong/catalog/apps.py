from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "xinyong.catalog"
    verbose_name = _("Credit information catalog")

    def ready(self) -> None:
        from xinyong.catalog import receivers  # noqa: F401  (connects the signal receivers)
