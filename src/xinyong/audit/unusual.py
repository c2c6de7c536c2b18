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
since the registration keeps their number, not who they are.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict, deque
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from xinyong.audit.models import QueryRegistration
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


def _lookups(since: dt.date | None, until: dt.date | None) -> dict[int, list[Lookup]]:
    def bounded(rows, field):
        if since:
            start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
            rows = rows.filter(**{f"{field}__gte": start})
        if until:
            end = timezone.make_aware(
                dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min)
            )
            rows = rows.filter(**{f"{field}__lt": end})
        return rows

    by_account: dict[int, list[Lookup]] = defaultdict(list)
    registrations = bounded(QueryRegistration.objects.filter(account__isnull=False), "at")
    for account, at, subject, kind, persons in registrations.values_list(
        "account_id", "at", "subject_id", "subject__kind", "natural_persons"
    ).iterator(chunk_size=5000):
        if kind == SubjectKind.NATURAL_PERSON:
            by_account[account].append((at, subject, max(persons - 1, 0)))
        else:
            by_account[account].append((at, None, persons))
    checks = bounded(Check.objects.filter(subject__kind=SubjectKind.NATURAL_PERSON), "created_at")
    for account, at, subject in checks.values_list("user_id", "created_at", "subject_id").iterator(
        chunk_size=5000
    ):
        by_account[account].append((at, subject, 0))
    return by_account


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
    """The accounts over the limit within some window between ``since`` and ``until``."""
    from django.contrib.auth import get_user_model

    from xinyong.access.roles import Role, role_of

    span = window()
    peaks: dict[int, tuple[int, dt.datetime]] = {}
    for account, lookups in _lookups(since, until).items():
        persons, at = _peak(lookups, span)
        if persons > min(limit(), system_limit()) and at is not None:
            peaks[account] = (persons, at)
    users = get_user_model().objects.filter(pk__in=list(peaks)).select_related("officer")
    flagged = []
    for user in users:
        persons, at = peaks[user.pk]
        most = system_limit() if role_of(user) is Role.IMPLEMENTING_SYSTEM else limit()
        if persons > most:
            flagged.append(FlaggedAccount(user.pk, user.get_username(), persons, at, most))
    flagged.sort(key=lambda account: (-account.persons, account.actor))
    return {account.account_id: account for account in flagged}
