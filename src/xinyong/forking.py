"""When this process may fork a helper, and how the helper leaves the database alone.

Batch screening and imports fork a child to use a second core (CPython runs one thread of
Python at a time). A fork copies one thread only: another thread holding a lock at that moment
leaves it held in the child forever, so a process with other threads never forks. Nor does one
inside a transaction, whose writes the child could not see.

The child inherits this process's database connections. It must never use them, and must never
close them either: closing a PostgreSQL connection would end this process's session, and
closing a SQLite one may checkpoint its log. ``leave_connections`` takes them from Django (a
query in the child opens its own) and holds them until the child leaves with ``os._exit``,
which runs no finaliser.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from django.db import connection, connections

# In a child: the connections it inherited, held until it leaves (see above).
_INHERITED: list[Any] = []


def other_threads() -> list[threading.Thread]:
    """Threads besides this one that a fork could catch holding a lock; tqdm's monitor only
    wakes up to refresh bars, which the child never draws."""
    return [
        thread for thread in threading.enumerate()
        if thread is not threading.current_thread() and thread.name != "tqdm_monitor"
    ]  # fmt: skip


def fork_is_safe() -> bool:
    """The platform forks, this is the main thread with no other, and no transaction is open."""
    return (
        hasattr(os, "fork")
        and threading.current_thread() is threading.main_thread()
        and not other_threads()
        and not connection.in_atomic_block
    )


def leave_connections() -> None:
    """In a forked child: hold the inherited connections and hand Django none of them."""
    for alias in connections:
        _INHERITED.append(connections[alias].connection)
        connections[alias].connection = None
