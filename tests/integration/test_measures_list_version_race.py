"""Two transactions changing the measures list at once wait for each other in one order, the
list's version first, and both commit (PostgreSQL's row locks)."""

import threading

import pytest
from django.db import connection, transaction

from tests.factories import MeasureFactory
from tests.races import in_thread, until_another_waits
from xinyong.measures import selectors
from xinyong.measures.models import Measure

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks"),
]


def _rename(pk: int, name: str) -> None:
    measure = Measure.objects.get(pk=pk)
    measure.name = name
    measure.save()


def _other_saves(pk: int, failures: list, done: threading.Event) -> threading.Thread:
    def save() -> None:
        with transaction.atomic():
            _rename(pk, "另一次修改")

    return in_thread(save, failures, done=done)


def test_two_transactions_saving_measures_in_turn_both_commit():
    """One saves A, then C while the other is saving C: the other waits for the version row
    before it locks C, so the first never waits for it (a circle PostgreSQL would break by
    failing one of them)."""
    first, other = MeasureFactory(), MeasureFactory()
    failures, done = [], threading.Event()
    with transaction.atomic():
        _rename(first.pk, "先改")
        thread = _other_saves(other.pk, failures, done)
        until_another_waits(done)
        _rename(other.pk, "后改")
    thread.join(timeout=30)
    assert not failures
    assert Measure.objects.get(pk=other.pk).name == "另一次修改"  # it waited, then saved


def test_a_transaction_that_locks_measures_first_takes_the_version_before_them():
    """As ``measures load`` does: the version, then the measures read for update, then the
    changes; another saving one of those measures meanwhile waits, and both commit."""
    measure = MeasureFactory()
    failures, done = [], threading.Event()
    with transaction.atomic():
        selectors.hold_measures_list()
        locked = Measure.objects.select_for_update().get(pk=measure.pk)
        thread = _other_saves(measure.pk, failures, done)
        until_another_waits(done)
        locked.name = "载入"
        locked.save()
    thread.join(timeout=30)
    assert not failures
    assert Measure.objects.get(pk=measure.pk).name == "另一次修改"


def _version() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM measures_list_version")
        return cursor.fetchone()[0]


def test_migrating_back_and_forth_never_gives_a_version_again():
    """The version's sequence is made again on the way forward, starting above every number it
    gave before: a process that cached the index under one of them never takes a list changed
    meanwhile for it."""
    from tests.migration_steps import migrate, migrate_to_latest

    measure = MeasureFactory()
    measure.save()
    before = _version()
    try:
        migrate([("measures", "0020_screening_job_attempts")])
        migrate_to_latest()
        assert _version() > before
    finally:
        migrate_to_latest()
