"""Django's admin application with this platform's site (``admin_site``); kept apart from it
because an application's configuration is imported before any model may be.

The admin modules are imported when the URLs are (``xinyong.urls`` calls ``autodiscover``), not
when Django starts: a command that runs no system checks (``xinyong screen``) would otherwise
import every admin page and form it never shows, some 0.3 s of its start-up. The admin's system
checks discover the modules first, so that ``check`` sees every registration whether or not the
URLs were loaded before it.
"""

from django.contrib.admin import autodiscover
from django.contrib.admin.apps import SimpleAdminConfig
from django.contrib.admin.checks import check_admin_app, check_dependencies
from django.core import checks


def check_discovered_admin(app_configs=None, **kwargs):
    """Django's checks of every registered admin, once the admin modules are imported."""
    autodiscover()
    return check_admin_app(app_configs, **kwargs)


class XinyongAdminConfig(SimpleAdminConfig):
    default_site = "xinyong.access.admin_site.XinyongAdminSite"

    def ready(self) -> None:
        # SimpleAdminConfig registers check_admin_app itself, which checks only what is
        # registered by then; this registers it behind the discovery instead.
        checks.register(check_dependencies, checks.Tags.admin)
        checks.register(check_discovered_admin, checks.Tags.admin)
