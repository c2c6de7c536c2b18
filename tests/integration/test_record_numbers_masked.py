"""A citizen ID a department wrote into a document number or an issuing body is never shown in
clear: not on the public register, not on the subject's own pages, not in the API (R14, DOMAIN.md
§4: first 6 and last 4, never the birth date). The issuing body is stored masked; the document
number is kept unmasked in its canonical form, being part of the record's identity (issue §3),
and masked wherever it is shown."""

import datetime as dt

import pytest
from django.test import Client

from tests.data.ingest import samples
from tests.factories import CatalogItemFactory, DepartmentFactory, UserFactory, make_citizen_id
from tests.subject_remedies import logged_in
from xinyong.access.models import SubjectAccount
from xinyong.catalog import services
from xinyong.catalog.models import CreditRecord, RecordFormat
from xinyong.core import clock
from xinyong.core.document_numbers import canonical_document_number
from xinyong.core.masking import mask_id_number

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
ID = make_citizen_id(7)
BIRTH_DATE = ID[6:14]


@pytest.fixture
def department():
    CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                       provider=None)  # fmt: skip
    return DepartmentFactory(code="hz-scjg", name=samples.AUTHORITY)


def imported(tmp_path, department, **changes):
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS,
                             [samples.penalty(1, **changes)])  # fmt: skip
    with clock.frozen(TODAY):
        job = services.import_file(actor="t", kind="penalties", path=path, department=department)
    assert job.inserted == 1
    return CreditRecord.objects.get()


def pages(record) -> str:
    account = UserFactory()
    SubjectAccount.objects.create(user=account, subject=record.subject)
    own = logged_in(account)
    with clock.frozen(TODAY):
        shown = [
            Client().get("/double-publicity/penalties/"),
            Client().get(f"/double-publicity/penalties/{record.pk}/"),
            own.get("/my/"),
            own.get(f"/my/records/{record.pk}/objection/"),
            own.get("/api/v1/me"),
        ]
    assert all(answer.status_code == 200 for answer in shown), [a.status_code for a in shown]
    return "\n".join(answer.content.decode() for answer in shown)


@pytest.mark.parametrize(
    "written",
    [f"处罚{ID}", f"{ID[:6]} {ID[6:14]} {ID[14:]}"],
    ids=["in-a-run", "in-groups"],
)
def test_an_id_in_the_document_number_is_masked_wherever_shown(tmp_path, department, written):
    record = imported(tmp_path, department, CF_WSH=written)
    # The identity's canonical form (spaces removed), never masked; shown as written, masked.
    assert record.document_number == canonical_document_number(written)
    text = pages(record)
    assert ID not in text and BIRTH_DATE not in text
    assert mask_id_number(ID) in text


def test_an_id_in_the_issuing_body_is_stored_and_shown_masked(tmp_path, department):
    record = imported(tmp_path, department, CF_CFJG=f"张三{ID}")
    assert record.issuing_body == f"张三{mask_id_number(ID)}"
    assert ID not in str(record.content)
    text = pages(record)
    assert ID not in text and BIRTH_DATE not in text


def test_a_record_kept_before_the_issuing_body_was_masked_is_shown_masked(tmp_path, department):
    record = imported(tmp_path, department)
    CreditRecord.objects.filter(pk=record.pk).update(issuing_body=f"张三{ID}")
    record.refresh_from_db()
    text = pages(record)
    assert ID not in text and BIRTH_DATE not in text
