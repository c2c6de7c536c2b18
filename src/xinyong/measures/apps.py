from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "xinyong.measures"
    verbose_name = _("Reward and punishment measures")
