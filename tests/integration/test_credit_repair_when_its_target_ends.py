"""A repair application still open when what it applies for ends another way (R8, R4, R6): the
entry exits (found wrong and corrected, expired, by the officer or the daily job), or the record
is revoked on a founded objection. The application is closed in the same transaction, with its
own outcome and the reason the subject reads on its own page, never as a rejection; a decision
asked for on it is refused with a clear reason, and a revoked record's tier is never lowered."""

import datetime as dt
import io

import pytest
from django.test import Client

from tests import subject_remedies as shared
from tests.factories import (
    CatalogItemFactory,
    CreditRecordFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
)
from tests.subject_remedies import materials
from xinyong.api import tokens
from xinyong.audit.models import AuditEntry
from xinyong.catalog.models import PublicationTier, RecordFormat
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import services as listings
from xinyong.listings.models import EntryState, ExitReason, ListKind
from xinyong.listings.tick import run_tick
from xinyong.remedies import record_objections, repair_closures, repairs
from xinyong.remedies.models import RepairApplication, RepairState
from xinyong.remedies.record_objections import Finding
from xinyong.remedies.repair_workflow import RepairAction

pytestmark = pytest.mark.django_db
D = dt.date
APPLIED = D(2026, 11, 16)
RECORD_APPLIED = D(2027, 9, 5)  # for the serious record, past its minimum publication
# the shared fixtures
me, account, client, stored_files = shared.me, shared.account, shared.client, shared.stored_files


def _applied_for_entry(account, me, **entry_fields) -> RepairApplication:
    entry = ListEntryFactory(subject=me, effective=True, **entry_fields)
    with clock.frozen(APPLIED):
        return repairs.apply_for_entry(
            entry.pk, actor=account, corrected="已缴清罚款并完成整改", materials=materials()
        )


def _officer_of(department):
    return OfficerFactory(department=department).user


def _repair_lines(client, day) -> str:
    with clock.frozen(day):
        html = client.get("/my/").content.decode()
    return html[html.index('data-repairs="') :]  # the credit repair section


def _corrected(entry, officer, day):
    with clock.frozen(day):
        listings.exit_entry(entry.pk, actor=officer, reason=ExitReason.CORRECTED, note="认定有误")


def _expired_by_hand(entry, officer, day):
    with clock.frozen(day):
        listings.exit_entry(entry.pk, actor=officer, reason=ExitReason.EXPIRED, note="有效期届满")


def _expired_by_the_daily_job(entry, officer, day):
    with clock.frozen(day):
        run_tick(day)


@pytest.mark.parametrize(
    ("end", "day", "exited_on", "why"),
    [
        (_corrected, D(2026, 11, 18), D(2026, 11, 18), "经核实认定有误，予以更正并移出"),
        (_expired_by_hand, D(2026, 11, 23), D(2026, 11, 21), "因有效期届满移出"),
        (_expired_by_the_daily_job, D(2026, 11, 23), D(2026, 11, 21), "因有效期届满移出"),
    ],
)
def test_an_entry_ending_another_way_closes_its_open_repair(
    client, account, me, end, day, exited_on, why
):
    """Valid through 2026-11-20; found wrong on 11-18, or past its validity and ended by
    expiry from 11-21, recorded by an officer or by the daily job on 11-23. The subject reads
    that its application was closed and why: not 办理部门正在审核, not 不予修复."""
    application = _applied_for_entry(account, me, valid_until=D(2026, 11, 20))
    entry = application.entry
    officer = _officer_of(entry.list.recognizing_department)
    end(entry, officer, day)
    entry.refresh_from_db()
    application.refresh_from_db()
    assert entry.state == EntryState.EXITED and entry.exited_on == exited_on
    reasons = f"该名单记录已于{exited_on:%Y-%m-%d}{why}，信用修复申请随之终止办理，无需再作决定。"
    assert (application.state, application.decided_on, application.reasons) == (
        RepairState.CLOSED, day, reasons
    )  # fmt: skip
    assert application.outcome == "" and not application.is_open
    audit = AuditEntry.objects.get(action="remedies.repair.close", object_id=str(application.pk))
    assert (audit.before["state"], audit.after["state"]) == ("submitted", "closed")
    html = _repair_lines(client, day)
    assert 'data-repair="closed"' in html and reasons in html
    assert "办理部门正在审核" not in html and "不予修复" not in html
    with clock.frozen(day), pytest.raises(XinyongError) as refused:
        repairs.decide_repair(
            application.pk, actor=officer, action=RepairAction.ACCEPT, reasons="准予"
        )
    assert (refused.value.code, refused.value.status) == ("repair-already-decided", 409)


def test_a_repair_applied_for_is_not_closed_by_its_own_acceptance(account, me):
    """The early exit the acceptance makes leaves the application accepted, not closed."""
    application = _applied_for_entry(account, me)
    officer = _officer_of(application.entry.list.recognizing_department)
    with clock.frozen(D(2026, 11, 20)):
        repairs.decide_repair(
            application.pk, actor=officer, action=RepairAction.ACCEPT, reasons="准予"
        )
    application.refresh_from_db()
    assert application.state == RepairState.ACCEPTED
    assert not AuditEntry.objects.filter(action="remedies.repair.close").exists()


@pytest.mark.parametrize("action", [RepairAction.ACCEPT, RepairAction.REJECT])
def test_a_decision_on_an_entry_past_its_validity_is_refused_until_the_job_closes_it(
    account, me, action
):
    """On 11-25 the entry valid through 11-20 has ended by expiry, though the daily job has
    not yet recorded it (R4): there is nothing left to repair, and nothing to refuse either.
    The decision is refused with the reason, not inside the listing's transition; the job's
    run closes the application."""
    application = _applied_for_entry(account, me, valid_until=D(2026, 11, 20))
    officer = _officer_of(application.entry.list.recognizing_department)
    with clock.frozen(D(2026, 11, 25)), pytest.raises(XinyongError) as refused:
        repairs.decide_repair(application.pk, actor=officer, action=action, reasons="理由")
    assert (refused.value.code, refused.value.status) == ("repair-entry-ended", 409)
    assert "有效期至 2026-11-20，已届满移出" in refused.value.message
    application.refresh_from_db()
    assert application.state == RepairState.SUBMITTED
    with clock.frozen(D(2026, 11, 25)):
        run_tick(D(2026, 11, 25))
    application.refresh_from_db()
    assert (application.state, application.decided_on) == (RepairState.CLOSED, D(2026, 11, 25))


def test_the_api_lists_closed_applications(account, me):
    application = _applied_for_entry(account, me)
    officer = _officer_of(application.entry.list.recognizing_department)
    _corrected(application.entry, officer, D(2026, 11, 18))
    token, _ = tokens.create_token(actor="test", user=officer)
    api = Client(headers={"Authorization": f"Bearer {token}"})
    with clock.frozen(D(2026, 11, 18)):
        found = api.get("/api/v1/repairs", {"state": "closed"}).json()
        detail = api.get(f"/api/v1/repairs/{application.pk}").json()
    assert [row["id"] for row in found["items"]] == [application.pk]
    assert (detail["state"], detail["choices"]) == ("closed", None)
    assert "终止办理" in detail["reasons"]


# --- a record revoked on a founded objection (R6) -----------------------------------------------


def _serious(me):
    """A serious penalty decided on 2026-09-01: minimum to 2027-09-01, public to 2029-09-01."""
    return CreditRecordFactory(
        subject=me, catalog_item=CatalogItemFactory(record_format=RecordFormat.PENALTY),
        tier=PublicationTier.SERIOUS, is_serious=True, published_on=D(2026, 9, 3),
        publication_min_ends_on=D(2027, 9, 1), publication_ends_on=D(2029, 9, 1),
        sharing_ends_on=D(2029, 9, 1),
    )  # fmt: skip


def _applied_for_record(account, record, day=RECORD_APPLIED, corrected="已缴清罚款"):
    with clock.frozen(day):
        return repairs.apply_for_record(
            record.pk, actor=account, corrected=corrected, materials=materials()
        )


def test_revoking_a_record_closes_its_open_repair(client, account, me):
    record = _serious(me)
    application = _applied_for_record(account, record)
    officer = _officer_of(record.department)
    with clock.frozen(D(2027, 9, 6)):
        objection = record_objections.object_to_record(
            record.pk, actor=account, grounds="处罚决定已被复议撤销"
        )
        record_objections.decide(
            objection.pk, actor=officer, finding=Finding.FOUNDED, statement="决定已撤销",
            outcome="revoke",
        )  # fmt: skip
    application.refresh_from_db()
    reasons = "该信用信息已于2027-09-06经异议核实予以撤销，信用修复申请随之终止办理，无需再作决定。"
    assert (application.state, application.decided_on, application.reasons) == (
        RepairState.CLOSED, D(2027, 9, 6), reasons
    )  # fmt: skip
    assert AuditEntry.objects.filter(action="remedies.repair.close").count() == 1
    html = _repair_lines(client, D(2027, 9, 6))
    assert reasons in html and "不予修复" not in html


@pytest.mark.parametrize("outcome", ["stop", "lower", ""])
def test_a_revoked_record_takes_no_repair_decision_and_keeps_its_tier(account, me, outcome):
    """Revoked with its application left open (before closing existed): accepting would lower
    the tier of, or stop again, a record found wrong (R6); refused, nothing changes."""
    record = _serious(me)
    application = _applied_for_record(account, record)
    record.revoked_on = record.publication_ended_on = record.sharing_stopped_on = D(2027, 9, 6)
    record.save()
    officer = _officer_of(record.department)
    action = RepairAction.ACCEPT if outcome else RepairAction.REJECT
    with clock.frozen(D(2027, 9, 8)), pytest.raises(XinyongError) as refused:
        repairs.decide_repair(
            application.pk, actor=officer, action=action, reasons="理由", outcome=outcome or None
        )
    assert (refused.value.code, refused.value.status) == ("repair-record-revoked", 409)
    record.refresh_from_db()
    application.refresh_from_db()
    assert (record.tier, record.is_serious) == (PublicationTier.SERIOUS, True)
    assert application.state == RepairState.SUBMITTED
    with clock.frozen(D(2027, 9, 8)), pytest.raises(XinyongError) as again:
        repairs.apply_for_record(
            record.pk, actor=account, corrected="已缴清罚款", materials=materials()
        )
    assert again.value.code == "repair-record-revoked"


# --- a record past both its windows (R8: publication and sharing stop at the maximum) ----------


def test_a_record_past_both_windows_takes_no_decision_and_the_daily_job_closes_its_repair(
    client, account, me
):
    """Past its maximum, the record is neither shown nor shared, whether or not the daily job
    has run: accepting would write a stop later than the rules gave. The job's run closes the
    application with the reason, one audit row, and the subject reads it."""
    from django.core.management import call_command

    record = _serious(me)  # public and shared to 2029-09-01
    application = _applied_for_record(account, record)
    officer = _officer_of(record.department)
    with clock.frozen(D(2029, 9, 2)), pytest.raises(XinyongError) as refused:
        repairs.decide_repair(
            application.pk, actor=officer, action=RepairAction.ACCEPT, reasons="材料齐全",
            outcome="stop",
        )  # fmt: skip
    assert (refused.value.code, refused.value.status) == ("repair-record-ended", 409)
    record.refresh_from_db()
    assert (record.publication_ended_on, record.sharing_stopped_on) == (None, None)
    out = io.StringIO()
    call_command("tick", "--date", "2029-09-02", stdout=out)
    assert "record_repairs_closed: 1" in out.getvalue()
    application.refresh_from_db()
    assert (application.state, application.decided_on) == (RepairState.CLOSED, D(2029, 9, 2))
    assert "终止公示并停止共享" in application.reasons
    assert AuditEntry.objects.filter(action="remedies.repair.close").count() == 1
    assert "终止公示并停止共享" in _repair_lines(client, D(2029, 9, 2))


def test_a_record_still_shared_keeps_its_repair_open(account, me):
    """Publication ended but sharing goes on: other departments still act on the record, so
    there is still something to repair (R8: 终止公示 and 停止共享 are distinct)."""
    from django.core.management import call_command

    record = _serious(me)
    record.sharing_ends_on = D(2030, 9, 1)
    record.save()
    application = _applied_for_record(account, record)
    call_command("tick", "--date", "2029-09-02", stdout=io.StringIO())
    application.refresh_from_db()
    assert application.state == RepairState.SUBMITTED
    record.refresh_from_db()
    assert (record.publication_ended_on, record.sharing_stopped_on) == (D(2029, 9, 2), None)


# --- a record that is, or becomes, a listing's decision (R8: repaired through the entry) -------

NUMBER = "浙市监失信〔2026〕1号"


def _general_record(me):
    """A general penalty under ``NUMBER``: minimum to 2026-12-01, public and shared to
    2027-09-01."""
    return CreditRecordFactory(
        subject=me, tier=PublicationTier.GENERAL, published_on=D(2026, 9, 3),
        publication_min_ends_on=D(2026, 12, 1), publication_ends_on=D(2027, 9, 1),
        sharing_ends_on=D(2027, 9, 1), document_number=NUMBER,
    )  # fmt: skip


def _applied_for_general_record(account, record) -> RepairApplication:
    return _applied_for_record(account, record, D(2026, 12, 15), corrected="已缴清罚款并完成整改")


def test_signing_a_listing_on_a_record_closes_the_records_open_repair(client, account, me):
    """The record applied for on 12-15 becomes a black listing's decision when it is signed on
    12-16: from then on it is repaired through the entry, so its own application is closed in
    the signing's transaction, and the subject reads where to apply, never 不予修复."""
    record = _general_record(me)
    application = _applied_for_general_record(account, record)
    definition = ListDefinitionFactory(
        kind=ListKind.BLACK, recognizing_department=record.department, repairable=True
    )
    entry = ListEntryFactory(list=definition, subject=me, awaiting_signature=True)
    signer = OfficerFactory(department=record.department, signer=True).user
    with clock.frozen(D(2026, 12, 16)):
        listings.sign_decision(entry.pk, actor=signer, decision_document_number=NUMBER)
    application.refresh_from_db()
    reasons = repair_closures.record_became_a_decision_text()
    assert "名单认定决定" in reasons and "请对相应的名单记录申请信用修复" in reasons
    assert (application.state, application.decided_on, application.reasons) == (
        RepairState.CLOSED, D(2026, 12, 16), reasons
    )  # fmt: skip
    assert AuditEntry.objects.filter(
        action="remedies.repair.close", object_id=str(application.pk)
    ).count() == 1  # fmt: skip
    html = _repair_lines(client, D(2026, 12, 16))
    assert reasons in html and "不予修复" not in html


def test_signing_under_another_number_leaves_the_records_repair_open(account, me):
    record = _general_record(me)
    application = _applied_for_general_record(account, record)
    definition = ListDefinitionFactory(recognizing_department=record.department)
    entry = ListEntryFactory(list=definition, subject=me, awaiting_signature=True)
    signer = OfficerFactory(department=record.department, signer=True).user
    with clock.frozen(D(2026, 12, 16)):
        listings.sign_decision(entry.pk, actor=signer, decision_document_number="浙市监〔2026〕9号")
    application.refresh_from_db()
    assert application.state == RepairState.SUBMITTED


@pytest.mark.parametrize("action", [RepairAction.ACCEPT, RepairAction.REJECT])
def test_a_repair_left_open_on_a_listings_decision_takes_no_decision(account, me, action):
    """Left open on a record that is now a live entry's decision (an entry that did not go
    through signing here): neither accepted nor rejected (R8), refused with the reason."""
    record = _general_record(me)
    application = _applied_for_general_record(account, record)
    definition = ListDefinitionFactory(recognizing_department=record.department)
    ListEntryFactory(list=definition, subject=me, effective=True, decision_document_number=NUMBER)
    officer = _officer_of(record.department)
    with clock.frozen(D(2026, 12, 16)), pytest.raises(XinyongError) as refused:
        repairs.decide_repair(
            application.pk, actor=officer, action=action, reasons="请对名单记录申请",
            outcome="stop" if action == RepairAction.ACCEPT else None,
        )  # fmt: skip
    assert (refused.value.code, refused.value.status) == ("record-is-a-listing", 409)
    assert refused.value.message == repair_closures.record_became_a_decision_text()
    application.refresh_from_db()
    assert application.state == RepairState.SUBMITTED


def test_the_daily_job_closes_a_repair_left_open_on_a_listings_decision(client, account, me):
    """Left open on a record that is a live entry's decision (sent while the decision was
    signed, or kept from a release whose signature closed none): no decision may accept or
    reject it, so the daily job closes it, as the signature would have, with the day of its run
    and one audit row, and its summary counts it. A second run finds nothing left to close."""
    from django.core.management import call_command

    record = _general_record(me)
    application = _applied_for_general_record(account, record)
    other = _applied_for_general_record(account, _general_record(me))  # no listing: stays open
    definition = ListDefinitionFactory(recognizing_department=record.department)
    ListEntryFactory(list=definition, subject=me, effective=True, decision_document_number=NUMBER)
    out = io.StringIO()
    call_command("tick", "--date", "2026-12-16", stdout=out)
    assert "record_repairs_closed_as_decisions: 1" in out.getvalue().splitlines()
    application.refresh_from_db()
    reasons = repair_closures.record_became_a_decision_text()
    assert (application.state, application.decided_on, application.reasons) == (
        RepairState.CLOSED, D(2026, 12, 16), reasons
    )  # fmt: skip
    assert AuditEntry.objects.filter(
        action="remedies.repair.close", object_id=str(application.pk)
    ).count() == 1  # fmt: skip
    other.refresh_from_db()
    assert other.state == RepairState.SUBMITTED
    html = _repair_lines(client, D(2026, 12, 16))
    assert reasons in html and "不予修复" not in html
    out = io.StringIO()
    call_command("tick", "--date", "2026-12-17", stdout=out)
    assert "record_repairs_closed_as_decisions: 0" in out.getvalue().splitlines()
    assert AuditEntry.objects.filter(action="remedies.repair.close").count() == 1


def test_the_daily_job_leaves_a_repair_on_an_ended_listings_decision_to_its_own_closing(
    account, me
):
    """A decision's record past both its windows is refused a decision as ended first
    (``repair_closures.target_ended``): its application is closed as ended, not as a decision."""
    from django.core.management import call_command

    record = _general_record(me)
    application = _applied_for_general_record(account, record)
    definition = ListDefinitionFactory(recognizing_department=record.department)
    ListEntryFactory(list=definition, subject=me, effective=True, decision_document_number=NUMBER)
    out = io.StringIO()
    call_command("tick", "--date", "2027-09-02", stdout=out)
    lines = out.getvalue().splitlines()
    assert "record_repairs_closed_as_decisions: 0" in lines
    assert "record_repairs_closed: 1" in lines
    application.refresh_from_db()
    assert (application.state, application.reasons) == (
        RepairState.CLOSED, repair_closures.RECORD_ENDED_TEXT
    )  # fmt: skip


@pytest.mark.parametrize(
    ("reason", "why"),
    [
        (ExitReason.CORRECTED, "经核实认定有误，予以更正并移出"),
        (ExitReason.REQUESTED, "应当事人申请移出"),
    ],
)
def test_a_listing_ending_closes_its_decision_records_repair_with_the_exit(
    client, account, me, reason, why
):
    """A record application left open under a live entry's decision: the entry found wrong on
    12-20 stops the record, and the application closes in the exit's transaction with the
    exit, not later with a claim that the windows (to 2027-09-01) ran out."""
    from django.core.management import call_command

    record = _general_record(me)
    application = _applied_for_general_record(account, record)
    kind = ListKind.RED if reason == ExitReason.REQUESTED else ListKind.BLACK
    definition = ListDefinitionFactory(kind=kind, recognizing_department=record.department)
    entry = ListEntryFactory(
        list=definition, subject=me, effective=True, decision_document_number=NUMBER
    )
    officer = _officer_of(record.department)
    with clock.frozen(D(2026, 12, 20)):
        listings.exit_entry(entry.pk, actor=officer, reason=reason, note="认定有误")
    application.refresh_from_db()
    reasons = repair_closures.decision_ended_text(reason, D(2026, 12, 20))
    assert why in reasons and "2026-12-20" in reasons and "均已届满" not in reasons
    assert (application.state, application.decided_on, application.reasons) == (
        RepairState.CLOSED, D(2026, 12, 20), reasons
    )  # fmt: skip
    call_command("tick", "--date", "2026-12-21", stdout=io.StringIO())
    application.refresh_from_db()
    assert application.reasons == reasons
    assert AuditEntry.objects.filter(action="remedies.repair.close").count() == 1
    assert reasons in _repair_lines(client, D(2026, 12, 21))


def test_a_record_stopped_early_is_not_said_to_have_run_out_its_windows(account, me):
    """Stopped before its windows end (2027-09-01) with its application left open: a decision
    is refused, and the daily job closes it, with a neutral reason, not 均已届满."""
    from django.core.management import call_command

    record = _general_record(me)
    application = _applied_for_general_record(account, record)
    record.publication_ended_on = record.sharing_stopped_on = D(2026, 12, 20)
    record.save()
    officer = _officer_of(record.department)
    with clock.frozen(D(2026, 12, 21)), pytest.raises(XinyongError) as refused:
        repairs.decide_repair(
            application.pk, actor=officer, action=RepairAction.REJECT, reasons="理由"
        )
    assert refused.value.code == "repair-record-ended"
    assert "均已届满" not in refused.value.message
    assert "已终止公示并停止共享" in refused.value.message
    call_command("tick", "--date", "2026-12-21", stdout=io.StringIO())
    application.refresh_from_db()
    assert application.state == RepairState.CLOSED
    assert application.reasons == refused.value.message


def test_the_daily_jobs_expiry_closes_its_decision_records_repair_with_the_exit(account, me):
    """Valid through 12-20, the entry expires from 12-21 in the daily job's run: the record
    application left open under its decision closes in that run with the expiry."""
    record = _general_record(me)
    application = _applied_for_general_record(account, record)
    definition = ListDefinitionFactory(recognizing_department=record.department)
    ListEntryFactory(
        list=definition, subject=me, effective=True, decision_document_number=NUMBER,
        valid_until=D(2026, 12, 20),
    )  # fmt: skip
    with clock.frozen(D(2026, 12, 21)):
        run_tick(D(2026, 12, 21))
    application.refresh_from_db()
    reasons = repair_closures.decision_ended_text(ExitReason.EXPIRED, D(2026, 12, 21))
    assert "因有效期届满移出" in reasons
    assert (application.state, application.decided_on, application.reasons) == (
        RepairState.CLOSED, D(2026, 12, 21), reasons
    )  # fmt: skip
