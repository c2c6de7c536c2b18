"""A red entry put back in force after a wrongful blacklisting is, on every public and shared
surface, as if it had never left (R2, R4, R6; 000 §十一.3).

Entering a black list ends the subject's red entries at once (R2), and an exit stops what
rests on the entry: its decision's credit record is no longer public nor shared, the public
list and checks drop it, the change feed tells ``ended`` (R4). When that black listing is
found wrong, the red entry is reinstated: its reputation is restored (000 §十一.3), so all of
that is undone. Two subjects hold the same red listing; one is wrongly blacklisted and
restored, the other never is, and every surface answers the same for both: the public list,
the listing notice, a check by code, the subject's own record (entries and records, with the
records' public and shared flags), the double publicity register and the change feed's
last word. Validity is not extended by the time out (the decision fixed it, R5); and when the
entry later ends by expiry, both end alike.

The reinstatement is announced on the channel of the listing and its exit (R4), following the
exit notice, whose page then points to it: the exit notice stays published as history
(nothing is deleted), but not as the last word on the entry.
"""

import datetime as dt
import re

import pytest
from django.test import Client

from tests.check_clients import check
from tests.factories import (
    CatalogItemFactory,
    CreditRecordFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    UserFactory,
)
from xinyong.access.models import SubjectAccount
from xinyong.catalog import selectors as catalog
from xinyong.catalog.models import CreditRecord, RecordFormat
from xinyong.core import clock
from xinyong.listings import feed_reads, services
from xinyong.listings.decision_records import Announcement
from xinyong.listings.models import EntryState, ExitReason, ListKind
from xinyong.listings.tick import run_tick
from xinyong.portal import double_publicity
from xinyong.portal import selectors as portal

pytestmark = pytest.mark.django_db
D = dt.date
RED_SIGNED = D(2026, 10, 27)  # the red listing takes effect, for 60 days: through 12-26
RED_LAST_DAY = D(2026, 12, 26)
SIGNED = D(2026, 11, 2)  # the black listing takes effect; the red entry ends (R2)
OBJECTED = D(2026, 11, 5)
FOUND_WRONG = D(2026, 11, 16)
PATHS = ["while in force", "after its exit"]


@pytest.fixture
def red_list():
    """A red list published on the portal, whose decisions are double-publicity records."""
    return ListDefinitionFactory(kind=ListKind.RED, validity_value=60, validity_unit="days")


def listed(red_list, **record):
    """A subject signed onto ``red_list`` on RED_SIGNED, with the credit record of its
    decision (department, document number, subject), public and shared for the validity."""
    entry = ListEntryFactory(list=red_list, awaiting_signature=True)
    signer = OfficerFactory(department=red_list.recognizing_department, signer=True).user
    with clock.frozen(RED_SIGNED):
        services.sign_decision(
            entry.pk, actor=signer, decision_document_number=f"杭红〔2026〕{entry.pk}号"
        )
    entry.refresh_from_db()
    assert (entry.state, entry.valid_until) == (EntryState.EFFECTIVE, RED_LAST_DAY)
    department = red_list.recognizing_department
    values = {
        "catalog_item": CatalogItemFactory(provider=department, record_format=RecordFormat.LICENCE),
        "subject": entry.subject, "department": department,
        "document_number": entry.decision_document_number, "decision_date": RED_SIGNED,
        "published_on": RED_SIGNED, "publication_ends_on": RED_LAST_DAY,
        "sharing_ends_on": RED_LAST_DAY, **record,
    }  # fmt: skip
    return entry, CreditRecordFactory(**values)


def wrongly_blacklisted(subject, path):
    """A black listing of ``subject`` signed on SIGNED (ending its red entries, R2), objected
    to, and found wrong on FOUND_WRONG: while in force, or after its exit by expiry (R6)."""
    of_list = {"validity_value": 10, "validity_unit": "days"} if path == "after its exit" else {}
    black = ListEntryFactory(
        subject=subject, list=ListDefinitionFactory(kind=ListKind.BLACK, **of_list),
        awaiting_signature=True,
    )  # fmt: skip
    officer = OfficerFactory(department=black.list.recognizing_department, signer=True).user
    with clock.frozen(SIGNED):
        services.sign_decision(black.pk, actor=officer)
    with clock.frozen(OBJECTED):
        services.record_objection(black.pk, actor=officer, objector=subject.name, grounds="有误")
    if path == "after its exit":
        run_tick(D(2026, 11, 13))
    with clock.frozen(FOUND_WRONG):
        if path == "while in force":
            services.exit_entry(black.pk, actor=officer, reason=ExitReason.CORRECTED, note="有误")
        else:
            services.correct_after_exit(black.pk, actor=officer, finding="有误")


def own_client(subject) -> Client:
    user = UserFactory()
    SubjectAccount.objects.create(user=user, subject=subject)
    client = Client()
    client.force_login(user)
    return client


def _without(row: dict, *keys: str) -> dict:
    return {key: value for key, value in row.items() if key not in keys}


def surfaces(entry, record, api, today):
    """What the public, the subject and implementing departments read of ``entry`` and its
    decision's ``record`` on ``today``, with what names the entry or subject left out."""
    subject = entry.subject
    record.refresh_from_db()
    with clock.frozen(today):
        public = [
            _without(row, "entry_id", "subject_name", "subject_code")
            for row in portal.shown(portal.public_entries(ListKind.RED))
            if row["entry_id"] == entry.pk
        ]
        notices = {a.kind for a in portal.public_announcements() if a.entry_id == entry.pk} & {
            Announcement.Kind.DECISION
        }  # the listing's own notice (exits are history, R4)
        answer = check(api, subject=subject.reveal_identifier(), scenario="honours").json()
        me = own_client(subject).get("/api/v1/me").json()
        page = own_client(subject).get("/my/").content.decode()
        public_until = re.search(
            rf'<tr data-record="{record.pk}">.*?data-field="public-until">(.*?)</td>', page, re.S
        ).group(1)
        register = double_publicity.REGISTERS["licences"]
        in_register = double_publicity.public_records(register, today).filter(pk=record.pk)
        shared = CreditRecord.objects.filter(catalog.shared_on(today), pk=record.pk).exists()
        changes = [c for c in feed_reads.changes_since(0, 1000)[0] if c.entry.pk == entry.pk]
    return {
        "public list": public,
        "listing notice": notices,
        "check": {
            "entries": [_without(e, "entry_id") for e in answer["entries"]],
            "measures": [_without(m, "entry_id") for m in answer["measures"]],
            "result": answer["result"],
        },
        "own entries": [
            _without(e, "id", "subject_name", "facts", "decision_document_number")
            for e in me["entries"]
            if e["id"] == entry.pk  # the black listing found wrong is the subject's too
        ],
        "own records": [
            _without(r, "id", "document_number") for r in me["records"] if r["id"] == record.pk
        ],
        "own page: public until": public_until.strip(),
        "record": (
            record.published_on, record.publication_ended_on, record.sharing_stopped_on,
            record.is_published, record.is_shared, shared, in_register.exists(),
        ),
        "last change": (changes[-1].kind, changes[-1].valid_until),
    }  # fmt: skip


@pytest.mark.parametrize("path", PATHS)
def test_every_surface_shows_the_reinstated_entry_as_the_one_never_exited(
    path, red_list, api, measures
):
    kept, kept_record = listed(red_list)
    restored, restored_record = listed(red_list)
    wrongly_blacklisted(restored.subject, path)
    restored.refresh_from_db()
    assert (restored.state, restored.exit_reason, restored.exited_on) == (
        EntryState.EFFECTIVE, "", None,
    )  # fmt: skip
    # Not extended by the time it was out: its validity is the decision's (R5).
    assert restored.valid_until == kept.valid_until == RED_LAST_DAY
    for day in (FOUND_WRONG, D(2026, 12, 1)):
        never_exited = surfaces(kept, kept_record, api, day)
        # Each surface shows the entry in force, so that equal is not equally empty.
        assert never_exited["public list"] and never_exited["listing notice"]
        assert never_exited["check"]["entries"] and never_exited["check"]["measures"]
        assert never_exited["record"][3:] == (True,) * 4
        assert never_exited["last change"] == ("took_effect", RED_LAST_DAY)
        assert surfaces(restored, restored_record, api, day) == never_exited, day
    # The decision's record is public and shared again, and the reinstatement's history says so.
    restored_record.refresh_from_db()
    assert (restored_record.publication_ended_on, restored_record.sharing_stopped_on) == (None,) * 2
    event = restored.events.get(action="reinstate")
    assert event.data["records_resumed"] == [restored_record.pk]


@pytest.mark.parametrize("path", PATHS)
def test_once_its_validity_ends_it_ends_as_the_one_never_exited(path, red_list, api, measures):
    """The daily job exits both the day after the decision's last day (R4): the records stop
    that day, and the feed, replayed, tells each exit on its own day (R11)."""
    kept, kept_record = listed(red_list)
    restored, restored_record = listed(red_list)
    wrongly_blacklisted(restored.subject, path)
    exit_day = RED_LAST_DAY + dt.timedelta(days=1)
    run_tick(exit_day)
    for entry, record in ((kept, kept_record), (restored, restored_record)):
        entry.refresh_from_db()
        record.refresh_from_db()
        assert (entry.state, entry.exit_reason, entry.exited_on) == (
            EntryState.EXITED, ExitReason.EXPIRED, exit_day,
        )  # fmt: skip
        assert (record.publication_ended_on, record.sharing_stopped_on) == (exit_day, exit_day)
    changes = feed_reads.changes_since(0, 1000)[0]

    def told(entry):
        return [(c.kind, c.business_date, c.valid_until) for c in changes if c.entry.pk == entry.pk]

    assert told(kept) == [
        ("took_effect", RED_SIGNED, RED_LAST_DAY), ("ended", exit_day, RED_LAST_DAY),
    ]  # fmt: skip
    # The wrongful exit keeps its own day when replayed, not the later exit's.
    assert told(restored) == [
        ("took_effect", RED_SIGNED, RED_LAST_DAY), ("ended", SIGNED, RED_LAST_DAY),
        ("took_effect", FOUND_WRONG, RED_LAST_DAY), ("ended", exit_day, RED_LAST_DAY),
    ]  # fmt: skip
    assert surfaces(restored, restored_record, api, exit_day) == surfaces(
        kept, kept_record, api, exit_day
    )


def test_a_record_whose_own_window_ended_while_the_entry_was_out_stays_ended(red_list):
    """The exit stopped the record on SIGNED; its own publication window ended on 11-10. Put
    back, it is stopped as the daily job stops a window's end, the day after (R8), and its
    sharing, whose window runs on, is shared again."""
    entry, record = listed(red_list, publication_ends_on=D(2026, 11, 10), sharing_ends_on=None)
    wrongly_blacklisted(entry.subject, "while in force")
    record.refresh_from_db()
    assert (record.publication_ended_on, record.sharing_stopped_on) == (D(2026, 11, 11), None)


def test_a_record_stopped_before_the_wrongful_exit_keeps_its_stop(red_list):
    """Only what the exit stopped is resumed: a record no longer shared from before keeps that
    day (R4, R8)."""
    entry, record = listed(red_list, sharing_stopped_on=D(2026, 10, 30))
    wrongly_blacklisted(entry.subject, "while in force")
    record.refresh_from_db()
    assert (record.publication_ended_on, record.sharing_stopped_on) == (None, D(2026, 10, 30))


@pytest.mark.parametrize("path", PATHS)
def test_the_reinstatement_is_announced_where_the_listing_was_and_supersedes_the_exit(
    path, red_list, client
):
    """R4: on the channel that announced the listing and its exit; the exit notice stays in
    the record, and its public page points to the reinstatement that undid it."""
    entry, _ = listed(red_list)
    wrongly_blacklisted(entry.subject, path)
    decision = entry.announcements.get(kind=Announcement.Kind.DECISION)
    exit_notice = entry.announcements.get(kind=Announcement.Kind.EXIT)
    reinstatement = entry.announcements.get(kind=Announcement.Kind.CORRECTION)
    assert decision.channel == exit_notice.channel == reinstatement.channel == entry.channel
    assert reinstatement.follows == exit_notice and exit_notice.follows == decision
    with clock.frozen(FOUND_WRONG):
        shown = {a.pk for a in portal.public_announcements()}
        assert {decision.pk, exit_notice.pk, reinstatement.pk} <= shown
        page = client.get(f"/announcements/{exit_notice.pk}/").content.decode()
    followed = re.search(r"<dd data-followed-by>(.*?)</dd>", page, re.S)
    assert followed is not None and f"/announcements/{reinstatement.pk}/" in followed.group(1)
