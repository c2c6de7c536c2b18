"""This year's checks by implementing departments, and what they reported doing (R11, 003 §七).

Written through the platform's own code, on the day each happened: every check is
``checks.check_by_code`` with the business date set to its day (so its answer is what the
department saw then, and it is registered as any check is, R14), and every report is
``services.report_feedback`` on the day it was sent. The joint statistics then have figures a
credit office would recognise: most checks clear, a share finding entries, most mandatory
measures applied, and cases near the 10% of the red and black entries listed that 003 §七 asks.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import random
import uuid
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db.models import Q

from xinyong.api.tokens import system_account
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.core.workdays import WorkCalendar
from xinyong.listings.models import EntryState, ListEntry, ListEntryPerson, ListKind
from xinyong.measures import checks, services, typical_cases
from xinyong.measures.models import Check, Measure
from xinyong.measures.outcomes import answered_measures
from xinyong.subjects.models import Department, Subject

CHINA = ZoneInfo("Asia/Shanghai")
# Checks that find an entry, per red or black entry that took effect this year, at most
# MOST_HITS (each check runs the real check, about 4 ms: a large demo stays within its minute);
# and clear checks per such check (in practice most checks are clear).
HITS_PER_LISTED = 0.6
MOST_HITS = 400
CLEAR_PER_HIT = 2
REPORTED_SHARE = 0.75  # of the checks whose answer had measures, those reported on
APPLIED_IF_MANDATORY, APPLIED_IF_RECOMMENDED = 0.92, 0.55
TYPICAL_CASES, TYPICAL_CASES_BY = 4, "xyb_admin"
REASONS_NOT_APPLIED = (
    "该业务不涉及此项措施", "当事人已履行相关义务，经研究暂缓实施", "与上级部门沟通后未实施",
    "该事项已办结，措施无实施对象",
)  # fmt: skip


@dataclasses.dataclass(frozen=True, slots=True)
class Granted:
    """What the department's token grants: checking in the scenario at hand."""

    scenarios: tuple[str, ...]


def _pairs() -> list[tuple[Department, str]]:
    """(implementing department, scenario) under which some active measure applies."""
    implementing = list(Department.objects.filter(is_implementing=True).order_by("code"))
    pairs: set[tuple[int, str]] = set()
    measures = Measure.objects.filter(is_active=True).prefetch_related(
        "scenarios", "implementing_departments"
    )
    for measure in measures:
        departments = list(measure.implementing_departments.all()) or implementing
        for department in departments:
            for scenario in measure.scenarios.all():
                pairs.add((department.pk, scenario.code))
    by_id = {department.pk: department for department in implementing}
    return [(by_id[d], s) for d, s in sorted(pairs) if d in by_id]


def _hit_pool(subject_ids: tuple[int, int]) -> list[tuple[dt.date, int]]:
    """(day it took effect, subject) for every effective entry of the demo's subjects, and for
    the persons its organisations' entries name (落实到人), in order of the day."""
    effective = ListEntry.objects.filter(
        state=EntryState.EFFECTIVE, effective_on__isnull=False,
        subject_id__gte=subject_ids[0], subject_id__lte=subject_ids[1],
    )  # fmt: skip
    pool = list(effective.values_list("effective_on", "subject_id"))
    named = ListEntryPerson.objects.filter(entry__in=effective)
    pool += list(named.values_list("entry__effective_on", "person_id"))
    return sorted(pool)


def listed_this_year(today: dt.date) -> int:
    """Red and black entries that took effect from the first of January to ``today``."""
    return ListEntry.objects.filter(
        Q(list__kind=ListKind.RED) | Q(list__kind=ListKind.BLACK),
        effective_on__gte=today.replace(month=1, day=1), effective_on__lte=today,
    ).count()  # fmt: skip


class JointLoader:
    """Checks and reports from the first of January to the day before the business date."""

    def __init__(self, rng: random.Random, today: dt.date, calendar: WorkCalendar) -> None:
        self.rng, self.today, self.calendar = rng, today, calendar
        first = today.replace(month=1, day=1)
        span = (first + dt.timedelta(days=n) for n in range((today - first).days))
        self.workdays = [day for day in span if calendar.is_workday(day)]
        self.references: dict[str, int] = defaultdict(int)
        self.systems: dict[int, Any] = {}  # department id -> its system account

    def run(self, subject_ids: tuple[int, int]) -> dict[str, int]:
        pairs, pool = _pairs(), _hit_pool(subject_ids)
        if not pairs or not self.workdays:
            return {"checks": 0, "reports": 0}
        hits = min(MOST_HITS, max(20, round(HITS_PER_LISTED * listed_this_year(self.today))))
        # A subject is checked only once all its entries had taken effect: its answer is
        # today's entries, and a measure must not seem applied before its listing.
        self.listed_since: dict[int, dt.date] = {}
        for effective_on, subject_id in pool:
            self.listed_since[subject_id] = effective_on  # the pool is in order of the day
        asked: list[tuple[uuid.UUID, dt.date]] = []
        for _ in range(hits):
            asked += self._hit(pairs, pool)
        for _ in range(hits * CLEAR_PER_HIT):
            asked += self._any(pairs, subject_ids)
        found = Check.objects.select_related("user__officer", "department").in_bulk(
            [check_id for check_id, _ in asked]
        )
        made = [(found[check_id], day) for check_id, day in asked]
        self._backdate(made)
        reports = sum(self._report(check, day) for check, day in made)
        return {"checks": len(made), "reports": reports, "typical_cases": self._typical()}

    def _typical(self) -> int:
        """A few of the year's cases written up and published by the credit office's
        administrator a week after they were reported (003 §七)."""
        admin = get_user_model().objects.filter(username=TYPICAL_CASES_BY).first()
        if admin is None:
            return 0
        chosen = []
        for feedback in typical_cases.cases(self.workdays[0], self.today):
            facts = typical_cases.facts_of(feedback)
            if facts.public_lists and len(chosen) < TYPICAL_CASES:
                chosen.append((feedback, facts))
        published = 0
        for feedback, facts in chosen:
            measures = "、".join(m["name"] for m in facts.applied)
            title = f"{facts.implementing_department}依法对{facts.subject_name}实施联合惩戒"
            if facts.type == "reward":
                title = f"{facts.implementing_department}对{facts.subject_name}实施守信激励"
            listed = f"{facts.subject_name}因列入{'、'.join(facts.public_lists)}，"
            if facts.via:
                listed = (f"{facts.subject_name}所任职的{'、'.join(facts.via)}列入"
                          f"{'、'.join(facts.public_lists)}，")  # fmt: skip
            done = (
                f"{facts.implementing_department}在办理业务（{facts.business_reference}）时经核查，"
                f"依据措施清单实施了{measures}。"
            )
            summary = listed + done
            case = services.draft_typical_case(
                actor=admin, feedback_id=feedback.pk, title=title, summary=summary
            )
            day = min(self.calendar.add_workdays(facts.reported_on, 5).date, self.today)
            try:
                with clock.frozen(day):
                    services.act_on_typical_case(actor=admin, case_id=case.pk, action="publish")
            except XinyongError:
                continue  # its entries no longer stand (ended or under objection): a draft
            published += 1
        return published

    def _check(self, pairs, subject: Subject, earliest: dt.date) -> list[tuple[uuid.UUID, dt.date]]:
        days = self.workdays[bisect.bisect_left(self.workdays, earliest) :]
        if not days:
            return []
        day = self.rng.choice(days)
        department, scenario = self.rng.choice(pairs)
        if department.pk not in self.systems:
            self.systems[department.pk] = system_account(department)
        user, granted = self.systems[department.pk], Granted((scenario,))
        try:
            with clock.frozen(day):
                code = subject.reveal_identifier()
                made = checks.check_by_code(actor=user, token=granted, scenario=scenario, code=code)
        except XinyongError:
            return []  # a code the check refuses (a malformed one kept for review): not asked
        return [(made.check_id, day)]

    def _hit(self, pairs, pool) -> list[tuple[uuid.UUID, dt.date]]:
        if not pool:
            return []
        _, subject_id = self.rng.choice(pool)
        return self._check(pairs, Subject.objects.get(pk=subject_id), self.listed_since[subject_id])

    def _any(self, pairs, subject_ids: tuple[int, int]) -> list[tuple[uuid.UUID, dt.date]]:
        subject = Subject.objects.filter(pk=self.rng.randint(*subject_ids)).first()
        if subject is None:
            return []
        return self._check(pairs, subject, self.listed_since.get(subject.pk, self.workdays[0]))

    def _at(self, day: dt.date) -> dt.datetime:
        minutes = self.rng.randint(8 * 60 + 30, 17 * 60 + 30)
        return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), CHINA)

    def _backdate(self, made: list[tuple[Check, dt.date]]) -> None:
        """Each check at a time of its day (the registration stamps the moment it was run)."""
        for check, day in made:
            check.created_at = self._at(day)
        Check.objects.bulk_update([check for check, _ in made], ["created_at"], batch_size=500)

    def _report(self, check: Check, day: dt.date) -> int:
        answered = answered_measures(check.response)
        if not answered or self.rng.random() > REPORTED_SHARE:
            return 0
        sent_on = self.calendar.add_workdays(day, self.rng.randint(0, 3)).date
        if sent_on >= self.today:
            return 0
        lines = []
        for measure in answered.values():
            applied = self.rng.random() < (
                APPLIED_IF_MANDATORY if measure.mandatory else APPLIED_IF_RECOMMENDED
            )
            if measure.suspended:
                applied = False  # an objection under verification suspends it (R6)
            reason = "" if applied else self.rng.choice(REASONS_NOT_APPLIED)
            lines.append(services.ReportedMeasure(measure.code, applied, reason))
        department = check.department
        self.references[department.code] += 1
        reference = f"{department.code.upper()}-{day.year}-{self.references[department.code]:05d}"
        with clock.frozen(sent_on):
            feedback, _ = services.report_feedback(
                actor=check.user, check_id=check.pk, business_reference=reference,
                outcome="已按核查结果办理", measures=lines,
            )  # fmt: skip
        feedback.created_at = self._at(sent_on)
        feedback.save(update_fields=["created_at"])
        return 1
