"""Deploy checks of our own, run by ``xinyong check --deploy`` with Django's (R14)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def secure_transport(app_configs, **kwargs):
    """A deployment serves over HTTPS (behind the terminator) and never with DEBUG on."""
    found = []
    if not settings.SECURE_HTTPS:
        found.append(
            Warning(
                "XINYONG_HTTPS is off: cookies are not marked Secure and HTTP is not redirected.",
                hint="Set XINYONG_HTTPS=1 when the platform is served behind an HTTPS terminator.",
                id="xinyong.W001",
            )
        )
    if not settings.AXES_ENABLED:
        found.append(
            Error(
                "Log-in throttling is off (AXES_ENABLED).",
                hint="Leave it on in every deployment (R14: protection against guessing).",
                id="xinyong.E001",
            )
        )
    return found
