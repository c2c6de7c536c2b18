"""Checks made where requests are served, not where offline commands run, and the command line
of the server that serves them."""

import sys

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


# gunicorn's own ceilings for what it reads before the platform sees a request. A request line
# (method, target with its query, version) past gunicorn's default of 4094 bytes was answered
# by gunicorn itself with an HTML 414 that an API client cannot read; 8190 is the most
# gunicorn takes (only 0, no limit at all, is more). A header field keeps gunicorn's 8190,
# stated here so that the two are read together.
LIMIT_REQUEST_LINE = 8190
LIMIT_REQUEST_FIELD_SIZE = 8190
# Gunicorn writes its access log itself, past the platform's log filter: this logger masks the
# citizen IDs that query strings and referrers carry (R14; ``xinyong.access_log``).
LOGGER_CLASS = "xinyong.access_log.CitizenIdMaskingLogger"


def gunicorn_argv(*, host: str, port: int, workers: int) -> list[str]:
    """The command line ``xinyong serve`` runs: gunicorn serving the platform's WSGI app."""
    return [
        sys.executable, "-m", "gunicorn", "xinyong.wsgi:application",
        "--bind", f"{host}:{port}", "--workers", str(workers), "--access-logfile", "-",
        "--logger-class", LOGGER_CLASS,
        "--limit-request-line", str(LIMIT_REQUEST_LINE),
        "--limit-request-field_size", str(LIMIT_REQUEST_FIELD_SIZE),
    ]  # fmt: skip
