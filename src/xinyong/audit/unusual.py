"""Unusual use: an account that looks up more natural persons than its work plausibly needs (R14).

An account is flagged when, within any window of ``XINYONG_UNUSUAL_WINDOW_HOURS`` (24 by
default), its answers named more than ``XINYONG_UNUSUAL_PERSONS`` (50 by default) distinct
natural persons. Exactly the limit is not flagged; one more is. The window slides: a burst
across midnight counts as one.

An implementing department's system account checks whoever its business brings (应查必查):
a procurement or lending system checks hundreds of persons a day as its work, and under the
officers' limit it would be flagged every day, which hides the accounts that matter. It has
its own limit, ``XINYONG_UNUSUAL_PERSONS_BY_SYSTEM`` (5,000 by default); the account's role
decides which limit applies.

What counts: a person looked up as the subject (a check, a subject or entry page) counts once
however often; persons an answer names besides its subject — those an organisation's entry
names, the persons on a list page or in a downloaded file — count as many as the answer names,
since the registration keeps their number, not who they are; but the persons a bulk answer
names by subject (a screening run's, ``QueryRegistrationPerson``) count once each, like
subjects.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict, deque
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Greatest, TruncDate
from django.utils import timezone

from xinyong.audit.models import QueryRegistration, QueryRegistrationPerson
from xinyong.measures.models import Check
from xinyong.subjects.models import SubjectKind

DEFAULT_PERSONS = 50
DEFAULT_PERSONS_BY_SYSTEM = 5000
DEFAULT_WINDOW_HOURS = 24


def limit() -> int:
    """The most distinct natural persons an officer's account may look up in one window."""
    return int(getattr(settings, "XINYONG_UNUSUAL_PERSONS", DEFAULT_PERSONS))


def system_limit() -> int:
    """The same for an implementing department's system account."""
    return int(getattr(settings, "XINYONG_UNUSUAL_PERSONS_BY_SYSTEM", DEFAULT_PERSONS_BY_SYSTEM))


def window() -> dt.timedelta:
    return dt.timedelta(hours=int(getattr(settings, "XINYONG_UNUSUAL_WINDOW_HOURS",
                                          DEFAULT_WINDOW_HOURS)))  # fmt: skip


@dataclass(frozen=True)
class FlaggedAccount:
    account_id: int
    actor: str
    persons: int  # the most distinct persons seen within one window
    window_ends_at: dt.datetime  # the lookup at which that most was reached
    limit: int  # the limit that applied: an officer's or a system's


# One lookup: when, which person as the subject (or None), and how many other persons.
Lookup = tuple[dt.datetime, int | None, int]

# Days here are UTC days: 24 hours each whatever the time zone, so that a window ending on a day
# reaches back a known number of days (``_days_back``).
_DAY = dt.timedelta(days=1)


def _days_back(span: dt.timedelta) -> int:
    """How many days before the one it ends on a window of ``span`` may reach into."""
    return max(1, math.ceil(span / _DAY))


def _bounded(rows, field: str, since: dt.date | None, until: dt.date | None):
    """``rows`` from the start of business day ``since`` to the end of ``until``."""
    if since:
        rows = rows.filter(**{f"{field}__gte": day_start(since)})
    if until:
        rows = rows.filter(**{f"{field}__lt": day_start(until + _DAY)})
    return rows


def day_start(day: dt.date) -> dt.datetime:
    """Where a business day begins, in the platform's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _on_days(field: str, days: set[dt.date]) -> Q:
    """``field`` within these UTC days, one range per run of consecutive days."""
    within = Q()
    for first, last in _spans(days):
        start = dt.datetime.combine(first, dt.time.min, tzinfo=dt.UTC)
        within |= Q(**{f"{field}__gte": start, f"{field}__lt": start + (last - first + _DAY)})
    return within


def _sources(since: dt.date | None, until: dt.date | None):
    """(registrations naming an account, checks of natural persons), within the dates."""
    registrations = QueryRegistration.objects.filter(account__isnull=False)
    checks = Check.objects.filter(subject__kind=SubjectKind.NATURAL_PERSON)
    return _bounded(registrations, "at", since, until), _bounded(checks, "created_at", since, until)


def _daily_bounds(since: dt.date | None, until: dt.date | None) -> dict[int, Counter[dt.date]]:
    """Per account and UTC day, a count never below the day's distinct persons, by the
    database: distinct subjects counted apart in registrations and in checks, and the other
    persons answers named (summed, as the registration keeps only their number)."""
    registrations, checks = _sources(since, until)
    day = TruncDate("at", tzinfo=dt.UTC)
    person = Q(subject__kind=SubjectKind.NATURAL_PERSON)
    bounds: dict[int, Counter[dt.date]] = defaultdict(Counter)
    as_subject = (
        registrations.filter(person).annotate(day=day).values("account_id", "day")
        .annotate(n=Count("subject_id", distinct=True),
                  others=Sum(Greatest(F("natural_persons") - 1, Value(0))))
        .values_list("account_id", "day", "n", "others")
    )  # fmt: skip
    for account, when, n, others in as_subject:
        bounds[account][when] += n + (others or 0)
    besides = (
        registrations.exclude(person).annotate(day=day).values("account_id", "day")
        .annotate(others=Sum("natural_persons")).values_list("account_id", "day", "others")
    )  # fmt: skip
    for account, when, others in besides:
        bounds[account][when] += others or 0
    checked = (
        checks.annotate(day=TruncDate("created_at", tzinfo=dt.UTC)).values("user_id", "day")
        .annotate(n=Count("subject_id", distinct=True)).values_list("user_id", "day", "n")
    )  # fmt: skip
    for account, when, n in checked:
        bounds[account][when] += n
    return bounds


def _spans(days: set[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive days as (first, last) spans."""
    spans: list[tuple[dt.date, dt.date]] = []
    for day in sorted(days):
        if spans and spans[-1][1] + _DAY == day:
            spans[-1] = (spans[-1][0], day)
        else:
            spans.append((day, day))
    return spans


def _lookups(
    bounds: dict[int, Counter[dt.date]], since: dt.date | None, until: dt.date | None,
    span: dt.timedelta, limits: dict[int, int],
) -> dict[int, list[Lookup]]:  # fmt: skip
    """The lookups that decide whether an account went over its limit, by account.

    A window ends on some UTC day and reaches back ``_days_back`` days at most, so it holds no
    more than those days' bounds (``_daily_bounds``) together. Where they stay within the
    account's limit, no window ending on that day can go over it, and nothing is read for it:
    only the days of the windows that could go over are read, lookup by lookup. A window
    ending on a day read, some of whose days before were not, holds fewer persons than it
    truly did, never more; and truly it held no more than the limit. An account without a
    limit (no longer a user) is not read.
    """
    back = _days_back(span)
    wanted: dict[int, set[dt.date]] = {}
    for account, days in bounds.items():
        most = limits.get(account)
        for day in list(days) if most is not None else ():
            reach = [day - n * _DAY for n in range(back + 1)]
            if sum(days.get(d, 0) for d in reach) > most:
                wanted.setdefault(account, set()).update(reach)
    by_account: dict[int, list[Lookup]] = defaultdict(list)
    for batch in _batches(wanted):
        _read_lookups(batch, since, until, by_account)
    return by_account


# Ranges of days OR-ed into one read: SQLite refuses an expression tree deeper than 1,000, and
# each range is a level; a few hundred accounts a read keeps the reads few on any database.
_RANGES_PER_READ = 200


def _batches(wanted: dict[int, set[dt.date]]) -> list[dict[int, set[dt.date]]]:
    """The accounts' days, cut so that no read ORs more than ``_RANGES_PER_READ`` ranges."""
    batches: list[dict[int, set[dt.date]]] = []
    ranges = _RANGES_PER_READ
    for account, days in wanted.items():
        spans = len(_spans(days))
        if ranges + spans > _RANGES_PER_READ:
            batches.append({})
            ranges = 0
        batches[-1][account] = days
        ranges += spans
    return batches


def _read_lookups(
    wanted: dict[int, set[dt.date]], since: dt.date | None, until: dt.date | None,
    by_account: dict[int, list[Lookup]],
) -> None:  # fmt: skip
    """These accounts' lookups on their days, in one read of each source, into ``by_account``."""
    registrations, checks = _sources(since, until)
    mine, checked = Q(), Q()
    for account, days in wanted.items():
        mine |= Q(account_id=account) & _on_days("at", days)
        checked |= Q(user_id=account) & _on_days("created_at", days)
    read = registrations.filter(mine)
    named = _named_persons(read)
    rows = read.values_list(
        "account_id", "pk", "at", "subject_id", "subject__kind", "natural_persons"
    )
    for account, pk, at, subject, kind, persons in rows.iterator(chunk_size=5000):
        if kind == SubjectKind.NATURAL_PERSON:
            by_account[account].append((at, subject, max(persons - 1, 0)))
            continue
        persons_named = named.get(pk, ())
        by_account[account].extend((at, person, 0) for person in persons_named)
        by_account[account].append((at, None, max(persons - len(persons_named), 0)))
    for account, at, subject in (
        checks.filter(checked).values_list("user_id", "created_at", "subject_id")
        .iterator(chunk_size=5000)
    ):  # fmt: skip
        by_account[account].append((at, subject, 0))


def _named_persons(registrations) -> dict[int, list[int]]:
    """The persons that bulk answers among ``registrations`` name by subject
    (``QueryRegistrationPerson``), by registration: each counted as a person looked up, so that
    two runs naming the same persons count them once."""
    named: dict[int, list[int]] = defaultdict(list)
    links = QueryRegistrationPerson.objects.filter(
        registration__in=registrations.filter(subject__isnull=True).values("pk")
    ).values_list("registration_id", "subject_id")
    for registration, person in links.iterator(chunk_size=5000):
        named[registration].append(person)
    return named


def _peak(lookups: list[Lookup], span: dt.timedelta) -> tuple[int, dt.datetime | None]:
    """The most distinct persons within any window ending at a lookup, and that lookup's time."""
    lookups.sort(key=lambda lookup: lookup[0])
    inside: deque[Lookup] = deque()
    subjects: Counter[int] = Counter()
    others = 0
    best, best_at = 0, None
    for lookup in lookups:
        at, subject, extra = lookup
        inside.append(lookup)
        if subject is not None:
            subjects[subject] += 1
        others += extra
        while inside[0][0] <= at - span:
            _, old_subject, old_extra = inside.popleft()
            if old_subject is not None:
                subjects[old_subject] -= 1
                if not subjects[old_subject]:
                    del subjects[old_subject]
            others -= old_extra
        persons = len(subjects) + others
        if persons > best:
            best, best_at = persons, at
    return best, best_at


def flagged_accounts(since: dt.date | None = None, until: dt.date | None = None,
                     ) -> dict[int, FlaggedAccount]:  # fmt: skip
    """The accounts over their limit within some window between ``since`` and ``until``."""
    from django.contrib.auth import get_user_model

    from xinyong.access.roles import Role, role_of

    span, bounds = window(), _daily_bounds(since, until)
    users = get_user_model().objects.filter(pk__in=list(bounds))
    users = users.select_related("officer__department")  # the role needs both, for each account
    accounts = {user.pk: user for user in users}
    limits = {
        pk: system_limit() if role_of(user) is Role.IMPLEMENTING_SYSTEM else limit()
        for pk, user in accounts.items()
    }
    flagged = []
    for account, lookups in _lookups(bounds, since, until, span, limits).items():
        persons, at = _peak(lookups, span)
        if persons > limits[account] and at is not None:
            name = accounts[account].get_username()
            flagged.append(FlaggedAccount(account, name, persons, at, limits[account]))
    flagged.sort(key=lambda account: (-account.persons, account.actor))
    return {account.account_id: account for account in flagged}
