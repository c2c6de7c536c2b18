"""A list's objection-suspension setting switched off while an objection to one of its entries is
being recorded at the same moment (R6, R11): the objection waits for the change to commit and
then reads the new setting, so the change feed never says "suspended" for measures that apply.
Without the wait, the objection read the old setting, and the change, which had not seen the
objection, wrote no event to correct it."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction  # noqa: F401 (connection: skipif)

from tests.factories import (
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    UserFactory,
)
from xinyong.core import clock
from xinyong.listings import selectors, services, suspension
from xinyong.listings.models import ListDefinition

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks"),
]
D = dt.date


def _feed(entry) -> list[str]:
    rows, _ = selectors.changes_since(0, 100)
    return [change.kind for change in rows if change.entry.pk == entry.pk]


def test_an_objection_recorded_while_the_setting_changes_reads_the_new_setting():
    definition = ListDefinitionFactory(objection_suspends_measures=True)
    entry = ListEntryFactory(list=definition, effective=True)
    officer = OfficerFactory(department=definition.recognizing_department).user
    admin = UserFactory(is_staff=True, is_superuser=True)
    saved, release, objected = threading.Event(), threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def change_setting() -> None:
        try:
            with clock.frozen(D(2026, 10, 20)), transaction.atomic():
                ListDefinition.objects.filter(pk=definition.pk).update(
                    objection_suspends_measures=False
                )
                changed = ListDefinition.objects.get(pk=definition.pk)
                suspension.record_setting_changed(changed, actor=admin)
                saved.set()
                release.wait(10)  # the objection is sent meanwhile
        except BaseException as exc:  # raised again below, in the test's thread
            failures.append(exc)
        finally:
            connections.close_all()

    def object_to_entry() -> None:
        try:
            saved.wait(10)
            with clock.frozen(D(2026, 10, 20)):
                services.record_objection(
                    entry.pk, actor=officer, objector="当事人", grounds="事实有误"
                )
            objected.set()
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=change_setting), threading.Thread(target=object_to_entry)]
    for thread in threads:
        thread.start()
    saved.wait(10)
    # The objection waits for the change, whatever the machine's speed: it holds the list's row.
    assert not objected.wait(1)
    release.set()
    for thread in threads:
        thread.join(30)
    assert not failures, failures
    assert objected.is_set()
    entry.refresh_from_db()
    assert entry.verification_due_on is not None and not entry.is_suspended_by_objection
    assert "suspended" not in _feed(entry)
