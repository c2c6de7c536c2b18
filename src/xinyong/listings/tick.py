"""The daily job (``xinyong tick``): set-based, idempotent and safe to run late (R1, R3, R4, R15).

Each step is a handful of statements over all the rows it concerns, never a round trip per row
(announcements, whose text masks names in Python, are written in batches). Every condition
reads stored dates, so a run after missed days catches up, with the dates the rules give
rather than the day of the run, and a second run finds nothing left to do.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, Q, QuerySet
from django.utils import timezone

from xinyong.audit import services as audit
from xinyong.calendars.selectors import work_calendar
from xinyong.listings import documents, escalation
from xinyong.listings.models import (
    Announcement,
    EntryState,
    ExitReason,
    ListDefinition,
    ListEntry,
    ListEntryEvent,
    ListKind,
)
from xinyong.listings.workflow import FINAL_STATES

BATCH = 5000
SYSTEM = "system"


@dataclasses.dataclass
class TickReport:
    day: dt.date
    publicity_ended: int = 0
    expired: int = 0
    monitoring_started: int = 0
    monitoring_extended: int = 0
    warnings_added: int = 0
    warnings_ended: int = 0
    proposals: int = 0
    due_soon: int = 0
    overdue: int = 0

    @property
    def changed(self) -> int:
        return (
            self.publicity_ended + self.expired + self.monitoring_started
            + self.monitoring_extended + self.warnings_added + self.warnings_ended + self.proposals
        )  # fmt: skip

    def lines(self) -> list[str]:
        return [f"{f.name}: {getattr(self, f.name)}" for f in dataclasses.fields(self)]


def _log_events(entry_filter: Q, *, action: str, from_state: str, to_state: str, day) -> int:
    """History rows for every entry the filter selects, in one INSERT … SELECT."""
    entries = ListEntry.objects.filter(entry_filter).values_list("pk", flat=True)
    try:
        sql, params = entries.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing, such as pk__in=[]
        return 0
    events, entries_table = ListEntryEvent._meta.db_table, ListEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {events} (entry_id, action, from_state, to_state, business_date, at,"
            f" actor, reason, data) SELECT e.id, %s, %s, %s, %s, %s, %s, '', '{{}}'"
            f" FROM {entries_table} e WHERE e.id IN ({sql})",
            [action, from_state, to_state, day, timezone.now(), SYSTEM, *params],
        )
        return cursor.rowcount


def end_publicity_periods(day: dt.date) -> int:
    """Unobjected candidates whose publicity is over await signature; never signed here (R1)."""
    due = Q(
        state=EntryState.IN_PUBLICITY,
        publicity_ends_on__lt=day,
        publicity_ends_provisional=False,
    )
    _log_events(due, action="end_publicity", from_state=EntryState.IN_PUBLICITY,
                to_state=EntryState.AWAITING_SIGNATURE, day=day)  # fmt: skip
    return ListEntry.objects.filter(due).update(
        state=EntryState.AWAITING_SIGNATURE, version=F("version") + 1
    )


def _announce_exits(entries: Iterable[ListEntry], day: dt.date) -> None:
    """Exit announcements published today on each entry's channel, each following the entry's
    last notice, as an officer's exit is (R4); the text gives the exit date the rules set."""
    entries = list(entries)
    last_notice = dict(
        Announcement.objects.filter(entry_id__in=[entry.pk for entry in entries])
        .exclude(kind=Announcement.Kind.EXIT)
        .values("entry_id")
        .annotate(last=Max("id"))
        .values_list("entry_id", "last")
    )
    batch: list[Announcement] = []
    for entry in entries:
        title, body = documents.exit_announcement(entry)
        batch.append(
            Announcement(
                entry=entry, kind=Announcement.Kind.EXIT, channel=entry.channel,
                published_on=day, title=title, body=body, follows_id=last_notice.get(entry.pk),
            )
        )  # fmt: skip
        if len(batch) >= BATCH:
            Announcement.objects.bulk_create(batch)
            batch.clear()
    Announcement.objects.bulk_create(batch)


def _expire_on(last_day: dt.date, day: dt.date) -> tuple[int, list[int]]:
    """Exit the effective entries whose validity ended on ``last_day``, the day after it (R4).

    Answers the count and the ids of the black-list entries among them, for key monitoring.
    """
    exit_day = last_day + dt.timedelta(days=1)
    these = Q(state=EntryState.EFFECTIVE, valid_until=last_day)
    _log_events(these, action="exit", from_state=EntryState.EFFECTIVE,
                to_state=EntryState.EXITED, day=exit_day)  # fmt: skip
    ids = list(ListEntry.objects.filter(these).values_list("pk", flat=True))
    black_ids = list(
        ListEntry.objects.filter(these, list__kind=ListKind.BLACK).values_list("pk", flat=True)
    )
    total = ListEntry.objects.filter(these).update(
        state=EntryState.EXITED, exit_reason=ExitReason.EXPIRED, exited_on=exit_day,
        # An open objection ends with the entry, as in an officer's exit.
        verification_due_on=None, verification_due_provisional=False,
        version=F("version") + 1,
    )  # fmt: skip
    for start in range(0, len(ids), BATCH):
        chosen = ListEntry.objects.filter(pk__in=ids[start : start + BATCH]).select_related(
            "subject", "list__recognizing_department"
        )
        _announce_exits(chosen, day)
    return total, black_ids


def expire_entries(day: dt.date) -> tuple[int, int, int]:
    """Entries past their validity exit the day after it ends, whenever the job runs (R4), and
    black-list exits start key monitoring (R3).

    Taken one last day at a time, earliest first, as daily runs would have taken them: key
    monitoring that began and ended within missed days ends before a later black-list exit
    starts or extends the subject's monitoring, and none is left past its validity for a
    second run to expire. Answers the counts expired, monitoring started and extended.
    """
    targets = escalation.monitoring_targets()
    expired = started = extended = 0
    due = ListEntry.objects.filter(state=EntryState.EFFECTIVE, valid_until__lt=day)
    while (last_day := due.aggregate(last=Min("valid_until"))["last"]) is not None:
        count, black_ids = _expire_on(last_day, day)
        added, longer = start_key_monitoring(black_ids, day, targets)
        expired, started, extended = expired + count, started + added, extended + longer
    return expired, started, extended


def _create_entries(entries: list[ListEntry], *, action: str, day: dt.date) -> None:
    """Bulk-create entries the platform derives itself, each with its first history row."""
    created = ListEntry.objects.bulk_create(entries, batch_size=BATCH)
    if connection.features.can_return_rows_from_bulk_insert:
        keys = [entry.pk for entry in created]
    else:  # pragma: no cover - both supported databases return the new keys
        raise RuntimeError("the database must return keys from bulk inserts")
    ListEntryEvent.objects.bulk_create(
        [
            ListEntryEvent(
                entry_id=pk,
                action=action,
                from_state="",
                to_state=entry.state,
                business_date=day,
                actor=SYSTEM,
            )
            for pk, entry in zip(keys, created, strict=True)
        ],
        batch_size=BATCH,
    )


def _extend_entries(extensions: list[escalation.Extension], day: dt.date) -> None:
    """Run live key-monitoring entries on to a later end, each with a history row (R3)."""
    events = [
        ListEntryEvent(
            entry=extension.entry, action="extend", from_state=extension.entry.state,
            to_state=extension.entry.state, business_date=day, actor=SYSTEM,
            data=extension.apply(),
        )
        for extension in extensions
    ]  # fmt: skip
    ListEntry.objects.bulk_update(
        [extension.entry for extension in extensions], ["valid_until", "version"],
        batch_size=BATCH,
    )  # fmt: skip
    ListEntryEvent.objects.bulk_create(events, batch_size=BATCH)


def start_key_monitoring(
    black_ids: list[int], day: dt.date, targets: escalation.Targets
) -> tuple[int, int]:
    """Subjects that left a black list by expiry are monitored from the exit date for the period
    it sets; one already monitored on that list is monitored on to the later end (R3).

    Answers the counts of monitoring entries started and extended.
    """
    exited = (
        ListEntry.objects.filter(pk__in=black_ids)
        .exclude(consequences__list__kind=ListKind.KEY_MONITORING)
        .select_related("list")
    )
    candidates = [escalation.monitoring_entry(entry, entry.exited_on, targets) for entry in exited]
    new, extended = escalation.place_monitoring([c for c in candidates if c is not None])
    _create_entries(new, action="monitor", day=day)
    _extend_entries(extended, day)
    return len(new), len(extended)


WARNING_DOMAINS = 3  # key attention in this many different key domains (003 §四)


def _key_attention_spans(
    subject_ids: list[int],
) -> dict[int, list[tuple[int, dt.date, dt.date]]]:
    """The key-attention entries in key domains of these subjects that took effect, as
    (domain, first day, day it ended or ``date.max``), by subject: one query."""
    spans: dict[int, list[tuple[int, dt.date, dt.date]]] = {}
    rows = ListEntry.objects.filter(
        subject_id__in=subject_ids, state__in=[EntryState.EFFECTIVE, EntryState.EXITED],
        list__kind=ListKind.KEY_ATTENTION, list__domain__is_key_domain=True,
        effective_on__isnull=False,
    )  # fmt: skip
    rows = rows.values_list("subject_id", "list__domain_id", "effective_on", "exited_on", "state")
    for subject_id, domain_id, start, exited_on, state in rows:
        if state == EntryState.EXITED and exited_on is None:
            continue  # ended on a day nobody recorded: no help in dating the warning
        spans.setdefault(subject_id, []).append((domain_id, start, exited_on or dt.date.max))
    return spans


def _domains_on(spans: list[tuple[int, dt.date, dt.date]], on: dt.date) -> int:
    return len({domain for domain, start, end in spans if start <= on < end})


def _qualified_since(spans: list[tuple[int, dt.date, dt.date]], day: dt.date) -> dt.date:
    """The first day of the unbroken run of days up to ``day`` on which the subject qualified.

    The number of domains changes only on the days entries start or end, so walking those days
    back from ``day`` finds it.
    """
    changes = {point for _, start, end in spans for point in (start, end) if point <= day}
    since = day
    for point in sorted(changes, reverse=True):
        if _domains_on(spans, point) < WARNING_DOMAINS:
            break
        since = point
    return since


def rebuild_big_data_warnings(day: dt.date) -> tuple[int, int]:
    """Key attention in ≥ 3 different key domains puts a subject on the warning list (003 §四).

    Subjects that no longer qualify leave it (reason: corrected, as the condition fell away).
    Both take the dates the entries give, not the day of the run: a warning starts the day the
    subject came to qualify and ends the day it stopped, as the job dates other exits (R4, R15).
    """
    warning_list = ListDefinition.objects.filter(kind=ListKind.BIG_DATA_WARNING).first()
    if warning_list is None:
        return 0, 0
    qualifying = (
        ListEntry.objects.filter(
            state=EntryState.EFFECTIVE, list__kind=ListKind.KEY_ATTENTION,
            list__domain__is_key_domain=True,
        )
        .values("subject_id")
        .annotate(domains=Count("list__domain", distinct=True))
        .filter(domains__gte=WARNING_DOMAINS)
        .values("subject_id")
    )  # fmt: skip
    current = ListEntry.objects.filter(list=warning_list, state=EntryState.EFFECTIVE)
    leaving = list(
        current.exclude(subject_id__in=qualifying).values_list("pk", "subject_id", "effective_on")
    )
    spans = _key_attention_spans([subject_id for _, subject_id, _ in leaving])
    ended_on: dict[dt.date, list[int]] = {}
    for pk, subject_id, started in leaving:
        # The first day since the warning began on which fewer than 3 domains were in force.
        ends = sorted(
            end for _, _, end in spans.get(subject_id, [])
            if end <= day and (started is None or end >= started)
        )  # fmt: skip
        fell_away = next(
            (end for end in ends if _domains_on(spans[subject_id], end) < WARNING_DOMAINS), day
        )
        ended_on.setdefault(fell_away, []).append(pk)
    for exit_day, ids in ended_on.items():
        _log_events(Q(pk__in=ids), action="exit", from_state=EntryState.EFFECTIVE,
                    to_state=EntryState.EXITED, day=exit_day)  # fmt: skip
        ListEntry.objects.filter(pk__in=ids).update(
            state=EntryState.EXITED, exit_reason=ExitReason.CORRECTED, exited_on=exit_day,
            version=F("version") + 1,
        )  # fmt: skip
    missing = list(
        qualifying.exclude(subject_id__in=current.values("subject_id")).values_list(
            "subject_id", flat=True
        )
    )
    spans = _key_attention_spans(missing)
    # A warning that ended is not overlapped by the next one of the same subject.
    last_ended = dict(
        ListEntry.objects.filter(list=warning_list, subject_id__in=missing, exited_on__isnull=False)
        .values("subject_id")
        .annotate(last=Max("exited_on"))
        .values_list("subject_id", "last")
    )
    new = []
    for subject_id in missing:
        since = _qualified_since(spans.get(subject_id, []), day)
        if subject_id in last_ended:
            since = max(since, last_ended[subject_id])
        new.append(
            ListEntry(
                list=warning_list, subject_id=subject_id, state=EntryState.EFFECTIVE,
                facts="在3个以上重点领域被列入重点关注名单", basis=warning_list.legal_basis,
                proposed_on=since, effective_on=since,
            )
        )  # fmt: skip
    _create_entries(new, action="warn", day=day)
    return len(new), len(leaving)


SERIOUS_RECORD = "subject__records__"  # the records the filter below selects


def _escalation_candidates() -> QuerySet[ListEntry]:
    """Key-attention entries with a serious record dated within their validity (R3, 003 §四).

    Within validity: from the day the entry took effect through its last day of validity, and
    before the day it exited, if it did. An entry that exited counts as much as one in force,
    so a record entered after the job expired the entry is still proposed; one whose listing
    an objection found wrong (corrected) never counts.
    """
    record = SERIOUS_RECORD
    within_validity = (
        Q(**{f"{record}decision_date__gte": F("effective_on")})
        & (Q(valid_until__isnull=True) | Q(**{f"{record}decision_date__lte": F("valid_until")}))
        & (Q(exited_on__isnull=True) | Q(**{f"{record}decision_date__lt": F("exited_on")}))
    )
    took_effect = Q(state=EntryState.EFFECTIVE) | (
        Q(state=EntryState.EXITED) & ~Q(exit_reason=ExitReason.CORRECTED)
    )
    return (
        ListEntry.objects.filter(list__kind=ListKind.KEY_ATTENTION, effective_on__isnull=False)
        .filter(took_effect)
        # One filter() for every condition on the records: they hold of the same record, and
        # an annotation over SERIOUS_RECORD reads only the records they select.
        .filter(within_validity, **{f"{record}is_serious": True})
        .exclude(consequences__list__kind=ListKind.BLACK)  # proposed from this entry already
    )


def propose_escalations(day: dt.date) -> int:
    """A key-attention subject with serious dishonesty during validity is proposed for the black
    list of that domain: a draft for the department, never a listing (R3, 003 §四).

    What counts is the record's decision date, whenever the record arrives: a record entered
    after the key attention ended is proposed as one entered during it. A subject is not
    proposed twice for it: not from an entry already proposed from, nor while it has a live
    entry on that black list, nor when an entry on that black list was proposed since the
    record's decision date (the conduct has been before the department).
    """
    black_by_domain = {
        d.domain_id: d for d in ListDefinition.objects.filter(kind=ListKind.BLACK).order_by("-id")
    }
    candidates = _escalation_candidates()
    # The black-list entries of the candidates only (the whole list could be millions).
    live: set[tuple[int, int]] = set()
    last_proposed: dict[tuple[int, int], dt.date] = {}
    black_entries = ListEntry.objects.filter(
        list__kind=ListKind.BLACK, subject_id__in=candidates.values("subject_id")
    ).values_list("subject_id", "list_id", "state", "proposed_on")
    for subject_id, list_id, state, proposed_on in black_entries:
        key = (subject_id, list_id)
        if state not in FINAL_STATES:
            live.add(key)
        last_proposed[key] = max(proposed_on, last_proposed.get(key, proposed_on))
    new = []
    dated = candidates.annotate(first_serious=Min(f"{SERIOUS_RECORD}decision_date"))
    for entry in dated.select_related("list").order_by("pk"):
        black = black_by_domain.get(entry.list.domain_id)
        if black is None:
            continue
        key = (entry.subject_id, black.pk)
        if key in live or last_proposed.get(key, dt.date.min) >= entry.first_serious:
            continue
        live.add(key)
        new.append(
            ListEntry(
                list=black, subject_id=entry.subject_id, origin=entry, proposed_on=day,
                facts=f"重点关注期间（{entry.list.name}）出现严重失信行为，依规提请列入",
                basis=black.legal_basis,
            )
        )  # fmt: skip
    _create_entries(new, action="propose", day=day)
    return len(new)


def count_deadlines(day: dt.date) -> tuple[int, int]:
    """Objections whose verification is due within 3 working days, and those overdue (R6).

    An objection is open while its entry has a verification deadline: a candidacy under
    verification, or an effective entry whose measures it suspends (the officer's worklist
    counts the same ones).
    """
    soon = work_calendar().add_workdays(day, 3).date
    pending = ListEntry.objects.filter(
        state__in=[EntryState.UNDER_VERIFICATION, EntryState.EFFECTIVE],
        verification_due_on__isnull=False,
    )
    overdue = pending.filter(verification_due_on__lt=day).count()
    due_soon = pending.filter(verification_due_on__gte=day, verification_due_on__lte=soon).count()
    return due_soon, overdue


@transaction.atomic
def run_tick(day: dt.date) -> TickReport:
    """The daily job for ``day``; an audit row only when something changed."""
    report = TickReport(day)
    report.publicity_ended = end_publicity_periods(day)
    # A serious record during the validity of key attention counts whether or not the entry
    # has exited by the time the job runs or the record arrives (R3).
    report.proposals = propose_escalations(day)
    report.expired, report.monitoring_started, report.monitoring_extended = expire_entries(day)
    report.warnings_added, report.warnings_ended = rebuild_big_data_warnings(day)
    report.due_soon, report.overdue = count_deadlines(day)
    if report.changed:
        audit.record(
            actor=None, action="listing.tick", obj=("listings.tick", day.isoformat()),
            after=dataclasses.asdict(report),
        )  # fmt: skip
    return report
