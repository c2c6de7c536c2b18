from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListingsConfig(AppConfig):
    name = "xinyong.listings"
    verbose_name = _("Red and black lists")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, pre_migrate

        from xinyong.listings import (
            checks,  # noqa: F401  (registers the deploy check)
            feed_trigger,
            receivers,  # noqa: F401  (connects the signal receivers)
        )

        # Sent once per app: the listings app's alone is enough (see ``feed_trigger``).
        pre_migrate.connect(feed_trigger.drop_before_migrate, sender=self)
        post_migrate.connect(feed_trigger.restore_after_migrate, sender=self)
