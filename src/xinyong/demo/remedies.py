"""Online objections, credit repair applications and reports on red-list entries, in every state,
and requests to leave a red list (R4, R6, R7, R8; 000 §九, §十, §十一; 002 §十九, §二十六, §二十七).

Each is made through the platform's own services, on the business day it happened (the clock
set to that day, as ``joint`` does for checks): a subject objects with its evidence, or applies
for repair with its materials, from its portal account; an officer of the department concerned
verifies and decides; a member of the public reports. The audit rows, history events,
announcements, exits, key monitoring and suspended measures are therefore the ones the platform
itself writes, never rows made up here. Only departments with a printed officer decide, so that
whoever logs in as that officer sees the decisions; each subject concerned gets a printed
portal log-in (demo/accounts.py).

Steps are dated in working days before the business date: officers act on working days, and an
objection is decided within its deadline, which the service counts itself (R6, R15).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from xinyong.catalog.models import CreditRecord
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.core.workdays import WorkCalendar
from xinyong.demo import red_list_exits, sample_files
from xinyong.demo import remedy_texts as texts
from xinyong.listings import services as listings
from xinyong.listings.models import ExitReason, ListEntry, ListKind
from xinyong.listings.selectors import in_force
from xinyong.remedies import record_objections, repairs
from xinyong.remedies.repair_workflow import RepairAction
from xinyong.remedies.services import object_to_entry
from xinyong.reports import services as reports
from xinyong.subjects.models import Subject, SubjectKind

# The departments that decide here, by the demo officer who acts for each (demo/accounts.py).
ENTRY_DEPARTMENT, RECORD_DEPARTMENT = "zj-scjg", "hangzhou-scjg"
OFFICERS = {ENTRY_DEPARTMENT: "scjg_officer", RECORD_DEPARTMENT: "hzscjg_officer"}
ORGANISATIONS = (SubjectKind.LEGAL_PERSON, SubjectKind.UNINCORPORATED,
                 SubjectKind.INDIVIDUAL_BUSINESS)  # fmt: skip
PUNISHING = (ListKind.BLACK, ListKind.KEY_ATTENTION)

# Each case's steps, in working days before the business date.
COMPANY = {"object": 60, "uphold": 48, "apply": 4}  # unfounded, then a repair pending
REPAIRED = {"apply": 45, "reject": 38, "apply_again": 30, "accept": 20}
CORRECTED = {"object": 35, "exit": 26}  # founded: corrected and removed
OBJECTING = {"object": 5}  # under verification on the business date
PENALTY = {"apply": 50, "reject": 43, "apply_again": 30, "accept": 21}
RECORD_OBJECTION = {"object": 18, "correct": 9}  # founded: the facts corrected
PAPER_OBJECTION = {"register": 3}  # under verification on the business date
REPORTS = {"unfounded": (40, 31), "founded": (25, 16), "open": (3, None)}

Files = Iterable[tuple[str, str]]


@dataclass
class Cases:
    """What was chosen: entries and the record by the portal log-in of their subject, and the
    red-list entries reported, by the result the report gets."""

    entries: dict[str, ListEntry] = field(default_factory=dict)
    record: CreditRecord | None = None
    objected_record: CreditRecord | None = None  # objected to online, then corrected
    paper_record: CreditRecord | None = None  # a paper objection under verification
    reported: dict[str, ListEntry] = field(default_factory=dict)
    reporters: list[Subject] = field(default_factory=list)
    # Red entries their subjects ask to leave, by case (planned: ``red_list_exits``).
    leaving: dict[str, ListEntry] = field(default_factory=dict)

    def subjects(self) -> dict[str, Subject]:
        """The subject each log-in acts for."""
        chosen = {login: entry.subject for login, entry in self.entries.items()}
        for case, entry in self.leaving.items():
            chosen[red_list_exits.CASES[case]] = entry.subject
        if self.record is not None:
            chosen["zhuti_penalty"] = self.record.subject
        if self.objected_record is not None:
            chosen["zhuti_record"] = self.objected_record.subject
        return chosen


class Days:
    """Working days counted back from the business date."""

    def __init__(self, today: dt.date, calendar: WorkCalendar) -> None:
        self.today, self.calendar = today, calendar

    def back(self, n: int) -> dt.date:
        day = self.today
        while n:
            day -= dt.timedelta(days=1)
            if self.calendar.is_workday(day):
                n -= 1
        return day

    def by(self, day: dt.date, deadline: dt.date) -> dt.date:
        """``day``, or the last working day up to ``deadline`` when ``day`` would be late."""
        while day > deadline or not self.calendar.is_workday(day):
            day -= dt.timedelta(days=1)
        return day


def choose(span: tuple[int, int], days: Days, leaving: dict[str, ListEntry] | None = None) -> Cases:
    """Entries, a record and red-list entries fit for each case, the scarcest first; one case
    per subject, the subjects of the red entries planned to be left (``leaving``) taking none
    else. A small load may leave a case out; the same seed always picks the same."""
    cases, used = Cases(leaving=dict(leaving or {})), set[int]()
    used.update(entry.subject_id for entry in cases.leaving.values())

    def first(found: QuerySet, login: str | None = None) -> Any:
        for row in found:
            if row.subject_id not in used:
                used.add(row.subject_id)
                if login is not None:
                    cases.entries[login] = row
                return row
        return None

    def effective(start: int, **filters: Any) -> QuerySet[ListEntry]:
        # Not an entry ruled not repairable (demo/rulings.py): it takes no repair (R8), and
        # stays in force as ruled, for the newcomer to see.
        return (
            ListEntry.objects.filter(
                in_force(days.today), verification_due_on=None, subject_id__gte=span[0],
                subject_id__lte=span[1], effective_on__lt=days.back(start),
                not_repairable__isnull=True, **filters,
            )
            .select_related("list", "subject")
            .order_by("list__kind", "pk")  # black before key attention, then as generated
        )  # fmt: skip

    scjg = {"list__recognizing_department__code": ENTRY_DEPARTMENT, "list__kind__in": PUNISHING}
    repairable = {**scjg, "list__repairable": True}
    first(effective(COMPANY["object"], subject__kind=SubjectKind.LEGAL_PERSON, **repairable),
          "zhuti_company")  # fmt: skip
    first(effective(REPAIRED["apply"], subject__kind__in=ORGANISATIONS, **repairable),
          "zhuti_repaired")  # fmt: skip
    first(effective(CORRECTED["object"], subject__kind__in=ORGANISATIONS, **scjg),
          "zhuti_corrected")  # fmt: skip
    first(effective(OBJECTING["object"], subject__kind__in=ORGANISATIONS, list__kind__in=PUNISHING,
                    list__objection_suspends_measures=True), "zhuti_objecting")  # fmt: skip
    cases.record = first(_repairable_records(span, days, PENALTY["apply"]))
    cases.objected_record = first(_published_records(span, days, RECORD_OBJECTION["object"]))
    cases.paper_record = first(
        _published_records(span, days, PAPER_OBJECTION["register"], "administrative-licence")
    )
    _choose_reported(cases, span, days, used)
    cases.reporters = list(
        Subject.objects.filter(kind=SubjectKind.NATURAL_PERSON, pk__gte=span[0], pk__lte=span[1])
        .exclude(pk__in=used)
        .order_by("-pk")[: len(REPORTS)]
    )
    return cases


def _repairable_records(span: tuple[int, int], days: Days, start: int) -> list[CreditRecord]:
    """Penalties of the city bureau, published from before the first day through the business
    date, and past their minimum on the first day (R8)."""
    day = days.back(start)
    found = (
        CreditRecord.objects.filter(
            department__code=RECORD_DEPARTMENT, subject_id__gte=span[0], subject_id__lte=span[1],
            catalog_item__code="administrative-penalty", published_on__lt=day,
            publication_ended_on=None, publication_ends_on__gte=days.today,
            publication_min_ends_on__lt=day,
        )
        .select_related("catalog_item", "subject")
        .order_by("pk")
    )  # fmt: skip
    return [record for record in found if repairs.record_refusal(record, day) is None]


def _published_records(
    span: tuple[int, int], days: Days, start: int, *items: str
) -> QuerySet[CreditRecord]:
    """Records of the city bureau (penalties unless ``items`` says otherwise), published from
    before the first day through the business date: they take an objection (R6)."""
    return (
        CreditRecord.objects.filter(
            department__code=RECORD_DEPARTMENT, subject_id__gte=span[0], subject_id__lte=span[1],
            catalog_item__code__in=items or ["administrative-penalty"],
            published_on__lt=days.back(start), publication_ended_on=None,
        )
        .filter(Q(publication_ends_on=None) | Q(publication_ends_on__gte=days.today))
        .select_related("catalog_item", "subject")
        .order_by("-pk")  # the other end from the repair's choice
    )  # fmt: skip


def _choose_reported(cases: Cases, span: tuple[int, int], days: Days, used: set[int]) -> None:
    """Red-list entries the portal shows, the entry department's where it keeps enough: one
    entry for both decided reports when it keeps only one, any department's for the open one
    when it keeps fewer than three."""

    def reportable(start: int, **filters: Any) -> Iterator[ListEntry]:
        """Looked at one by one, as the report form would, only until enough are found."""
        day = days.back(start)
        found = ListEntry.objects.filter(
            in_force(days.today), list__kind=ListKind.RED, subject_id__gte=span[0],
            subject_id__lte=span[1], effective_on__lt=day, **filters,
        ).exclude(subject_id__in=used)  # fmt: skip
        for entry in found.select_related("list").order_by("pk"):
            with clock.frozen(day):  # left before yielding: the caller keeps its own day
                shown = _reportable(entry.pk)
            if shown:
                yield entry

    start = REPORTS["unfounded"][0]
    department = {"list__recognizing_department__code": ENTRY_DEPARTMENT}
    kept = list(itertools.islice(reportable(start, **department), 3))
    if kept:
        cases.reported["founded"] = kept[0]
        cases.reported["unfounded"] = kept[1] if len(kept) > 1 else kept[0]
    if len(kept) == 3:  # the officer's worklist then shows one to decide
        cases.reported["open"] = kept[2]
    else:
        taken = {entry.pk for entry in kept}
        other = next((e for e in reportable(REPORTS["open"][0]) if e.pk not in taken), None)
        if other is not None:
            cases.reported["open"] = other
    used.update(entry.subject_id for entry in cases.reported.values())  # nobody reports itself


def _reportable(entry_id: int) -> bool:
    try:
        reports.reportable_entry(entry_id)
    except XinyongError:
        return False
    return True


class RemedyLoader:
    """Acts out the chosen cases through the services; answers the rows made, by kind."""

    def __init__(self, days: Days) -> None:
        self.days = days
        self.counts = {"online_objections": 0, "repair_applications": 0, "red_list_reports": 0,
                       "record_objections": 0, "red_list_exit_requests": 0}  # fmt: skip
        users = get_user_model().objects.select_related("officer__department")
        self.users: Callable[[str], Any] = lambda username: users.get(username=username)

    def run(self, cases: Cases) -> dict[str, int]:
        steps = {
            "zhuti_company": self._company, "zhuti_repaired": self._repaired,
            "zhuti_corrected": self._corrected, "zhuti_objecting": self._objecting,
        }  # fmt: skip
        for login, entry in cases.entries.items():
            steps[login](entry, self.users(login))
        if cases.record is not None:
            self._penalty(cases.record, self.users("zhuti_penalty"))
        if cases.objected_record is not None:
            self._record_corrected(cases.objected_record, self.users("zhuti_record"))
        if cases.paper_record is not None:
            self._record_registered(cases.paper_record)
        self._reports(cases)
        self.counts["red_list_exit_requests"] = red_list_exits.act(
            cases.leaving, self.days, self.users
        )
        return self.counts

    # -- one verb each, on its day --------------------------------------------------------------

    def _on(self, day: dt.date, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with clock.frozen(day):
            return call(*args, **kwargs)

    def _object(
        self, entry: ListEntry, user: Any, back: int, grounds: str, files: Files
    ) -> dt.date:
        """The subject objects online with its evidence; answers the verification deadline."""
        uploads = [sample_files.upload(name, caption) for name, caption in files]
        self._on(self.days.back(back), object_to_entry, entry.pk, actor=user, grounds=grounds,
                 files=uploads)  # fmt: skip
        self.counts["online_objections"] += 1
        entry.refresh_from_db()
        return entry.verification_due_on

    def _apply(self, target: ListEntry | CreditRecord, user: Any, back: int, corrected: str,
               materials: dict) -> Any:  # fmt: skip
        uploads = {
            kind: [sample_files.upload(name, caption) for name, caption in files]
            for kind, files in materials.items()
        }
        entry = isinstance(target, ListEntry)
        apply = repairs.apply_for_entry if entry else repairs.apply_for_record
        application = self._on(self.days.back(back), apply, target.pk, actor=user,
                               corrected=corrected, materials=uploads)  # fmt: skip
        self.counts["repair_applications"] += 1
        return application

    def _decide(self, application: Any, back: int, action: RepairAction, reasons: str) -> None:
        officer = self.users(OFFICERS[application.department.code])
        self._on(self.days.back(back), repairs.decide_repair, application.pk, actor=officer,
                 action=action, reasons=reasons)  # fmt: skip

    def _officer_for(self, entry: ListEntry) -> Any:
        return self.users(OFFICERS[entry.list.recognizing_department.code])

    # -- the cases ------------------------------------------------------------------------------

    def _company(self, entry: ListEntry, user: Any) -> None:
        due = self._object(entry, user, COMPANY["object"], texts.UNFOUNDED_GROUNDS,
                           texts.UNFOUNDED_FILES)  # fmt: skip
        day = self.days.by(self.days.back(COMPANY["uphold"]), due)
        self._on(day, listings.uphold_after_verification, entry.pk,
                 actor=self._officer_for(entry), finding=texts.UNFOUNDED_FINDING)  # fmt: skip
        self._apply(entry, user, COMPANY["apply"], texts.PENDING_CORRECTED, texts.ENTRY_MATERIALS)

    def _repaired(self, entry: ListEntry, user: Any) -> None:
        steps = REPAIRED
        first = self._apply(entry, user, steps["apply"], texts.FIRST_CORRECTED,
                            texts.SHORT_MATERIALS)  # fmt: skip
        self._decide(first, steps["reject"], RepairAction.REJECT, texts.FIRST_REJECTED)
        again = self._apply(entry, user, steps["apply_again"], texts.SECOND_CORRECTED,
                            texts.ENTRY_MATERIALS)  # fmt: skip
        self._decide(again, steps["accept"], RepairAction.ACCEPT, texts.ENTRY_ACCEPTED)

    def _corrected(self, entry: ListEntry, user: Any) -> None:
        due = self._object(entry, user, CORRECTED["object"], texts.FOUNDED_GROUNDS,
                           texts.OBJECTION_FILES)  # fmt: skip
        day = self.days.by(self.days.back(CORRECTED["exit"]), due)
        self._on(day, listings.exit_entry, entry.pk, actor=self._officer_for(entry),
                 reason=ExitReason.CORRECTED, note=texts.FOUNDED_FINDING)  # fmt: skip

    def _objecting(self, entry: ListEntry, user: Any) -> None:
        self._object(entry, user, OBJECTING["object"], texts.OPEN_GROUNDS,
                     texts.OPEN_OBJECTION_FILES)  # fmt: skip

    def _penalty(self, record: CreditRecord, user: Any) -> None:
        steps, title = PENALTY, record.title
        first = self._apply(record, user, steps["apply"],
                            texts.RECORD_FIRST_CORRECTED.format(title=title),
                            texts.SHORT_MATERIALS)  # fmt: skip
        self._decide(first, steps["reject"], RepairAction.REJECT, texts.RECORD_FIRST_REJECTED)
        again = self._apply(record, user, steps["apply_again"],
                            texts.RECORD_SECOND_CORRECTED.format(title=title),
                            texts.RECORD_MATERIALS)  # fmt: skip
        self._decide(again, steps["accept"], RepairAction.ACCEPT, texts.RECORD_ACCEPTED)

    def _record_corrected(self, record: CreditRecord, user: Any) -> None:
        """The subject objects online with its evidence; the bureau finds the published facts
        short of the decision's and corrects them (R6)."""
        uploads = [sample_files.upload(name, caption) for name, caption in
                   texts.RECORD_OBJECTION_FILES]  # fmt: skip
        objection = self._on(
            self.days.back(RECORD_OBJECTION["object"]), record_objections.object_to_record,
            record.pk, actor=user, grounds=texts.RECORD_OBJECTION_GROUNDS, files=uploads,
        )  # fmt: skip
        facts = str((record.content or {}).get("CF_SY", "")).rstrip("。")
        day = self.days.by(self.days.back(RECORD_OBJECTION["correct"]), objection.due_on)
        self._on(
            day, record_objections.decide, objection.pk, actor=self.users(OFFICERS[
                RECORD_DEPARTMENT]), finding=record_objections.Finding.FOUNDED,
            statement=texts.RECORD_OBJECTION_FINDING, outcome="correct",
            corrections={"CF_SY": f"{facts}，{texts.RECORD_CORRECTED_SUFFIX}"},
        )  # fmt: skip
        self.counts["record_objections"] += 1

    def _record_registered(self, record: CreditRecord) -> None:
        """An objection received at the counter, registered by the bureau's officer; its
        verification is due after the business date (R6)."""
        self._on(
            self.days.back(PAPER_OBJECTION["register"]), record_objections.register_objection,
            record.pk, actor=self.users(OFFICERS[RECORD_DEPARTMENT]),
            grounds=texts.PAPER_OBJECTION_GROUNDS,
        )  # fmt: skip
        self.counts["record_objections"] += 1

    def _reports(self, cases: Cases) -> None:
        """A member of the public reports; the department verifies (R7). Reporters are demo
        persons, whose name and contact the service seals at once."""
        wording = {"unfounded": texts.UNFOUNDED_REPORT, "founded": texts.FOUNDED_REPORT,
                   "open": (*texts.OPEN_REPORT, "")}  # fmt: skip
        for number, (result, (received, decided)) in enumerate(REPORTS.items()):
            entry = cases.reported.get(result)
            if entry is None or number >= len(cases.reporters):
                continue
            facts, evidence, reasons = wording[result]
            receipt = self._on(
                self.days.back(received), reports.receive_report, entry.pk, facts=facts,
                evidence=evidence, reporter_name=cases.reporters[number].name,
                reporter_contact=f"jubao{number + 1:02d}@example.com",
            )  # fmt: skip
            self.counts["red_list_reports"] += 1
            if decided is not None:
                self._on(self.days.back(decided), reports.decide_report, receipt.report.pk,
                         actor=self._officer_for(entry), founded=result == "founded",
                         reasons=reasons)  # fmt: skip
