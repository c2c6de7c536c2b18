"""Credit repair (R8, R4; 000 §九, 002 §二十六): a subject applies with materials for its own
effective entry or published record, free of charge, one application at a time; the
department concerned accepts (early exit; 终止公示 and 停止共享) or rejects, with reasons."""

import datetime as dt

import pytest
from django.test import Client

from tests import subject_remedies as shared
from tests.data.ingest import samples
from tests.factories import (
    CatalogItemFactory,
    CreditRecordFactory,
    DepartmentFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
    UserFactory,
)
from tests.subject_remedies import NAMED, NEEDED, account_of, logged_in, materials, pdf
from xinyong.access.models import SubjectAccount
from xinyong.api import tokens
from xinyong.audit.models import AuditEntry, QueryRegistration
from xinyong.catalog import services as catalog_services
from xinyong.catalog.models import (
    CreditRecord,
    Disclosure,
    PublicationTier,
    RecordFormat,
    ShareScope,
)
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import services as listing_services
from xinyong.listings.decision_records import Announcement
from xinyong.listings.models import EntryState, ExitReason
from xinyong.listings.tick.black_list_proposals import usable_serious_records
from xinyong.remedies import repairs
from xinyong.remedies.models import RepairApplication, RepairState
from xinyong.remedies.repair_workflow import RepairAction

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 16)
# the shared fixtures
me, account, client, stored_files = shared.me, shared.account, shared.client, shared.stored_files


def _materials(training=True):
    return materials((*NEEDED, "training") if training else NEEDED, names=NAMED)


def _apply(client, url, day=DAY, corrected="已缴清罚款并完成整改", **materials):
    with clock.frozen(day):
        return client.post(url, {"corrected": corrected, **(materials or _materials())})


def _record(me, **fields):
    return CreditRecordFactory(
        subject=me, published_on=dt.date(2026, 9, 3), publication_min_ends_on=dt.date(2027, 3, 1),
        publication_ends_on=dt.date(2027, 9, 1), sharing_ends_on=dt.date(2027, 9, 1), **fields,
    )  # fmt: skip


def _officer_of(department):
    return OfficerFactory(department=department).user


def _office(department) -> Client:
    return logged_in(_officer_of(department))


def test_a_subject_applies_to_repair_its_effective_entry(client, me):
    entry = ListEntryFactory(subject=me, effective=True)
    answer = _apply(client, f"/my/entries/{entry.pk}/repair/")
    assert answer.status_code == 302
    assert answer["Location"] == f"/my/#repair-entry-{entry.pk}"
    application = RepairApplication.objects.get(entry=entry)
    assert (application.state, application.submitted_on) == (RepairState.SUBMITTED, DAY)
    assert application.department == entry.list.recognizing_department
    assert sorted(m.kind for m in application.materials.all()) == [
        "commitment", "fulfilment", "training",
    ]  # fmt: skip
    assert AuditEntry.objects.filter(action="remedies.repair.apply").count() == 1
    with clock.frozen(DAY):
        html = client.get("/my/").content.decode()
    assert "办理部门正在审核" in html and "信用承诺书.pdf" in html


def test_the_commitment_and_proof_are_required_and_files_bounded(client, me):
    entry = ListEntryFactory(subject=me, effective=True)
    missing = _apply(client, f"/my/entries/{entry.pk}/repair/", fulfilment=[pdf("a.pdf")])
    assert missing.status_code == 422 and 'data-error="commitment"' in missing.content.decode()
    too_many = _apply(
        client, f"/my/entries/{entry.pk}/repair/",
        fulfilment=[pdf(f"{n}.pdf") for n in range(5)], commitment=[pdf("c.pdf")],
    )  # fmt: skip
    assert "最多提交 5 个" in too_many.content.decode()
    assert not RepairApplication.objects.exists()


def test_a_list_without_repair_is_refused(client, me):
    entry = ListEntryFactory(
        subject=me, effective=True, list=ListDefinitionFactory(repairable=False)
    )
    answer = _apply(client, f"/my/entries/{entry.pk}/repair/")
    assert answer.status_code == 422
    assert "该名单不适用信用修复" in answer.content.decode()
    assert not RepairApplication.objects.exists()


@pytest.mark.parametrize(("last_day", "taken"), [(DAY, True), (DAY - dt.timedelta(days=1), False)])
def test_an_entry_past_its_last_day_takes_no_repair(client, me, last_day, taken):
    """In force through its last day; the day after it has ended by expiry (R4), recorded by
    the daily job or not, so there is nothing left to end early by a repair (R8)."""
    entry = ListEntryFactory(subject=me, effective=True, valid_until=last_day)
    answer = _apply(client, f"/my/entries/{entry.pk}/repair/")
    assert (answer.status_code == 302) is taken
    assert RepairApplication.objects.exists() is taken
    if not taken:
        assert answer.status_code == 422  # the form's page, with the reason
        assert "仅对生效中的名单记录申请信用修复" in answer.content.decode()


def test_a_second_open_application_is_refused(client, me):
    entry = ListEntryFactory(subject=me, effective=True)
    assert _apply(client, f"/my/entries/{entry.pk}/repair/").status_code == 302
    with clock.frozen(DAY), pytest.raises(XinyongError) as refused:
        repairs.apply_for_entry(
            entry.pk, actor=SubjectAccount.objects.get(subject=me).user, corrected="再次申请",
            materials=_materials(),
        )  # fmt: skip
    assert refused.value.code == "repair-pending"
    assert RepairApplication.objects.count() == 1


def test_a_record_is_refused_before_its_minimum_with_the_day_and_taken_on_that_day(client, me):
    record = _record(me)
    early = _apply(client, f"/my/records/{record.pk}/repair/", day=dt.date(2027, 3, 1))
    assert early.status_code == 422
    assert "最短公示期未满，自 2027-03-02 起可以申请信用修复" in early.content.decode()
    with clock.frozen(dt.date(2027, 3, 1)):
        assert "自 2027-03-02 起" in client.get("/my/").content.decode()
    first_day = _apply(client, f"/my/records/{record.pk}/repair/", day=dt.date(2027, 3, 2))
    assert first_day.status_code == 302
    assert RepairApplication.objects.get(record=record).submitted_on == dt.date(2027, 3, 2)


def test_another_subjects_entry_and_record_answer_404(client):
    other = SubjectFactory()
    entry = ListEntryFactory(subject=other, effective=True)
    record = _record(other)
    assert _apply(client, f"/my/entries/{entry.pk}/repair/").status_code == 404
    day = dt.date(2027, 3, 2)
    assert _apply(client, f"/my/records/{record.pk}/repair/", day=day).status_code == 404
    assert not RepairApplication.objects.exists()


def test_accepting_an_entrys_repair_exits_it_early_and_announces_it(client, me):
    entry = ListEntryFactory(subject=me, effective=True)
    _apply(client, f"/my/entries/{entry.pk}/repair/")
    application = RepairApplication.objects.get()
    office = _office(entry.list.recognizing_department)
    assert "杭州某某科技有限公司" in office.get("/office/repairs/").content.decode()
    page = office.get(f"/office/repairs/{application.pk}/").content.decode()
    assert "缴款凭证.pdf" in page
    # Closing is not a department's choice: it follows from the entry's end, on its own.
    refused = office.post(
        f"/office/repairs/{application.pk}/", {"decision": "close", "reasons": "终止"}
    )
    assert refused.status_code != 302
    application.refresh_from_db()
    assert application.state == RepairState.SUBMITTED
    decided = dt.date(2026, 11, 20)
    with clock.frozen(decided):
        answer = office.post(
            f"/office/repairs/{application.pk}/",
            {"decision": "accept", "reasons": "已履行处罚决定，材料齐全"},
        )
    assert answer.status_code == 302
    entry.refresh_from_db()
    assert (entry.state, entry.exit_reason, entry.exited_on) == (
        EntryState.EXITED, ExitReason.REPAIRED, decided
    )  # fmt: skip
    assert entry.announcements.filter(kind=Announcement.Kind.EXIT).count() == 1
    application.refresh_from_db()
    assert (application.state, application.decided_on) == (RepairState.ACCEPTED, decided)
    assert AuditEntry.objects.filter(action="remedies.repair.accept").count() == 1
    with clock.frozen(decided):
        html = client.get("/my/").content.decode()
    assert "准予修复" in html and "已履行处罚决定，材料齐全" in html


def test_an_entry_with_a_repair_applied_for_is_not_exited_as_repaired_by_hand(client, me):
    """The application decides the repair and ends the entry (R8): an exit for repair on the
    entry's own form would leave the application open, to be rejected at best."""
    entry = ListEntryFactory(subject=me, effective=True)
    _apply(client, f"/my/entries/{entry.pk}/repair/")
    officer = _officer_of(entry.list.recognizing_department)
    with clock.frozen(dt.date(2026, 11, 20)), pytest.raises(XinyongError) as refused:
        listing_services.exit_entry(entry.pk, actor=officer, reason="repaired", note="已修复")
    assert (refused.value.code, refused.value.status) == ("repair-pending", 409)
    entry.refresh_from_db()
    assert entry.state == EntryState.EFFECTIVE
    # Another department learns nothing of the application: the entry is not there for it.
    stranger = _officer_of(DepartmentFactory(is_recognizing=True))
    with clock.frozen(dt.date(2026, 11, 20)), pytest.raises(XinyongError) as refused:
        listing_services.exit_entry(entry.pk, actor=stranger, reason="repaired", note="已修复")
    assert (refused.value.code, refused.value.status) == ("entry-not-found", 404)


def test_an_entrys_repair_waits_for_the_objection_being_verified(client, me):
    """The early exit would end an open objection unanswered (R6): the objection is decided
    first; until then accepting is refused and nothing changes."""
    entry = ListEntryFactory(subject=me, effective=True)
    _apply(client, f"/my/entries/{entry.pk}/repair/")
    application = RepairApplication.objects.get()
    entry.verification_due_on = dt.date(2026, 12, 2)
    entry.save()
    with clock.frozen(dt.date(2026, 11, 20)), pytest.raises(XinyongError) as refused:
        repairs.decide_repair(
            application.pk, actor=_officer_of(entry.list.recognizing_department),
            action=RepairAction.ACCEPT, reasons="材料齐全",
        )  # fmt: skip
    assert (refused.value.code, refused.value.status) == ("objection-pending", 409)
    entry.refresh_from_db()
    application.refresh_from_db()
    assert (entry.state, entry.verification_due_on) == (EntryState.EFFECTIVE, dt.date(2026, 12, 2))
    assert application.state == RepairState.SUBMITTED


def test_accepting_a_records_repair_stops_publication_and_sharing_that_day(client, me):
    record = _record(me)
    _apply(client, f"/my/records/{record.pk}/repair/", day=dt.date(2027, 3, 2))
    application = RepairApplication.objects.get()
    with clock.frozen(dt.date(2027, 3, 9)):
        repairs.decide_repair(
            application.pk, actor=_officer_of(record.department), action=RepairAction.ACCEPT,
            reasons="已完成整改",
        )  # fmt: skip
    record.refresh_from_db()
    assert (record.publication_ended_on, record.sharing_stopped_on) == (
        dt.date(2027, 3, 9), dt.date(2027, 3, 9)
    )  # fmt: skip
    assert not record.is_published and not record.is_shared


def test_rejecting_tells_the_subject_the_reasons(client, me):
    entry = ListEntryFactory(subject=me, effective=True)
    _apply(client, f"/my/entries/{entry.pk}/repair/")
    application = RepairApplication.objects.get()
    with clock.frozen(DAY):
        repairs.decide_repair(
            application.pk, actor=_officer_of(entry.list.recognizing_department),
            action=RepairAction.REJECT, reasons="缴款凭证与处罚决定书金额不符",
        )  # fmt: skip
        html = client.get("/my/").content.decode()
    entry.refresh_from_db()
    assert entry.state == EntryState.EFFECTIVE
    assert "不予修复" in html and "缴款凭证与处罚决定书金额不符" in html
    # Decided, it may be applied for again.
    assert f"/my/entries/{entry.pk}/repair/" in html


def test_a_decided_application_is_not_decided_again(client, me):
    entry = ListEntryFactory(subject=me, effective=True)
    _apply(client, f"/my/entries/{entry.pk}/repair/")
    application = RepairApplication.objects.get()
    officer = _officer_of(entry.list.recognizing_department)
    with clock.frozen(DAY):
        repairs.decide_repair(
            application.pk, actor=officer, action=RepairAction.REJECT, reasons="材料不全"
        )
        with pytest.raises(XinyongError) as refused:
            repairs.decide_repair(
                application.pk, actor=officer, action=RepairAction.ACCEPT, reasons="准予"
            )
    assert refused.value.code == "repair-already-decided"
    entry.refresh_from_db()
    assert entry.state == EntryState.EFFECTIVE


def test_another_department_neither_sees_nor_decides(client, me):
    entry = ListEntryFactory(subject=me, effective=True)
    _apply(client, f"/my/entries/{entry.pk}/repair/")
    application = RepairApplication.objects.get()
    material = application.materials.first()
    office = _office(ListDefinitionFactory().recognizing_department)
    assert "杭州某某科技有限公司" not in office.get("/office/repairs/").content.decode()
    assert office.get(f"/office/repairs/{application.pk}/").status_code == 404
    assert office.get(f"/office/repair-materials/{material.pk}/").status_code == 404
    with clock.frozen(DAY):
        answer = office.post(
            f"/office/repairs/{application.pk}/", {"decision": "accept", "reasons": "准予"}
        )
    assert answer.status_code == 404
    application.refresh_from_db()
    assert application.state == RepairState.SUBMITTED


# --- registration of the office's reads (R14) -------------------------------------------------


def _applied_by(subject, definition=None) -> RepairApplication:
    """An application to repair the subject's effective entry, sent through its own account."""
    user = account_of(subject)
    entry = ListEntryFactory(
        subject=subject, effective=True, **({"list": definition} if definition else {})
    )
    with clock.frozen(DAY):
        return repairs.apply_for_entry(
            entry.pk, actor=user, corrected="已缴清罚款", materials=_materials()
        )


def _download(office, material):
    """The status of a material's download, read to the end (which closes its file)."""
    answer = office.get(f"/office/repair-materials/{material.pk}/")
    if answer.streaming:
        b"".join(answer.streaming_content)
    return answer.status_code


def test_opening_a_persons_application_registers_one_row_with_its_purpose():
    """R14: the office page registers as the API does: who, purpose, subject, time."""
    person = SubjectFactory(natural_person=True, name="赵某某")
    application = _applied_by(person)
    office = _office(application.department)
    with clock.frozen(DAY):
        assert office.get(f"/office/repairs/{application.pk}/").status_code == 200
    row = QueryRegistration.objects.get()
    assert (row.purpose_id, row.kind, row.subject, row.natural_persons, row.rows) == (
        "credit_repair", "entry_read", person, 1, 1
    )  # fmt: skip
    assert row.department == application.department
    assert row.route == "GET /office/repairs/<int:application_id>/"


def test_an_organisations_application_registers_nothing(me):
    application = _applied_by(me)
    office = _office(application.department)
    with clock.frozen(DAY):
        assert office.get(f"/office/repairs/{application.pk}/").status_code == 200
        assert office.get("/office/repairs/").status_code == 200
        assert _download(office, application.materials.first()) == 200
    assert not QueryRegistration.objects.exists()  # no natural person named


def test_the_list_and_a_persons_material_are_registered():
    person = SubjectFactory(natural_person=True, name="赵某某")
    application = _applied_by(person)
    _applied_by(SubjectFactory(name="杭州某某餐饮有限公司"), application.entry.list)
    office = _office(application.department)
    with clock.frozen(DAY):
        assert office.get("/office/repairs/").status_code == 200
        material = application.materials.first()
        assert _download(office, material) == 200
    rows = list(QueryRegistration.objects.order_by("id"))
    assert [(r.kind, r.natural_persons, r.rows, r.purpose_id) for r in rows] == [
        ("entry_list", 1, 2, "credit_repair"), ("export", 1, 1, "credit_repair"),
    ]  # fmt: skip
    assert rows[1].subject == person


def test_a_refused_decision_shown_again_is_registered_once_and_a_taken_one_on_its_page():
    person = SubjectFactory(natural_person=True, name="赵某某")
    application = _applied_by(person)
    office = _office(application.department)
    url = f"/office/repairs/{application.pk}/"
    with clock.frozen(DAY):
        assert office.post(url, {"decision": "accept"}).status_code == 422  # no reasons
        assert QueryRegistration.objects.count() == 1
        answer = office.post(url, {"decision": "reject", "reasons": "材料不全"}, follow=True)
    assert answer.status_code == 200
    assert QueryRegistration.objects.count() == 2  # the page it lands on, not the POST itself


# --- shared but not published; the minimum on every path (R8, 国办发〔2025〕22号) -------------


def _shared_only(me, disclosure, **fields):
    """A serious penalty decided on 2026-09-01 under an item not disclosed to the public: never
    published, shared to 2029-09-01, its tier's minimum to 2027-09-01."""
    item = CatalogItemFactory(
        record_format=RecordFormat.PENALTY, disclosure=disclosure,
        share_scope=ShareScope.UNCONDITIONAL,
    )  # fmt: skip
    return CreditRecordFactory(**{
        "subject": me, "catalog_item": item, "tier": PublicationTier.SERIOUS, "is_serious": True,
        "published_on": None, "publication_min_ends_on": dt.date(2027, 9, 1),
        "publication_ends_on": None, "sharing_ends_on": dt.date(2029, 9, 1), **fields,
    })  # fmt: skip


@pytest.mark.parametrize("disclosure", [Disclosure.ON_REQUEST, Disclosure.NOT_PUBLIC])
def test_a_record_shared_but_never_published_is_repaired_after_its_minimum(client, me, disclosure):
    """Still shared, it still counts for black-list proposals and other departments still act
    on it: the subject may have its sharing stopped by repair, after the minimum (R8)."""
    record = _shared_only(me, disclosure)
    url = f"/my/records/{record.pk}/repair/"
    early = _apply(client, url, day=dt.date(2027, 9, 1))
    assert early.status_code == 422
    assert "最短公示期未满，自 2027-09-02 起可以申请信用修复" in early.content.decode()
    with clock.frozen(dt.date(2027, 9, 1)):
        assert f'id="repair-record-{record.pk}"' in client.get("/my/").content.decode()
    assert _apply(client, url, day=dt.date(2027, 9, 2)).status_code == 302
    with clock.frozen(dt.date(2027, 9, 2)):
        assert "办理部门正在审核" in client.get("/my/").content.decode()
    application = RepairApplication.objects.get(record=record)
    day = dt.date(2027, 9, 9)
    assert usable_serious_records(day).filter(pk=record.pk).exists()
    with clock.frozen(day):
        repairs.decide_repair(
            application.pk, actor=_officer_of(record.department), action=RepairAction.ACCEPT,
            reasons="已完成整改",
        )  # fmt: skip
    record.refresh_from_db()
    assert (record.published_on, record.publication_ended_on, record.sharing_stopped_on) == (
        None, None, day
    )  # fmt: skip
    assert not usable_serious_records(day).filter(pk=record.pk).exists()


def test_publication_cannot_be_shortened_on_a_record_never_published(me):
    """Shortening is for a publication that runs: the form does not offer it, and the service
    says why, rather than that the record is no longer published."""
    record = _shared_only(me, Disclosure.NOT_PUBLIC)
    application = RepairApplication.objects.create(
        subject=me, record=record, department=record.department,
        account=UserFactory(), corrected="已整改", submitted_on=dt.date(2027, 9, 2),
    )  # fmt: skip
    office = _office(record.department)
    with clock.frozen(dt.date(2027, 9, 9)):
        form = office.get(f"/office/repairs/{application.pk}/").content.decode()
        answer = office.post(
            f"/office/repairs/{application.pk}/",
            {"decision": "accept", "reasons": "准予", "outcome": "shorten",
             "ends_on": "2028-01-01"},
        )  # fmt: skip
    assert 'name="outcome" value="shorten" disabled' in form
    assert answer.status_code == 409 and "该信息未公示，不能缩短公示期" in answer.content.decode()
    record.refresh_from_db()
    assert (record.publication_ends_on, record.sharing_ends_on) == (None, dt.date(2029, 9, 1))


@pytest.mark.parametrize(
    ("fields", "refusal"),
    [
        # Published, then ended with its sharing: nothing left to repair.
        ({"published_on": dt.date(2026, 9, 3), "publication_ended_on": dt.date(2027, 9, 2),
          "sharing_stopped_on": dt.date(2027, 9, 2)}, "该信息已终止公示并停止共享，无需修复"),
        # Never published, its sharing over (the daily job has not yet written the stop).
        ({"sharing_ends_on": dt.date(2027, 9, 30)}, "该信息未公示，且已停止共享，无需修复"),
        # Published, its publication over but still shared: taken.
        ({"published_on": dt.date(2026, 9, 3), "publication_ends_on": dt.date(2027, 9, 30)}, None),
    ],
)  # fmt: skip
def test_a_record_needs_no_repair_only_once_neither_published_nor_shared(
    client, me, fields, refusal
):
    record = _shared_only(me, Disclosure.PUBLIC, **fields)
    answer = _apply(client, f"/my/records/{record.pk}/repair/", day=dt.date(2027, 10, 8))
    if refusal is None:
        assert answer.status_code == 302
        return
    assert answer.status_code == 422 and refusal in answer.content.decode()
    with clock.frozen(dt.date(2027, 10, 8)):
        assert f'id="repair-record-{record.pk}"' not in client.get("/my/").content.decode()


def test_an_imported_serious_penalty_of_an_item_not_public_keeps_its_minimum(tmp_path, client):
    """Imported under an item not disclosed to the public, a serious penalty decided on
    2026-11-02 is shared to 2029-11-02 and keeps its tier's minimum, to 2027-11-02: neither it
    nor a black-list entry resting on its decision is repaired before 2027-11-03 (R8)."""
    department = DepartmentFactory(code="hz-scjg")
    CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                       provider=None, disclosure=Disclosure.NOT_PUBLIC)  # fmt: skip
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS,
                             [samples.penalty(1, CF_CFLB="吊销许可证件")])  # fmt: skip
    with clock.frozen(dt.date(2026, 11, 5)):
        catalog_services.import_file(actor="t", kind="penalties", path=path, department=department)
    record = CreditRecord.objects.get()
    assert (record.tier, record.published_on, record.publication_min_ends_on) == (
        "serious", None, dt.date(2027, 11, 2)
    )  # fmt: skip
    SubjectAccount.objects.filter(user__username="zhuti").update(subject=record.subject)
    definition = ListDefinitionFactory(recognizing_department=department, repairable=True)
    entry = ListEntryFactory(list=definition, subject=record.subject, effective=True,
                             decision_document_number=record.document_number)  # fmt: skip
    with clock.frozen(dt.date(2026, 11, 16)):
        refused = repairs.entry_refusal(entry)
    assert refused is not None and refused.details["repairable_from"] == "2027-11-03"
    entry.state = EntryState.EXITED  # the record alone, once no live entry rests on it
    entry.save()
    url = f"/my/records/{record.pk}/repair/"
    assert _apply(client, url, day=dt.date(2027, 11, 2)).status_code == 422
    assert _apply(client, url, day=dt.date(2027, 11, 3)).status_code == 302


def _black_entry_on_serious_record(me):
    record = CreditRecordFactory(
        subject=me, tier=PublicationTier.SERIOUS, is_serious=True,
        document_number="浙市监失信〔2026〕1号", published_on=dt.date(2026, 9, 3),
        publication_min_ends_on=dt.date(2027, 9, 1), publication_ends_on=dt.date(2029, 9, 1),
        sharing_ends_on=dt.date(2029, 9, 1),
    )  # fmt: skip
    definition = ListDefinitionFactory(recognizing_department=record.department, repairable=True)
    return ListEntryFactory(list=definition, subject=me, effective=True,
                            decision_document_number="浙市监失信〔2026〕1号")  # fmt: skip


def test_an_officer_exits_an_entry_as_repaired_only_after_the_minimum(me):
    """The officer's own exit form is held to the minimum an application is held to: refused
    with the first day repair is possible, then taken on that day (R8)."""
    entry = _black_entry_on_serious_record(me)
    officer = _officer_of(entry.list.recognizing_department)
    with clock.frozen(dt.date(2027, 9, 1)), pytest.raises(XinyongError) as refused:
        listing_services.exit_entry(entry.pk, actor=officer, reason="repaired", note="已修复")
    assert (refused.value.code, refused.value.status) == ("repair-before-minimum", 409)
    assert "自 2027-09-02 起" in refused.value.message
    assert refused.value.details["repairable_from"] == "2027-09-02"
    entry.refresh_from_db()
    assert entry.state == EntryState.EFFECTIVE
    with clock.frozen(dt.date(2027, 9, 2)):
        listing_services.exit_entry(entry.pk, actor=officer, reason="repaired", note="已修复")
    entry.refresh_from_db()
    assert (entry.state, entry.exit_reason) == (EntryState.EXITED, ExitReason.REPAIRED)


def test_the_api_refuses_a_repaired_exit_before_the_minimum_and_hides_other_departments(me):
    entry = _black_entry_on_serious_record(me)

    def exit_as_repaired(department):
        token, _ = tokens.create_token(actor="test", user=_officer_of(department))
        api = Client(headers={"Authorization": f"Bearer {token}"})
        with clock.frozen(dt.date(2026, 11, 16)):
            return api.post(
                f"/api/v1/listings/entries/{entry.pk}/exit",
                {"reason": "repaired", "note": "已修复", "version": entry.version},
                content_type="application/json",
            )

    answer = exit_as_repaired(entry.list.recognizing_department)
    assert answer.status_code == 409
    assert answer.json()["code"] == "repair-before-minimum"
    assert "2027-09-02" in answer.json()["message"]
    other = exit_as_repaired(DepartmentFactory())
    assert (other.status_code, other.json()["code"]) == (404, "entry-not-found")
    entry.refresh_from_db()
    assert entry.state == EntryState.EFFECTIVE


@pytest.mark.parametrize(
    ("kind", "repairable"),
    [("honour", False), ("registration", False), ("qualification", False),
     ("administrative", True), ("abnormal_operation", True), ("contract", True)],
)  # fmt: skip
def test_only_information_that_may_record_dishonesty_takes_repair(client, me, kind, repairable):
    """Repair mends dishonesty information (R8, 000 §九): an honour, a registration or a
    qualification is not offered it, on the subject's page or by a form sent anyway."""
    item = CatalogItemFactory(info_kind=kind, record_format=RecordFormat.OTHER)
    record = _record(me, catalog_item=item)
    with clock.frozen(dt.date(2027, 3, 2)):
        refused = repairs.record_refusal(record, clock.today())
        page = client.get("/my/").content.decode()
    assert (refused is None) is repairable
    assert (f"/my/records/{record.pk}/repair/" in page) is repairable
    answer = _apply(client, f"/my/records/{record.pk}/repair/", day=dt.date(2027, 3, 2))
    assert answer.status_code == (302 if repairable else 422)
    if not repairable:
        assert "该信息不适用信用修复" in answer.content.decode()
