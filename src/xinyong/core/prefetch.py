"""Items made on a second thread while this one uses the last ones.

The producing side is meant to wait on something outside the interpreter — a database server, a
disk — so that its waits overlap the consumer's Python work. At most ``depth`` items wait in
between, so memory stays bounded. The producer runs to its end, or is closed on its own thread
as soon as the consumer stops early; an exception it raises is raised again in the consumer.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

_END = object()


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def read_ahead(
    items: Iterable[T], *, depth: int = 1, name: str = "xinyong-read-ahead"
) -> Iterator[T]:
    """``items``, produced on a thread of their own (see the module)."""
    handoff: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        iterator = iter(items)
        try:
            for item in iterator:
                if not put(item):
                    return
            put(_END)
        except BaseException as error:  # handed to the consuming thread, which raises it
            put(_Failed(error))
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:  # a generator's own clean-up runs here, on its own thread
                close()

    producer = threading.Thread(target=produce, name=name, daemon=True)
    producer.start()
    try:
        while True:
            item = handoff.get()
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        producer.join()
