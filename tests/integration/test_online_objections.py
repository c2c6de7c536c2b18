"""A credit subject objects online to its own entries (R6, 000 §十一.2, 002 §二十七): through
the listing procedure's own service, only to its own entries, one at a time, with evidence
files bounded in number, size and kind, and sees the result it is told once decided."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests import subject_remedies as shared
from tests.factories import (
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
    UserFactory,
)
from tests.subject_remedies import PDF, pdf
from xinyong.access.models import SubjectAccount
from xinyong.audit.models import AuditEntry
from xinyong.calendars.selectors import work_calendar
from xinyong.core import clock
from xinyong.listings import services
from xinyong.listings.models import EntryState
from xinyong.remedies import evidence
from xinyong.remedies.models import ObjectionEvidence, OnlineObjection

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 10, 13)
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
# the shared fixtures
me, account, client, stored_files = shared.me, shared.account, shared.client, shared.stored_files


def _object(client, entry, grounds="处罚决定已被撤销", files=()):
    with clock.frozen(DAY):
        return client.post(
            f"/my/entries/{entry.pk}/objection/", {"grounds": grounds, "files": list(files)}
        )


def _pdf(name="撤销决定书.pdf", body=PDF):
    return pdf(name, body)


def test_a_subject_objects_to_its_candidacy_in_publicity(client, me):
    entry = ListEntryFactory(subject=me, in_publicity=True)
    answer = _object(client, entry, files=[_pdf(), SimpleUploadedFile("现场.png", PNG)])
    assert answer.status_code == 302
    assert answer["Location"] == f"/my/#entry-{entry.pk}"
    entry.refresh_from_db()
    assert entry.state == EntryState.UNDER_VERIFICATION
    # The deadline is counted as for an officer's registration: 20 days, off a holiday (R15).
    assert entry.verification_due_on == work_calendar().add_days(DAY, 20).date
    event = entry.events.get(action="object")
    assert (event.actor, event.reason, event.data) == (
        "zhuti", "处罚决定已被撤销", {"objector": me.name}
    )  # fmt: skip
    audit = AuditEntry.objects.filter(action="listing.object").get()
    assert audit.actor == "zhuti"
    sent = OnlineObjection.objects.get(event=event)
    assert [(f.file_name, f.content_type) for f in sent.evidence.all()] == [
        ("撤销决定书.pdf", "application/pdf"), ("现场.png", "image/png"),
    ]  # fmt: skip
    with evidence.storage().open(sent.evidence.first().stored_name) as kept:
        assert kept.read() == PDF


@pytest.mark.parametrize("suspends", [True, False])
def test_an_objection_to_an_effective_entry_suspends_measures_where_the_list_says(
    client, me, suspends
):
    definition = ListDefinitionFactory(objection_suspends_measures=suspends)
    entry = ListEntryFactory(subject=me, list=definition, effective=True)
    assert _object(client, entry).status_code == 302
    entry.refresh_from_db()
    assert entry.state == EntryState.EFFECTIVE
    assert entry.verification_due_on == work_calendar().add_days(DAY, 20).date
    assert entry.is_suspended_by_objection is suspends
    page = client.get("/my/").content.decode()
    assert entry.verification_due_on.isoformat() in page
    assert ("相关措施暂停" in page) is suspends


def test_another_subjects_entry_answers_not_found(client):
    theirs = ListEntryFactory(subject=SubjectFactory(), in_publicity=True)
    assert client.get(f"/my/entries/{theirs.pk}/objection/").status_code == 404
    assert _object(client, theirs).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == EntryState.IN_PUBLICITY and theirs.verification_due_on is None


def test_a_draft_is_not_found_and_a_final_entry_takes_no_objection(client, me):
    draft = ListEntryFactory(subject=me)
    assert client.get(f"/my/entries/{draft.pk}/objection/").status_code == 404
    exited = ListEntryFactory(subject=me, exited=True)
    answer = _object(client, exited)
    assert answer.status_code == 422
    assert "transition-not-allowed" in answer.content.decode()
    assert not OnlineObjection.objects.exists()


@pytest.mark.parametrize("trait", ["in_publicity", "effective"])
def test_no_second_objection_while_one_is_verified(client, me, trait):
    entry = ListEntryFactory(subject=me, **{trait: True})
    assert _object(client, entry).status_code == 302
    assert f'href="/my/entries/{entry.pk}/objection/"' not in client.get("/my/").content.decode()
    again = _object(client, entry, grounds="再次异议", files=[_pdf()])
    assert again.status_code == 422
    assert "已有异议正在核实" in again.content.decode()
    assert OnlineObjection.objects.count() == 1
    assert ObjectionEvidence.objects.count() == 0
    assert entry.events.filter(action="object").count() == 1


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("大.pdf", PDF + b"\0" * evidence.MAX_FILE_BYTES), "过大"),
        (SimpleUploadedFile("脚本.html", b"<script>"), "只接受 PDF、JPG、PNG"),
        (SimpleUploadedFile("改名.pdf", b"MZ\x90\0"), "只接受 PDF、JPG、PNG"),
    ],
    ids=["too-large", "wrong-type", "renamed"],
)
def test_evidence_is_bounded_in_size_and_kind(client, me, upload, message):
    entry = ListEntryFactory(subject=me, in_publicity=True)
    answer = _object(client, entry, files=[upload])
    assert answer.status_code == 200
    assert message in answer.content.decode()
    entry.refresh_from_db()
    assert entry.verification_due_on is None and not OnlineObjection.objects.exists()


def test_evidence_is_bounded_in_number(client, me):
    entry = ListEntryFactory(subject=me, in_publicity=True)
    files = [_pdf(f"{n}.pdf") for n in range(evidence.MAX_FILES + 1)]
    answer = _object(client, entry, files=files)
    assert f"最多提交 {evidence.MAX_FILES} 个" in answer.content.decode()
    assert not OnlineObjection.objects.exists()


def test_grounds_are_required(client, me):
    entry = ListEntryFactory(subject=me, in_publicity=True)
    answer = _object(client, entry, grounds="  ")
    assert answer.status_code == 200
    entry.refresh_from_db()
    assert entry.verification_due_on is None


def test_evidence_goes_back_to_its_subject_only(client, me):
    entry = ListEntryFactory(subject=me, in_publicity=True)
    _object(client, entry, files=[_pdf()])
    kept = ObjectionEvidence.objects.get()
    answer = client.get(f"/my/evidence/{kept.pk}/")
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == PDF
    assert answer["Content-Disposition"].startswith("attachment")
    other = UserFactory()
    SubjectAccount.objects.create(user=other, subject=SubjectFactory())
    stranger = Client()
    stranger.force_login(other)
    assert stranger.get(f"/my/evidence/{kept.pk}/").status_code == 404


def test_the_page_shows_the_result_the_subject_was_told(client, me):
    entry = ListEntryFactory(subject=me, effective=True)
    _object(client, entry)
    page = client.get("/my/").content.decode()
    assert 'data-objection="open"' in page
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    with clock.frozen(DAY + dt.timedelta(days=5)):
        services.exit_entry(entry.pk, actor=officer, reason="corrected", note="处罚决定已撤销")
    page = client.get("/my/").content.decode()
    assert 'data-objection="decided"' in page
    assert "异议成立" in page and "书面致歉" in page and "救济途径" in page
    assert "2026-10-18" in page


def test_a_listing_found_wrong_with_no_objection_is_corrected_with_an_apology(client, me):
    """The department finds the listing wrong on its own (or on an implementing department's
    word): the subject is owed the correction and the written apology all the same, and the
    exit notice does not claim an objection (R6, 000 §十一.3)."""
    entry = ListEntryFactory(subject=me, effective=True)
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    with clock.frozen(DAY):
        services.exit_entry(entry.pk, actor=officer, reason="corrected", note="处罚决定已被撤销")
        page = client.get("/my/").content.decode()
    assert f'data-correction="{entry.pk}"' in page
    assert "书面致歉" in page and "处罚决定已被撤销" in page and "自2026年10月13日起移出" in page
    letter = page.split(f'data-correction="{entry.pk}"')[1].split("</pre>")[0]
    assert "经核实认定有误，予以更正" in page and "异议" not in letter
    notice = entry.announcements.get(kind="exit")
    assert "移出原因：经核实认定有误，予以更正" in notice.body
    assert entry.announcements.filter(kind="correction").exists()


def test_an_unfounded_objection_shows_its_result_and_a_new_objection_is_possible(client, me):
    entry = ListEntryFactory(subject=me, effective=True)
    _object(client, entry)
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    with clock.frozen(DAY + dt.timedelta(days=3)):
        services.uphold_after_verification(entry.pk, actor=officer, finding="处罚决定仍然有效")
    page = client.get("/my/").content.decode()
    assert "异议不成立" in page and "处罚决定仍然有效" in page
    assert f'href="/my/entries/{entry.pk}/objection/"' in page


def test_the_verifying_department_gets_the_evidence_and_no_other(client, me):
    entry = ListEntryFactory(subject=me, in_publicity=True)
    _object(client, entry, files=[_pdf()])
    kept = ObjectionEvidence.objects.get()
    ours, theirs = Client(), Client()
    ours.force_login(OfficerFactory(department=entry.list.recognizing_department).user)
    theirs.force_login(OfficerFactory().user)
    page = ours.get(f"/office/entries/{entry.pk}/").content.decode()
    assert f'href="/office/evidence/{kept.pk}/"' in page and "撤销决定书.pdf" in page
    answer = ours.get(f"/office/evidence/{kept.pk}/")
    assert b"".join(answer.streaming_content) == PDF
    assert theirs.get(f"/office/evidence/{kept.pk}/").status_code == 404


def test_a_body_past_what_an_objection_may_weigh_is_refused_before_it_is_read(client, me):
    """The imports' bound (200 MB) is far above five files of 10 MB: a subject's pages refuse
    a larger body from its declared length alone, with the page in the portal's layout."""
    entry = ListEntryFactory(subject=me, in_publicity=True)
    answer = client.post(
        f"/my/entries/{entry.pk}/objection/", b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(evidence.MAX_REQUEST_BYTES + 1),
    )  # fmt: skip
    assert answer.status_code == 413 and "文件过大" in answer.content.decode()
    assert not OnlineObjection.objects.exists()
