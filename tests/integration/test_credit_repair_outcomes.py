"""The outcome the department chooses when it accepts a record's repair (R8, 000 §九;
国办发〔2025〕22号, 《信用修复管理办法》): publication and sharing stopped now, the dishonesty
tier lowered one step with the window counted again under that tier, or publication shortened
to a given day; an entry's repair is its early exit. One audit row per decision keeps the
record's former tier and dates; the subject reads the outcome on its own page."""

import datetime as dt

import pytest
from django.test import Client

from tests import subject_remedies as shared
from tests.factories import (
    CatalogItemFactory,
    CreditRecordFactory,
    DomainFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
)
from tests.subject_remedies import logged_in, materials
from xinyong.audit.models import AuditEntry
from xinyong.catalog.models import Disclosure, PublicationRule, PublicationTier, RecordFormat
from xinyong.catalog.tick import end_record_publication
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings.models import EntryState, ExitReason, ListEntry, ListKind
from xinyong.listings.tick.black_list_proposals import propose_escalations
from xinyong.remedies import repairs
from xinyong.remedies.models import RepairApplication, RepairOutcome, RepairState
from xinyong.remedies.repair_workflow import RepairAction

pytestmark = pytest.mark.django_db
D = dt.date
REASONS = "已履行处罚决定并完成信用修复培训"
# the shared fixtures
me, account, client, stored_files = shared.me, shared.account, shared.client, shared.stored_files


def _serious(me, **fields):
    """A serious penalty decided on 2026-09-01: minimum to 2027-09-01, public to 2029-09-01."""
    return CreditRecordFactory(**{
        "subject": me, "tier": PublicationTier.SERIOUS, "is_serious": True,
        "published_on": D(2026, 9, 3), "publication_min_ends_on": D(2027, 9, 1),
        "publication_ends_on": D(2029, 9, 1), "sharing_ends_on": D(2029, 9, 1), **fields,
    })  # fmt: skip


def _general(me, **fields):
    """A general penalty decided on 2026-09-01: minimum to 2026-12-01, public to 2027-09-01."""
    return CreditRecordFactory(**{
        "subject": me, "tier": PublicationTier.GENERAL, "published_on": D(2026, 9, 3),
        "publication_min_ends_on": D(2026, 12, 1), "publication_ends_on": D(2027, 9, 1),
        "sharing_ends_on": D(2027, 9, 1), **fields,
    })  # fmt: skip


def _applied(account, record, day):
    with clock.frozen(day):
        return repairs.apply_for_record(
            record.pk, actor=account, corrected="已缴清罚款并完成整改", materials=materials()
        )


def _office(record) -> Client:
    return logged_in(OfficerFactory(department=record.department).user)


def _decide(office, application, day, **data):
    with clock.frozen(day):
        return office.post(
            f"/office/repairs/{application.pk}/",
            {"decision": "accept", "reasons": REASONS, **data},
        )


def _dates(record):
    record.refresh_from_db()
    return (
        record.tier, record.publication_min_ends_on, record.publication_ends_on,
        record.publication_ended_on, record.sharing_ends_on, record.sharing_stopped_on,
    )  # fmt: skip


def _accept_audit(application):
    rows = AuditEntry.objects.filter(action="remedies.repair.accept", object_id=str(application.pk))
    assert rows.count() == 1
    return rows.get()


def test_lowering_serious_to_general_counts_the_window_again_under_the_items_rule(
    client, account, me
):
    """The item's own general rule, 6 to 24 months from 2026-09-01: public to 2028-09-01,
    minimum to 2027-03-01; the record stays public and shared to that day."""
    record = _serious(me)
    PublicationRule.objects.create(
        catalog_item=record.catalog_item, tier=PublicationTier.GENERAL, months_min=6,
        months_max=24,
    )  # fmt: skip
    application = _applied(account, record, D(2027, 9, 2))
    office = _office(record)
    with clock.frozen(D(2027, 9, 10)):
        form = office.get(f"/office/repairs/{application.pk}/").content.decode()
    assert "将失信等级由严重降为一般" in form
    assert "可选 2027-09-10 至 2029-09-01 之间的日期" in form
    assert _decide(office, application, D(2027, 9, 10), outcome="lower").status_code == 302
    assert _dates(record) == (
        "general", D(2027, 3, 1), D(2028, 9, 1), None, D(2028, 9, 1), None
    )  # fmt: skip
    application.refresh_from_db()
    assert (application.state, application.outcome, application.new_tier) == (
        RepairState.ACCEPTED, RepairOutcome.LOWER, "general"
    )  # fmt: skip
    assert application.new_ends_on == D(2028, 9, 1)
    audit = _accept_audit(application)
    assert audit.before["record"] == {
        "tier": "serious", "published_on": "2026-09-03", "min_ends_on": "2027-09-01",
        "ends_on": "2029-09-01", "ended_on": None, "sharing_ends_on": "2029-09-01",
        "sharing_stopped_on": None, "is_serious": True,
    }  # fmt: skip
    assert (audit.after["record"]["tier"], audit.after["record"]["is_serious"]) == (
        "general",
        False,
    )
    assert audit.after["record"]["ends_on"] == "2028-09-01"
    assert (audit.before["outcome"], audit.after["outcome"]) == ("", "lower")
    with clock.frozen(D(2027, 9, 10)):
        mine = client.get("/my/").content.decode()
        page = office.get(f"/office/repairs/{application.pk}/").content.decode()
    for html in (mine, page):
        assert "降低失信等级（调整为一般），公示至 2028-09-01" in html


def test_lowering_serious_to_general_whose_window_has_passed_stops_now(client, account, me):
    """The default general rule, 3 to 12 months: its window ended on 2027-09-01, before the
    decision on 2027-09-10, so publication and sharing stop that day, not on a day gone by."""
    record = _serious(me)
    application = _applied(account, record, D(2027, 9, 2))
    assert _decide(_office(record), application, D(2027, 9, 10), outcome="lower").status_code == 302
    assert _dates(record) == (
        "general", D(2026, 12, 1), D(2027, 9, 1), D(2027, 9, 10), D(2027, 9, 1), D(2027, 9, 10)
    )  # fmt: skip
    application.refresh_from_db()
    assert (application.new_tier, application.new_ends_on) == ("general", None)
    with clock.frozen(D(2027, 9, 10)):
        assert "降低失信等级（调整为一般），已终止公示" in client.get("/my/").content.decode()


def test_a_record_lowered_out_of_serious_no_longer_escalates_key_attention(client, account, me):
    """Decided on 2026-11-02, during the subject's key attention in a domain with a black list;
    lowered to general (the item's rule, 6 to 24 months: still shared to 2028-11-02) on
    2027-11-10, it is serious dishonesty no more: no black-list proposal (R3, R8), and the
    subject's own record says so."""
    domain = DomainFactory()
    ListDefinitionFactory(kind=ListKind.BLACK, domain=domain)
    attention = ListDefinitionFactory(kind=ListKind.KEY_ATTENTION, domain=domain)
    ListEntryFactory(subject=me, list=attention, effective=True)  # effective from 2026-10-27
    record = _serious(
        me, decision_date=D(2026, 11, 2), published_on=D(2026, 11, 4),
        publication_min_ends_on=D(2027, 11, 2), publication_ends_on=D(2029, 11, 2),
        sharing_ends_on=D(2029, 11, 2),
    )  # fmt: skip
    PublicationRule.objects.create(
        catalog_item=record.catalog_item, tier=PublicationTier.GENERAL, months_min=6,
        months_max=24,
    )  # fmt: skip
    application = _applied(account, record, D(2027, 11, 3))
    answer = _decide(_office(record), application, D(2027, 11, 10), outcome="lower")
    assert answer.status_code == 302
    record.refresh_from_db()
    assert (record.tier, record.is_serious, record.sharing_ends_on) == (
        "general", False, D(2028, 11, 2)
    )  # fmt: skip
    assert propose_escalations(D(2027, 11, 10)) == 0
    assert not ListEntry.objects.filter(list__kind=ListKind.BLACK).exists()
    with clock.frozen(D(2027, 11, 10)):
        mine = client.get("/api/v1/me").json()
    assert [(r["id"], r["is_serious"]) for r in mine["records"]] == [(record.pk, False)]


def test_lowering_general_to_minor_stops_publication_and_sharing(account, me):
    """Minor is not published; by default it is not shared past its decision day either."""
    record = _general(me)
    application = _applied(account, record, D(2027, 1, 4))
    assert _decide(_office(record), application, D(2027, 1, 10), outcome="lower").status_code == 302
    assert _dates(record) == (
        "minor", D(2026, 12, 1), D(2027, 9, 1), D(2027, 1, 10), D(2026, 9, 1), D(2027, 1, 10)
    )  # fmt: skip
    application.refresh_from_db()
    assert (application.new_tier, application.new_ends_on) == ("minor", None)


def test_a_record_without_a_tier_is_not_lowered_and_nothing_changes(account, me):
    record = _general(me, tier="")
    application = _applied(account, record, D(2027, 1, 4))
    before = _dates(record)
    answer = _decide(_office(record), application, D(2027, 1, 10), outcome="lower")
    assert answer.status_code == 422
    assert "该信息不是严重或一般失信信息，不能降低失信等级" in answer.content.decode()
    assert _dates(record) == before
    application.refresh_from_db()
    assert (application.state, application.outcome) == (RepairState.SUBMITTED, "")
    assert not AuditEntry.objects.filter(action="remedies.repair.accept").exists()


@pytest.mark.parametrize(
    ("ends_on", "refusal"),
    [
        ("2026-12-01", None),  # exactly the minimum's end
        ("2026-11-30", "公示截止日期不得早于最短公示期届满之日（2026-12-01）"),
        ("2027-09-01", None),  # the current end itself
        ("2027-09-02", "公示截止日期不得晚于原公示截止日期（2027-09-01）"),
        ("", "请填写缩短后的公示截止日期"),
    ],
)
def test_publication_is_shortened_to_a_day_within_its_bounds(account, me, ends_on, refusal):
    """Decided on 2026-11-20, before the minimum ends: an application the portal would take only
    from 2026-12-02 is made here directly, so that the minimum is the bound that holds."""
    record = _general(me)
    application = RepairApplication.objects.create(
        subject=me, record=record, department=record.department, account=account,
        corrected="已缴清罚款", submitted_on=D(2026, 11, 16),
    )  # fmt: skip
    before = _dates(record)
    answer = _decide(
        _office(record), application, D(2026, 11, 20), outcome="shorten", ends_on=ends_on
    )
    application.refresh_from_db()
    if refusal is not None:
        assert answer.status_code == 422
        html = answer.content.decode()
        assert 'data-error="ends_on"' in html and refusal in html
        assert f'value="{ends_on}"' in html  # the day typed is kept on the form
        assert _dates(record) == before
        assert application.state == RepairState.SUBMITTED
        assert not AuditEntry.objects.filter(action="remedies.repair.accept").exists()
        return
    assert answer.status_code == 302
    day = D.fromisoformat(ends_on)
    assert _dates(record) == ("general", D(2026, 12, 1), day, None, day, None)
    assert (application.outcome, application.new_tier, application.new_ends_on) == (
        RepairOutcome.SHORTEN, "", day
    )  # fmt: skip
    audit = _accept_audit(application)
    assert audit.before["record"]["ends_on"] == "2027-09-01"
    assert audit.after["record"]["ends_on"] == ends_on


def test_a_listing_decision_is_repaired_through_its_entry(account, me):
    """The record a live entry's decision is (same department, number, subject) takes no repair
    of its own, even on a list that takes none: stopping it would leave the entry and its
    measures in force (R4, R8); an entry made after the application stops the decision too."""
    record = _general(me, document_number="浙市监失信〔2026〕1号")
    application = _applied(account, record, D(2026, 12, 15))
    definition = ListDefinitionFactory(recognizing_department=record.department, repairable=False)
    ListEntryFactory(list=definition, subject=me, effective=True,
                     decision_document_number="浙市监失信〔2026〕1号")  # fmt: skip
    with clock.frozen(D(2026, 12, 16)), pytest.raises(XinyongError) as refused:
        repairs.apply_for_record(
            record.pk, actor=account, corrected="再次申请", materials=materials()
        )
    assert refused.value.code == "record-is-a-listing"
    before = _dates(record)
    answer = _decide(_office(record), application, D(2026, 12, 16), outcome="stop")
    assert answer.status_code == 409 and "请对相应的名单记录申请信用修复" in answer.content.decode()
    assert _dates(record) == before


def test_an_entry_is_repaired_only_after_its_decision_records_minimum(account, me):
    """R8 (国办发〔2025〕22号): repair only after the minimum. The serious record a live entry's
    decision is stops with the entry's early exit, so the entry takes no repair before the
    record's minimum ends either; an application taken earlier is not accepted before it."""
    record = _serious(me, document_number="浙市监失信〔2026〕1号")
    definition = ListDefinitionFactory(recognizing_department=record.department, repairable=True)
    entry = ListEntryFactory(list=definition, subject=me, effective=True,
                             decision_document_number="浙市监失信〔2026〕1号")  # fmt: skip
    with clock.frozen(D(2026, 11, 16)), pytest.raises(XinyongError) as refused:
        repairs.apply_for_entry(entry.pk, actor=account, corrected="已履行", materials=materials())
    assert refused.value.code == "repair-before-minimum"
    assert refused.value.details["repairable_from"] == "2027-09-02"
    with clock.frozen(D(2026, 11, 16)):  # a minimum set after it was applied for
        application = RepairApplication.objects.create(
            subject=me,
            entry=entry,
            department=record.department,
            account=account,
            corrected="已履行",
            submitted_on=D(2026, 11, 16),
        )
    answer = _decide(_office(record), application, D(2026, 11, 20))
    assert answer.status_code == 409 and "最短公示期未满" in answer.content.decode()
    entry.refresh_from_db()
    record.refresh_from_db()
    assert (entry.state, record.publication_ended_on) == (EntryState.EFFECTIVE, None)
    with clock.frozen(D(2027, 9, 2)):  # the day after the minimum: the refusal is gone
        assert repairs.entry_refusal(entry) is None


def test_a_day_typed_with_another_outcome_is_refused_not_ignored(account, me):
    """The stop is checked by default and typing in the day's box does not choose shortening:
    a day sent with another outcome is refused beside the box, nothing stopped (R8)."""
    record = _general(me)
    application = _applied(account, record, D(2026, 12, 15))
    before = _dates(record)
    answer = _decide(
        _office(record), application, D(2026, 12, 15), outcome="stop", ends_on="2027-03-01"
    )
    assert answer.status_code == 422
    html = answer.content.decode()
    assert 'data-error="ends_on"' in html and "仅在选择“缩短公示期”时填写公示截止日期" in html
    assert _dates(record) == before
    application.refresh_from_db()
    assert application.state == RepairState.SUBMITTED


def test_a_day_gone_by_is_refused_after_the_minimum(account, me):
    record = _general(me)
    application = _applied(account, record, D(2027, 3, 2))
    answer = _decide(
        _office(record), application, D(2027, 3, 9), outcome="shorten", ends_on="2027-03-08"
    )
    assert answer.status_code == 422
    assert "公示截止日期不得早于今天（2027-03-09）" in answer.content.decode()
    assert _dates(record)[2] == D(2027, 9, 1)


def test_a_shortened_record_leaves_the_portal_the_day_after_its_new_end(client, account, me):
    """The portal checks the end itself; the daily job then writes the stops as for any record."""
    item = CatalogItemFactory(record_format=RecordFormat.PENALTY, disclosure=Disclosure.PUBLIC)
    record = _general(me, catalog_item=item)
    application = _applied(account, record, D(2027, 3, 2))
    answer = _decide(
        _office(record), application, D(2027, 3, 2), outcome="shorten", ends_on="2027-03-10"
    )
    assert answer.status_code == 302
    url, listing = f"/double-publicity/penalties/{record.pk}/", "/double-publicity/penalties/"
    with clock.frozen(D(2027, 3, 10)):
        assert Client().get(url).status_code == 200
        assert "杭州某某科技有限公司" in Client().get(listing).content.decode()
        assert "缩短公示期，公示至 2027-03-10" in client.get("/my/").content.decode()
    with clock.frozen(D(2027, 3, 11)):
        assert Client().get(url).status_code == 404
        assert "杭州某某科技有限公司" not in Client().get(listing).content.decode()
    assert end_record_publication(D(2027, 3, 10)).changed == 0
    report = end_record_publication(D(2027, 3, 11))
    assert (report.records_publication_ended, report.records_sharing_stopped) == (1, 1)
    record.refresh_from_db()
    assert (record.publication_ended_on, record.sharing_stopped_on) == (
        D(2027, 3, 11), D(2027, 3, 11)
    )  # fmt: skip


def test_stopping_now_stays_the_default(account, me):
    record = _general(me)
    application = _applied(account, record, D(2027, 3, 2))
    assert _decide(_office(record), application, D(2027, 3, 9)).status_code == 302
    assert _dates(record)[3:] == (D(2027, 3, 9), D(2027, 9, 1), D(2027, 3, 9))
    application.refresh_from_db()
    assert (application.outcome, application.new_tier, application.new_ends_on) == (
        RepairOutcome.STOP, "", None
    )  # fmt: skip


def test_an_entrys_repair_is_its_early_exit_and_nothing_else(account, me):
    entry = ListEntryFactory(subject=me, effective=True)
    with clock.frozen(D(2026, 11, 16)):
        application = repairs.apply_for_entry(
            entry.pk, actor=account, corrected="已履行", materials=materials()
        )
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    with clock.frozen(D(2026, 11, 20)), pytest.raises(XinyongError) as refused:
        repairs.decide_repair(
            application.pk, actor=officer, action=RepairAction.ACCEPT, reasons=REASONS,
            outcome=RepairOutcome.SHORTEN, ends_on=D(2026, 12, 31),
        )  # fmt: skip
    assert refused.value.message == "名单记录的信用修复结果只能是提前退出"
    entry.refresh_from_db()
    assert entry.state == EntryState.EFFECTIVE
    with clock.frozen(D(2026, 11, 20)):
        repairs.decide_repair(
            application.pk, actor=officer, action=RepairAction.ACCEPT, reasons=REASONS
        )
    entry.refresh_from_db()
    application.refresh_from_db()
    assert (entry.state, entry.exit_reason) == (EntryState.EXITED, ExitReason.REPAIRED)
    assert application.outcome == RepairOutcome.EXIT


def test_a_rejection_has_no_outcome(account, me):
    record = _general(me)
    application = _applied(account, record, D(2027, 3, 2))
    answer = _decide(
        _office(record), application, D(2027, 3, 9), decision="reject", outcome="shorten",
        ends_on="2027-01-01",
    )  # fmt: skip
    assert answer.status_code == 302
    application.refresh_from_db()
    assert (application.state, application.outcome) == (RepairState.REJECTED, "")
    assert _dates(record)[2:4] == (D(2027, 9, 1), None)


def test_a_second_decision_changes_nothing_whatever_its_outcome(account, me):
    record = _general(me)
    application = _applied(account, record, D(2027, 3, 2))
    office = _office(record)
    assert _decide(office, application, D(2027, 3, 9), outcome="shorten",
                   ends_on="2027-06-30").status_code == 302  # fmt: skip
    again = _decide(office, application, D(2027, 3, 9), outcome="lower")
    assert again.status_code == 409
    assert "该信用修复申请已办结" in again.content.decode()
    assert _dates(record) == ("general", D(2026, 12, 1), D(2027, 6, 30), None, D(2027, 6, 30), None)
    assert AuditEntry.objects.filter(action="remedies.repair.accept").count() == 1


def test_the_subjects_page_shows_a_stopped_record_as_no_longer_public(client, account, me):
    """Publication stopped on the repair: the subject's record says since when, not the end
    of the window it no longer runs to (R8: 终止公示)."""
    record = _general(me)
    application = _applied(account, record, D(2027, 3, 2))
    assert _decide(_office(record), application, D(2027, 3, 9)).status_code == 302
    with clock.frozen(D(2027, 3, 9)):
        html = client.get("/my/").content.decode()
    row = html[html.index(f'data-record="{record.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "已于 2027-03-09 终止公示" in row and "2027-09-01" not in row
