"""The business date.

Every rule that depends on "today" asks this module, never ``date.today()``: the
``XINYONG_TODAY`` setting and the ``--date`` option of commands move it, which is how demos,
tests and a late-running daily job reason about a given day.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")

_override: dt.date | None = None


def parse_date(value: str) -> dt.date:
    """An ISO date (``2026-09-21``); a clear ValueError otherwise."""
    try:
        return dt.date.fromisoformat(value.strip())
    except (ValueError, AttributeError) as exc:
        raise ValueError(f"not an ISO date (YYYY-MM-DD): {value!r}") from exc


def today() -> dt.date:
    """The business date: an override, else ``XINYONG_TODAY``, else today in China."""
    if _override is not None:
        return _override
    configured = os.environ.get("XINYONG_TODAY")
    if configured:
        return parse_date(configured)
    return dt.datetime.now(CHINA).date()


@contextlib.contextmanager
def frozen(day: dt.date) -> Iterator[dt.date]:
    """Make ``today()`` answer ``day`` inside the block (commands' ``--date``, tests)."""
    global _override
    previous, _override = _override, day
    try:
        yield day
    finally:
        _override = previous
