"""Django's admin application with this platform's site (``admin_site``); kept apart from it
because an application's configuration is imported before any model may be.

The admin modules are imported when the URLs are (``xinyong.urls`` calls ``autodiscover``), not
when Django starts: every command (``xinyong screen``, ``xinyong tick``…) would otherwise import
every admin page and form it never shows, some 0.4 s of each command's start-up.
"""

from django.contrib.admin.apps import SimpleAdminConfig


class XinyongAdminConfig(SimpleAdminConfig):
    default_site = "xinyong.access.admin_site.XinyongAdminSite"
