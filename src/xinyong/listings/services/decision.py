"""The decision: a responsible officer signs and the entry takes effect (R1, R2, 落实到人)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q

from xinyong.catalog.models import CreditRecord
from xinyong.core.document_numbers import canonical_document_number
from xinyong.core.errors import XinyongError
from xinyong.core.identifiers import check_citizen_id
from xinyong.core.leniency import GROUNDS, is_minor_on, unknown_grounds
from xinyong.core.periods import period_end
from xinyong.listings import documents, notifications, selectors
from xinyong.listings.decision_records import Announcement, EntryLeniency, EntryNotRepairable
from xinyong.listings.models import ExitReason, ListEntry, ListEntryPerson, ListKind
from xinyong.listings.services.candidacy import on_black_list
from xinyong.listings.services.exits import end_entry
from xinyong.listings.services.restoration import BLACK_ENTRY
from xinyong.listings.services.transitions import announce, hold_list_row, transition
from xinyong.listings.workflow import Action
from xinyong.remedies.models import RecordObjection, RecordObjectionState
from xinyong.subjects.models import LinkedPerson, Subject


def _name_linked_persons(entry: ListEntry) -> None:
    """An organisation's black-list entry names its persons (落实到人, 004 §二(三)6)."""
    if entry.list.kind != ListKind.BLACK or entry.subject.is_natural_person:
        return
    links = LinkedPerson.objects.filter(organisation=entry.subject, until__isnull=True)
    ListEntryPerson.objects.bulk_create(
        [ListEntryPerson(entry=entry, person_id=link.person_id, role=link.role) for link in links],
        ignore_conflicts=True,
    )


def _end_red_entries_of(entry: ListEntry, *, actor: Any, today: dt.date) -> None:
    """Entering a black list ends every red-list entry of the subject at once (R2, 000 §六),
    and of each person the entry names (``_name_linked_persons``): a seriously dishonest
    enterprise's legal representative, principals and directly responsible persons lose their
    honours with it (002 §十六, 落实到人). Each exit names the black entry, so that the red
    entries are restored if it, or the person's naming, is found wrong (``restoration``); a
    person's cites the organisation's entry and the roles it names the person in.

    The persons' rows are locked first, after the subject's (``sign_decision``), in the order of
    their ids: a red signature for one of them holds that row too, so the later of the two
    reads the earlier as committed (never on a red list while named in force). The red entries
    are then locked before they are ended, as every step locks them (the daily job's lock,
    which the signature holds, then each one's list row, then the entries): an exit of one
    under way is waited for, and an entry it ended is left with that exit. Read unlocked, an
    entry ended meanwhile was ended again, and the refusal failed the whole signature.
    """
    roles: dict[int, list[str]] = {}
    for naming in ListEntryPerson.objects.filter(entry=entry).order_by("person_id", "id"):
        roles.setdefault(naming.person_id, []).append(str(naming.role_label))
    if roles:
        list(
            Subject.objects.select_for_update()
            .filter(pk__in=roles)
            .order_by("pk")
            .values_list("pk")
        )
    # Red entries in force today; one whose validity already ended is the daily job's to exit,
    # as expired, not as blacklisted.
    in_force = selectors.in_force(today)
    red_ids = list(
        ListEntry.objects.filter(
            in_force, subject_id__in=[entry.subject_id, *roles], list__kind=ListKind.RED
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for red_id in red_ids:
        hold_list_row(red_id)
    # Locked, each is read again as committed: one an exit ended meanwhile is in force no more.
    still_in_force = list(
        ListEntry.objects.select_for_update()
        .filter(in_force, pk__in=red_ids)
        .order_by("pk")
        .values_list("pk", "subject_id")
    )
    listed = f"列入{entry.list.name}"
    for red_id, subject_id in still_in_force:
        note = listed
        if subject_id != entry.subject_id:
            note = (
                f"{entry.subject.name}{listed}（{entry.decision_document_number}），"
                f"本人系该名单记录所列{'、'.join(dict.fromkeys(roles[subject_id]))}"
            )
        end_entry(
            red_id, actor=actor, reason=ExitReason.BLACKLISTED, note=note,
            system=True, data={BLACK_ENTRY: entry.pk},
        )  # fmt: skip


def _refuse_a_record_under_objection(entry: ListEntry, number: str) -> None:
    """The decision rests on the record of its identity (department, document number, subject:
    ``catalog.listing_records``). Signed while an objection to that record is verified, the
    entry's measures would apply unsuspended, and a founded objection would revoke the record
    under an entry left in force (R6, R4): the objection is decided first."""
    if RecordObjection.objects.filter(
        state=RecordObjectionState.VERIFYING,
        record__department_id=entry.list.recognizing_department_id,
        record__document_number=number,
        record__subject_id=entry.subject_id,
    ).exists():
        raise XinyongError(
            "decision-record-under-objection",
            f"文号为“{number}”的信用信息有异议正在核实，请待异议办结后再签发该认定决定",
            status=409, document_number=number,
        )  # fmt: skip


def _refuse_a_revoked_record(entry: ListEntry, number: str) -> None:
    """A record of the decision's identity that was revoked (a founded objection found it
    wrong), with no right decision recorded in its place, is no ground to list on (R6): the
    department records the right decision first, or signs under another number."""
    records = CreditRecord.objects.filter(
        department_id=entry.list.recognizing_department_id, document_number=number,
        subject_id=entry.subject_id,
    )  # fmt: skip
    found = records.aggregate(
        revoked=Count("pk", filter=Q(revoked_on__isnull=False)),
        live=Count("pk", filter=Q(revoked_on__isnull=True)),
    )
    if found["revoked"] and not found["live"]:
        raise XinyongError(
            "decision-record-revoked",
            f"文号为“{number}”的信用信息已因异议成立被撤销，不能据此签发认定决定",
            status=409, document_number=number,
        )  # fmt: skip


def _is_minor(subject: Subject, day: dt.date) -> bool:
    """A natural person whose citizen ID gives a birth date less than 18 years before ``day``;
    other identity documents tell the platform nothing (R10, 001 §10)."""
    if not subject.is_natural_person:
        return False
    read = check_citizen_id(subject.reveal_identifier())
    born = read.details.get("birth_date") if read.status != "invalid" else None
    return born is not None and is_minor_on(dt.date.fromisoformat(born), day)


def _record_leniency(
    entry: ListEntry, grounds: list[str], statement: str, today: dt.date
) -> EntryLeniency | None:
    """Check and keep what the department weighed under 宽容审慎 (R10, 001 §10).

    The clause concerns dishonesty: a red list rewards, and takes no ground. A ground needs a
    statement of how it was weighed. A subject who was a minor when the listing was proposed
    (the latest day the conduct can have taken place: publicity alone lasts 20 working days, and
    a 17-year-old may come of age before the decision) cannot be decided on without the minor
    ground: the platform knows it from the citizen ID, and the clause leaves the department no
    choice but to weigh it. A conduct before a later coming of age is the department's to state.
    """
    grounds = list(dict.fromkeys(code.strip() for code in grounds if code.strip()))
    if entry.list.kind == ListKind.RED:
        if grounds:
            raise XinyongError(
                "leniency-not-for-rewards", "宽容审慎适用于失信行为的认定，守信激励名单不适用",
                status=422,
            )  # fmt: skip
        return None
    if unknown := unknown_grounds(grounds):
        raise XinyongError(
            "leniency-ground-unknown", f"宽容审慎情形“{'、'.join(unknown)}”不存在", status=422,
            allowed=list(GROUNDS),
        )  # fmt: skip
    if "minor" not in grounds and _is_minor(entry.subject, entry.proposed_on):
        raise XinyongError(
            "minor-needs-leniency",
            "当事人系未成年人（依公民身份号码，提出列入之日未满十八周岁），应宽容审慎认定："
            "请选择“当事人系未成年人”并说明如何宽容审慎处理",
            status=422,
        )
    if not grounds:
        return None
    if not statement.strip():
        raise XinyongError(
            "leniency-statement-required", "选择宽容审慎情形的，须说明如何宽容审慎认定",
            status=422,
        )  # fmt: skip
    return EntryLeniency.objects.create(
        entry=entry, grounds=grounds, statement=statement.strip(), recorded_on=today
    )


# Grounds of lenient treatment that say the dishonesty was slight or not meant (R10, 001 §10):
# an entry so judged is no especially serious case, whose repair a decision may rule out (R8).
NOT_ESPECIALLY_SERIOUS = frozenset({"slight", "unintentional"})


def _check_not_repairable(
    entry: ListEntry, not_repairable: bool, reason: str, leniency_grounds: list[str]
) -> str:
    """The reason the signer gives for ruling out repair of this entry (R8: especially serious
    entries may be non-repairable), or empty where it rules out nothing.

    Only on a black list (the serious dishonesty of 000 §十.3; key attention sits below it) that
    itself takes repair: elsewhere the decision would say what nothing follows from, or what
    the list's own criteria deny. Never beside grounds of leniency that call the dishonesty
    slight or unintentional (R10): the one judges the case especially serious, the others not.
    A reason without the decision is refused rather than dropped: the signer meant something
    the decision would not say."""
    reason = reason.strip()
    if not not_repairable:
        if reason:
            raise XinyongError(
                "not-repairable-not-decided",
                "填写了不适用信用修复的理由，但未认定该记录不适用信用修复", status=422,
            )  # fmt: skip
        return ""
    definition = entry.list
    if definition.kind != ListKind.BLACK:
        raise XinyongError(
            "not-repairable-not-applicable",
            "仅严重失信主体名单（黑名单）可认定单条记录情节特别严重、不适用信用修复", status=422,
        )  # fmt: skip
    if NOT_ESPECIALLY_SERIOUS.intersection(leniency_grounds):
        raise XinyongError(
            "not-repairable-with-leniency",
            "已认定轻微失信或非主观故意从宽处理的，不能同时认定情节特别严重、不适用信用修复",
            status=422,
        )  # fmt: skip
    if not definition.repairable:
        raise XinyongError(
            "not-repairable-not-applicable",
            "该名单已规定不适用信用修复，无需认定单条记录不适用信用修复", status=422,
        )  # fmt: skip
    if not reason:
        raise XinyongError(
            "not-repairable-reason-required",
            "认定该记录不适用信用修复的，须说明理由（如情节特别严重）", status=422,
        )  # fmt: skip
    return reason


def sign_decision(
    entry_id: int,
    *,
    actor: Any,
    decision_document_number: str = "",
    measures: list[str] | None = None,
    leniency_grounds: list[str] | None = None,
    leniency_statement: str = "",
    not_repairable: bool = False,
    not_repairable_reason: str = "",
    version: int | None = None,
) -> ListEntry:
    """A responsible officer signs: the entry takes effect today for its validity (R1, R2).

    The department states the grounds for lenient and prudent treatment it weighed and how
    (R10, 001 §10); a minor's entry on a list of dishonesty cannot be signed without them.
    On a list that allows repair it may decide, with its reason, that this entry is not
    repairable (R8: especially serious entries); the entry then takes no repair application
    and no exit as repaired, and its texts say so.

    The decision document and its public announcement both state the measures that follow,
    credit repair and the exit conditions (R1, R5). The measures it states are kept with the
    entry (``ListEntry.stated_measures``), and only they follow from it where it is checked:
    those the department names, or, when it names none, every measure the list has for the
    entry when it signs, which is what the decision and its announcement then state. A measure
    added to the list later was never stated, and is never added to the entry (R10: none
    added). Only when the list has none for it does the decision refer to the measures list
    (``documents._measures``), and the entry carries every measure it comes to have. The list
    cannot change while the decision is signed (``hold_measures_list``): a rename committed
    meanwhile would miss the names the decision states (``measures.renames``).

    Refused while the publicity period runs or its end is provisional, or while the record of
    the decision's number is under objection or was revoked (R6), or when the key-attention
    listing a black-list proposal was made from was found wrong since (R3, R6;
    ``workflow.origin_stands``, read with that listing held); a red-list candidate on a
    black list is refused; a black listing ends the subject's red-list entries in the same
    transaction and names the organisation's persons. The records of the decision's identity
    become the entry's to repair (R8): a repair application open on one is closed in the same
    transaction (``notifications.records_became_decisions``).
    """

    def apply(entry: ListEntry, today: dt.date) -> dict[str, Any]:
        definition = entry.list
        if definition.kind in (ListKind.RED, ListKind.BLACK):
            # A red and a black signature for one subject at once each lock only their own
            # entry, and neither would see the other's: the subject's row makes them take turns,
            # so the later one reads the earlier as committed (R2: never on both lists).
            list(Subject.objects.select_for_update().filter(pk=entry.subject_id).values_list("pk"))
        if definition.kind == ListKind.RED and on_black_list(entry.subject):
            raise XinyongError(
                "red-candidate-blacklisted", "该主体在严重失信主体名单中，不能列入红名单",
                status=409,
            )  # fmt: skip
        leniency = _record_leniency(entry, leniency_grounds or [], leniency_statement, today)
        ruled_out = _check_not_repairable(
            entry, not_repairable, not_repairable_reason, leniency_grounds or []
        )
        entry.effective_on = today
        entry.valid_until = (
            period_end(today, definition.validity_value, definition.validity_unit)
            if definition.validity_value
            else None
        )
        # Numbered by the department's own register when it gives one; otherwise in the
        # platform's name of the department, as a published decision must carry a number a
        # reader can quote (the list's code is an internal key, not a document's).
        department = definition.recognizing_department.name
        # Kept and published as written (a court's case number keeps its （）, 案号); its
        # canonical form is the key the records of the decision are found by, however either
        # was written (R4, ``core.document_numbers``; ``save`` keeps it).
        entry.decision_document_number = (
            decision_document_number.strip() or f"{department}〔{today.year}〕{entry.pk}号"
        )
        entry.decision_number_key = canonical_document_number(entry.decision_document_number)
        _refuse_a_record_under_objection(entry, entry.decision_number_key)
        _refuse_a_revoked_record(entry, entry.decision_number_key)
        from xinyong.measures.selectors import hold_measures_list, measures_following

        hold_measures_list(shared=True)
        following = measures_following(definition.kind, definition.domain_id)
        named = list(dict.fromkeys(m.strip() for m in measures or [] if m.strip()))
        unknown = [name for name in named if name not in following]
        if unknown:
            # A decision states only measures the list has, with their legal basis, for this
            # kind and domain: another would be published, and never applied by a check (R10).
            raise XinyongError(
                "measure-not-in-list",
                f"以下措施不在措施清单中，或不适用于该名单：{'、'.join(unknown)}", status=422,
            )  # fmt: skip
        # Only the measures the decision states follow from the entry, wherever it is checked:
        # those named, else those the list has for it now, which the decision states (R1, R10:
        # none added). None at all: it refers to the measures list, whatever it comes to hold.
        entry.stated_measures = named or following or None
        _name_linked_persons(entry)
        entry.save()
        if ruled_out:  # kept with the entry; the signature's event states it (one audit row)
            EntryNotRepairable.objects.create(entry=entry, reason=ruled_out, recorded_on=today)
        if definition.kind == ListKind.BLACK:
            _end_red_entries_of(entry, actor=actor, today=today)
        # The records of the decision's identity are repaired through the entry from now on
        # (R8): what remedies holds open on them ends with the signature, in its transaction.
        notifications.records_became_decisions.send(
            sender=ListEntry, entry_id=entry.pk, department_id=definition.recognizing_department_id,
            document_number=entry.decision_number_key, subject_id=entry.subject_id,
            actor=actor, today=today,
        )  # fmt: skip
        # The department named none: the decision states those the measures list has for this
        # list, and refers to the list only when it has none (R1, R10).
        named = named or following
        text = documents.decision_announcement(entry, named)
        announce(entry, Announcement.Kind.DECISION, text, today)
        # The measures stay with the decision, for any text that must state them later (R5).
        details = {
            "decision_document": documents.decision_document(entry, named, leniency),
            "measures": named,
        }
        if leniency is not None:
            details["leniency"] = {"grounds": leniency.grounds, "statement": leniency.statement}
        if ruled_out:
            details["not_repairable"] = {"reason": ruled_out}
        return details

    return transition(entry_id, Action.SIGN, actor=actor, version=version, apply=apply)
