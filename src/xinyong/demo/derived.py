"""Entries that follow from others, made the way the platform itself makes them.

- R2: a subject entering a black list leaves its red lists that day (reason *blacklisted*);
- R3, 003 §四: key attention in three different key domains → big-data warning list, an
  effective entry without validity that lasts while the condition holds (``listings.tick``);
- R3, 002 §二十一: a black entry that ends by repair or expiry → key monitoring for the black
  list's monitoring period, on the monitoring list of its domain or department
  (``listings.escalation``).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from xinyong.core.periods import period_end
from xinyong.demo.list_definitions import LIST_BY_CODE, LISTS, ListSpec
from xinyong.demo.timeline import EntryDates
from xinyong.listings.models import EntryState, ExitReason, ListKind
from xinyong.subjects.models import SubjectKind

if TYPE_CHECKING:
    from xinyong.demo.entries import EntryPlanner

S, X, L = EntryState, ExitReason, ListKind
BLACKLISTED_SHARE = 0.06  # of effective black entries whose subject was on a red list before


def blacklisted_reds(planner: EntryPlanner) -> None:
    reds = [spec for spec in LISTS if spec.kind == L.RED]
    blacks = [
        plan
        for plan in planner.plans
        if plan.state == S.EFFECTIVE and LIST_BY_CODE[plan.list_code].kind == L.BLACK
    ]
    chosen = [plan for plan in blacks if planner.rng.random() < BLACKLISTED_SHARE] or blacks[:1]
    for black in chosen:
        kind = planner.population.subjects[black.subject].kind
        for spec in reds:
            if kind in spec.kinds and (black.subject, spec.code) not in planner.used:
                planner.used.add((black.subject, spec.code))
                dates = planner.timeline.exited(spec, X.BLACKLISTED, black.dates.effective_on)
                planner.add(spec, S.EXITED, X.BLACKLISTED, black.subject, dates)
                break


def _platform_entry(day: dt.date, action: str, valid_until: dt.date | None) -> EntryDates:
    """Created effective by the platform on ``day``, with one history row (``listings.tick``)."""
    dates = EntryDates(proposed_on=day, effective_on=day, valid_until=valid_until)
    dates.step(action, "", S.EFFECTIVE, day)
    return dates


def big_data_warnings(planner: EntryPlanner, count: int) -> None:
    timeline, rng = planner.timeline, planner.rng
    attention = [spec for spec in LISTS if spec.kind == L.KEY_ATTENTION]
    warning = next(spec for spec in LISTS if spec.kind == L.BIG_DATA_WARNING)
    for _ in range(count):
        subject = planner.pick(warning)
        if subject is None:
            return
        kind = planner.population.subjects[subject].kind
        eligible = [
            s for s in attention if kind in s.kinds and (subject, s.code) not in planner.used
        ]
        if len({spec.domain for spec in eligible}) < 3:
            continue
        third = timeline.today - dt.timedelta(days=400)
        for spec in _three_domains(eligible, rng):
            planner.used.add((subject, spec.code))
            dates = timeline.effective(spec, timeline.ago(0, 300))
            planner.add(spec, S.EFFECTIVE, subject=subject, dates=dates)
            third = max(third, dates.effective_on or third)
        # The daily job lists the subject on the day its third key-attention entry took effect.
        dates = _platform_entry(third, "warn", None)
        planner.add(warning, S.EFFECTIVE, subject=subject, dates=dates,
                    facts="在3个以上重点领域被列入重点关注名单",
                    basis=warning.legal_basis)  # fmt: skip


def ended_big_data_warning(planner: EntryPlanner) -> None:
    """One warning the daily job has ended (R3): one of its subject's three key-attention
    entries was repaired ten days ago, and the warning ended that day, its condition no longer
    met. Drawn last and with a generator of its own, so that it moves nothing else the demo
    makes from its seed."""
    timeline = planner.timeline
    shared, timeline.rng = timeline.rng, random.Random(f"ended-warning {timeline.today}")
    try:
        _ended_big_data_warning(planner, timeline.rng)
    finally:
        timeline.rng = shared


def _ended_big_data_warning(planner: EntryPlanner, rng: random.Random) -> None:
    timeline = planner.timeline
    attention = [spec for spec in LISTS if spec.kind == L.KEY_ATTENTION]
    warning = next(spec for spec in LISTS if spec.kind == L.BIG_DATA_WARNING)
    lapse = timeline.today - dt.timedelta(days=10)
    pool = planner.pools["black"][SubjectKind.LEGAL_PERSON]
    for subject in rng.sample(pool, min(50, len(pool))):
        eligible = [s for s in attention if SubjectKind.LEGAL_PERSON in s.kinds
                    and (subject, s.code) not in planner.used]  # fmt: skip
        if (subject, warning.code) in planner.used or len({s.domain for s in eligible}) < 3:
            continue
        planner.used.add((subject, warning.code))
        third = timeline.today - dt.timedelta(days=400)
        for index, spec in enumerate(_three_domains(eligible, rng)):
            planner.used.add((subject, spec.code))
            if index == 0:
                dates = timeline.exited(spec, X.REPAIRED, exited_on=lapse)
                planner.add(spec, S.EXITED, X.REPAIRED, subject=subject, dates=dates)
            else:
                dates = timeline.effective(spec, timeline.ago(60, 300))
                planner.add(spec, S.EFFECTIVE, subject=subject, dates=dates)
            third = max(third, dates.effective_on or third)
        dates = _platform_entry(third, "warn", None)
        dates.exited_on = lapse
        dates.step("exit", S.EFFECTIVE, S.EXITED, lapse)
        planner.add(warning, S.EXITED, X.CONDITION_NO_LONGER_MET, subject=subject, dates=dates,
                    facts="在3个以上重点领域被列入重点关注名单",
                    basis=warning.legal_basis)  # fmt: skip
        return


def _three_domains(specs: list[ListSpec], rng) -> list[ListSpec]:
    by_domain: dict[str, ListSpec] = {}
    for spec in rng.sample(specs, len(specs)):
        by_domain.setdefault(spec.domain, spec)
    return list(by_domain.values())[:3]


def monitoring_list(black: ListSpec) -> ListSpec | None:
    """The key-monitoring list of the black list's domain, else of its department."""
    monitoring = [spec for spec in LISTS if spec.kind == L.KEY_MONITORING]
    for same in (lambda s: s.domain == black.domain, lambda s: s.department == black.department):
        found = [spec for spec in monitoring if same(spec)]
        if found:
            return found[0]
    return None


def key_monitoring(planner: EntryPlanner) -> None:
    today = planner.timeline.today
    for index, plan in enumerate(list(planner.plans)):
        black = LIST_BY_CODE[plan.list_code]
        target = monitoring_list(black) if black.kind == L.BLACK else None
        if (target is None or plan.state != S.EXITED or not black.monitoring_months
                or plan.exit_reason not in (X.REPAIRED, X.EXPIRED) or plan.dates.exited_on is None
                or (plan.subject, target.code) in planner.used):  # fmt: skip
            continue
        planner.used.add((plan.subject, target.code))
        start = plan.dates.exited_on
        dates = _platform_entry(
            start, "monitor", period_end(start, black.monitoring_months, "months")
        )
        state, reason = S.EFFECTIVE, ""
        if dates.valid_until and dates.valid_until < today:  # the daily job ended it since
            state, reason = S.EXITED, X.EXPIRED
            dates.exited_on = dates.valid_until + dt.timedelta(days=1)
            dates.step("exit", S.EFFECTIVE, S.EXITED, dates.exited_on)
        planner.add(target, state, reason, plan.subject, dates, origin=index,
                    facts=f"移出{black.name}后重点监测", basis=target.legal_basis)  # fmt: skip
