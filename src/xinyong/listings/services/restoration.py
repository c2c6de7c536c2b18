"""A black listing found wrong restores the red entries it ended (R2, R4, R6; 000 §十一.3).

Entering a black list ends the subject's red entries at once, as blacklisted (R2). A black
listing later found wrong, while in force (``exit_entry`` as corrected) or after its exit
(``correct_after_exit``), was no ground for those exits: the subject's reputation is restored
(000 §十一.3). Each red entry it ended is in force again (``Action.REINSTATE``), announced on the
red list's channel and told to the platform as any step is (history, audit row, the change
after commit), with what its exit stopped undone (its decision's credit record public and
shared again), for the rest of the validity its decision set; one that cannot be (its
validity ended meanwhile, R4; the subject on another black list, R2; itself found wrong; its
list holding another live entry of the subject) stays exited, and its exit notice is
corrected (``Action.AMEND_EXIT``): it cited a blacklisting that was revoked. Red entries that
ended for another reason are not touched.

Run inside the correction's transaction, after the black entry is locked (``transition`` holds
the daily job's lock shared), in two steps. ``hold_red_entries`` comes first, before the
correction locks or writes anything else (repair applications closed, key monitoring taken
back, audit rows): the subject's row, then each red entry's list row, then the red entries, in
the order a black signature takes them when it ends them (``decision._end_red_entries_of``),
so that no step waits on another in a circle, and a signature of another black listing of the
subject meanwhile is seen before any red entry is put back. ``restore_red_entries`` then acts
on the entries held.

The subject on two black lists (its own, or as a person two organisations' entries name), the
red entry's exit cites the first signed: the second, signed once it had ended, ends nothing.
The first found wrong, the exit stands while the second is in force, its notice corrected; the
second found wrong, the subject on no black list any more, the red entry is restored with it
(``outlasted``): no black listing kept it out rightly. One that ended by expiry or repair did,
and it stays exited, as an entry ended by such a listing does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from xinyong.catalog import listing_records, reinstated
from xinyong.core import clock
from xinyong.listings import documents, selectors, suspension, workflow
from xinyong.listings.decision_records import Announcement
from xinyong.listings.models import (
    EntryState,
    ExitReason,
    ListEntry,
    ListEntryEvent,
    ListEntryPerson,
    ListKind,
)
from xinyong.listings.services.transitions import announce, hold_list_row, transition
from xinyong.listings.workflow import Action
from xinyong.subjects.models import Subject

# The key of the R2 exit's history event that names the black entry which caused it.
BLACK_ENTRY = "black_entry"


def ended_by(black: ListEntry, person_id: int | None = None) -> QuerySet[ListEntry]:
    """The red entries ``black`` ended (R2) and that are still exited as blacklisted: their
    exit names it (``BLACK_ENTRY``), the subject's or those of a person it named (002 §十六,
    落实到人), or, recorded before exits named their black entry, the subject's red entries
    ended as blacklisted on the day it took effect, the day the cross-check ends them.
    ``person_id``: only that named person's (a naming found wrong, ``namings``)."""
    exits = ListEntryEvent.objects.filter(entry=OuterRef("pk"), action=Action.EXIT)
    named = Exists(exits.filter(**{f"data__{BLACK_ENTRY}": black.pk}))
    if person_id is not None:
        return ListEntry.objects.filter(
            named, subject_id=person_id, list__kind=ListKind.RED, state=EntryState.EXITED,
            exit_reason=ExitReason.BLACKLISTED,
        )  # fmt: skip
    unnamed_that_day = Q(exited_on=black.effective_on, subject_id=black.subject_id) & ~Exists(
        exits.filter(data__has_key=BLACK_ENTRY)
    )
    return ListEntry.objects.filter(
        named | unnamed_that_day, list__kind=ListKind.RED, state=EntryState.EXITED,
        exit_reason=ExitReason.BLACKLISTED,
    )  # fmt: skip


def outlasted(black: ListEntry, person_id: int | None = None) -> list[int]:
    """The red entries ``black`` did not end but outlasted as a ground (R2, R6; 000 §十一.3): of
    its subject, or a person it names (``person_id`` alone, where given), on no other black list
    in force (``selectors.black_listings_of``), exited as blacklisted citing other black entries
    (``BLACK_ENTRY``, at the exit and any notice correction), each since found wrong for that
    subject (ended or corrected as wrong, or its naming removed), and no black listing of the
    subject that ended by expiry or repair after the red entry's exit (it kept it out rightly;
    those do not restore, R4)."""
    today = clock.today()
    if person_id is not None:
        subjects = [person_id]
    else:
        named = ListEntryPerson.objects.filter(entry=black).values_list("person_id", flat=True)
        subjects = [black.subject_id, *sorted(set(named) - {black.subject_id})]
    found: list[int] = []
    for subject_id in subjects:
        if selectors.black_listings_of(subject_id, today).exclude(pk=black.pk).exists():
            continue
        reds = ListEntry.objects.filter(
            subject_id=subject_id, list__kind=ListKind.RED, state=EntryState.EXITED,
            exit_reason=ExitReason.BLACKLISTED,
        )  # fmt: skip
        for red in reds.order_by("pk"):
            cited = _cited(red)
            if cited and black.pk not in cited and _no_ground_left(red, cited, black):
                found.append(red.pk)
    return found


def _cited(red: ListEntry) -> set[int]:
    """The black entries the red entry's exit and its notice corrections cite."""
    data = red.events.filter(
        action__in=[Action.EXIT, Action.AMEND_EXIT], data__has_key=BLACK_ENTRY
    ).values_list("data", flat=True)
    return {row[BLACK_ENTRY] for row in data}


def _outlasted_only(red: ListEntry, black: ListEntry) -> bool:
    """Held as outlasted (``outlasted``), not as ended by ``black``."""
    cited = _cited(red)
    return bool(cited) and black.pk not in cited


def _no_ground_left(red: ListEntry, cited: set[int], black: ListEntry) -> bool:
    """Every black entry ``cited`` is found wrong for the red entry's subject, and none of the
    subject's black listings ended by expiry or repair after the red entry's exit."""
    subject_id = red.subject_id
    corrected = Exists(ListEntryEvent.objects.filter(entry=OuterRef("pk"), action=Action.CORRECT))
    unnamed = Exists(ListEntryEvent.objects.filter(
        entry=OuterRef("pk"), action=Action.UNNAME, data__objector_person=subject_id,
    ))  # fmt: skip
    wrong = Q(exit_reason=ExitReason.CORRECTED) | corrected | (~Q(subject_id=subject_id) & unnamed)
    if ListEntry.objects.filter(pk__in=cited).filter(wrong).count() != len(cited):
        return False
    names = ListEntryPerson.objects.filter(entry=OuterRef("pk"), person_id=subject_id)
    rightly_ended = ListEntry.objects.filter(
        Q(subject_id=subject_id) | Exists(names), list__kind=ListKind.BLACK,
        state=EntryState.EXITED, exited_on__gt=red.exited_on,
    ).exclude(pk=black.pk).exclude(wrong)  # fmt: skip
    return not rightly_ended.exists()


def hold_red_entries(black: ListEntry, person_id: int | None = None) -> list[ListEntry]:
    """The red entries ``black`` ended (of ``person_id`` alone, where given), locked with their
    subjects' rows (the organisation's first, then the persons' by id, as the signature takes
    them) and their lists' rows (see the module); none for a black entry never in force."""
    if black.effective_on is None:
        return []
    ended = ended_by(black, person_id).values_list("pk", flat=True)
    ids = sorted({*ended, *outlasted(black, person_id)})
    if not ids:
        return []
    found = ListEntry.objects.filter(
        pk__in=ids, state=EntryState.EXITED, exit_reason=ExitReason.BLACKLISTED
    )
    subjects = set(found.values_list("subject_id", flat=True))
    if black.subject_id in subjects:
        list(Subject.objects.select_for_update().filter(pk=black.subject_id).values_list("pk"))
    persons = Subject.objects.select_for_update().filter(pk__in=subjects - {black.subject_id})
    list(persons.order_by("pk").values_list("pk"))
    for red_id in ids:
        hold_list_row(red_id)
    # Read again once locked: one a step changed meanwhile is as that step left it.
    return list(found.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk"))


def restore_red_entries(
    black: ListEntry, reds: list[ListEntry], *, actor: Any, today: dt.date,
    letter_to: int | None = None,
) -> str:  # fmt: skip
    """Reinstate, or correct the exit notice of, each of ``reds`` (``hold_red_entries``; see the
    module); answers what the letter to ``letter_to`` (the black entry's subject unless said)
    says of its own (``documents.restored_red_entries``), empty when there are none.

    A red entry stays exited while its subject is on another black list, its own or one that
    names it (R2; ``selectors.black_listings_of``)."""
    if not reds:
        return ""
    addressee = black.subject_id if letter_to is None else letter_to
    why = f"所依据的{black.list.name}列入（{black.decision_document_number}）经核实有误，已予撤销"
    if black.subject_id != addressee:  # the naming, not the listing, was found wrong
        why = (
            f"所依据的{black.list.name}名单记录（{black.decision_document_number}）"
            "将本人列为所列人员经核实有误，已予移除"
        )
    reinstated, amended = [], []
    for red in reds:
        still_blacklisted = (
            selectors.black_listings_of(red.subject_id, today)
            .exclude(pk=black.pk)  # in the correction's transaction, not yet saved as ended
            .exists()
        )
        if not still_blacklisted and _may_be_in_force_again(red, today):
            done = _reinstate(red.pk, black, actor=actor, why=why)
            reinstated.append(done)
        elif _outlasted_only(red, black):
            continue  # its exit notice never cited ``black``: nothing to correct in it
        else:
            done = _amend_exit(red.pk, black, actor=actor, why=why)
            amended.append(done)
    own = [red for red in reinstated if red.subject_id == addressee]
    own_amended = [red for red in amended if red.subject_id == addressee]
    return documents.restored_red_entries(own, own_amended, today)


def _may_be_in_force_again(red: ListEntry, today: dt.date) -> bool:
    """Within its validity through its last day (R4), not itself found wrong after its exit
    (R6), and its list holding no other live entry of the subject (one live entry per subject
    and list)."""
    if red.valid_until is not None and red.valid_until < today:
        return False
    if red.events.filter(action=Action.CORRECT).exists():
        return False
    return not (
        ListEntry.objects.filter(list_id=red.list_id, subject_id=red.subject_id)
        .exclude(state__in=workflow.FINAL_STATES)
        .exists()
    )


def _reinstate(red_id: int, black: ListEntry, *, actor: Any, why: str) -> ListEntry:
    """The red entry is in force again from today for the rest of its validity, announced on
    its channel after its exit notice; the change feed tells it from its history event (R4,
    R11). What the exit stopped is undone with it: the record of its decision is public and
    shared again (``listing_records.resume_records``), so that the public list, the subject's
    record, checks and the feed show the entry as if it had never left (000 §十一.3).

    Its validity is not extended by the time it was out: the decision fixed it, and the
    publication period equals it (R5, 000 §七.2); the reinstatement restores the listing as
    decided, it does not decide a new one.

    So does an objection to it still being verified: its deadline stands, and where its list
    suspends measures during verification they stay suspended (R6), which the feed tells
    right after the reinstatement (``suspension.record_reinstated_under_objection``)."""

    def apply(entry: ListEntry, today: dt.date) -> dict[str, Any]:
        text = documents.reinstatement_announcement(entry, black, today)  # cites the exit
        undone = entry.exited_on
        details: dict[str, Any] = {"exit_undone": undone.isoformat() if undone else None}
        if undone is not None:
            # From the first exit a reinstatement undid: a record stopped by an earlier exit,
            # stored so after that reinstatement looked, is kept stopped by this exit's stop
            # (``catalog.reinstated``).
            first = min([undone, *reinstated.exits_undone(entry)])
            resumed = listing_records.resume_records(listing_records.Decision(
                entry.list.recognizing_department_id, entry.decision_number_key,
                entry.subject_id, first,
            ), today)  # fmt: skip
            if resumed:
                details["records_resumed"] = resumed
        entry.exit_reason, entry.exited_on = "", None
        announce(entry, Announcement.Kind.CORRECTION, text, today)
        return details

    entry = transition(
        red_id, Action.REINSTATE, actor=actor, version=None, reason=f"{why}，恢复列入",
        apply=apply, data={BLACK_ENTRY: black.pk}, system=True,
    )  # fmt: skip
    suspension.record_reinstated_under_objection(entry, actor=actor)
    return entry


def _amend_exit(red_id: int, black: ListEntry, *, actor: Any, why: str) -> ListEntry:
    """The exit stands; its notice is corrected on its channel, as it cited a blacklisting that
    was revoked (R4, R6)."""

    def apply(entry: ListEntry, today: dt.date) -> None:
        text = documents.exit_reason_correction(entry, black, today)
        announce(entry, Announcement.Kind.CORRECTION, text, today)

    return transition(
        red_id, Action.AMEND_EXIT, actor=actor, version=None,
        reason=f"{why}，不再恢复列入，更正移出原因", apply=apply,
        data={BLACK_ENTRY: black.pk}, system=True,
    )  # fmt: skip
