from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubjectsConfig(AppConfig):
    name = "xinyong.subjects"
    verbose_name = _("Credit subjects and departments")

    def ready(self) -> None:
        from xinyong.subjects import protection  # noqa: F401  (registers the deploy check)
