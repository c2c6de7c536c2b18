"""The daily job as the tests run it: on a given business day, with the clock frozen there."""

from xinyong.core import clock
from xinyong.listings.tick import run_tick


def tick(day):
    """``run_tick`` for ``day``, as the job that runs that day (R4, R15)."""
    with clock.frozen(day):
        return run_tick(day)
