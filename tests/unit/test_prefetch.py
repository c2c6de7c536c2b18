"""``core.prefetch.read_ahead``: order kept, errors raised where they are used, producers closed
on their own thread whether they run out or are abandoned."""

import threading

import pytest

from xinyong.core.prefetch import read_ahead


def test_items_come_in_order_and_the_producer_runs_on_another_thread():
    seen = []

    def produce():
        for n in range(100):
            seen.append(threading.current_thread())
            yield n

    assert list(read_ahead(produce(), depth=3)) == list(range(100))
    assert {thread for thread in seen} == {seen[0]} and seen[0] is not threading.current_thread()


def test_an_error_in_the_producer_is_raised_in_the_consumer_after_the_items_before_it():
    def produce():
        yield 1
        yield 2
        raise ValueError("bad block")

    got = []
    with pytest.raises(ValueError, match="bad block"):
        for item in read_ahead(produce()):
            got.append(item)
    assert got == [1, 2]


@pytest.mark.parametrize("stop_after", [0, 1, 5])
def test_a_consumer_that_stops_early_closes_the_producer_on_its_own_thread(stop_after):
    closed_on = []

    def produce():
        try:
            n = 0
            while True:
                yield n
                n += 1
        finally:
            closed_on.append(threading.current_thread())

    items = read_ahead(produce(), depth=2, name="test-producer")
    for n, _item in enumerate(items):
        if n >= stop_after:
            break
    items.close()  # the consumer's generator ends: the producer is stopped and joined
    assert len(closed_on) == 1 and closed_on[0].name == "test-producer"
    assert not any(thread.name == "test-producer" for thread in threading.enumerate())


def test_the_producer_is_bounded_by_the_depth():
    made = []

    def produce():
        for n in range(1000):
            made.append(n)
            yield n

    items = read_ahead(produce(), depth=2)
    assert next(items) == 0
    threading.Event().wait(0.2)  # time enough for an unbounded producer to run ahead
    # one handed over, two waiting, one made and blocked on the full queue
    assert len(made) <= 4
    items.close()
