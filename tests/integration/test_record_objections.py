"""Objections to credit records (R6: anyone recorded may object with evidence; the department
verifies within 20 days of receipt, corrects or revokes what is wrong and tells the subject the
result and its remedies; 000 §十一.2-3, 002 §二十七)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests import subject_remedies as shared
from tests.factories import (
    CatalogItemFactory,
    CreditRecordFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
    UserFactory,
    make_citizen_id,
)
from tests.subject_remedies import PDF, logged_in
from xinyong.access.models import SubjectAccount
from xinyong.audit.models import AuditEntry, QueryRegistration
from xinyong.catalog.models import CreditRecord, RecordFormat
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import services as listings
from xinyong.listings.models import ListEntry
from xinyong.office.subjects import dossier_for
from xinyong.remedies import record_objection_selectors as selectors
from xinyong.remedies import record_objections as services
from xinyong.remedies import services as entry_objections
from xinyong.remedies.models import RecordObjection, RecordObjectionEvidence
from xinyong.remedies.record_objections import Finding

pytestmark = pytest.mark.django_db
D = dt.date
DAY = D(2026, 11, 16)
# the shared fixtures
me, account, client, stored_files = shared.me, shared.account, shared.client, shared.stored_files


def _record(subject, item=None, **fields):
    item = item or CatalogItemFactory(record_format=RecordFormat.PENALTY, name="行政处罚信息")
    content = {"CF_SY": "未按规定公示年度报告", "CF_YJ": "《企业信息公示暂行条例》第八条",
               "CF_NR": "警告", "CF_CFLB": "警告"}  # fmt: skip
    usual = {"published_on": D(2026, 9, 3), "publication_ends_on": D(2027, 9, 1),
             "sharing_ends_on": D(2027, 9, 1), "content": content}  # fmt: skip
    return CreditRecordFactory(
        subject=subject, catalog_item=item, title="未按规定公示年度报告", **(usual | fields)
    )


def _officer(record):
    return OfficerFactory(department=record.department).user


def _office(record) -> Client:
    return logged_in(_officer(record))


def _object(client, record, day=DAY, grounds="该处罚已被复议决定撤销", files=()):
    with clock.frozen(day):
        return client.post(
            f"/my/records/{record.pk}/objection/", {"grounds": grounds, "files": list(files)}
        )


def _open(record, account, day=DAY):
    with clock.frozen(day):
        return services.object_to_record(record.pk, actor=account, grounds="事实有误")


# -- objecting -------------------------------------------------------------------------------


def test_a_subject_objects_online_to_its_own_record_with_evidence(client, me):
    record = _record(me)
    evidence = SimpleUploadedFile("复议决定书.pdf", PDF, content_type="application/pdf")
    response = _object(client, record, files=[evidence])
    assert response.status_code == 302
    assert response["Location"].endswith(f"#record-objection-{record.pk}")
    objection = RecordObjection.objects.get(record=record)
    assert (objection.objector, objection.grounds, objection.state) == (
        me.name, "该处罚已被复议决定撤销", "verifying",
    )  # fmt: skip
    assert objection.department == record.department and objection.account.username == "zhuti"
    assert [e.file_name for e in objection.evidence.all()] == ["复议决定书.pdf"]
    assert AuditEntry.objects.filter(action="remedies.record_objection.open").count() == 1
    page = client.get("/my/").content.decode()
    assert "该处罚已被复议决定撤销" in page and 'data-field="verification-due"' in page
    download = client.get(reverse("portal:record-evidence", args=[objection.evidence.get().pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_the_deadline_is_20_days_from_receipt_moved_off_a_holiday(account, me):
    """20 days from 2026-09-11 end on 10-01, in the National Day holiday: so on 10-08 (R6,
    R15), as for an objection to an entry."""
    objection = _open(_record(me), account, day=D(2026, 9, 11))
    assert (objection.due_on, objection.due_provisional) == (D(2026, 10, 8), False)


def test_a_day_corrected_in_the_calendar_moves_an_open_objections_deadline(
    account, me, admin_client
):
    """With 10-08 made a holiday, the deadline moves to Friday 10-09; a decided one stays."""
    record, other = _record(me), _record(me)
    objection = _open(record, account, day=D(2026, 9, 11))
    decided = _open(other, account, day=D(2026, 9, 11))
    with clock.frozen(D(2026, 9, 20)):
        services.decide(decided.pk, actor=_officer(other), finding=Finding.UNFOUNDED,
                        statement="经核实，处罚决定有效")  # fmt: skip
    url = reverse("admin:calendars_calendarday_add")
    response = admin_client.post(url, {"date": "2026-10-08", "kind": "holiday", "name": "更正"})
    assert response.status_code == 302
    objection.refresh_from_db()
    decided.refresh_from_db()
    assert objection.due_on == D(2026, 10, 9) and decided.due_on == D(2026, 10, 8)
    recount = AuditEntry.objects.get(action="remedies.record_objection.deadlines_recounted")
    assert recount.after["moved"] == [
        {"objection": objection.pk, "from": "2026-10-08", "to": "2026-10-09", "provisional": False}
    ]


def test_one_objection_at_a_time_and_blank_grounds_are_refused(client, account, me):
    record = _record(me)
    with pytest.raises(XinyongError) as blank, clock.frozen(DAY):
        services.object_to_record(record.pk, actor=account, grounds="   ")
    assert blank.value.code == "objection-grounds-required"
    _open(record, account)
    with pytest.raises(XinyongError) as second:
        _open(record, account)
    assert (second.value.code, second.value.status) == ("objection-pending", 409)
    page = _object(client, record)
    assert page.status_code == 422 and "objection-pending" in page.content.decode()
    assert RecordObjection.objects.filter(record=record).count() == 1


def test_a_record_neither_published_nor_shared_takes_no_objection(account, me):
    record = _record(me, publication_ended_on=D(2026, 10, 1), sharing_stopped_on=D(2026, 10, 1))
    with pytest.raises(XinyongError) as refused:
        _open(record, account)
    assert refused.value.code == "record-no-longer-used"


def test_another_subjects_record_and_evidence_answer_404(client, me):
    other = _record(SubjectFactory(name="别家公司"))
    assert _object(client, other).status_code == 404
    theirs = RecordObjection.objects.create(
        record=other, department=other.department, objector="别家公司", grounds="x",
        received_on=DAY, due_on=DAY,
    )  # fmt: skip
    file = RecordObjectionEvidence.objects.create(
        objection=theirs, stored_name="record-objections/x.pdf", file_name="x.pdf",
        content_type="application/pdf", size=1,
    )  # fmt: skip
    assert client.get(reverse("portal:record-evidence", args=[file.pk])).status_code == 404


def test_a_failed_objection_keeps_none_of_its_files(account, me, monkeypatch, settings):
    record = _record(me)

    def broken(**kwargs):
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(services.audit, "record", broken)
    evidence = SimpleUploadedFile("证据.pdf", PDF, content_type="application/pdf")
    with pytest.raises(RuntimeError), clock.frozen(DAY):
        services.object_to_record(record.pk, actor=account, grounds="有误", files=[evidence])
    assert not RecordObjection.objects.exists()
    kept = settings.VAR_DIR / "evidence" / "record-objections"
    assert not kept.exists() or not any(p.is_file() for p in kept.rglob("*"))


# -- while verified ----------------------------------------------------------------------------


def test_a_record_under_objection_is_marked_on_the_public_register_and_for_other_departments(
    account, me
):
    record = _record(me)
    public = Client()
    with clock.frozen(DAY):
        before = public.get(f"/double-publicity/penalties/{record.pk}/").content.decode()
    assert 'data-field="under-objection"' not in before
    _open(record, account)
    with clock.frozen(DAY):
        page = public.get(f"/double-publicity/penalties/{record.pk}/").content.decode()
        listed = public.get("/double-publicity/penalties/").content.decode()
    assert 'data-field="under-objection"' in page
    assert f'data-record="{record.pk}"' in listed and 'data-field="under-objection"' in listed
    other_department = Client()
    other_department.force_login(OfficerFactory().user)
    with clock.frozen(DAY):
        dossier = other_department.post(
            "/office/subjects/", {"query": me.identifier, "purpose": "regulatory_supervision"}
        ).content.decode()
    assert "异议核实中" in dossier or 'data-field="under-objection"' in dossier
    assert "register-record-objection" not in dossier  # only its own department registers


# -- deciding --------------------------------------------------------------------------------


def test_an_unfounded_objection_leaves_the_record_and_tells_the_subject(client, account, me):
    record = _record(me)
    objection = _open(record, account)
    with clock.frozen(D(2026, 11, 20)):
        services.decide(objection.pk, actor=_officer(record), finding=Finding.UNFOUNDED,
                        statement="经核实，处罚决定合法有效")  # fmt: skip
    objection.refresh_from_db()
    record.refresh_from_db()
    assert (objection.state, objection.outcome, objection.decided_on) == (
        "unfounded", "", D(2026, 11, 20),
    )  # fmt: skip
    assert record.is_published and record.is_shared
    assert "异议不成立" in objection.result_letter and "行政复议" in objection.result_letter
    assert "致歉" not in objection.result_letter
    assert "经核实，处罚决定合法有效" in client.get("/my/").content.decode()


def test_a_founded_objection_revokes_the_record_that_day(account, me):
    record = _record(me)
    objection = _open(record, account)
    with clock.frozen(D(2026, 11, 20)):
        services.decide(objection.pk, actor=_officer(record), finding=Finding.FOUNDED,
                        statement="处罚决定已被撤销", outcome="revoke")  # fmt: skip
    record.refresh_from_db()
    objection.refresh_from_db()
    assert (record.publication_ended_on, record.sharing_stopped_on) == (D(2026, 11, 20),) * 2
    assert record.revoked_on == D(2026, 11, 20)
    assert not record.is_published and not record.is_shared
    assert "予以撤销" in objection.result_letter and "书面致歉" in objection.result_letter
    row = AuditEntry.objects.get(action="remedies.record_objection.founded")
    assert row.before["record"]["sharing_stopped_on"] is None
    assert row.after["record"]["sharing_stopped_on"] == "2026-11-20"
    with clock.frozen(D(2026, 11, 20)):
        gone = Client().get(f"/double-publicity/penalties/{record.pk}/")
    assert gone.status_code == 404


def test_a_founded_objection_corrects_the_facts_and_masks_ids_written_in(account, me):
    record = _record(me)
    objection = _open(record, account)
    person_id = make_citizen_id(5)
    with clock.frozen(D(2026, 11, 20)):
        services.decide(
            objection.pk, actor=_officer(record), finding=Finding.FOUNDED,
            statement="违法事实表述有误，予以更正", outcome="correct",
            corrections={
                "CF_SY": f"未按期公示2025年度报告（经办人{person_id}）", "title": "逾期公示年报"
            },
        )  # fmt: skip
    record.refresh_from_db()
    objection.refresh_from_db()
    assert person_id not in record.content["CF_SY"] and "2025年度报告" in record.content["CF_SY"]
    assert record.title == "逾期公示年报" and record.content["CF_YJ"].startswith("《企业")
    assert record.is_published  # corrected, still published
    assert objection.corrections["CF_SY"]["before"] == "未按规定公示年度报告"
    assert "违法事实由“未按规定公示年度报告”更正为" in objection.result_letter


def test_a_correction_of_the_identity_or_a_sensitive_value_is_refused_and_leaves_it_open(
    account, me
):
    record = _record(me)
    objection = _open(record, account)
    officer = _officer(record)
    for corrections, code in [
        ({"CF_WSH": "新文号"}, "correction-field-not-allowed"),
        ({"CF_CFLB": "罚款"}, "correction-field-not-allowed"),
        ({"CF_SY": '{"宗教信仰": "某教"}'}, "sensitive-field"),
        ({"CF_SY": "未按规定公示年度报告"}, "correction-empty"),
        ({}, "correction-empty"),
    ]:
        with pytest.raises(XinyongError) as refused, clock.frozen(DAY):
            services.decide(
                objection.pk, actor=officer, finding=Finding.FOUNDED, statement="更正",
                outcome="correct", corrections=corrections,
            )  # fmt: skip
        assert refused.value.code == code
    with pytest.raises(XinyongError) as no_outcome, clock.frozen(DAY):
        services.decide(objection.pk, actor=officer, finding=Finding.FOUNDED, statement="成立")
    assert no_outcome.value.code == "objection-outcome-required"
    objection.refresh_from_db()
    record.refresh_from_db()
    assert objection.state == "verifying" and record.content["CF_SY"] == "未按规定公示年度报告"
    assert not AuditEntry.objects.filter(action__startswith="remedies.record_objection.f").exists()


def test_an_objection_is_decided_once_and_only_by_the_recording_department(account, me):
    record = _record(me)
    objection = _open(record, account)
    with pytest.raises(XinyongError) as elsewhere, clock.frozen(DAY):
        services.decide(objection.pk, actor=OfficerFactory().user, finding=Finding.UNFOUNDED,
                        statement="无")  # fmt: skip
    assert elsewhere.value.status == 404
    officer = _officer(record)
    with clock.frozen(DAY):
        services.decide(objection.pk, actor=officer, finding=Finding.UNFOUNDED, statement="维持")
    with pytest.raises(XinyongError) as again, clock.frozen(DAY):
        services.decide(objection.pk, actor=officer, finding=Finding.FOUNDED, statement="撤销",
                        outcome="revoke")  # fmt: skip
    assert (again.value.code, again.value.status) == ("objection-already-decided", 409)
    record.refresh_from_db()
    assert record.is_shared
    assert AuditEntry.objects.filter(action__startswith="remedies.record_objection.").count() == 2


def test_after_a_decision_the_subject_may_object_again(client, account, me):
    record = _record(me)
    objection = _open(record, account)
    with clock.frozen(DAY):
        services.decide(objection.pk, actor=_officer(record), finding=Finding.UNFOUNDED,
                        statement="维持")  # fmt: skip
    assert _object(client, record, grounds="补充新的证据").status_code == 302
    assert RecordObjection.objects.filter(record=record).count() == 2


# -- the office pages ----------------------------------------------------------------------------


def test_the_office_registers_a_paper_objection_and_decides_it_on_its_pages(me):
    record = _record(me)
    office = _office(record)
    with clock.frozen(DAY):
        form = office.get(f"/office/records/{record.pk}/objection/")
        assert form.status_code == 200
        sent = office.post(
            f"/office/records/{record.pk}/objection/",
            {"grounds": "书面异议：金额有误"},
        )
    objection = RecordObjection.objects.get(record=record)
    assert sent.status_code == 302 and objection.registered_by and objection.account is None
    assert objection.objector == me.name  # the subject objects, and is answered (R6)
    with clock.frozen(DAY):
        listed = office.get("/office/record-objections/").content.decode()
        page = office.get(f"/office/record-objections/{objection.pk}/").content.decode()
    assert f'data-record-objection="{objection.pk}"' in listed
    assert "书面异议：金额有误" in page and 'name="correct__CF_SY"' in page
    assert 'name="correct__CF_WSH"' not in page
    with clock.frozen(D(2026, 11, 18)):
        decided = office.post(f"/office/record-objections/{objection.pk}/", {
            "finding": "founded", "outcome": "correct", "statement": "处罚依据引用有误",
            "correct__CF_YJ": "《企业信息公示暂行条例》第十条",
            "correct__CF_SY": "未按规定公示年度报告",
        })  # fmt: skip
    assert decided.status_code == 302
    record.refresh_from_db()
    assert record.content["CF_YJ"] == "《企业信息公示暂行条例》第十条"
    objection.refresh_from_db()
    assert list(objection.corrections) == ["CF_YJ"]  # only the field changed


def test_the_office_page_finds_an_objection_unfounded_as_a_browser_sends_it(me, account):
    """The outcome's radio group is shown checked and a browser cannot leave it blank: an
    unfounded finding posted with it (and the unchanged correction boxes) is taken (R6)."""
    record = _record(me)
    objection = _open(record, account)
    office = _office(record)
    with clock.frozen(DAY):
        page = office.get(f"/office/record-objections/{objection.pk}/").content.decode()
        assert 'value="correct" checked' in page
        answer = office.post(f"/office/record-objections/{objection.pk}/", {
            "finding": "unfounded", "outcome": "correct", "statement": "处罚决定并无不当",
            "correct__CF_SY": record.content["CF_SY"],
        })  # fmt: skip
    assert answer.status_code == 302
    objection.refresh_from_db()
    assert (objection.state, objection.outcome) == ("unfounded", "")


def test_a_refused_correction_on_the_page_says_why_and_keeps_what_was_typed(me, account):
    record = _record(me)
    objection = _open(record, account)
    with clock.frozen(DAY):
        page = _office(record).post(f"/office/record-objections/{objection.pk}/", {
            "finding": "founded", "outcome": "correct", "statement": "成立",
        })  # fmt: skip
    assert page.status_code == 422 and 'data-error="correction-empty"' in page.content.decode()


def test_another_departments_officer_finds_none_of_it(me, account):
    record = _record(me)
    objection = _open(record, account)
    stranger = Client()
    stranger.force_login(OfficerFactory().user)
    assert stranger.get(f"/office/record-objections/{objection.pk}/").status_code == 404
    assert stranger.get(f"/office/records/{record.pk}/objection/").status_code == 404
    assert (
        f'data-record-objection="{objection.pk}"'
        not in stranger.get("/office/record-objections/").content.decode()
    )


def test_reading_a_natural_persons_objection_is_registered(account):
    person = SubjectFactory(natural_person=True, name="许某某")
    record = _record(person)
    user = UserFactory(username="geren")
    SubjectAccount.objects.create(user=user, subject=person)
    objection = _open(record, user)
    office = _office(record)
    with clock.frozen(DAY):
        office.get(f"/office/record-objections/{objection.pk}/")
        office.get("/office/record-objections/")
    kinds = sorted(QueryRegistration.objects.values_list("kind", flat=True))
    assert kinds == ["entry_list", "entry_read"]
    assert set(QueryRegistration.objects.values_list("purpose", flat=True)) == {
        "objection_verification"
    }


def test_the_worklist_counts_the_objections_to_verify_and_those_overdue(account, me):
    """Received 2026-11-02, due 11-22 (a Sunday, so Monday 11-23); on 11-24 it is overdue."""
    record = _record(me)
    other = _record(me, item=record.catalog_item, document_number="杭市监处罚〔2026〕2号")
    _open(record, account, day=D(2026, 11, 2))
    _open(other, account, day=D(2026, 11, 16))
    office = _office(record)
    with clock.frozen(D(2026, 11, 23)):
        on_time = office.get("/office/").content.decode()
    with clock.frozen(D(2026, 11, 24)):
        late = office.get("/office/").content.decode()
    assert "待核实的信息异议：2 件" in on_time and "最早 2026-11-23 到期" in on_time
    assert "已逾期" not in on_time
    assert "1 件已逾期" in late


def test_revoking_a_record_never_published_stops_its_sharing_only(account, me):
    """A minor-tier record is shared but never published (R8): revoked, its sharing stops and
    no publication end is made up for it."""
    record = _record(me, published_on=None, publication_ends_on=None)
    objection = _open(record, account)
    with clock.frozen(D(2026, 11, 20)):
        services.decide(objection.pk, actor=_officer(record), finding=Finding.FOUNDED,
                        statement="信息有误", outcome="revoke")  # fmt: skip
    record.refresh_from_db()
    assert (record.publication_ended_on, record.sharing_stopped_on) == (None, D(2026, 11, 20))


def test_the_me_api_says_which_records_are_under_objection(account, me):
    record, other = _record(me), _record(me)
    _open(record, account)
    api = Client()
    api.force_login(account)
    with clock.frozen(DAY):
        records = {r["id"]: r["under_objection"] for r in api.get("/api/v1/me").json()["records"]}
    assert records == {record.pk: True, other.pk: False}


# -- what a correction may not touch, and what a decision may not drop -----------------------


def test_dates_and_amounts_are_not_corrected_but_revoked_and_resent(account, me):
    """A licence's end is its publication's end and an amount is read as one: a correction
    would leave the window or the value unchecked (R8, R9)."""
    licence_item = CatalogItemFactory(record_format=RecordFormat.LICENCE, name="行政许可信息")
    licence = _record(me, item=licence_item, content={"XK_YXQZI": "2030-06-20", "XK_NR": "许可"})
    penalty = _record(me, content={"CF_NR_WFFF": "1.5", "CF_SY": "事实"})
    for record, key in ((licence, "XK_YXQZI"), (licence, "XK_YXQZ"), (penalty, "CF_NR_WFFF"),
                        (penalty, "CF_JDRQ")):  # fmt: skip
        objection = RecordObjection.objects.filter(record=record, state="verifying").first()
        objection = objection or _open(record, account)
        with pytest.raises(XinyongError) as refused, clock.frozen(DAY):
            services.decide(
                objection.pk, actor=_officer(record), finding=Finding.FOUNDED, statement="更正",
                outcome="correct", corrections={key: "2031-01-01"},
            )  # fmt: skip
        assert refused.value.code == "correction-field-not-allowed", key


def test_a_title_past_its_column_is_refused_not_cut(account, me):
    record = _record(me)
    objection = _open(record, account)
    with pytest.raises(XinyongError) as refused, clock.frozen(DAY):
        services.decide(
            objection.pk, actor=_officer(record), finding=Finding.FOUNDED, statement="更正",
            outcome="correct", corrections={"title": "摘" * 256},
        )  # fmt: skip
    assert refused.value.code == "correction-too-long"


@pytest.mark.parametrize(
    ("value", "says"),
    [("第\x00八条", "空字符"), ("\ud800", "无效的 Unicode 字符")],
    ids=["nul", "lone-surrogate"],
)
def test_a_correction_that_is_no_storable_text_is_refused(account, me, value, says):
    """Neither the record nor the letter keeps a NUL or a lone surrogate (R6): the office's
    form posts what it is given, and the service refuses it as the API does."""
    record = _record(me)
    objection = _open(record, account)
    with pytest.raises(XinyongError) as refused, clock.frozen(DAY):
        services.decide(
            objection.pk, actor=_officer(record), finding=Finding.FOUNDED, statement="更正",
            outcome="correct", corrections={"CF_YJ": value},
        )  # fmt: skip
    assert (refused.value.status, refused.value.code) == (422, "correction-invalid-character")
    assert says in refused.value.message and "处罚依据" in refused.value.message


def test_a_nul_typed_on_the_page_is_refused_and_not_kept(me, account):
    record = _record(me)
    objection = _open(record, account)
    with clock.frozen(DAY):
        page = _office(record).post(f"/office/record-objections/{objection.pk}/", {
            "finding": "founded", "outcome": "correct", "statement": "成立",
            "correct__CF_YJ": "第\x00八条",
        })  # fmt: skip
    assert page.status_code == 422
    assert 'data-error="correction-invalid-character"' in page.content.decode()
    record.refresh_from_db()
    assert record.content["CF_YJ"] == "《企业信息公示暂行条例》第八条"


def test_line_ends_a_browser_sends_are_no_correction(account, me):
    """A text area sends ``\\r\\n``: a field the officer left alone is not corrected."""
    record = _record(me, content={"CF_SY": "第一行\n第二行", "CF_YJ": "依据"})
    objection = _open(record, account)
    with clock.frozen(DAY):
        answer = _office(record).post(f"/office/record-objections/{objection.pk}/", {
            "finding": "founded", "outcome": "correct", "statement": "依据有误",
            "correct__CF_SY": "第一行\r\n第二行 ", "correct__CF_YJ": "新的依据",
        })  # fmt: skip
    assert answer.status_code == 302
    objection.refresh_from_db()
    record.refresh_from_db()
    assert list(objection.corrections) == ["CF_YJ"] and record.content["CF_SY"] == "第一行\n第二行"


def test_an_outcome_or_corrections_the_decision_would_not_use_are_refused(account, me):
    record = _record(me)
    objection = _open(record, account)
    officer = _officer(record)
    for how, code in (
        ({"finding": Finding.UNFOUNDED, "outcome": "revoke"}, "outcome-unused"),
        ({"finding": Finding.UNFOUNDED, "corrections": {"CF_YJ": "新"}}, "corrections-unused"),
        ({"finding": Finding.FOUNDED, "outcome": "revoke", "corrections": {"CF_YJ": "新"}},
         "corrections-unused"),
    ):  # fmt: skip
        with pytest.raises(XinyongError) as refused, clock.frozen(DAY):
            services.decide(objection.pk, actor=officer, statement="结论", **how)
        assert refused.value.code == code
    objection.refresh_from_db()
    assert objection.is_open


def test_the_revocation_letter_says_only_what_stopped(account, me):
    never_published = _record(me, published_on=None, publication_ends_on=None)
    objection = _open(never_published, account)
    with clock.frozen(DAY):
        services.decide(objection.pk, actor=_officer(never_published), finding=Finding.FOUNDED,
                        statement="有误", outcome="revoke")  # fmt: skip
    objection.refresh_from_db()
    assert "起停止共享" in objection.result_letter and "终止公示" not in objection.result_letter


def test_a_listing_decision_is_objected_to_through_its_entry(client, account, me):
    """The record a live entry's decision is (same department, number, subject) takes no
    objection of its own: the entry's suspends the measures and corrects the listing (R6)."""
    from tests.factories import ListDefinitionFactory, ListEntryFactory

    record = _record(me, document_number="浙市监失信〔2026〕1号")
    definition = ListDefinitionFactory(recognizing_department=record.department)
    ListEntryFactory(list=definition, subject=me, effective=True,
                     decision_document_number="浙市监失信〔2026〕1号")  # fmt: skip
    with pytest.raises(XinyongError) as refused:
        _open(record, account)
    assert refused.value.code == "record-is-a-listing"
    with clock.frozen(DAY):
        page = client.get("/my/").content.decode()
    assert f"/my/records/{record.pk}/objection/" not in page


def test_a_record_past_its_sharing_end_takes_no_objection_before_the_job_stops_it(account, me):
    record = _record(me, published_on=None, publication_ends_on=None,
                     sharing_ends_on=DAY - dt.timedelta(days=1))  # fmt: skip
    with pytest.raises(XinyongError) as refused:
        _open(record, account)
    assert refused.value.code == "record-no-longer-used"


def test_a_paper_objection_registered_registers_the_read_once():
    """The registration page is registered when shown: a registration taken redirects to the
    objection's page, which registers then, once (R14)."""
    person = SubjectFactory(natural_person=True, name="许某某")
    record = _record(person)
    with clock.frozen(DAY):
        _office(record).post(f"/office/records/{record.pk}/objection/",
                             {"grounds": "书面异议：金额有误"}, follow=True)  # fmt: skip
    assert QueryRegistration.objects.filter(kind="entry_read").count() == 1


def test_a_decision_registers_the_read_once(account):
    """The page is registered when shown: the decision's redirect shows it, once."""
    person = SubjectFactory(natural_person=True, name="许某某")
    record = _record(person)
    user = UserFactory(username="geren2")
    SubjectAccount.objects.create(user=user, subject=person)
    objection = _open(record, user)
    office = _office(record)
    with clock.frozen(DAY):
        office.post(f"/office/record-objections/{objection.pk}/", {
            "finding": "unfounded", "statement": "维持",
        }, follow=True)  # fmt: skip
    assert QueryRegistration.objects.filter(kind="entry_read").count() == 1


def test_records_revoked_before_the_revocation_day_was_kept_get_it(account, me):
    """The migration that added ``revoked_on`` gives it to records revoked earlier: the day of
    the founded objection that revoked them; others keep none."""
    from importlib import import_module

    from django.apps import apps

    revoked, kept = _record(me), _record(me)
    objection = _open(revoked, account)
    with clock.frozen(D(2026, 11, 20)):
        services.decide(objection.pk, actor=_officer(revoked), finding=Finding.FOUNDED,
                        statement="处罚决定已被撤销", outcome="revoke")  # fmt: skip
    type(revoked).objects.filter(pk=revoked.pk).update(revoked_on=None)  # as before the field
    import_module("xinyong.remedies.migrations.0007_mark_revoked_records").mark_revoked(apps, None)
    revoked.refresh_from_db()
    kept.refresh_from_db()
    assert (revoked.revoked_on, kept.revoked_on) == (D(2026, 11, 20), None)


# -- a record that is, or becomes, a listing's decision (R6: what rests on it is suspended) ----


DECISION = "杭认〔2026〕7号"


def _decision_record(me, **fields):
    """A black list of the record's department, and its record numbered as a decision."""
    definition = ListDefinitionFactory(kind="black")
    item = CatalogItemFactory(record_format=RecordFormat.PENALTY,
                              provider=definition.recognizing_department)  # fmt: skip
    record = _record(me, item, department=definition.recognizing_department,
                     document_number=DECISION, **fields)  # fmt: skip
    return definition, record


def test_a_decision_is_not_signed_under_the_number_of_a_record_under_objection(account, me):
    """Signed, the entry's measures would apply unsuspended while the record it rests on is
    verified, and a founded objection would revoke the record under a live entry (R6, R4)."""
    definition, record = _decision_record(me)
    entry = ListEntryFactory(subject=me, list=definition, awaiting_signature=True)
    _open(record, account)
    signer = OfficerFactory(department=definition.recognizing_department, signer=True).user
    with clock.frozen(DAY), pytest.raises(XinyongError) as refused:
        listings.sign_decision(entry.pk, actor=signer, decision_document_number=f" {DECISION} ")
    assert refused.value.code == "decision-record-under-objection"
    assert DECISION in refused.value.message
    entry.refresh_from_db()
    assert (entry.state, entry.decision_document_number) == ("awaiting_signature", "")
    with clock.frozen(DAY):  # another number is signed as before
        signed = listings.sign_decision(entry.pk, actor=signer,
                                        decision_document_number="杭认〔2026〕8号")  # fmt: skip
    assert signed.state == "effective"


def test_a_decision_is_not_signed_under_the_number_of_a_revoked_record(account, me):
    """A founded objection revoked the record: no listing rests on it until the right decision
    is recorded under its number (R6)."""
    definition, record = _decision_record(me)
    entry = ListEntryFactory(subject=me, list=definition, awaiting_signature=True)
    CreditRecord.objects.filter(pk=record.pk).update(revoked_on=DAY)
    signer = OfficerFactory(department=definition.recognizing_department, signer=True).user
    with clock.frozen(DAY), pytest.raises(XinyongError) as refused:
        listings.sign_decision(entry.pk, actor=signer, decision_document_number=DECISION)
    assert refused.value.code == "decision-record-revoked"
    entry.refresh_from_db()
    assert entry.state == "awaiting_signature"
    # The right decision, recorded under the same number.
    _record(me, record.catalog_item, department=definition.recognizing_department,
            document_number=DECISION, content={"CF_SY": "已更正", "CF_NR": "警告"})  # fmt: skip
    with clock.frozen(DAY):
        signed = listings.sign_decision(entry.pk, actor=signer, decision_document_number=DECISION)
    assert signed.state == "effective"


def test_a_founded_objection_to_a_record_that_became_a_listings_decision_is_refused(account, me):
    """The record became a live entry's decision while its objection was verified (signed
    before the check above, say): founded, it would revoke the record and leave the entry in
    force. It is founded through the entry; an unfounded finding changes nothing and may
    close it (R6, R4)."""
    definition, record = _decision_record(me)
    objection = _open(record, account)
    ListEntryFactory(subject=me, list=definition, effective=True,
                     decision_document_number=DECISION)  # fmt: skip
    officer = _officer(record)
    for outcome, corrections in (("revoke", None), ("correct", {"title": "已更正"})):
        with clock.frozen(DAY), pytest.raises(XinyongError) as refused:
            services.decide(objection.pk, actor=officer, finding=Finding.FOUNDED,
                            statement="认定有误", outcome=outcome,
                            corrections=corrections)  # fmt: skip
        assert refused.value.code == "record-is-a-listing"
    objection.refresh_from_db()
    record.refresh_from_db()
    assert objection.state == "verifying" and record.revoked_on is None
    assert record.title == "未按规定公示年度报告"
    assert not AuditEntry.objects.filter(action="remedies.record_objection.founded").exists()
    with clock.frozen(DAY):
        services.decide(objection.pk, actor=officer, finding=Finding.UNFOUNDED,
                        statement="认定无误")  # fmt: skip
    objection.refresh_from_db()
    assert objection.state == "unfounded"


def test_a_listings_decision_record_is_under_objection_while_its_entry_is(account, me):
    """An objection to an effective entry is verified: the record that is its decision (same
    department, number and subject) is shown under objection to every department, as the
    entry is (R6). Its other records, and the record once the objection is decided, are not."""
    definition, record = _decision_record(me)
    other_number = _record(me, item=record.catalog_item, department=record.department,
                           document_number="杭认〔2026〕9号")  # fmt: skip
    other_subject = _record(SubjectFactory(), item=record.catalog_item,
                            department=record.department, document_number=DECISION)  # fmt: skip
    entry = ListEntryFactory(subject=me, list=definition, effective=True,
                             decision_document_number=DECISION)  # fmt: skip
    ids = [record.pk, other_number.pk, other_subject.pk]
    assert selectors.open_on(ids) == set()
    with clock.frozen(DAY):
        entry_objections.object_to_entry(entry.pk, actor=account, grounds="认定有误")
        dossier = dossier_for(OfficerFactory().user, me)
    assert selectors.open_on(ids) == {record.pk}
    shown = {row.pk: row.under_objection for row in dossier.records}
    assert shown[record.pk] is True and shown[other_number.pk] is False
    ListEntry.objects.filter(pk=entry.pk).update(verification_due_on=None)
    assert selectors.open_on(ids) == set()


def test_which_records_are_under_objection_is_one_query(account, me, django_assert_num_queries):
    records = [_record(me, document_number=f"杭认〔2026〕{n}号") for n in range(5)]
    _open(records[0], account)
    with django_assert_num_queries(1):
        assert selectors.open_on(r.pk for r in records) == {records[0].pk}
