"""Key rotation locks subjects in the order an import does: by their look-up hash (R14;
row locks, PostgreSQL).

An import's chunk holds the subjects of its rows till it commits, taken in the digests' order
(``catalog.bulk``: ``ON CONFLICT … DO UPDATE … WHERE FALSE``). The rekey locked its batch in
the order of the subjects' ids: with two subjects whose ids and digests run in opposite
orders, the chunk held the first digest and waited for the second, which the rekey held while
it waited for the first: a deadlock, one of the two rolled back. The rekey now takes its
batch's locks in the digests' order too, and waits for the chunk instead.
"""

from __future__ import annotations

import pytest
from django.db import connection  # noqa: F401 (connection: skipif)
from django.test import override_settings

from tests.factories import SubjectFactory
from tests.races import first_then, race
from xinyong.subjects import rekey
from xinyong.subjects.models import Subject

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks"),
]


def ids_and_digests_crossed() -> tuple[Subject, Subject]:
    """Two subjects, the one made first with the greater digest."""
    made = [SubjectFactory()]
    while True:
        later = SubjectFactory()
        crossed = [s for s in made if s.identifier_digest > later.identifier_digest]
        if crossed:
            return crossed[0], later
        made.append(later)


def held_as_an_import_holds_it(subject: Subject):
    """The lock an import's chunk takes on a subject it carries: FOR NO KEY UPDATE."""
    return lambda: list(
        Subject.objects.select_for_update(no_key=True)
        .filter(identifier_digest=subject.identifier_digest)
        .values_list("pk", flat=True)
    )


def test_a_rekey_and_an_import_sharing_two_subjects_do_not_deadlock():
    first_id, first_digest = ids_and_digests_crossed()
    assert first_id.pk < first_digest.pk
    assert first_digest.identifier_digest < first_id.identifier_digest
    counts = {}

    def rotating():
        with override_settings(XINYONG_DATA_KEY="2:" + "n" * 40 + ",1:" + "o" * 40):
            counts.update(rekey.rekey_subjects(actor="ops"))

    # The chunk holds the lesser digest, the rekey starts and waits for a lock, and the chunk
    # then takes the greater digest, as its statement takes them in one pass.
    outcomes = race(
        *first_then(
            held_as_an_import_holds_it(first_digest),
            rotating,
            after=held_as_an_import_holds_it(first_id),
        )
    )
    assert outcomes == ["ok", "ok"]
    assert counts["subjects"] == Subject.objects.count()
