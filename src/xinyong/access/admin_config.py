"""Django's admin application with this platform's site (``admin_site``); kept apart from it
because an application's configuration is imported before any model may be."""

from django.contrib.admin.apps import AdminConfig


class XinyongAdminConfig(AdminConfig):
    default_site = "xinyong.access.admin_site.XinyongAdminSite"
