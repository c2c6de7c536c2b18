"""The business date.

Every rule that depends on "today" asks this module, never ``date.today()``: the
``XINYONG_TODAY`` setting and the ``--date`` option of commands move it, which is how demos,
tests and a late-running daily job reason about a given day.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import os
from collections.abc import Iterator
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")

# A context variable, not a global: two threads (two requests, two officers in a race test)
# each keep their own business date.
_override: contextvars.ContextVar[dt.date | None] = contextvars.ContextVar(
    "business_date", default=None
)


def parse_date(value: str) -> dt.date:
    """An ISO date (``2026-09-21``); a clear ValueError otherwise."""
    try:
        return dt.date.fromisoformat(value.strip())
    except (ValueError, AttributeError) as exc:
        raise ValueError(f"not an ISO date (YYYY-MM-DD): {value!r}") from exc


def today() -> dt.date:
    """The business date: an override, else ``XINYONG_TODAY``, else today in China."""
    override = _override.get()
    if override is not None:
        return override
    configured = os.environ.get("XINYONG_TODAY")
    if configured:
        return parse_date(configured)
    return dt.datetime.now(CHINA).date()


@contextlib.contextmanager
def frozen(day: dt.date) -> Iterator[dt.date]:
    """Make ``today()`` answer ``day`` inside the block (commands' ``--date``, tests)."""
    token = _override.set(day)
    try:
        yield day
    finally:
        _override.reset(token)
