"""Typical cases (典型案例): their workflow, their masking and what the portal shows of them.

R11: the platform keeps typical cases for publication; 003 §七: they are published on the local
credit portal. A case is chosen from the reported businesses in which a measure was applied
(``statistics``), written up by the credit office, published, and withdrawn if it should no
longer stand (a listing later found wrong, say). The writes are in ``services``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from xinyong.core.free_text import mask_free_text
from xinyong.listings.models import ListEntry, ListEntryPerson
from xinyong.listings.selectors import in_force
from xinyong.measures.models import (
    CheckFeedback,
    Measure,
    MeasureOutcome,
    TypicalCase,
    TypicalCaseState,
)
from xinyong.measures.statistics import STANDING
from xinyong.portal.selectors import DISCLOSED, PUBLIC_LIST_KINDS
from xinyong.subjects.models import LinkedPerson, Subject
from xinyong.subjects.selectors import linked_names

S = TypicalCaseState

# The entries the portal publishes, by the portal's own conditions (``portal.selectors``): a red
# or black list, kept under no catalog item or under one disclosed to the public. A list under an
# item disclosed only on request (依申请公开) or not at all (不公开) is not on /lists/, and a case
# must not name it or its subject either (R5, 001 §三(二)).
PUBLISHED_ENTRIES = Q(DISCLOSED, list__kind__in=PUBLIC_LIST_KINDS)

# (state, action) -> the state after it. Nothing else moves a case.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, "edit"): S.DRAFT,
    (S.DRAFT, "publish"): S.PUBLISHED,
    (S.DRAFT, "withdraw"): S.WITHDRAWN,
    (S.PUBLISHED, "withdraw"): S.WITHDRAWN,
}
ACTIONS = ("edit", "publish", "withdraw")


def next_state(state: str, action: str) -> str | None:
    """The state ``action`` leads to from ``state``, or None where the table has no edge."""
    return TRANSITIONS.get((state, action))


def actions_from(state: str) -> list[str]:
    return [action for action in ACTIONS if (state, action) in TRANSITIONS]


def persons_named(subject: Subject | None) -> list[str]:
    """The natural persons a case about ``subject`` could name: the subject itself, or the
    persons linked to the organisation (its legal representative and the like)."""
    return linked_names(subject).persons if subject is not None else []


def masked_text(text: str, names: list[str]) -> str:
    """``text`` with citizen IDs, mobile numbers and each of ``names`` (natural persons' names,
    however spaced, and their given names written alone) masked (R5, 001 §4, DOMAIN §4): see
    ``core.free_text.mask_free_text``."""
    return mask_free_text(text, names)


def masked(text: str, subject: Subject | None) -> str:
    """``text`` as it may be shown beyond the department that wrote it: ``masked_text`` with
    the names of every natural person the case could name (the subject, or the persons linked
    to the organisation), the organisations' own names kept as written (they are published in
    full, and a trade name is often a person's given name). An address introduced as one (住,
    住址…) is cut to its district, and mobiles are masked, as in any free text. Other names an
    officer types are the officer's to leave out: nothing tells them from the rest of the
    text."""
    if subject is None:
        return mask_free_text(text)
    names = linked_names(subject)
    return mask_free_text(text, names.persons, keep=names.organisations)


@dataclasses.dataclass(frozen=True)
class CaseFacts:
    """What a case rests on, as the public may see it: no identifier of a person."""

    reported_on: dt.date | None
    implementing_department: str
    subject_name: str  # masked for a natural person, as the check's answer gave it
    subject_kind: str
    business_reference: str
    applied: list[dict[str, Any]]  # each applied measure: name, type, legal basis, start, end
    lists: list[str]  # the lists of the entries the applied measures followed from
    public_lists: list[str]  # of those, the lists the portal publishes: ``PUBLISHED_ENTRIES``
    type: str  # reward, punishment or both
    # When the entries are an organisation's that names the person checked (落实到人):
    # "the organisation (the person's role)", so that no one reads the person as listed.
    via: list[str] = dataclasses.field(default_factory=list)


def _role(role: str) -> str:
    roles = dict(LinkedPerson.Role.choices)
    return str(roles.get(role, role))


def _case_type(types: set[str]) -> str:
    if types == {Measure.Type.REWARD}:
        return "reward"
    if types == {Measure.Type.PUNISHMENT}:
        return "punishment"
    return "both"


def facts_of(feedback: CheckFeedback, *, standing_ids: set[int] | None = None) -> CaseFacts:
    """The facts of a reported business, from its check's answer and its outcomes: each
    measure as the check answered it, whatever the measures list has become (R10, R11).

    ``standing_ids``: the facts as the portal may show them, only the measures applied that
    followed from those entries (``standing_entries``: on a list the portal publishes, in
    force, under no objection) and only their lists; a list not public, or no longer, is never
    named.
    """
    answer = feedback.check_record.response
    subject = answer.get("subject") or {}
    outcomes = [o for o in feedback.outcomes.all() if o.applied]
    by_outcome = {o.pk: list(o.entries.all()) for o in outcomes}
    if standing_ids is not None:
        by_outcome = {
            pk: [e for e in entries if e.pk in standing_ids] for pk, entries in by_outcome.items()
        }
        outcomes = [o for o in outcomes if by_outcome[o.pk]]
    applied = [
        {"name": o.measure_name, "type": o.measure_type, "legal_basis": o.measure_legal_basis,
         "start": o.applied_on, "end": o.applied_until}
        for o in outcomes
    ]  # fmt: skip
    entries = {e.pk: e for o in outcomes for e in by_outcome[o.pk]}.values()
    lists = sorted({entry.list.name for entry in entries})
    public = sorted({entry.list.name for entry in entries if _published(entry)})
    first = min((o.reported_on for o in outcomes), default=None)
    named = {e.get("entry_id"): e.get("via") for e in answer.get("entries", []) if e.get("via")}
    via = sorted({
        f"{named[e.pk]['organisation']}（{_role(named[e.pk]['role'])}）"
        for e in entries if e.pk in named
    })  # fmt: skip
    return CaseFacts(
        reported_on=first,
        implementing_department=feedback.check_record.department.name,
        subject_name=subject.get("name", ""),
        subject_kind=subject.get("kind", ""),
        business_reference=feedback.business_reference,
        applied=applied,
        lists=lists,
        public_lists=public,
        type=_case_type({o.measure_type for o in outcomes}),
        via=via,
    )


def _published(entry: ListEntry) -> bool:
    """``PUBLISHED_ENTRIES`` for an entry already loaded (R5, 001 §三(二)): the same two
    conditions, read from the list and its catalog item that ``_with_facts`` fetched with it."""
    item = entry.list.catalog_item
    return entry.list.kind in PUBLIC_LIST_KINDS and (item is None or item.is_public)


def _with_facts(feedback: QuerySet[CheckFeedback]) -> QuerySet[CheckFeedback]:
    entries = ListEntry.objects.select_related("list__catalog_item")
    entries = Prefetch("entries", queryset=entries)
    outcomes = MeasureOutcome.objects.prefetch_related(entries)
    outcomes = outcomes.order_by("pk")
    return feedback.select_related(
        "check_record__department", "corrects", "correction"
    ).prefetch_related(Prefetch("outcomes", queryset=outcomes))


def cases(since: dt.date, until: dt.date) -> QuerySet[CheckFeedback]:
    """Reported businesses with a measure applied in the period, newest first: the cases a
    typical one may be chosen from. A report corrected since is no longer one (its correction
    is, if it applies a measure)."""
    applied = MeasureOutcome.objects.filter(
        STANDING, applied=True, applied_on__gte=since, applied_on__lte=until
    ).values("feedback_id")
    chosen = _with_facts(CheckFeedback.objects.filter(pk__in=applied))
    return chosen.select_related("typical_case").order_by("-created_at", "-pk")


def case_feedback(feedback_id: int) -> CheckFeedback | None:
    """One reported business with a measure applied, or None."""
    found = _with_facts(CheckFeedback.objects.filter(pk=feedback_id, outcomes__applied=True))
    return found.select_related("typical_case").distinct().first()


def reports_of_business(feedback: CheckFeedback) -> list[CheckFeedback]:
    """Every report of ``feedback``'s business, first to last: those it corrects and those
    correcting it (``CheckFeedback.corrects``), each with its applied outcomes; the last is
    the one that stands. What the case page shows of a corrected business (R11)."""
    applied = MeasureOutcome.objects.filter(applied=True).order_by("pk")
    rows = CheckFeedback.objects.prefetch_related(Prefetch("outcomes", queryset=applied))
    line = [rows.get(pk=feedback.pk)]
    while line[0].corrects_id is not None:
        line.insert(0, rows.get(pk=line[0].corrects_id))
    while (later := rows.filter(corrects_id=line[-1].pk).first()) is not None:
        line.append(later)
    return line


def standing_entries(today: dt.date, checked: Any = None) -> QuerySet[ListEntry]:
    """The entries a published case may rest on today: on a list the portal publishes
    (``PUBLISHED_ENTRIES``: red or black, under a public catalog item, R5, 001 §三(二)), in
    force, and under no objection. An entry that exits (corrected, repaired, reported, expired:
    R4, R8) or is being verified (R6) takes the case off the portal with it, as it takes itself;
    so does a list whose catalog item stops being public.

    ``checked``: the subject the case's check was of (an id, or an expression of the query this
    one is a subquery of). An entry of another subject reached that subject through a naming
    (落实到人, 004 §二(三)6): it stands for the case only while that naming does, with no
    objection of the person to being named open (R6: what the case tells of the person is
    being verified); a naming removed, the objection found founded, no longer stands at all
    (``standing_for``)."""
    entries = ListEntry.objects.filter(
        PUBLISHED_ENTRIES, in_force(today), verification_due_on__isnull=True
    )
    if checked is None:
        return entries
    inner = OuterRef(checked) if isinstance(checked, OuterRef) else checked
    undisputed = ListEntryPerson.objects.filter(
        entry_id=OuterRef("pk"), person_id=inner, verification_due_on__isnull=True
    )
    return entries.filter(Q(subject_id=checked) | Exists(undisputed))


def undisputed_namings(entry_ids: Iterable[int]) -> set[tuple[int, int]]:
    """(entry, person) of each naming of these entries under no objection of the person to
    being named (R6), read in one query: what ``standing_for`` reads."""
    namings = ListEntryPerson.objects.filter(
        entry_id__in=list(entry_ids), verification_due_on__isnull=True
    )
    return set(namings.values_list("entry_id", "person_id"))


def standing_for(
    entry_subjects: dict[int, int], namings: set[tuple[int, int]], checked: int | None
) -> set[int]:
    """Of these standing entries (``standing_entries``: id → its subject), those a case about
    ``checked`` rests on: its own, and another's through a naming of ``checked`` under no
    objection (``undisputed_namings``, R6); ``standing_entries(today, checked)`` for entries
    already read."""
    return {
        pk for pk, subject in entry_subjects.items()
        if subject == checked or (pk, checked) in namings
    }  # fmt: skip


def standing(today: dt.date) -> Exists:
    """Whether a case still stands on the portal: a measure applied in it followed from one of
    ``standing_entries`` for the subject its check was of, in a report no correction replaced
    since (what the case tells may no longer be so). A case that does not stays published in
    the back end."""
    applied = MeasureOutcome.objects.filter(
        STANDING, feedback_id=OuterRef("feedback_id"), applied=True
    )
    checked = OuterRef("feedback__check_record__subject_id")
    return Exists(applied.filter(entries__in=standing_entries(today, checked)))


def stands(case: TypicalCase, today: dt.date) -> bool:
    return TypicalCase.objects.filter(pk=case.pk).filter(standing(today)).exists()


def standing_among(case_ids: list[int], today: dt.date) -> set[int]:
    """Which of these cases stand today, in one query (a page of the case list)."""
    rows = TypicalCase.objects.filter(pk__in=case_ids).filter(standing(today))
    return set(rows.values_list("pk", flat=True))


def rests_on_public_lists(feedback: CheckFeedback) -> bool:
    """Whether a measure applied in the case followed from an entry of a list the portal
    publishes (``PUBLISHED_ENTRIES``) at all: only such a case may ever be published. A case
    resting only on key-attention lists, or on lists kept under a catalog item disclosed on
    request or not at all, is kept in the back end and cannot be published (R5, 001 §三(二))."""
    applied = MeasureOutcome.objects.filter(feedback=feedback, applied=True)
    return applied.filter(entries__in=ListEntry.objects.filter(PUBLISHED_ENTRIES)).exists()


def published(today: dt.date) -> list[tuple[TypicalCase, CaseFacts]]:
    """Published typical cases that still stand, newest first, with their facts (the
    portal's page)."""
    rows = TypicalCase.objects.filter(standing(today), state=S.PUBLISHED)
    rows = rows.order_by("-published_on", "-pk")
    feedback = _with_facts(CheckFeedback.objects.all())
    rows = list(rows.prefetch_related(Prefetch("feedback", queryset=feedback)))
    named = {e.pk for c in rows for o in c.feedback.outcomes.all() for e in o.entries.all()}
    subjects = dict(standing_entries(today).filter(pk__in=named).values_list("pk", "subject_id"))
    namings = undisputed_namings(subjects)
    return [
        (case, facts_of(case.feedback, standing_ids=standing_for(
            subjects, namings, case.feedback.check_record.subject_id)))
        for case in rows
    ]  # fmt: skip


def describe(case: TypicalCase) -> dict[str, Any]:
    """A case for the audit trail."""
    return {"feedback": case.feedback_id, "title": case.title, "state": case.state}
