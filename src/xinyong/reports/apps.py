from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "xinyong.reports"
    verbose_name = _("Reports on red-list entries")
