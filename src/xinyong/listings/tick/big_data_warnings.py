"""The big-data warning list, rebuilt from key attention in key domains (R3, 003 §四)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Max, Q

from xinyong.listings.models import EntryState, ExitReason, ListDefinition, ListEntry, ListKind
from xinyong.listings.tick.bulk import create_entries, log_events
from xinyong.listings.workflow import FINAL_STATES

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
        log_events(Q(pk__in=ids), action="exit", from_state=EntryState.EFFECTIVE,
                   to_state=EntryState.EXITED, day=exit_day)  # fmt: skip
        ListEntry.objects.filter(pk__in=ids).update(
            state=EntryState.EXITED, exit_reason=ExitReason.CORRECTED, exited_on=exit_day,
            version=F("version") + 1,
        )  # fmt: skip
    # One live entry per subject on the list: a warning in force, or one an officer has taken
    # up (proposed before such proposals were refused), which the job leaves to the officer.
    live = ListEntry.objects.filter(list=warning_list).exclude(state__in=FINAL_STATES)
    missing = list(
        qualifying.exclude(subject_id__in=live.values("subject_id")).values_list(
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
    create_entries(new, action="warn", day=day)
    return len(new), len(leaving)
