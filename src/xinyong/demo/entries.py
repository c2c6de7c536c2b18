"""List entries in every state of the workflow, with every exit reason.

Subjects are split into two halves: red lists draw from one, black and key-attention lists from
the other, so no subject is on a red and a black list at once (R2). The exception shows R2 at
work: some black-listed subjects had a red entry that ended, reason *blacklisted*, on the day the
black entry took effect. Key-attention entries in three key domains lead to the big-data warning
list (R3, 003 §四); black entries that ended lead to key monitoring (002 §二十一).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from xinyong.demo import derived, red_list_exits, rulings
from xinyong.demo.list_definitions import LISTS, ListSpec
from xinyong.demo.population import Population
from xinyong.demo.records import DocumentNumbers, RecordPlan
from xinyong.demo.reference import DEPARTMENT_BY_CODE
from xinyong.demo.timeline import EntryDates, Timeline
from xinyong.listings.models import EntryState, ExitReason, ListKind
from xinyong.subjects.models import LinkedPerson, SubjectKind

S, X, L = EntryState, ExitReason, ListKind
ENTRY_SHARE = 0.12  # list entries per subject
STATE_WEIGHTS = {
    S.DRAFT: 3,
    S.NOTIFIED: 3,
    S.IN_PUBLICITY: 7,
    S.UNDER_VERIFICATION: 2,
    S.AWAITING_SIGNATURE: 3,
    S.EFFECTIVE: 52,
    S.REJECTED: 4,
    S.WITHDRAWN: 3,
    S.EXITED: 23,
}
EXIT_WEIGHTS = {
    L.RED: {X.EXPIRED: 45, X.REQUESTED: 15, X.CORRECTED: 10, X.REPORTED: 10},
    L.BLACK: {X.EXPIRED: 40, X.REPAIRED: 45, X.CORRECTED: 15},
    L.KEY_ATTENTION: {X.EXPIRED: 60, X.REPAIRED: 25, X.CORRECTED: 15},
}
KIND_WEIGHTS = {L.RED: 30, L.BLACK: 45, L.KEY_ATTENTION: 25}
# Lists that also take associations, foundations and the like; the others take traders only.
OPEN_LISTS = {"black-court-defaulter", "red-integrity-model", "red-tax-a"}
LIST_WEIGHTS = {"black-court-defaulter": 6, "black-tax": 2, "black-defence": 0.3}
DOCUMENT_WORDS = {
    L.RED: "信认",
    L.BLACK: "信列",
    L.KEY_ATTENTION: "关注",
    L.BIG_DATA_WARNING: "警示",
    L.KEY_MONITORING: "监测",
}
TITLES = {SubjectKind.NATURAL_PERSON: "个人", SubjectKind.INDIVIDUAL_BUSINESS: "个体工商户"}
FORCED: tuple[tuple[str, str, str], ...] = (
    *((kind, state, "") for kind in (L.RED, L.BLACK) for state in S.values if state != S.EXITED),
    (L.BLACK, S.EXITED, X.CORRECTED),
    (L.BLACK, S.EXITED, X.REPAIRED),
    (L.BLACK, S.EXITED, X.EXPIRED),
    (L.RED, S.EXITED, X.CORRECTED),
    (L.RED, S.EXITED, X.REQUESTED),
    (L.RED, S.EXITED, X.REPORTED),
    (L.RED, S.EXITED, X.EXPIRED),
    (L.KEY_ATTENTION, S.EFFECTIVE, ""),
    (L.KEY_ATTENTION, S.EXITED, X.EXPIRED),
)


@dataclass
class EntryPlan:
    list_code: str
    subject: int
    state: str
    exit_reason: str
    facts: str
    basis: str
    document: str
    dates: EntryDates
    origin: int | None = None  # index of the plan this entry follows from
    persons: list[tuple[int, str]] = field(default_factory=list)
    # A candidate the signing officer signs through the service, ruling repair out (R8).
    ruling: rulings.Ruling | None = None
    # A red entry whose subject asks to leave it, by the case (``red_list_exits.CASES``).
    exit_request: str = ""


class EntryPlanner:
    def __init__(
        self,
        rng: random.Random,
        timeline: Timeline,
        numbers: DocumentNumbers,
        population: Population,
    ) -> None:
        self.rng, self.timeline, self.numbers = rng, timeline, numbers
        self.population = population
        self.plans: list[EntryPlan] = []
        self.records: list[RecordPlan] = []
        self.used: set[tuple[int, str]] = set()
        order = list(range(len(population.subjects)))
        rng.shuffle(order)
        half = len(order) // 2
        self.pools = {
            side: self._by_kind(indexes)
            for side, indexes in (("red", order[:half]), ("black", order[half:]))
        }

    def _by_kind(self, indexes: list[int]) -> dict[str, list[int]]:
        pools: dict[str, list[int]] = {kind: [] for kind in SubjectKind.values}
        for index in indexes:
            pools[self.population.subjects[index].kind].append(index)
        return pools

    def pick(self, spec: ListSpec) -> int | None:
        """A subject of a kind the list takes, not yet on it, from its side of the split."""
        pools = self.pools["red" if spec.kind == L.RED else "black"]
        candidates = [pools[kind] for kind in spec.kinds if pools[kind]]
        if not candidates:
            return None
        weights = [len(pool) for pool in candidates]
        for _ in range(30):
            subject = self.rng.choice(self.rng.choices(candidates, weights)[0])
            if not self.population.subjects[subject].trade and spec.code not in OPEN_LISTS:
                continue
            if (subject, spec.code) not in self.used:
                self.used.add((subject, spec.code))
                return subject
        return None

    # -- building one entry ------------------------------------------------------------------

    def add(
        self,
        spec: ListSpec,
        state: str,
        reason: str = "",
        subject: int | None = None,
        dates: EntryDates | None = None,
        origin: int | None = None,
        facts: str = "",
        basis: str = "",
    ) -> EntryPlan | None:
        if subject is None:
            subject = self.pick(spec)
            if subject is None:
                return None
        if dates is None:
            dates = self.timeline.dates(spec, state, reason)
        # Signed entries carry a decision document; the platform's own entries do not.
        signed = dates.effective_on is not None and spec.publicity_workdays > 0
        document = self.document(spec, subject, dates.effective_on) if signed else ""
        facts = facts or self.facts(spec, subject, dates)
        plan = EntryPlan(spec.code, subject, state, reason, facts, basis or spec.legal_basis,
                         document, dates, origin)  # fmt: skip
        if spec.kind == L.BLACK and signed:
            plan.persons = self.named_persons(subject)
            self.records.append(self.listing_record(spec, plan))
        self.plans.append(plan)
        return plan

    def document(self, spec: ListSpec, subject: int, decided: dt.date) -> str:
        if spec.code == "black-court-defaulter":
            return self.numbers.court_case(
                self.population.subjects[subject].county, "执", decided.year
            )
        abbr = DEPARTMENT_BY_CODE[spec.department].abbr
        return self.numbers.take(abbr, DOCUMENT_WORDS[spec.kind], decided.year)

    def facts(
        self, spec: ListSpec, subject: int, dates: EntryDates, templates: tuple[str, ...] = ()
    ) -> str:
        """One of ``templates`` (by default the list's own) with the case's figures."""
        rng, row = self.rng, self.population.subjects[subject]
        year = dates.proposed_on.year - rng.choice((0, 0, 1))
        values = {
            "year": year,
            "score": rng.randint(90, 99),
            "n": rng.randint(2, 12),
            "amount": round(rng.uniform(5, 900), 1),
            "pct": rng.randint(11, 60),
            "deaths": rng.randint(1, 3),
            "county": row.county.name,
            "court": row.county.code[2:],
            "title": TITLES.get(row.kind, "企业"),
        }
        return rng.choice(templates or spec.facts).format_map(values)

    def named_persons(self, subject: int) -> list[tuple[int, str]]:
        """At signature an organisation's entry names its linked persons (落实到人)."""
        if self.population.subjects[subject].kind == SubjectKind.NATURAL_PERSON:
            return []
        persons = [
            (self.population.representative[subject], LinkedPerson.Role.LEGAL_REPRESENTATIVE)
        ]
        principal = self.population.principal.get(subject)
        if principal is not None:
            persons.append((principal, LinkedPerson.Role.PRINCIPAL))
        return [(person, str(role)) for person, role in persons]

    def listing_record(self, spec: ListSpec, plan: EntryPlan) -> RecordPlan:
        """The serious-dishonesty information the black entry puts on the subject's record."""
        dates = plan.dates
        effective_on = dates.effective_on or dates.proposed_on
        court = spec.code == "black-court-defaulter"
        content = {
            "MDMC": spec.name,
            "LRSY": plan.facts,
            "RDYJ": spec.legal_basis,
            "LRRQ": effective_on.isoformat(),
            "YXQZ": dates.valid_until.isoformat() if dates.valid_until else "",
        }
        # Published from the day the decision took effect until the end of the validity, and
        # stopped, as the platform stops it, from the day the entry ended (R4, R5, R8).
        return RecordPlan(
            plan.subject,
            "judicial-defaulter" if court else "serious-dishonesty",
            spec.department,
            plan.document,
            effective_on,
            spec.name,
            content,
            True,
            dates.valid_until,
            collected_on=effective_on,
            stopped_on=dates.exited_on,
        )

    # -- the whole set -----------------------------------------------------------------------

    def plan_all(self, total_subjects: int) -> list[EntryPlan]:
        by_kind = {kind: [s for s in LISTS if s.kind == kind] for kind in KIND_WEIGHTS}
        for kind, state, reason in FORCED:
            spec = self.forced_list(by_kind[kind], state, reason)
            self.add(spec, state, reason)
        target = max(len(FORCED) * 2, round(total_subjects * ENTRY_SHARE))
        kinds, kind_weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
        attempts = 0
        while len(self.plans) < target and attempts < 20 * target:  # small populations run out
            attempts += 1
            kind = self.rng.choices(kinds, kind_weights)[0]
            specs = by_kind[kind]
            spec = self.rng.choices(specs, [LIST_WEIGHTS.get(s.code, 1) for s in specs])[0]
            state = self.rng.choices(list(STATE_WEIGHTS), list(STATE_WEIGHTS.values()))[0]
            reason = self.exit_reason(spec) if state == S.EXITED else ""
            self.add(spec, state, reason)
        derived.blacklisted_reds(self)
        derived.big_data_warnings(self, max(1, total_subjects // 4000))
        derived.key_monitoring(self)
        derived.ended_big_data_warning(self)
        # Last, the cases planned for: the draws above, and so every other entry, stay as they
        # were.
        rulings.plan(self)
        red_list_exits.plan(self)
        return self.plans

    def forced_list(self, specs: list[ListSpec], state: str, reason: str) -> ListSpec:
        if reason == X.REPAIRED:  # a list with a monitoring period, so key monitoring follows
            return next(s for s in specs if s.repairable and s.monitoring_months)
        return self.rng.choice([s for s in specs if s.kinds != (SubjectKind.NATURAL_PERSON,)])

    def exit_reason(self, spec: ListSpec) -> str:
        weights = dict(EXIT_WEIGHTS[spec.kind])
        if not spec.repairable:
            weights.pop(X.REPAIRED, None)
        return self.rng.choices(list(weights), list(weights.values()))[0]
