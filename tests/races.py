"""Two callers at the same moment, on connections of their own (PostgreSQL's row locks)."""

import datetime as dt
import threading

from django.db import connections

from xinyong.core import clock
from xinyong.core.errors import XinyongError


def race(*calls):
    """Run the calls in threads released together; answer each outcome ('ok' or the code)."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            with clock.frozen(dt.date(2026, 10, 27)):
                call()
            outcomes[index] = "ok"
        except XinyongError as exc:
            outcomes[index] = exc.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes
