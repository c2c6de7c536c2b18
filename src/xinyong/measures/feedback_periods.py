"""When a reported measure was applied: its start and end judged against its entries (R4, R6).

Feedback in local practice records each measure's start and end (DOMAIN §5). A measure is
applied only while an entry it follows from is in force (R4: once an entry ends, its measures
stop at once) and not under an objection's verification (R6, 002 §二十七: 联合惩戒措施在信息核实期间
暂不执行); so a report's period for it must lie where its entries carried it. Days since the
check are read from the change feed's history of the entries, today from the entries as they
stand, and a day after today from their validity as it stands (a validity extended later is a
correction's matter). Reads only: ``services.report_feedback`` writes.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from typing import Any

from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings.feed_reads import changes_of_entries
from xinyong.listings.models import EntryState, ListEntry
from xinyong.measures import monitoring_due
from xinyong.measures.models import Check
from xinyong.measures.outcomes import (
    AnsweredMeasure,
    as_of_now,
    first_day_not_carried,
    live_on,
    open_at_check,
)
from xinyong.measures.selectors import in_force

ONE_DAY = dt.timedelta(days=1)


def _refuse(code: str, message: str, **details: object) -> XinyongError:
    return XinyongError(code, message, status=422, **details)


class EntriesOn:
    """The answer's entries in force on a day since the check, each with whether an objection
    suspended its measures then, read once per day asked (``live``)."""

    def __init__(
        self, made: Check, answered: dict[str, AnsweredMeasure], response: dict[str, Any],
        pending: dict[int, dt.date | None] | None = None,
    ) -> None:  # fmt: skip
        self.made = made
        # Key monitoring the answer gave before the daily job recorded it, still due: its
        # stand-in key and last day (``monitoring_due.bound``).
        self.pending = pending or {}
        # The answer as it bound: only the measures the entries' decisions state (R1, R10).
        self.response = response
        self.ids = {entry_id for measure in answered.values() for entry_id in measure.entry_ids}
        self._days: dict[dt.date, dict[int, bool]] = {}

    def live(self, day: dt.date) -> dict[int, bool]:
        """Today as the entries stand; an earlier day as the change feed tells their history
        from the answer on (``outcomes.live_on``)."""
        if day not in self._days:
            if day == clock.today():
                self._days[day] = self._live_today()
            else:
                changes = self.changes(self.ids, day)
                self._days[day] = live_on(self.response, changes, day, self.opened)
        return self._days[day]

    @functools.cached_property
    def opened(self) -> dict[int, tuple[bool, bool]]:
        """Which objections held suspended, when the check was answered, each entry the answer
        found suspended that reaches the subject checked through a naming: the entry's own,
        the person's to being named, or both (``outcomes.open_at_check``). The answer says
        only "suspended"; the conclusion of the objections open then, and of those alone,
        resumes the measures (R6, 004 §二(三)6). Read from the feed as recorded up to the
        check, and only when the answer holds such an entry."""
        named = [
            entry["entry_id"]
            for entry in self.response.get("entries", [])
            if entry.get("suspended") and entry.get("via") and entry.get("entry_id") in self.ids
        ]
        if not named:
            return {}
        made = self.made
        before = changes_of_entries(
            named, dt.date.min, dt.date.max, made.subject_id, recorded_by=made.created_at
        )
        return open_at_check(before)

    def changes(self, ids: Iterable[int], through: dt.date) -> list:
        """What the feed tells of ``ids`` from the check's day up to ``through``, as it
        concerns the subject checked, with what was recorded after the check
        (``listings.feed_reads.changes_of_entries``)."""
        made = self.made
        return changes_of_entries(
            ids, made.as_of, through, made.subject_id, recorded_after=made.created_at
        )

    def _live_today(self) -> dict[int, bool]:
        today = clock.today()
        # The namings with them: a person's objection to being named is kept on its naming.
        entries = (
            ListEntry.objects.filter(pk__in=self.ids)
            .select_related("list")
            .prefetch_related("persons")
        )
        checked = self.made.subject_id
        return {
            **monitoring_due.live_today(self.pending, today),
            **{
                entry.pk: entry.is_suspended_for(checked)
                for entry in entries
                if entry.state == EntryState.EFFECTIVE
                and in_force(entry.valid_until, today)
                and _reaches(entry, checked)
            },
        }


def _reaches(entry: ListEntry, subject_id: int | None) -> bool:
    """Whether ``entry`` still reaches the subject checked: its own subject, or a person it
    names now. A naming removed on the person's founded objection (004 §二(三)6, R6) brings
    nothing on them from that day, though the entry stands (``persons`` prefetched)."""
    if subject_id is None or entry.subject_id == subject_id:
        return True
    return any(naming.person_id == subject_id for naming in entry.persons.all())


def check_dates(made: Check, measures: Sequence, day: dt.date, today: dt.date) -> None:
    """What the dates of a report's measures must be, whatever the entries: only a measure
    applied has a period; a start said is from the check's day to today, as the day of
    application is (the check comes first: 应查必查, R11; ``made``: for a correction, the check
    the business was first reported on, ``services._business_check``); and an end said is no
    earlier than the start (``day``, the report's day of application, when the measure says
    none).
    ``measures``: ``services.ReportedMeasure``."""
    undated = sorted(m.measure for m in measures if not m.applied and (m.start or m.end))
    if undated:
        raise _refuse("measure-period-not-applied", "未实施的措施不能填写实施起止日期",
                      measures=undated)  # fmt: skip
    outside = sorted(m.measure for m in measures if m.start and not made.as_of <= m.start <= today)
    if outside:
        raise _refuse(
            "measure-start-out-of-range",
            f"措施的实施开始日期须在核查之日（{made.as_of.isoformat()}）与今天（{today.isoformat()}）之间",
            measures=outside,
        )  # fmt: skip
    reversed_ = sorted(m.measure for m in measures if m.end and m.end < (m.start or day))
    if reversed_:
        raise _refuse("measure-end-before-start", "措施的实施结束日期不能早于实施开始日期",
                      measures=reversed_)  # fmt: skip


def check_periods(
    made: Check, then: dict[str, AnsweredMeasure], measures: Sequence, entries: EntriesOn
) -> None:
    """Each measure reported applied, judged on its period: on its start an entry it follows
    from was in force (R4) and not under verification (R6); up to its end (or today, if it ends
    later) one carried it every day; and an end after today lies within the validity of an
    entry that carries it today (none: until its exit). A period not said to end runs while
    its entries carry it, and is judged on its start alone."""
    today = clock.today()
    gone, suspended, broken, beyond = [], [], [], []
    for m in measures:
        if not m.applied:
            continue
        on_start = as_of_now(entries.response, entries.live(m.start))[m.measure]
        if on_start.gone:
            gone.append(m.measure)
        elif on_start.suspended:
            suspended.append(m.measure)
        elif m.end is not None:
            ids = then[m.measure].entry_ids
            gap = _first_gap(made, ids, m.start, m.end, entries)
            if gap is not None:
                broken.append({"measure": m.measure, "not_carried_on": gap.isoformat(),
                               "last_day": (gap - ONE_DAY).isoformat()})  # fmt: skip
            elif m.end > today:
                until = _validity_today(ids, entries)
                if until is not None and until < m.end:
                    beyond.append({"measure": m.measure, "valid_until": until.isoformat()})
    if gone:  # R4: once an entry ends, its measures stop at once
        raise _refuse("measure-no-longer-in-force",
                      "该措施所依据的名单记录已移出或已过有效期，不能反馈为已实施",
                      measures=sorted(gone))  # fmt: skip
    if suspended:  # R6: measures based on information under verification are suspended
        raise _refuse("measure-suspended-by-objection",
                      "该措施所依据的信息正在异议核实中，暂停执行，不能反馈为已实施",
                      measures=sorted(suspended))  # fmt: skip
    if broken:
        said = "；".join(f"{b['measure']} 自 {b['not_carried_on']} 起" for b in broken)
        raise _refuse(
            "measure-period-not-in-force",
            f"措施实施期间，其所依据的名单记录已移出、已过有效期或正在异议核实中（{said}），"
            "实施结束日期不能晚于其前一天",
            measures=broken,
        )  # fmt: skip
    if beyond:
        said = "；".join(f"{b['measure']} 至 {b['valid_until']}" for b in beyond)
        raise _refuse(
            "measure-end-after-validity",
            f"措施的实施结束日期晚于其所依据名单记录的有效期（{said}），名单记录期满即停止实施",
            measures=beyond,
        )  # fmt: skip


def _first_gap(
    made: Check, ids: tuple[int, ...], start: dt.date, end: dt.date, entries: EntriesOn
) -> dt.date | None:
    """The first day after ``start``, up to ``end`` and no later than today, on which none of
    ``ids`` carried the measure: days before today by the feed, today as the entries stand."""
    today = clock.today()
    through = min(end, today - ONE_DAY)
    if start < through:
        changes = entries.changes(ids, through)
        gap = first_day_not_carried(
            entries.response, changes, ids, start + ONE_DAY, through, entries.opened
        )
        if gap is not None:
            return gap
    if start < today <= end:
        live = entries.live(today)
        if not any(entry_id in live and not live[entry_id] for entry_id in ids):
            return today
    return None


def _validity_today(ids: tuple[int, ...], entries: EntriesOn) -> dt.date | None:
    """The last day of validity of the entries that carry the measure today, the latest of
    them; None when one of them runs until its exit (or none carries it: judged before)."""
    live = entries.live(clock.today())
    carrying = [entry_id for entry_id in ids if entry_id in live and not live[entry_id]]
    ends = list(ListEntry.objects.filter(pk__in=carrying).values_list("valid_until", flat=True))
    ends += [entries.pending[key] for key in carrying if key in entries.pending]
    if not ends or any(until is None for until in ends):
        return None
    return max(ends)
