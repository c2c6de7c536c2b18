from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_list_version(sender, using, **kwargs) -> None:
    """SQLite drops a table's triggers when Django rebuilds the table in a migration: the
    measures list's version is kept by triggers on four tables (``list_version``)."""
    from django.db import connections

    from xinyong.measures.list_version import ensure_on_sqlite

    ensure_on_sqlite(connections[using])


class MeasuresConfig(AppConfig):
    name = "xinyong.measures"
    verbose_name = _("Reward and punishment measures")

    def ready(self) -> None:
        post_migrate.connect(_ensure_list_version, sender=self)
