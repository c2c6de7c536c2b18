"""A subject names the files it sends as it likes, after a person too: a citizen ID in the name
of an objection's evidence or a repair's material is masked wherever the name is shown (R14,
001 §13-14): the subject's own page, the office pages, the API's answers and the name a
download is given; the file is kept under a name of ours, which holds no part of it."""

import datetime as dt
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests import subject_remedies as shared
from tests.factories import (
    CreditRecordFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    make_citizen_id,
)
from xinyong.api import tokens
from xinyong.audit.models import AuditEntry
from xinyong.core import clock
from xinyong.core.masking import mask_id_number
from xinyong.remedies.models import ObjectionEvidence, RecordObjectionEvidence, RepairMaterial

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 16)
JPG = b"\xff\xd8\xff\xe0" + b"\0" * 32
CITIZEN_ID = make_citizen_id(11)
MASKED = mask_id_number(CITIZEN_ID)
SENT, SHOWN = f"{CITIZEN_ID}身份证.jpg", f"{MASKED}身份证.jpg"
SENT_PDF, SHOWN_PDF = f"张三_{CITIZEN_ID}.pdf", f"张三_{MASKED}.pdf"
PDF = shared.PDF
# the shared fixtures
me, account, client, stored_files = shared.me, shared.account, shared.client, shared.stored_files


def _files():
    return [
        SimpleUploadedFile(SENT, JPG, content_type="image/jpeg"),
        SimpleUploadedFile(SENT_PDF, PDF, content_type="application/pdf"),
    ]


def _office(department) -> Client:
    office = Client()
    office.force_login(OfficerFactory(department=department).user)
    return office


def _api(department) -> Client:
    token, _ = tokens.create_token(actor="test", user=OfficerFactory(department=department).user)
    return Client(headers={"Authorization": f"Bearer {token}"})


def _record(me):
    return CreditRecordFactory(
        subject=me, published_on=dt.date(2026, 9, 3), publication_min_ends_on=dt.date(2026, 10, 1),
        publication_ends_on=dt.date(2027, 9, 1), sharing_ends_on=dt.date(2027, 9, 1),
    )  # fmt: skip


def _names_kept(files) -> list[str]:
    return [file.file_name for file in files.order_by("pk")]


def _shown_masked(text: str) -> None:
    assert CITIZEN_ID not in text
    assert SHOWN in text and SHOWN_PDF in text


def _downloaded_masked(answer, name: str) -> None:
    assert answer.status_code == 200
    disposition = answer["Content-Disposition"]
    assert CITIZEN_ID not in disposition and quote(name) in disposition
    b"".join(answer.streaming_content)  # read to the end, which closes the file


def _kept_under_our_names(files, tmp_path) -> None:
    assert all(CITIZEN_ID not in file.stored_name for file in files)
    on_disk = [str(path) for path in tmp_path.rglob("*")]
    assert on_disk and not any(CITIZEN_ID in path for path in on_disk)


def _no_audit_row_names_it() -> None:
    assert CITIZEN_ID not in str(list(AuditEntry.objects.values()))


def test_an_entry_objections_evidence_is_named_masked(client, me, tmp_path):
    entry = ListEntryFactory(subject=me, in_publicity=True)
    with clock.frozen(DAY):
        answer = client.post(
            f"/my/entries/{entry.pk}/objection/", {"grounds": "事实有误", "files": _files()}
        )
    assert answer.status_code == 302
    files = ObjectionEvidence.objects.all()
    assert _names_kept(files) == [SHOWN, SHOWN_PDF]
    _shown_masked(client.get("/my/").content.decode())
    office = _office(entry.list.recognizing_department)
    _shown_masked(office.get(f"/office/entries/{entry.pk}/").content.decode())
    photo = files.first()
    _downloaded_masked(client.get(f"/my/evidence/{photo.pk}/"), SHOWN)
    _downloaded_masked(office.get(f"/office/evidence/{photo.pk}/"), SHOWN)
    _kept_under_our_names(files, tmp_path)
    _no_audit_row_names_it()


def test_a_record_objections_evidence_is_named_masked(client, me, tmp_path):
    record = _record(me)
    with clock.frozen(DAY):
        answer = client.post(
            f"/my/records/{record.pk}/objection/", {"grounds": "事实有误", "files": _files()}
        )
    assert answer.status_code == 302
    files = RecordObjectionEvidence.objects.all()
    assert _names_kept(files) == [SHOWN, SHOWN_PDF]
    objection = files.first().objection
    _shown_masked(client.get("/my/").content.decode())
    office = _office(record.department)
    _shown_masked(office.get(f"/office/record-objections/{objection.pk}/").content.decode())
    api = _api(record.department)
    with clock.frozen(DAY):
        one = api.get(f"/api/v1/record-objections/{objection.pk}")
    assert [file["name"] for file in one.json()["evidence"]] == [SHOWN, SHOWN_PDF]
    assert CITIZEN_ID not in one.content.decode()
    photo = files.first()
    _downloaded_masked(client.get(f"/my/record-evidence/{photo.pk}/"), SHOWN)
    _downloaded_masked(office.get(f"/office/record-objection-evidence/{photo.pk}/"), SHOWN)
    _downloaded_masked(
        api.get(f"/api/v1/record-objections/{objection.pk}/evidence/{photo.pk}"), SHOWN
    )
    _kept_under_our_names(files, tmp_path)
    _no_audit_row_names_it()


def test_a_repairs_materials_are_named_masked(client, me, tmp_path):
    entry = ListEntryFactory(subject=me, list=ListDefinitionFactory(), effective=True)
    fulfilment, commitment = _files()
    with clock.frozen(DAY):
        answer = client.post(
            f"/my/entries/{entry.pk}/repair/",
            {"corrected": "已缴清罚款", "fulfilment": [fulfilment], "commitment": [commitment]},
        )
    assert answer.status_code == 302
    files = RepairMaterial.objects.all()
    assert _names_kept(files) == [SHOWN, SHOWN_PDF]
    application = files.first().application
    _shown_masked(client.get("/my/").content.decode())
    office = _office(entry.list.recognizing_department)
    _shown_masked(office.get(f"/office/repairs/{application.pk}/").content.decode())
    api = _api(entry.list.recognizing_department)
    with clock.frozen(DAY):
        one = api.get(f"/api/v1/repairs/{application.pk}")
    assert [file["name"] for file in one.json()["materials"]] == [SHOWN, SHOWN_PDF]
    assert CITIZEN_ID not in one.content.decode()
    photo = files.first()
    _downloaded_masked(client.get(f"/my/repair-materials/{photo.pk}/"), SHOWN)
    _downloaded_masked(office.get(f"/office/repair-materials/{photo.pk}/"), SHOWN)
    _downloaded_masked(api.get(f"/api/v1/repairs/{application.pk}/materials/{photo.pk}"), SHOWN)
    _kept_under_our_names(files, tmp_path)
    _no_audit_row_names_it()


@pytest.mark.parametrize(
    ("suffix", "body", "refusal"),
    [("txt", b"plain", "的类型不受支持"), ("pdf", PDF + b"\0" * (10 * 1024 * 1024), "过大")],
)
def test_a_refused_file_is_named_masked(client, me, suffix, body, refusal):
    """The refusal names the file it refuses, to its sender: masked as a kept name is."""
    entry = ListEntryFactory(subject=me, in_publicity=True)
    sent = SimpleUploadedFile(f"{CITIZEN_ID}.{suffix}", body)
    with clock.frozen(DAY):
        answer = client.post(
            f"/my/entries/{entry.pk}/objection/", {"grounds": "事实有误", "files": [sent]}
        )
    page = answer.content.decode()
    assert answer.status_code == 200 and refusal in page  # the form again, with the refusal
    assert CITIZEN_ID not in page and f"“{MASKED}.{suffix}”" in page
