"""A request budget per API token (R14: a leaked or runaway client cannot flood the platform).

Fixed one-minute windows counted in Django's cache: ``XINYONG_CACHE_URL`` points the cache at a
Redis server shared by every serving process; without it the cache is each process's memory and
the budget holds per process (stated in the README). A call is one ``incr`` of its window's
count; only the first call of a window, finding no key, adds it (an ``add`` first on every call
would cost each check one more cache operation, a round trip with Redis). Fixed windows let a
client spend up to twice its budget across a window's edge, which a budget meant against floods
can afford.
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import caches

from xinyong.api.models import ApiToken
from xinyong.core.errors import XinyongError

WINDOW_SECONDS = 60
_clock = time.time  # tests move it


def budget_of(record: ApiToken) -> int:
    """Calls per minute this token may make: its own setting, else the platform's default.

    A token is given at least one call a minute (``tokens.create_token`` refuses less). A 0
    stored before that refusal was served the default budget, and keeps it: read as zero it
    would lock out a client that has worked since; a token meant to make no calls is revoked.
    """
    own = record.rate_per_minute
    return own if own else settings.XINYONG_TOKEN_RATE_PER_MINUTE


def charge(record: ApiToken) -> None:
    """Count one call of ``record``; refuse it with 429 when its budget for the minute is spent."""
    now = _clock()
    window = int(now // WINDOW_SECONDS)
    key = f"xinyong:rate:{record.prefix}:{window}"
    cache = caches["default"]
    try:
        used = cache.incr(key)
    except ValueError:  # the window's first call
        # Another process may add it first: then this call is counted by ``incr`` after all.
        used = 1 if cache.add(key, 1, timeout=WINDOW_SECONDS * 2) else cache.incr(key)
    limit = budget_of(record)
    if used > limit:
        # Rounded up: a client that waits exactly this long is in the next window, never
        # refused again for the same spent budget.
        retry_after = max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))
        raise XinyongError(
            "rate-limited",
            f"调用过于频繁：该令牌每分钟最多调用 {limit} 次，请 {retry_after} 秒后再试。",
            status=429,
            limit=limit,
            retry_after=retry_after,
        )
