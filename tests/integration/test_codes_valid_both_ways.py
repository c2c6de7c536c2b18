"""An organisation's code that is a valid citizen ID as well (18 digits can pass both checks)
is kept and shown as a person's ID would be: masked, encrypted, found by its keyed hash (R14,
DOMAIN.md §4). A company's code masked by mistake is a small harm; a person's ID in clear is a
breach. The importer's side is in ``test_ingest_personal_data``."""

import pytest

from tests.check_clients import check
from tests.factories import ListEntryFactory, SubjectFactory, code_valid_both_ways, make_uscc
from tests.migration_steps import migrate, migrate_to_latest
from xinyong.core.identifiers import check_citizen_id, check_uscc
from xinyong.core.masking import mask_id_number
from xinyong.listings import documents
from xinyong.subjects.admin import SubjectForm
from xinyong.subjects.models import Subject, SubjectKind
from xinyong.subjects.protection import identifier_digest

pytestmark = pytest.mark.django_db


@pytest.fixture
def ambiguous() -> str:
    code = code_valid_both_ways()
    assert check_uscc(code).is_valid and check_citizen_id(code).is_valid
    return code


def test_an_organisation_with_such_a_code_keeps_it_masked_and_sealed(ambiguous):
    company = SubjectFactory(identifier=ambiguous)
    assert company.kind == SubjectKind.LEGAL_PERSON
    assert company.identifier == mask_id_number(ambiguous) and company.identifier_sealed
    assert company.reveal_identifier() == ambiguous
    assert Subject.objects.identified_by(ambiguous).get() == company
    assert not Subject.objects.filter(identifier=ambiguous).exists()


def test_saving_it_again_keeps_the_sealed_code_and_a_new_code_replaces_it(ambiguous):
    company = SubjectFactory(identifier=ambiguous)
    company.name = "杭州更名后有限公司"
    company.save()
    company.refresh_from_db()
    assert company.identifier == mask_id_number(ambiguous)
    assert company.reveal_identifier() == ambiguous
    company.identifier = make_uscc(4321)
    company.save()
    assert (company.identifier, company.identifier_sealed) == (make_uscc(4321), "")
    assert Subject.objects.identified_by(make_uscc(4321)).get() == company


def test_the_subject_form_keeps_the_masked_code_of_such_an_organisation(ambiguous):
    """Saving the organisation's page without touching its code is not taken for turning a
    person into an organisation."""
    company = SubjectFactory(identifier=ambiguous)
    data = {"kind": company.kind, "name": "杭州更名后有限公司", "identifier": company.identifier}
    form = SubjectForm(data=data, instance=company)
    assert form.is_valid(), form.errors
    form.save()
    company.refresh_from_db()
    assert company.reveal_identifier() == ambiguous and company.name == "杭州更名后有限公司"


@pytest.mark.parametrize("kind", [SubjectKind.LEGAL_PERSON, SubjectKind.NATURAL_PERSON])
def test_the_subject_form_enters_such_a_code_as_the_kind_chosen(ambiguous, kind):
    """Entered as an organisation, the code is the organisation's; as a person, the person's.
    Either way it is stored sealed and shown masked."""
    region = SubjectFactory().region
    data = {"kind": kind, "name": "杭州两读有限公司", "identifier": ambiguous, "region": region.pk}
    form = SubjectForm(data=data)
    assert form.is_valid(), form.errors
    subject = form.save()
    assert subject.kind == kind
    assert subject.identifier == mask_id_number(ambiguous)
    assert Subject.objects.identified_by(ambiguous).get() == subject


def test_the_portal_shows_it_masked(client, ambiguous):
    company = SubjectFactory(identifier=ambiguous, name="杭州两可代码有限公司")
    entry = ListEntryFactory(subject=company, effective=True, list__kind="black")
    assert documents.public_code(entry) == mask_id_number(ambiguous)
    for page in ("/", "/lists/black/"):
        html = client.get(page).content.decode()
        assert "杭州两可代码有限公司" in html
        assert mask_id_number(ambiguous) in html and ambiguous not in html


def test_a_check_shows_it_masked(api, measures, ambiguous):
    company = SubjectFactory(identifier=ambiguous)
    ListEntryFactory(subject=company, effective=True, list__kind="black")
    body = check(api, subject=ambiguous, scenario="government_procurement").json()
    assert body["subject"]["code"] == mask_id_number(ambiguous)
    assert body["result"] == "punish"


@pytest.mark.django_db(transaction=True)
def test_organisations_stored_before_get_such_a_code_masked_and_sealed(ambiguous):
    """The migration protects the codes already stored in clear; other codes stay as they
    are, and every subject is found by its code as before."""
    try:
        company = SubjectFactory(identifier=make_uscc(77))
        other = SubjectFactory(identifier=make_uscc(78))
        apps = migrate([("subjects", "0005_identifier_digest_unique")])
        # As the importer stored it before: the code in clear, nothing sealed.
        apps.get_model("subjects", "Subject").objects.filter(pk=company.pk).update(
            identifier=ambiguous, identifier_digest=identifier_digest(ambiguous)
        )
        migrate_to_latest()
    finally:
        migrate_to_latest()
    company.refresh_from_db()
    other.refresh_from_db()
    assert company.identifier == mask_id_number(ambiguous)
    assert company.reveal_identifier() == ambiguous
    assert Subject.objects.identified_by(ambiguous).get() == company
    assert (other.identifier, other.identifier_sealed) == (make_uscc(78), "")
