from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemediesConfig(AppConfig):
    name = "xinyong.remedies"
    verbose_name = _("Objections")
