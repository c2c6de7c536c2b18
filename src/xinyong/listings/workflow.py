"""The listing workflow as data: ``(state, action) → state``, each edge with its guard and clause.

Every change of an entry's state goes through :func:`transition`, which looks the edge up here,
runs its guard and answers the next state, or raises an error with a stable code. Services do
the rest (locking, dates, history, audit, announcements); nothing else decides what may happen.

Clauses: 001 §8 and 000 §六 (the listing procedure, R1), 000 §六 (cross-checks, R2),
000 §十 (exits, R4), 000 §十一.2 and 004 §二(四)6 (objections, R6), 000 §十一.3 (a wrong listing
corrected and the subject's reputation restored, R6; nothing is decided on a listing found
wrong, R3; a ruling that an entry is not repairable found wrong is lifted, R8, R10), R15
(time).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from xinyong.core.errors import XinyongError
from xinyong.listings.models import EntryState, ExitReason, ListKind


class Action(StrEnum):
    NOTIFY = "notify"
    START_PUBLICITY = "start_publicity"
    OBJECT = "object"
    UPHOLD = "uphold"  # verification found the listing right: the objection fails
    REJECT = "reject"  # verification found the listing wrong, or the decision is not to list
    END_PUBLICITY = "end_publicity"
    SIGN = "sign"
    WITHDRAW = "withdraw"
    EXIT = "exit"
    # Verification found wrong the listing of an entry that had already ended (by expiry, or by
    # the R2 cross-check) while the objection was verified: the record is corrected, the exit
    # stands (R6, 000 §十一.3). The platform takes the same step on an ended big-data warning
    # that a key-attention listing found wrong since had put on the list, and on ended key
    # monitoring whose black listing was found wrong since (R3).
    CORRECT = "correct"
    # The black listing that ended a red entry (R2) was found wrong: the red entry is in force
    # again (R6, 000 §十一.3), or, where it cannot be (its validity over, R4), its exit notice is
    # corrected.
    REINSTATE = "reinstate"
    AMEND_EXIT = "amend_exit"
    # The decision's ruling that the entry, especially serious, is not repairable (R8) was found
    # wrong (R10: the severity fits the behaviour): the recognizing department lifts it, and the
    # entry, still in force, takes repair again (000 §十一.3: a wrong grading corrected).
    LIFT_NOT_REPAIRABLE = "lift_not_repairable"
    # A person an organisation's entry names objected to being named, and verification found
    # the naming wrong (R6, 000 §十一.3, 004 §二(三)6): that naming alone is removed; the
    # organisation's listing stands and is not announced as wrong.
    UNNAME = "unname"


# What an officer sees an action called, in a refusal (the pages label them the same way).
ACTION_NAMES = {
    Action.NOTIFY: "告知当事人", Action.START_PUBLICITY: "开始公示", Action.OBJECT: "登记异议",
    Action.UPHOLD: "异议不成立，维持", Action.REJECT: "不予列入", Action.END_PUBLICITY: "公示期满",
    Action.SIGN: "签发决定", Action.WITHDRAW: "撤回", Action.EXIT: "移出",
    Action.CORRECT: "异议成立，予以更正", Action.REINSTATE: "恢复列入",
    Action.AMEND_EXIT: "更正移出原因", Action.LIFT_NOT_REPAIRABLE: "撤销不适用信用修复的认定",
    Action.UNNAME: "异议成立，移除所列人员",
}  # fmt: skip


@dataclass(frozen=True)
class Context:
    """What a guard may look at: the entry's facts, the business date and the request."""

    today: dt.date
    list_kind: str
    publicity_ends_on: dt.date | None = None
    publicity_ends_provisional: bool = False
    repairable: bool = True
    not_repairable_reason: str = ""  # the decision ruled out repair of this entry (R8)
    not_repairable_lifted_on: dt.date | None = None  # the day that ruling was lifted, if it was
    actor_can_sign: bool = False
    exit_reason: str = ""
    objection_open: bool = False  # the entry's own objection (R6)
    # The persons it names whose objection to being named is open (004 §二(三)6): each
    # disputes that naming only, verified beside the entry's own objection.
    naming_objections_open: frozenset[int] = frozenset()
    # Which objection the step is about: a person's objection to being named (its id), or,
    # with ``entry_objection``, the entry's own; neither said, the one open (``decided``).
    objector_person: int | None = None
    entry_objection: bool = False
    # A page asks what it may offer: a conclusion is offered while any objection it may decide
    # is open, and the officer then says which (``decided``).
    offering: bool = False
    valid_until: dt.date | None = None
    exited_as: str = ""  # the reason the entry ended for, once it has (not the one asked for)
    # The listing was found wrong already: it ended as corrected, or was corrected after an
    # exit of another kind (a ``correct`` step); read only where it matters (``Context.of``).
    found_wrong: bool = False
    # The day the listing a proposal follows from (key attention, R3) was found wrong, if it
    # was (``selectors.origin_found_wrong_on``); None for one standing, or with no origin.
    origin_found_wrong_on: dt.date | None = None
    system: bool = False  # the platform acts itself (set by ``transition``), not an officer

    @classmethod
    def of(
        cls, entry, *, today: dt.date, actor_can_sign: bool, exit_reason: str = "",
        origin_found_wrong_on: dt.date | None = None, objector_person: int | None = None,
        entry_objection: bool = False,
    ) -> Context:  # fmt: skip
        """What the guards see of a loaded entry (its list selected with it); what its origin
        came to is read by the caller, which knows whether it must hold it first. The open
        objections to being named are read from its naming rows (prefetched, or one query)."""
        lifted = entry.not_repairable_lifted
        naming_open = frozenset(n.person_id for n in entry.naming_objections)
        return cls(
            today=today, list_kind=entry.list.kind, publicity_ends_on=entry.publicity_ends_on,
            publicity_ends_provisional=entry.publicity_ends_provisional,
            repairable=entry.list.repairable, not_repairable_reason=entry.not_repairable_reason,
            not_repairable_lifted_on=lifted.lifted_on if lifted is not None else None,
            actor_can_sign=actor_can_sign,
            exit_reason=exit_reason, objection_open=entry.verification_due_on is not None,
            naming_objections_open=naming_open,
            objector_person=objector_person, entry_objection=entry_objection,
            valid_until=entry.valid_until, exited_as=entry.exit_reason,
            found_wrong=_found_wrong(entry, naming_open),
            origin_found_wrong_on=origin_found_wrong_on,
        )  # fmt: skip


def _found_wrong(entry, naming_open: frozenset[int]) -> bool:
    """Whether the listing of an ended entry was found wrong already (R6, 000 §十一.3): it
    ended as corrected, or a ``correct`` step followed its exit. The history is read only for
    an ended entry with a person's objection to being named still open, the one objection a
    correction can leave open (``answered_by_finding_wrong``)."""
    if entry.exit_reason == ExitReason.CORRECTED:
        return True
    return (
        entry.state == EntryState.EXITED
        and bool(naming_open)
        and entry.events.filter(action=Action.CORRECT).exists()
    )


Guard = Callable[[Context], None]


def _refuse(code: str, message: str, status: int = 409) -> None:
    raise XinyongError(code, message, status=status)


def publicity_has_ended(ctx: Context) -> None:
    """A candidate takes effect only after its full publicity period (001 §8: ≥ 20 working days)."""
    if ctx.publicity_ends_on is None or ctx.today <= ctx.publicity_ends_on:
        _refuse("publicity-not-ended", f"公示期未满（截止于 {ctx.publicity_ends_on}）")
    if ctx.publicity_ends_provisional:
        _refuse(
            "publicity-end-provisional",
            "公示截止日期所在年份的放假安排尚未发布，截止日期为暂定，暂不能生效",
        )


def signer_may_sign(ctx: Context) -> None:
    """A responsible officer signs the decision (001 §8)."""
    if not ctx.actor_can_sign:
        _refuse("signing-role-required", "需由具有签发权限的负责人签发", status=403)


def origin_stands(ctx: Context) -> None:
    """A black-list proposal the daily job made from key attention rests on that listing (R3,
    003 §四): found wrong since, it was never rightly made (R6, 000 §十一.3), and no black
    listing is decided on it. The department may still decide not to list, or withdraw the
    proposal, and propose anew on another basis."""
    found_on = ctx.origin_found_wrong_on
    if found_on is not None:
        _refuse(
            "origin-found-wrong",
            f"该提请所依据的重点关注名单列入已于 {found_on.isoformat()} 经核实有误，不能据此"
            "签发；可撤回或作出不予列入决定，如有其他事实和依据，可另行提请列入",
        )


def sign_guard(ctx: Context) -> None:
    signer_may_sign(ctx)
    origin_stands(ctx)
    publicity_has_ended(ctx)


# Which exits each kind of list allows (000 §十): black and key-attention entries end by
# correction, repair or expiry; red entries by correction, a report found true, blacklisting,
# the subject's own request or expiry.
EXIT_REASONS: dict[str, frozenset[str]] = {
    ListKind.BLACK: frozenset({ExitReason.CORRECTED, ExitReason.REPAIRED, ExitReason.EXPIRED}),
    ListKind.KEY_ATTENTION: frozenset(
        {ExitReason.CORRECTED, ExitReason.REPAIRED, ExitReason.EXPIRED}
    ),
    ListKind.RED: frozenset(
        {
            ExitReason.CORRECTED,
            ExitReason.REPORTED,
            ExitReason.BLACKLISTED,
            ExitReason.REQUESTED,
            ExitReason.EXPIRED,
        }
    ),
    ListKind.BIG_DATA_WARNING: frozenset(
        {ExitReason.CORRECTED, ExitReason.EXPIRED, ExitReason.CONDITION_NO_LONGER_MET}
    ),
    ListKind.KEY_MONITORING: frozenset({ExitReason.CORRECTED, ExitReason.EXPIRED}),
}

# An officer's exits that would end an objection being verified without answering it.
ENDS_AN_OBJECTION_UNANSWERED = frozenset(
    {ExitReason.REPAIRED, ExitReason.REQUESTED, ExitReason.REPORTED}
)

# Reasons only the platform gives: a red entry ends as blacklisted when, and because, a black
# entry of its subject takes effect (000 §六, R2). Given by hand it would announce a black
# listing that never happened. A big-data warning ends when its condition is no longer met,
# as the daily job works out (R3).
SYSTEM_EXIT_REASONS = frozenset({ExitReason.BLACKLISTED, ExitReason.CONDITION_NO_LONGER_MET})


def _refuse_after_validity(ctx: Context, what: str) -> None:
    """Refused when the entry's last day of validity is past: it ended by expiry the day after
    (R4), even if the daily job has not recorded it yet."""
    last = ctx.valid_until
    if last is not None and ctx.today > last:
        ended = last + dt.timedelta(days=1)
        _refuse("validity-ended", f"该记录有效期至 {last.isoformat()}，已于 {ended.isoformat()}"
                f" 届满移出（每日任务将予登记），不能再{what}")  # fmt: skip


def exit_reason_allowed(ctx: Context) -> None:
    """An entry ends only for a reason its list kind allows (000 §十; repair only if allowed);
    a red entry ends as blacklisted only by the platform's cross-check (000 §六). An entry past
    its last day of validity has already ended by expiry (R4): it ends for no other reason on a
    later day, which would also start key monitoring from the wrong day (R3)."""
    if ctx.exit_reason not in EXIT_REASONS.get(ctx.list_kind, frozenset()):
        known = ctx.exit_reason in ExitReason.values
        label = ExitReason(ctx.exit_reason).label if known else ctx.exit_reason
        _refuse("exit-reason-not-allowed", f"该类名单不能以“{label}”为由移出", status=422)
    if ctx.exit_reason in SYSTEM_EXIT_REASONS and not ctx.system:
        _refuse(
            "exit-reason-system-only",
            "移出原因“被列入严重失信主体名单”由平台在该主体列入严重失信主体名单时"
            "自动适用，不能手工选择",
            status=422,
        )
    if ctx.exit_reason == ExitReason.REPAIRED and not ctx.repairable:
        _refuse("not-repairable", "该名单不适用信用修复", status=422)
    if ctx.exit_reason == ExitReason.REPAIRED and ctx.not_repairable_reason:
        _refuse("not-repairable", "列入决定已认定该记录不适用信用修复（理由："
                f"{ctx.not_repairable_reason}），不能以信用修复为由移出", status=422)  # fmt: skip
    if (
        (ctx.objection_open or ctx.naming_objections_open)
        and ctx.exit_reason in ENDS_AN_OBJECTION_UNANSWERED
        and not ctx.system
    ):
        # The exit would end the objection being verified with no finding told to whoever
        # objected (R6): it is decided first. A correction is how an objection is found
        # founded; expiry and blacklisting end the entry as facts, and the objection is then
        # still decided on the exited entry (see the edges from EXITED).
        _refuse("objection-pending", "该名单记录有异议正在核实，请先办结异议")
    if ctx.exit_reason != ExitReason.EXPIRED:
        _refuse_after_validity(ctx, "以其他原因移出；请以“有效期届满”为由登记移出")
    elif ctx.valid_until is None or ctx.today <= ctx.valid_until:
        # Expiry is a fact of the calendar, not a choice: an entry ends by it the day after its
        # last day of validity (the daily job does this itself), never before, and never when
        # it has no term. An early end is a correction or a repair, which leave their traces.
        until = ctx.valid_until.isoformat() if ctx.valid_until else "长期"
        _refuse("validity-not-ended", f"有效期（至 {until}）未届满，不能以有效期届满为由移出",
                status=422)  # fmt: skip


def no_objection_open(ctx: Context) -> None:
    """One objection at a time is under verification (R6): of the entry's own, or, for a
    person it names objecting to being named (``objector_person``), of that person's."""
    if ctx.objector_person is not None:
        if ctx.objector_person in ctx.naming_objections_open:
            _refuse(
                "naming-objection-pending",
                "该人员对被列为所列人员提出的异议正在核实，核实结束前不能再次提出",
            )
    elif ctx.objection_open:
        _refuse("objection-pending", "已有异议正在核实")


def objection_in_force(ctx: Context) -> None:
    """An objection to an effective entry: one at a time of each kind (R6), the entry's own
    and each named person's to being named, side by side; and only while the entry is in
    force: past its last day it has ended by expiry (R4). One open then is still decided."""
    no_objection_open(ctx)
    _refuse_after_validity(ctx, "对其提出异议")


def decided(ctx: Context) -> int | None:
    """The objection a conclusion decides: ``None`` for the entry's own, else the id of the
    person whose objection to being named it is (R6, 004 §二(三)6). Said by the officer
    (``entry_objection``, ``objector_person``), or the only one open; with several open and
    none said, the step is refused as ambiguous, as is one about an objection not open."""
    if ctx.entry_objection:
        if not ctx.objection_open:
            _refuse("no-objection-pending", "没有正在核实的异议")
        return None
    if ctx.objector_person is not None:
        if ctx.objector_person not in ctx.naming_objections_open:
            _refuse("no-naming-objection-pending", "该人员没有正在核实的对被列为所列人员的异议")
        return ctx.objector_person
    open_ = ([None] if ctx.objection_open else []) + sorted(ctx.naming_objections_open)
    if not open_:
        _refuse("no-objection-pending", "没有正在核实的异议")
    if len(open_) > 1 and not ctx.offering:
        _refuse(
            "objection-ambiguous",
            "该记录有多项异议正在核实（本记录的异议及所列人员对被列明提出的异议），"
            "请指明办结哪一项异议",
            status=422,
        )
    return open_[0]


def objection_open(ctx: Context) -> None:
    """A verification concludes an objection that is open (R6): the one the officer says
    (``decided``)."""
    decided(ctx)


def naming_objection_open(ctx: Context) -> None:
    """A person's objection to being named, found founded, removes that naming (R6, 000
    §十一.3, 004 §二(三)6): only while such an objection is open, the person's said where
    several are (``naming-objection-ambiguous``)."""
    if ctx.entry_objection:
        _refuse("no-naming-objection-pending", "没有正在核实的所列人员异议")
    if ctx.objector_person is not None:
        decided(ctx)
        return
    if not ctx.naming_objections_open:
        _refuse("no-naming-objection-pending", "没有正在核实的所列人员异议")
    if len(ctx.naming_objections_open) > 1 and not ctx.offering:
        _refuse(
            "naming-objection-ambiguous",
            "该记录有多名所列人员的异议正在核实，请指明办结哪一名人员的异议",
            status=422,
        )


def decided_naming(ctx: Context) -> int:
    """The person whose objection to being named an ``unname`` step decides, once its guard
    passed."""
    if ctx.objector_person is not None:
        return ctx.objector_person
    return min(ctx.naming_objections_open)


def answered_by_finding_wrong(ctx: Context) -> int | bool | None:
    """What a finding that the listing is wrong at an exit as corrected answers (R6, 000
    §十一.3): the entry's own objection (``None``) where one is open; else the one person's
    objection to being named open (its id); else nothing (``False``): with several persons'
    open, each is decided on its own (``uphold``, ``unname``), on the ended entry as on one in
    force. A ``correct`` step after the exit decides the one its officer says
    (``decided_by_correction``)."""
    if ctx.objection_open:
        return None
    if len(ctx.naming_objections_open) == 1:
        return next(iter(ctx.naming_objections_open))
    return False


def decided_by_correction(ctx: Context) -> int | None:
    """The objection an officer's ``correct`` step decides, finding the listing of an ended
    entry wrong (R6, 000 §十一.3): the one the officer says, or, none said, the only one a
    correction may decide; with several it may decide and none said, refused as ambiguous
    (``decided``).

    The entry's own objection disputes the listing itself, and a finding that it is wrong
    answers it: while it is open, it is the only one a correction may decide, and the one
    decided when none is said, as the office's form offers it alone. A person's objection to
    being named said instead is refused, as the entry's own would be left to be answered on a
    listing already corrected, which a listing found wrong never is again
    (``objection_open_or_derived_entry_undone``). The person's is answered after the
    correction, by an uphold or by removing the naming. With the entry's own not open, the
    persons' may each be decided by a correction: one open is decided unsaid, several are
    named."""
    if ctx.objector_person is not None and ctx.objection_open:
        _refuse(
            "correction-answers-entry-objection",
            "本记录的异议正在核实：认定列入有误即答复该异议，请指明办结本记录的异议；所列人员"
            f"对被列明提出的异议随后以“{ACTION_NAMES[Action.UPHOLD]}”或"
            f"“{ACTION_NAMES[Action.UNNAME]}”办结",
            status=422,
        )
    if ctx.objection_open and ctx.objector_person is None:
        return None  # the entry's own, said or not: the only one a correction may decide
    return decided(ctx)


# The lists the platform derives from other listings alone (R3): a listing they rested on
# found wrong after they ended is a finding on them too.
DERIVED_FROM_LISTINGS = frozenset({ListKind.BIG_DATA_WARNING, ListKind.KEY_MONITORING})


def objection_open_or_derived_entry_undone(ctx: Context) -> None:
    """An ended entry is corrected on the objection open when it ended (R6); with none, only by
    the platform, and only on a list it derives from listings alone: a big-data warning, from
    key-attention listings (003 §四; ``tick.big_data_warnings``), and key monitoring, from
    black-list exits (002 §二十一; ``services.exits``), so a listing that put it there found
    wrong after it ended is a finding on it too (R3). Any other listing is its department's to
    find wrong.

    A listing found wrong is corrected once (000 §十一.3: one correction announced, one apology):
    a person's objection to being named left open by that finding is answered by an uphold or
    by removing the naming (``naming_objection_open``), never by correcting it again."""
    if ctx.found_wrong:
        _refuse(
            "listing-already-corrected",
            "该名单记录已经核实更正，不能再次更正；所列人员对被列入提出的异议，请以"
            f"“{ACTION_NAMES[Action.UPHOLD]}”或“{ACTION_NAMES[Action.UNNAME]}”办结",
        )
    if (
        ctx.system
        and ctx.list_kind in DERIVED_FROM_LISTINGS
        and not (ctx.objection_open or ctx.naming_objections_open)
    ):
        return
    if not (ctx.objection_open or ctx.naming_objections_open):
        _refuse("no-objection-pending", "没有正在核实的异议")


def ended_as_blacklisted(ctx: Context) -> None:
    """Only an exit the R2 cross-check gave rests on a black listing (000 §六)."""
    if ctx.exited_as != ExitReason.BLACKLISTED:
        _refuse("not-ended-as-blacklisted", "该记录并非因列入严重失信主体名单而移出")


def reinstatable(ctx: Context) -> None:
    """A red entry ended by a black listing found wrong is in force again (R6, 000 §十一.3), but
    only within its validity, through its last day: past it, it would have ended by expiry
    anyway (R4)."""
    ended_as_blacklisted(ctx)
    _refuse_after_validity(ctx, "恢复列入")


def not_repairable_liftable(ctx: Context) -> None:
    """A ruling that the entry is not repairable (R8) found wrong, as not fitting the behaviour
    (R10), is lifted by the recognizing department (000 §十一.3: a wrong grading corrected):
    by a responsible officer, as the ruling was decided with the signature (001 §8); only a
    ruling that stands, lifted once; and only while the entry is in force: past its last day it
    has ended by expiry (R4), and there is nothing left to repair."""
    signer_may_sign(ctx)
    if ctx.not_repairable_lifted_on is not None:
        _refuse(
            "not-repairable-already-lifted",
            f"该记录不适用信用修复的认定已于 {ctx.not_repairable_lifted_on.isoformat()} 撤销",
        )
    if not ctx.not_repairable_reason:
        _refuse("not-repairable-not-ruled", "列入决定未认定该记录不适用信用修复，无需撤销")
    _refuse_after_validity(ctx, "撤销不适用信用修复的认定")


def always(ctx: Context) -> None:
    """No condition beyond the state itself."""


@dataclass(frozen=True)
class Edge:
    source: str
    action: Action
    target: str
    clause: str
    guard: Guard = always
    system_only: bool = False


S = EntryState
EDGES: tuple[Edge, ...] = (
    Edge(S.DRAFT, Action.NOTIFY, S.NOTIFIED, "001 §8: tell the subject the reasons, basis and rights"),
    Edge(S.DRAFT, Action.WITHDRAW, S.WITHDRAWN, "001 §8: the department decides not to list"),
    Edge(S.NOTIFIED, Action.START_PUBLICITY, S.IN_PUBLICITY, "001 §8: publicize ≥ 20 working days"),
    Edge(S.NOTIFIED, Action.WITHDRAW, S.WITHDRAWN, "001 §8: the department decides not to list"),
    Edge(S.IN_PUBLICITY, Action.OBJECT, S.UNDER_VERIFICATION, "001 §8, R6: an objection is verified first"),
    Edge(S.IN_PUBLICITY, Action.END_PUBLICITY, S.AWAITING_SIGNATURE, "001 §8: no objection, publicity over",
         guard=publicity_has_ended, system_only=True),
    Edge(S.IN_PUBLICITY, Action.WITHDRAW, S.WITHDRAWN, "001 §8: the department decides not to list"),
    Edge(S.UNDER_VERIFICATION, Action.UPHOLD, S.IN_PUBLICITY, "R6: the objection fails; publicity resumes"),
    Edge(S.UNDER_VERIFICATION, Action.REJECT, S.REJECTED, "R6, 000 §十一.2: the objection is founded"),
    Edge(S.AWAITING_SIGNATURE, Action.SIGN, S.EFFECTIVE, "001 §8: a responsible officer signs; R3, R6, 000 §十一.3: never on a key-attention listing found wrong",
         guard=sign_guard),
    Edge(S.AWAITING_SIGNATURE, Action.OBJECT, S.UNDER_VERIFICATION, "R6: an objection before the decision"),
    Edge(S.AWAITING_SIGNATURE, Action.REJECT, S.REJECTED, "001 §8: the meeting decides not to list"),
    Edge(S.EFFECTIVE, Action.OBJECT, S.EFFECTIVE, "R6, 002 §二十七: the listed subject objects; measures suspended while verified where the list says so",
         guard=objection_in_force),
    Edge(S.EFFECTIVE, Action.UPHOLD, S.EFFECTIVE, "R6: the objection is unfounded; suspended measures resume",
         guard=objection_open),
    Edge(S.EFFECTIVE, Action.EXIT, S.EXITED, "000 §十: correction, repair, request, blacklisting, expiry",
         guard=exit_reason_allowed),
    Edge(S.EFFECTIVE, Action.LIFT_NOT_REPAIRABLE, S.EFFECTIVE, "R8, R10, 000 §十一.3: a ruling that the entry is not repairable found wrong is lifted by a signing officer; repair open again, the correction announced",
         guard=not_repairable_liftable),
    Edge(S.EFFECTIVE, Action.UNNAME, S.EFFECTIVE, "R6, 000 §十一.3, 004 §二(三)6: a named person's objection to being named is founded; that naming is removed, the listing stands",
         guard=naming_objection_open),
    # An objection being verified when the entry ended by expiry or by the R2 cross-check (the
    # only exits an open objection lets through without deciding it) keeps its deadline and
    # is still answered; the exit stands as the rule gave it, and measures stay stopped.
    Edge(S.EXITED, Action.UPHOLD, S.EXITED, "R6, 002 §二十七: the objection is unfounded; the objector is told with its remedies",
         guard=objection_open),
    Edge(S.EXITED, Action.CORRECT, S.EXITED, "R6, 000 §十一.3: the objection is founded; the listing is corrected in public, with a written apology",
         guard=objection_open_or_derived_entry_undone),
    Edge(S.EXITED, Action.UNNAME, S.EXITED, "R6, 000 §十一.3, 004 §二(三)6: a named person's objection, open when the entry ended, is founded; that naming is removed",
         guard=naming_objection_open),
    # The black listing that ended a red entry (R2) was found wrong, while in force or after
    # its exit: the platform restores the red entry, or corrects its exit notice once its
    # validity is over (``services.restoration``).
    Edge(S.EXITED, Action.REINSTATE, S.EFFECTIVE, "R2, R6, 000 §十一.3: the blacklisting that ended it was found wrong; in force again, announced",
         guard=reinstatable, system_only=True),
    Edge(S.EXITED, Action.AMEND_EXIT, S.EXITED, "R4, R6, 000 §十一.3: the blacklisting its exit cited was found wrong; the exit notice is corrected",
         guard=ended_as_blacklisted, system_only=True),
)  # fmt: skip

TABLE: dict[tuple[str, Action], Edge] = {(e.source, e.action): e for e in EDGES}
FINAL_STATES = frozenset({S.REJECTED, S.WITHDRAWN, S.EXITED})
# Where an objection can be open: wherever one can be concluded as unfounded (a candidacy under
# verification, an effective entry, and one that ended while it was verified). Deadlines are
# counted, and the worklist and the daily job show them, in these states (R6, R15).
OBJECTION_OPEN_STATES = frozenset(e.source for e in EDGES if e.action == Action.UPHOLD)


def allowed_actions(state: str, *, system: bool = False) -> list[Action]:
    """The actions an officer (or the daily job) may take on an entry in ``state`` now."""
    return [e.action for e in EDGES if e.source == state and (system or not e.system_only)]


def _passes(guard: Guard, ctx: Context) -> bool:
    try:
        guard(ctx)
    except XinyongError:
        return False
    return True


def exit_reasons(ctx: Context) -> list[str]:
    """The reasons an entry could end for today, in the order of ``ExitReason``."""
    allowed = EXIT_REASONS.get(ctx.list_kind, frozenset())
    return [
        reason
        for reason in ExitReason.values
        if reason in allowed and _passes(exit_reason_allowed, replace(ctx, exit_reason=reason))
    ]


def possible_actions(state: str, ctx: Context) -> list[Action]:
    """The actions an officer may take now that their guards would let through: what a page
    offers, so that no button is shown that can only be refused (an exit needs one reason)."""
    possible = []
    for edge in EDGES:
        if edge.source != state or edge.system_only:
            continue
        if edge.action == Action.EXIT:
            if exit_reasons(ctx):
                possible.append(edge.action)
        elif _passes(edge.guard, replace(ctx, offering=True)):
            possible.append(edge.action)
    return possible


def transition(state: str, action: Action | str, ctx: Context, *, system: bool = False) -> Edge:
    """The edge for ``action`` from ``state`` after its guard passed; a refusal otherwise."""
    try:
        action = Action(action)
    except ValueError:
        raise XinyongError("unknown-action", f"未知操作：{action}", status=422) from None
    edge = TABLE.get((state, action))
    if edge is None:
        label = EntryState(state).label if state in EntryState.values else state
        raise XinyongError(
            "transition-not-allowed",
            f"当前状态（{label}）下不能执行该操作：{ACTION_NAMES.get(action, action)}", status=409,
            state=state, action=str(action),
        )  # fmt: skip
    if edge.system_only and not system:
        raise XinyongError(
            "system-action", "该操作由每日任务自动执行", status=409, action=str(action)
        )
    edge.guard(replace(ctx, system=system))
    return edge
