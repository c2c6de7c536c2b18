"""Loading the demo: reference data, accounts, then subjects and all that hangs off them.

Everything is generated in memory from seeded ``random.Random`` streams — the same seed gives
the same data — and written with ``bulk_create`` in batches, in one transaction, with one audit
row for the load as a whole.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count

from xinyong.audit.services import SYSTEM_ACTOR, record
from xinyong.calendars.selectors import work_calendar
from xinyong.catalog.models import CatalogItem, CreditRecord
from xinyong.catalog.publication import PUBLIC_WITHIN_WORKDAYS, Publication, workdays_late
from xinyong.core import clock
from xinyong.core.document_numbers import canonical_document_number
from xinyong.core.periods import add_months
from xinyong.demo import purge, red_list_exits, remedies, rulings, submissions
from xinyong.demo.accounts import load_accounts, load_subject_accounts
from xinyong.demo.catalog_items import load_catalog
from xinyong.demo.entries import EntryPlan, EntryPlanner
from xinyong.demo.history import announcements, entry_events, entry_rows
from xinyong.demo.joint import JointLoader
from xinyong.demo.list_definitions import load_lists
from xinyong.demo.measures_list import load_measures
from xinyong.demo.population import Population, generate_population
from xinyong.demo.records import DocumentNumbers, RecordGenerator, RecordPlan
from xinyong.demo.reference import load_departments, load_domains, load_regions, load_scenarios
from xinyong.demo.timeline import Timeline
from xinyong.listings.decision_records import Announcement
from xinyong.listings.models import ListEntry, ListEntryEvent, ListEntryPerson
from xinyong.subjects.models import LinkedPerson, Subject

BATCH_SIZE = 5000
MINIMUM_SUBJECTS = 50


class DemoAlreadyLoaded(Exception):
    def __init__(self, demos: list[purge.LoadedDemo]) -> None:
        self.demos = demos
        present = sum(demo.present for demo in demos)
        super().__init__(
            f"Demo data is already loaded ({present:,} demo subjects). Nothing was changed; "
            "run `xinyong demo --reset` to delete it and load again (refused once audit rows "
            "name it: then start from a new data directory, e.g. `rm -rf var`)."
        )


@dataclass
class Summary:
    seed: int
    business_date: dt.date
    counts: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, int] = field(default_factory=dict)
    by_state: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


class DemoLoader:
    def __init__(self, *, subjects: int, seed: int, password: str, reset: bool = False,
                 progress: Callable[[str], None] = lambda _: None) -> None:  # fmt: skip
        if subjects < MINIMUM_SUBJECTS:
            raise ValueError(f"--subjects must be at least {MINIMUM_SUBJECTS}")
        self.total, self.seed, self.password, self.reset = subjects, seed, password, reset
        self.progress = progress
        self.today = clock.today()
        self.counts: dict[str, int] = {}
        # The red entries planned for their subjects to ask to leave, once written, by case.
        self.leaving: dict[str, ListEntry] = {}
        self._clock = time.perf_counter()

    def _step(self, label: str, rows: int | None = None) -> None:
        now = time.perf_counter()
        seconds, self._clock = now - self._clock, now
        rate = f"  ({rows / seconds:,.0f} rows/s)" if rows and seconds > 0 else ""
        count = f"{rows:,}" if rows is not None else ""
        self.progress(f"  {label:<28}{count:>10}  {seconds:6.2f} s{rate}")

    def _insert(self, name: str, model: Any, objects: list) -> list:
        created = model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        self.counts[name] = self.counts.get(name, 0) + len(created)
        return created

    def _random(self, stream: str) -> random.Random:
        """One generator per kind of data, so that changing one leaves the others as they were."""
        return random.Random(f"{self.seed}:{stream}")

    @transaction.atomic
    def run(self) -> Summary:
        started = time.perf_counter()
        summary = Summary(self.seed, self.today)
        demos = purge.loaded_demos()
        if demos and not self.reset:
            raise DemoAlreadyLoaded(demos)
        if demos:
            files = purge.kept_files(demos)
            summary.deleted = dict(purge.remove(demos))
            transaction.on_commit(lambda: purge.delete_files(files))
            record(actor=SYSTEM_ACTOR, action="demo.reset", obj=("demo", str(self.seed)),
                   before={"deleted": summary.deleted, "loads": [d.audit_seq for d in demos]},
                   reason="xinyong demo --reset")  # fmt: skip
            self._step("previous demo data deleted", sum(summary.deleted.values()))
        reference = self.load_reference()
        population, records, plans = self.generate()
        subjects = self.write_subjects(population, records, reference)
        self.write_entries(plans, subjects, reference["lists"])
        span = (min(s.pk for s in subjects), max(s.pk for s in subjects))
        days = remedies.Days(self.today, work_calendar())
        cases = remedies.choose(span, days, self.leaving)
        logins = load_subject_accounts(self.password, cases.subjects())
        self._step("subject accounts", len(logins))
        made = remedies.RemedyLoader(days).run(cases)
        self.counts.update(made)
        self._step("objections, repairs, reports", sum(made.values()))
        joint = JointLoader(self._random("checks"), self.today, work_calendar()).run(span)
        self.counts.update(joint)
        self._step("checks and reports", joint["checks"] + joint["reports"])
        self.counts["submission_changes"] = submissions.load(days)
        self._step("submission-list changes", self.counts["submission_changes"])

        summary.counts = self.counts
        summary.by_kind = dict(Counter(row.kind for row in population.subjects))
        # From the rows, not the plans: objections, repairs and reports moved some entries on.
        summary.by_state = dict(
            ListEntry.objects.filter(subject_id__gte=span[0], subject_id__lte=span[1])
            .values_list("state")
            .annotate(n=Count("id"))
            .order_by()
        )
        ids = [subject.pk for subject in subjects]
        record(
            actor=SYSTEM_ACTOR, action=purge.LOAD_ACTION, obj=("demo", str(self.seed)),
            after={"seed": self.seed, "business_date": self.today.isoformat(),
                   "subject_ids": [min(ids), max(ids)], "counts": summary.counts,
                   "subjects_by_kind": summary.by_kind, "entries_by_state": summary.by_state},
            reason=f"xinyong demo --subjects {self.total} --seed {self.seed}",
        )  # fmt: skip
        self._step("audit row")
        summary.seconds = time.perf_counter() - started
        return summary

    def load_reference(self) -> dict[str, dict[str, Any]]:
        """Idempotent: rows found by code and brought up to date."""
        regions, domains = load_regions(), load_domains()
        departments = load_departments(regions, domains)
        scenarios = load_scenarios()
        reference: dict[str, dict[str, Any]] = {
            "regions": regions, "domains": domains, "departments": departments,
            "scenarios": scenarios, "catalog_items": load_catalog(departments),
            "measures": load_measures(domains, scenarios, departments),
            "list_definitions": load_lists(domains, departments),
        }  # fmt: skip
        for name, rows in reference.items():
            self.counts[name] = len(rows)
        self._step("reference data", sum(self.counts.values()))
        self.counts["accounts"] = len(load_accounts(departments, self.password))
        self._step("accounts and officers", self.counts["accounts"])
        reference["lists"] = reference["list_definitions"]
        return reference

    def generate(self) -> tuple[Population, list[RecordPlan], list[EntryPlan]]:
        population = generate_population(self.total, self._random("subjects"), self.today)
        numbers = DocumentNumbers(self._random("numbers"))
        generator = RecordGenerator(self._random("records"), self.today, numbers)
        records: list[RecordPlan] = []
        for index, row in enumerate(population.subjects):
            records.extend(generator.for_subject(index, row.kind, row.county))
        timeline = Timeline(self._random("dates"), self.today, work_calendar())
        planner = EntryPlanner(self._random("entries"), timeline, numbers, population)
        plans = planner.plan_all(self.total)
        records.extend(planner.records)
        self._step("generated in memory")
        return population, records, plans

    def write_subjects(
        self, population: Population, plans: list[RecordPlan], reference: dict[str, dict]
    ) -> list[Subject]:
        rows = [
            Subject(kind=row.kind, name=row.name, identifier=row.identifier,
                    identifier_status=row.status, region_id=row.county.code)
            for row in population.subjects
        ]  # fmt: skip
        for subject in rows:  # a bulk insert skips save(): masked, hashed, encrypted here (R14)
            subject.protect_identifier()
        subjects = self._insert("subjects", Subject, rows)
        self._step("subjects", len(subjects))
        ids = [subject.pk for subject in subjects]
        links = self._insert("linked_persons", LinkedPerson, [
            LinkedPerson(organisation_id=ids[org], person_id=ids[person], role=role, since=since)
            for org, person, role, since in population.links
        ])  # fmt: skip
        self._step("linked persons", len(links))
        items, departments = reference["catalog_items"], reference["departments"]
        calendar = work_calendar()
        records = self._insert("credit_records", CreditRecord, [
            CreditRecord(catalog_item_id=items[p.catalog_item].pk, subject_id=ids[p.subject],
                         department_id=departments[p.department].pk,
                         document_number=canonical_document_number(p.document_number),
                         decision_date=p.decision_date,
                         issuing_body=departments[p.department].name, title=p.title,
                         content=p.content, is_serious=p.is_serious, tier=p.tier,
                         **{"publication_ends_on": p.publication_ends_on,
                            **self._publication(p, items[p.catalog_item], calendar)})
            for p in plans
        ])  # fmt: skip
        self._step("credit records", len(records))
        return subjects

    def _publication(self, plan: RecordPlan, item: CatalogItem, calendar) -> dict[str, Any]:
        """What an import would have stored about a licence's or penalty's publication: due
        within 7 working days of the decision, public from the day collected, late by the
        working days past the due day, a rest day as the next working day (R9), shared as long
        as published (R8). A listing's decision: see ``_listing_decision``."""
        if plan.collected_on is not None:
            return _listing_decision(plan, item, calendar)
        if plan.collected_after_days is None:
            return {}
        decided = plan.decision_date
        collected = min(decided + dt.timedelta(days=plan.collected_after_days), self.today)
        due = calendar.add_workdays(decided, PUBLIC_WITHIN_WORKDAYS).date
        ends = plan.publication_ends_on
        minimum = plan.publication_min_months
        return {
            "publication_due_on": due,
            "published_on": collected if ends is None or ends >= collected else None,
            "workdays_late": workdays_late(calendar, due, collected),
            "publication_min_ends_on": add_months(decided, minimum) if minimum else None,
            "sharing_ends_on": ends,
        }

    def write_entries(self, plans: list[EntryPlan], subjects: list[Subject], lists: dict) -> None:
        entries = entry_rows(plans, subjects, lists)
        pairs = list(zip(plans, entries, strict=True))
        # Entries that follow from another (key monitoring after a black exit) go second,
        # once the entry they point at has its id.
        self._insert("list_entries", ListEntry, [e for p, e in pairs if p.origin is None])
        for plan, entry in pairs:
            if plan.origin is not None:
                entry.origin_id = entries[plan.origin].pk
        self._insert("list_entries", ListEntry, [e for p, e in pairs if p.origin is not None])
        self._step("list entries", len(entries))
        events = self._insert("list_entry_events", ListEntryEvent, entry_events(plans, entries))
        persons = self._insert("list_entry_persons", ListEntryPerson, [
            ListEntryPerson(entry_id=entry.pk, person_id=subjects[person].pk, role=role)
            for plan, entry in pairs for person, role in plan.persons
        ])  # fmt: skip
        self._step("entry history and persons", len(events) + len(persons))
        chains = announcements(plans, entries)
        position = 0
        while True:  # one insert per position in the chains: each notice follows the one before
            wave = [chain for chain in chains if len(chain) > position]
            if not wave:
                break
            for chain in wave:
                if position:
                    chain[position].follows_id = chain[position - 1].pk
            self._insert("announcements", Announcement, [chain[position] for chain in wave])
            position += 1
        self._step("announcements", self.counts.get("announcements", 0))
        # Signed through the service once their notices are there, which the decision follows.
        self.counts["entries_not_repairable"] = rulings.sign(pairs)
        self._step("signed, repair ruled out", self.counts["entries_not_repairable"])
        self.leaving = red_list_exits.planned(pairs)


def _listing_decision(plan: RecordPlan, item: CatalogItem, calendar) -> dict[str, Any]:
    """A listing decision's record as the platform keeps it: what a records import the day the
    decision took effect stored (its item's window, to the entry's validity: R8; no minimum of
    its own, the demo's entry repairs being planned on their lists' minimums), and, for an
    entry that has ended, what its exit stopped: publication and sharing from the exit day
    (R4, 000 §十.3; ``catalog.listing_records``), so that no ended listing stays public or
    shared, nor takes an objection or a repair application of its own."""
    assert plan.collected_on is not None
    window = Publication(calendar, plan.collected_on).until(
        plan.decision_date, valid_until=plan.publication_ends_on, is_public=item.is_public,
        months=(item.publication_months_min, item.publication_months_max), due=False,
    )  # fmt: skip

    def day(text: str | None) -> dt.date | None:
        return None if text is None else dt.date.fromisoformat(text)

    published, stopped = day(window.published_on), plan.stopped_on
    return {
        "published_on": published, "publication_ends_on": day(window.ends_on),
        "sharing_ends_on": day(window.sharing_ends_on),
        "publication_ended_on": stopped if published is not None else None,
        "sharing_stopped_on": stopped,
    }  # fmt: skip
