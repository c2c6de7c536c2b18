"""How many reports one address may send in an hour (R7: open to anyone, so bounded).

The portal takes reports without an account or a captcha; a budget per client address in
Django's cache, counted in fixed one-hour windows as the API's token budget is counted per
minute (api/ratelimit.py, same cache and the same caveat: per process without a shared cache),
keeps one sender from flooding a department with reports. Only a report taken is counted.

The address is the client's (``registrations.client_address``): behind the reverse proxy the
peer is the proxy, and counting by it made one budget of the whole public's, the sixth
reporter of an hour refused whoever they were. The proxy must be named in
XINYONG_TRUSTED_PROXIES for the address it forwards to count instead.
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import caches

from xinyong.core.errors import XinyongError

WINDOW_SECONDS = 3600
_clock = time.time  # tests move it


def _key(address: str, window: int) -> str:
    return f"xinyong:reports:{address}:{window}"


def check(address: str) -> None:
    """Refuse with 429 when ``address`` has spent its budget for the hour."""
    now = _clock()
    window = int(now // WINDOW_SECONDS)
    used = caches["default"].get(_key(address, window), 0)
    limit = settings.XINYONG_REPORTS_PER_HOUR
    if used >= limit:
        minutes = max(1, math.ceil(((window + 1) * WINDOW_SECONDS - now) / 60))
        raise XinyongError(
            "report-budget-spent",
            f"提交过于频繁：同一网络地址每小时最多提交 {limit} 件举报，请 {minutes} 分钟后再试。",
            status=429,
        )


def spend(address: str) -> None:
    """Count one report taken from ``address``."""
    window = int(_clock() // WINDOW_SECONDS)
    cache = caches["default"]
    if not cache.add(_key(address, window), 1, timeout=WINDOW_SECONDS * 2):
        try:
            cache.incr(_key(address, window))
        except ValueError:  # expired between the two calls: this report opens the window
            cache.add(_key(address, window), 1, timeout=WINDOW_SECONDS * 2)
