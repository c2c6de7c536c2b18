"""A migration that encrypts identifiers refuses to run under another key than the one the
identifiers already stored were written under (R14): what it sealed, the server could never
open, and ``xinyong ids rekey`` would fail on it."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from tests.factories import SubjectFactory
from tests.migration_steps import migrate, migrate_to_latest
from xinyong.settings import INSECURE_DEFAULT_SECRET_KEY
from xinyong.subjects.models import Subject
from xinyong.subjects.protection import keyring, require_the_stored_key

ANOTHER_KEY = "1:" + "b" * 40  # key B: not the one the test data is stored under
MISTYPED = "11010519490230002X"  # fails the citizen-ID check, passes the USCC's


@pytest.mark.django_db
def test_an_empty_database_passes_under_any_key_or_none():
    with override_settings(XINYONG_DATA_KEY=ANOTHER_KEY):
        require_the_stored_key(Subject)
    require_the_stored_key(Subject)
    # A first migrate may run with no key set at all: nothing stored, nothing to prove.
    with override_settings(
        XINYONG_DATA_KEY="", SECRET_KEY=INSECURE_DEFAULT_SECRET_KEY, DEBUG=False,
        XINYONG_DEVELOPMENT_KEY_ALLOWED=False,
    ):  # fmt: skip
        require_the_stored_key(Subject)


@pytest.mark.django_db
def test_a_sealed_identifier_written_under_key_a_refuses_key_b_and_passes_key_a():
    SubjectFactory()  # an organisation first: the sealed row is not the first one
    SubjectFactory(natural_person=True)
    with (
        override_settings(XINYONG_DATA_KEY=ANOTHER_KEY),
        pytest.raises(ImproperlyConfigured, match="XINYONG_DATA_KEY") as refused,
    ):
        require_the_stored_key(Subject)
    assert "does not open" in str(refused.value) and "SECRET_KEY" in str(refused.value)
    require_the_stored_key(Subject)


@pytest.mark.django_db
def test_organisations_alone_prove_the_key_by_their_digests():
    SubjectFactory()
    with (
        override_settings(XINYONG_DATA_KEY=ANOTHER_KEY),
        pytest.raises(ImproperlyConfigured, match="XINYONG_DATA_KEY"),
    ):
        require_the_stored_key(Subject)
    require_the_stored_key(Subject)


@pytest.mark.django_db(transaction=True)
def test_the_migration_that_seals_refuses_key_b_and_writes_nothing():
    SubjectFactory(natural_person=True)  # sealed under key A, as the server has it
    suspect = SubjectFactory()
    Subject.objects.filter(pk=suspect.pk).update(  # as stored before the rule
        identifier=MISTYPED, identifier_sealed="", identifier_digest=keyring().digest(MISTYPED)
    )
    before = [("subjects", "0007_subject_updated_at")]
    after = [("subjects", "0008_protect_codes_a_mistyped_id_may_be")]
    try:
        migrate(before)
        with (
            override_settings(XINYONG_DATA_KEY=ANOTHER_KEY),
            pytest.raises(ImproperlyConfigured, match="XINYONG_DATA_KEY"),
        ):
            migrate(after)
        assert Subject.objects.filter(pk=suspect.pk, identifier=MISTYPED, identifier_sealed="")
        migrate(after)  # under key A
    finally:
        migrate_to_latest()
    suspect.refresh_from_db()
    assert suspect.identifier == "110105********002X"
    assert suspect.reveal_identifier() == MISTYPED
