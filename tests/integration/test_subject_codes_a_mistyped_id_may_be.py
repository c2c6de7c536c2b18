"""Organisations stored before the rule on mistyped IDs, whose code a person's mistyped ID could
be, are masked and sealed as a person's ID is (R14); other codes are left as they were."""

import pytest

from tests.factories import SubjectFactory
from tests.migration_steps import migrate, migrate_to_latest
from xinyong.core.protection import could_be_a_mistyped_citizen_id, looks_like_citizen_id
from xinyong.subjects.models import Subject
from xinyong.subjects.protection import keyring

MISTYPED = "11010519490230002X"  # fails the citizen-ID check, passes the USCC's: a typo of 1949
PLAIN = "91330106MA2GL1T73K"  # an organisation's code in no ID's shape


@pytest.mark.django_db(transaction=True)
def test_stored_codes_a_mistyped_id_may_be_are_sealed_and_others_left():
    assert could_be_a_mistyped_citizen_id(MISTYPED) and looks_like_citizen_id(MISTYPED)
    suspect, plain = SubjectFactory(), SubjectFactory()
    for subject, code in ((suspect, MISTYPED), (plain, PLAIN)):  # as stored before the rule
        Subject.objects.filter(pk=subject.pk).update(
            identifier=code, identifier_sealed="", identifier_digest=keyring().digest(code)
        )
    migrate([("subjects", "0007_subject_updated_at")])
    try:
        apps = migrate([("subjects", "0008_protect_codes_a_mistyped_id_may_be")])
    finally:
        migrate_to_latest()
    stored = dict(apps.get_model("subjects", "Subject").objects.values_list("pk", "identifier"))
    assert stored[plain.pk] == PLAIN
    assert stored[suspect.pk] == "110105********002X"
    suspect = Subject.objects.get(pk=suspect.pk)
    assert suspect.identifier_sealed and suspect.reveal_identifier() == MISTYPED
    assert suspect.identifier_digest == keyring().digest(MISTYPED)  # every link holds
