"""Checks made where requests are served, not where offline commands run."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from xinyong.settings import INSECURE_DEFAULT_SECRET_KEY


def refuse_default_secret_key() -> None:
    """Serving with the built-in key is refused unless DEBUG is on: sessions would be forgeable.

    Called by wsgi.py and ``xinyong serve``, so that ``xinyong ids check`` and the other offline
    commands work on a machine that has no key configured.
    """
    if not settings.DEBUG and settings.SECRET_KEY == INSECURE_DEFAULT_SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (DEBUG is off, so the built-in "
            "development key is refused)."
        )
