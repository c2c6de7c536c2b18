"""Black-list proposals for serious dishonesty during key attention (R3, 003 §四)."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Min, Q, QuerySet

from xinyong.listings.models import (
    EntryState,
    ExitReason,
    ListDefinition,
    ListEntry,
    ListKind,
)
from xinyong.listings.selectors import corrected_after_exit
from xinyong.listings.tick.bulk import create_entries
from xinyong.listings.workflow import FINAL_STATES

SERIOUS_RECORD = "subject__records__"  # the records the filter below selects


def found_wrong() -> Q:
    """Entries whose listing was found wrong (R6, 000 §十一.3): ended as corrected, or corrected
    after an exit of another kind (expiry, the R2 cross-check), which keeps its reason and has
    the finding as the entry's ``correct`` step (``listings.services.correct_after_exit``).

    Such a listing was never rightly made: nothing the daily job derives rests on it, neither
    a black-list proposal nor a big-data warning (R3).
    """
    return Q(exit_reason=ExitReason.CORRECTED) | Q(corrected_after_exit())


def usable_serious_records(day: dt.date) -> QuerySet:
    """The serious records a proposal may rest on on ``day``: still shared, and under no
    objection.

    A record no longer shared (revoked by a founded objection, repaired, or past its period,
    also before the daily job has stopped it) counts against the subject no more (R4, R8:
    停止共享, measures lifted); one whose objection is being verified waits for the finding (R6:
    what rests on it is suspended), and is proposed by the first run after an unfounded one.
    """
    from xinyong.catalog.models import CreditRecord
    from xinyong.catalog.selectors import shared_on

    return (
        CreditRecord.objects.filter(shared_on(day), is_serious=True)
        .exclude(objections__state="verifying")
        .values("pk")
    )


def _escalation_candidates(day: dt.date) -> QuerySet[ListEntry]:
    """Key-attention entries with a serious record dated within their validity (R3, 003 §四).

    Within validity: from the day the entry took effect through its last day of validity, and
    before the day it exited, if it did. An entry that exited counts as much as one in force,
    so a record entered after the job expired the entry is still proposed; one whose listing
    was found wrong (``found_wrong``) never counts. Only the records ``usable_serious_records``
    selects count.
    """
    record = SERIOUS_RECORD
    within_validity = (
        Q(**{f"{record}decision_date__gte": F("effective_on")})
        & (Q(valid_until__isnull=True) | Q(**{f"{record}decision_date__lte": F("valid_until")}))
        & (Q(exited_on__isnull=True) | Q(**{f"{record}decision_date__lt": F("exited_on")}))
    )
    took_effect = Q(state=EntryState.EFFECTIVE) | (Q(state=EntryState.EXITED) & ~found_wrong())
    return (
        ListEntry.objects.filter(list__kind=ListKind.KEY_ATTENTION, effective_on__isnull=False)
        .filter(took_effect)
        # One filter() for every condition on the records: they hold of the same record, and
        # an annotation over SERIOUS_RECORD reads only the records they select.
        .filter(
            within_validity,
            **{f"{record}is_serious": True, f"{record}pk__in": usable_serious_records(day)},
        )
        .exclude(consequences__list__kind=ListKind.BLACK)  # proposed from this entry already
    )


def propose_escalations(day: dt.date) -> int:
    """A key-attention subject with serious dishonesty during validity is proposed for the black
    list of that domain: a draft for the department, never a listing (R3, 003 §四).

    What counts is the record's decision date, whenever the record arrives: a record entered
    after the key attention ended is proposed as one entered during it. A subject is not
    proposed twice for it: not from an entry already proposed from, nor while it has a live
    entry on that black list, nor when an entry on that black list was proposed since the
    record's decision date (the conduct has been before the department).
    """
    black_by_domain = {
        d.domain_id: d for d in ListDefinition.objects.filter(kind=ListKind.BLACK).order_by("-id")
    }
    candidates = _escalation_candidates(day)
    # The black-list entries of the candidates only (the whole list could be millions).
    live: set[tuple[int, int]] = set()
    last_proposed: dict[tuple[int, int], dt.date] = {}
    black_entries = ListEntry.objects.filter(
        list__kind=ListKind.BLACK, subject_id__in=candidates.values("subject_id")
    ).values_list("subject_id", "list_id", "state", "proposed_on")
    for subject_id, list_id, state, proposed_on in black_entries:
        key = (subject_id, list_id)
        if state not in FINAL_STATES:
            live.add(key)
        last_proposed[key] = max(proposed_on, last_proposed.get(key, proposed_on))
    new = []
    dated = candidates.annotate(first_serious=Min(f"{SERIOUS_RECORD}decision_date"))
    for entry in dated.select_related("list").order_by("pk"):
        black = black_by_domain.get(entry.list.domain_id)
        if black is None:
            continue
        key = (entry.subject_id, black.pk)
        if key in live or last_proposed.get(key, dt.date.min) >= entry.first_serious:
            continue
        live.add(key)
        new.append(
            ListEntry(
                list=black, subject_id=entry.subject_id, origin=entry, proposed_on=day,
                facts=f"重点关注期间（{entry.list.name}）出现严重失信行为，依规提请列入",
                basis=black.legal_basis,
            )
        )  # fmt: skip
    create_entries(new, action="propose", day=day)
    return len(new)
