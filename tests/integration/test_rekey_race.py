"""Key rotation (``ids rekey``) while a person's ID is corrected (R14): the rekey writes the
digest and ciphertext of what its rows hold when it writes, never of what it read before a
correction committed. Before, it read a batch unlocked and wrote back the old ID's digest and
ciphertext over the correction: the person was no longer found by the corrected ID."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections  # noqa: F401 (connection: skipif)
from django.test import override_settings

from tests.factories import SubjectFactory, make_citizen_id
from xinyong.subjects import rekey
from xinyong.subjects.models import Subject

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks"),
]
DATA_KEY = "2:" + "n" * 40 + ",1:" + "o" * 40


def test_an_id_corrected_while_the_rekey_computes_keeps_the_correction(monkeypatch):
    with override_settings(XINYONG_DATA_KEY="1:" + "o" * 40):
        people = [SubjectFactory(natural_person=True) for _ in range(3)]
    person = people[1]
    corrected = make_citizen_id(987_654)
    failures: list[BaseException] = []
    correction: list[threading.Thread] = []

    def correct() -> None:
        try:
            found = Subject.objects.get(pk=person.pk)
            found.identifier = corrected
            found.save()
        except BaseException as exc:  # raised again below, in the test's thread
            failures.append(exc)
        finally:
            connections.close_all()

    computed = rekey.stored_identifier

    def computing(value, *, personal):
        # The officer corrects the ID while the rekey computes from what it read: the
        # correction waits for the batch, whatever the machine's speed, or commits first.
        if not correction:
            correction.append(threading.Thread(target=correct))
            correction[0].start()
            correction[0].join(1)
        return computed(value, personal=personal)

    monkeypatch.setattr(rekey, "stored_identifier", computing)
    with override_settings(XINYONG_DATA_KEY=DATA_KEY):
        counts = rekey.rekey_subjects(actor="ops")
        correction[0].join(20)
        assert not failures, failures
        assert counts["subjects"] == 3
        person.refresh_from_db()
        assert person.reveal_identifier() == corrected
        assert person.identifier_sealed.startswith("v2:")
        assert Subject.objects.identified_by(corrected).get() == person
        for other in (people[0], people[2]):
            full = other.reveal_identifier()
            other.refresh_from_db()
            assert other.identifier_sealed.startswith("v2:")
            assert Subject.objects.identified_by(full).get() == other
