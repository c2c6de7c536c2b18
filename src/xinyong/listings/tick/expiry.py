"""Entries past their validity exit, and black-list exits start or extend key monitoring
(R3, R4; 000 §十, 002 §二十一)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import F, Max, Min, Q

from xinyong.catalog import listing_records
from xinyong.listings import documents, escalation, notifications
from xinyong.listings.decision_records import Announcement
from xinyong.listings.models import EntryState, ExitReason, ListEntry, ListEntryEvent, ListKind
from xinyong.listings.tick.bulk import BATCH, SYSTEM, create_entries, log_events


def _announce_exits(entries: Iterable[ListEntry], day: dt.date) -> None:
    """Exit announcements published today on each entry's channel, each following the entry's
    last notice, as an officer's exit is (R4); the text gives the exit date the rules set. A
    list whose listings are never announced (the lists the platform derives) announces no exit."""
    entries = [entry for entry in entries if documents.is_announced(entry)]
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

    The entries are locked first, in id order, and only those still effective once locked are
    exited: an officer's step on one of them (an exit, an objection decided) either commits
    first, and the job sees what it left, or waits for the job. Without the lock the job wrote
    its history rows at once and waited only to update the entries, so an officer's expiry exit
    meanwhile was announced twice, and an objection found unfounded meanwhile was numbered in
    the change feed after the exit (R11: measures "resumed" on an entry that had ended).

    Answers the count and the ids of the black-list entries among them, for key monitoring.
    """
    exit_day = last_day + dt.timedelta(days=1)
    due = ListEntry.objects.filter(state=EntryState.EFFECTIVE, valid_until=last_day)
    ids = list(due.select_for_update().order_by("pk").values_list("pk", flat=True))
    total, black_ids = 0, []
    for start in range(0, len(ids), BATCH):
        these = Q(pk__in=ids[start : start + BATCH])
        log_events(these, action="exit", from_state=EntryState.EFFECTIVE,
                   to_state=EntryState.EXITED, day=exit_day)  # fmt: skip
        black_ids += ListEntry.objects.filter(these, list__kind=ListKind.BLACK).values_list(
            "pk", flat=True
        )
        total += ListEntry.objects.filter(these).update(
            state=EntryState.EXITED, exit_reason=ExitReason.EXPIRED, exited_on=exit_day,
            # An open objection keeps its deadline: it is still answered on the exited entry
            # (R6), while the exit stops the measures on time (R4).
            version=F("version") + 1,
        )  # fmt: skip
        chosen = ListEntry.objects.filter(these).select_related(
            "subject", "list__recognizing_department"
        )
        _announce_exits(chosen, day)
        # The records these decisions rest on stop with them (R4).
        listing_records.stop_records(listing_records.decisions_of(ids[start : start + BATCH]))
        notifications.entries_ended.send(
            sender=ListEntry, entry_ids=ids[start : start + BATCH], reason=ExitReason.EXPIRED,
            exited_on=exit_day, actor=SYSTEM, today=day,
        )  # fmt: skip
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


def _extend_entries(extensions: list[escalation.Extension]) -> None:
    """Run live key-monitoring entries on to a later end, each with a history row (R3), dated
    the day of the black-list exit that runs it on, the day the later end applies from, not
    the day of the run: a run after missed days tells the change feed what daily runs would
    have (R4, R15, R11)."""
    events = [
        ListEntryEvent(
            entry=extension.entry, action="extend", from_state=extension.entry.state,
            to_state=extension.entry.state, business_date=extension.cause.effective_on,
            actor=SYSTEM, data=extension.apply(),
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
    it sets; one already monitored on that list is monitored on to the later end (R3). Every
    exit that neither starts nor runs on the subject's monitoring (one merged with a longer
    exit of the same day, or one no later than the live entry) is kept in that entry's history
    as one that requires it (``monitor_again``), so a correction of the exit that set its end
    leaves the subject monitored for this one (R4).

    Answers the counts of monitoring entries started and extended.
    """
    exited = (
        ListEntry.objects.filter(pk__in=black_ids)
        .exclude(consequences__list__kind=ListKind.KEY_MONITORING)
        .select_related("list")
    )
    candidates = [escalation.monitoring_entry(entry, entry.exited_on, targets) for entry in exited]
    placement = escalation.place_monitoring([c for c in candidates if c is not None])
    # Taken a last day at a time, earliest first, the job has exited any monitoring that ended
    # before these exits; one answered as ended anyway exits by expiry before its successor.
    for stale in placement.ended:
        _expire_on_its_day(stale.pk)
    # Each step is dated the day of the exit it follows from (``create_entries``,
    # ``_extend_entries``), as an officer's exit is on its own day (R4, R15).
    create_entries(placement.new, action="monitor", day=day)
    _extend_entries(placement.extended)
    ListEntryEvent.objects.bulk_create(
        [
            ListEntryEvent(
                entry=requirement.entry, action=escalation.MONITOR_AGAIN,
                from_state=requirement.entry.state, to_state=requirement.entry.state,
                business_date=requirement.cause.effective_on, actor=SYSTEM,
                data=requirement.details(),
            )  # the new entries are saved by now, so each requirement names its entry's key
            for requirement in placement.required
        ],
        batch_size=BATCH,
    )  # fmt: skip
    return len(placement.new), len(placement.extended)


def _expire_on_its_day(entry_id: int) -> None:
    """Exit one entry past its validity as an expiry, dated the day after its last day (R4)."""
    from xinyong.listings.services.exits import end_entry  # services import the job's modules

    end_entry(entry_id, actor=SYSTEM, reason=ExitReason.EXPIRED, system=True)
