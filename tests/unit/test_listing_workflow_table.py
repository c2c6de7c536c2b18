"""The transition table: every edge, every refused edge, every guard (R1, R2, R4, R6, 001 §8)."""

import datetime as dt
import itertools
from dataclasses import replace

import pytest

from xinyong.core.errors import XinyongError
from xinyong.listings.models import EntryState, ExitReason, ListKind
from xinyong.listings.workflow import (
    EDGES,
    EXIT_REASONS,
    FINAL_STATES,
    SYSTEM_EXIT_REASONS,
    TABLE,
    Action,
    Context,
    allowed_actions,
    decided_by_correction,
    exit_reasons,
    naming_objection_open,
    objection_open,
    objection_open_or_derived_entry_undone,
    possible_actions,
    transition,
)

TODAY = dt.date(2026, 10, 27)


def context(**overrides) -> Context:
    base = dict(
        today=TODAY,
        list_kind=ListKind.BLACK,
        publicity_ends_on=dt.date(2026, 10, 26),
        actor_can_sign=True,
        exit_reason=ExitReason.EXPIRED,
        valid_until=TODAY - dt.timedelta(days=1),
    )
    return Context(**{**base, **overrides})


@pytest.mark.parametrize("edge", EDGES, ids=lambda e: f"{e.source}-{e.action}")
def test_every_edge_leads_where_the_table_says(edge):
    # An exit for expiry needs the last day past; every other step, the entry still in force.
    last_day = TODAY - dt.timedelta(days=1) if edge.action == Action.EXIT else TODAY
    ctx = context(
        objection_open=edge.guard in (objection_open, objection_open_or_derived_entry_undone),
        naming_objections_open=frozenset({7} if edge.guard is naming_objection_open else ()),
        valid_until=last_day,
        exited_as=ExitReason.BLACKLISTED,
        not_repairable_reason="情节特别严重",  # a ruling there is to lift
    )  # fmt: skip
    assert transition(edge.source, edge.action, ctx, system=True) is edge
    assert edge.clause  # every edge names the clause it implements


REFUSED = [
    (state, action)
    for state, action in itertools.product(EntryState.values, Action)
    if (state, action) not in TABLE
]


@pytest.mark.parametrize(("state", "action"), REFUSED)
def test_every_other_pair_is_refused(state, action):
    with pytest.raises(XinyongError) as refused:
        transition(state, action, context(), system=True)
    assert refused.value.code == "transition-not-allowed"
    assert refused.value.status == 409


def test_final_states_have_no_way_out():
    """No officer's edge leaves a final state; an exited entry only answers an objection that
    was being verified when it ended (R6), and stays exited. The platform alone puts back a red
    entry whose blacklisting was found wrong, or corrects its exit notice (R2, R6)."""
    for state in FINAL_STATES:
        assert all(TABLE[(state, action)].target == state for action in allowed_actions(state))
    assert allowed_actions(EntryState.REJECTED, system=True) == []
    assert allowed_actions(EntryState.WITHDRAWN, system=True) == []
    assert allowed_actions(EntryState.EXITED) == [Action.UPHOLD, Action.CORRECT, Action.UNNAME]
    assert allowed_actions(EntryState.EXITED, system=True) == [
        Action.UPHOLD, Action.CORRECT, Action.UNNAME, Action.REINSTATE, Action.AMEND_EXIT,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("last_day", "allowed"),
    [
        (TODAY, True),  # in force through its last day (R4)
        (TODAY + dt.timedelta(days=30), True),
        (None, True),  # no term
        (TODAY - dt.timedelta(days=1), False),  # ended by expiry today
    ],
)
def test_a_red_entry_ended_by_a_wrong_blacklisting_is_reinstated_within_its_validity(
    last_day, allowed
):
    """R2, R6, 000 §十一.3: reinstated while its validity runs, through its last day; past it,
    its exit notice is corrected instead."""
    ctx = context(list_kind=ListKind.RED, exited_as=ExitReason.BLACKLISTED, valid_until=last_day)
    amended = transition(EntryState.EXITED, Action.AMEND_EXIT, ctx, system=True)
    assert amended.target == EntryState.EXITED
    if allowed:
        edge = transition(EntryState.EXITED, Action.REINSTATE, ctx, system=True)
        assert edge.target == EntryState.EFFECTIVE
        return
    with pytest.raises(XinyongError) as refused:
        transition(EntryState.EXITED, Action.REINSTATE, ctx, system=True)
    assert refused.value.code == "validity-ended"


@pytest.mark.parametrize("exited_as", [r for r in ExitReason.values if r != ExitReason.BLACKLISTED])
@pytest.mark.parametrize("action", [Action.REINSTATE, Action.AMEND_EXIT])
def test_only_an_exit_as_blacklisted_is_undone_and_only_by_the_platform(exited_as, action):
    ctx = context(list_kind=ListKind.RED, exited_as=exited_as, valid_until=TODAY)
    with pytest.raises(XinyongError) as refused:
        transition(EntryState.EXITED, action, ctx, system=True)
    assert refused.value.code == "not-ended-as-blacklisted"
    blacklisted = context(list_kind=ListKind.RED, exited_as=ExitReason.BLACKLISTED)
    with pytest.raises(XinyongError) as by_hand:
        transition(EntryState.EXITED, action, blacklisted)
    assert by_hand.value.code == "system-action"


def test_an_exited_entry_answers_only_an_open_objection():
    """Past its validity and with its exit given, the entry takes no new objection, but one
    open when it ended is concluded either way (R4, R6)."""
    for action in (Action.UPHOLD, Action.CORRECT):
        with pytest.raises(XinyongError, match="no-objection-pending"):
            transition(EntryState.EXITED, action, context(objection_open=False))
        edge = transition(EntryState.EXITED, action, context(objection_open=True))
        assert edge.target == EntryState.EXITED
    for action in (Action.OBJECT, Action.EXIT):
        with pytest.raises(XinyongError, match="transition-not-allowed"):
            transition(EntryState.EXITED, action, context(objection_open=True))


def test_ending_publicity_belongs_to_the_daily_job():
    assert Action.END_PUBLICITY not in allowed_actions(EntryState.IN_PUBLICITY)
    with pytest.raises(XinyongError, match="system-action"):
        transition(EntryState.IN_PUBLICITY, Action.END_PUBLICITY, context())


@pytest.mark.parametrize(
    ("today", "allowed"),
    [
        (dt.date(2026, 10, 26), False),  # the last day of publicity still belongs to it
        (dt.date(2026, 10, 27), True),
    ],
)
def test_nothing_takes_effect_before_publicity_ends(today, allowed):
    ctx = context(today=today)
    if allowed:
        assert transition(EntryState.AWAITING_SIGNATURE, Action.SIGN, ctx).target == "effective"
    else:
        with pytest.raises(XinyongError, match="publicity-not-ended"):
            transition(EntryState.AWAITING_SIGNATURE, Action.SIGN, ctx)


def test_a_provisional_publicity_end_blocks_signature():
    ctx = context(publicity_ends_provisional=True)
    with pytest.raises(XinyongError, match="publicity-end-provisional"):
        transition(EntryState.AWAITING_SIGNATURE, Action.SIGN, ctx)


def test_only_a_signing_officer_signs():
    with pytest.raises(XinyongError) as refused:
        transition(EntryState.AWAITING_SIGNATURE, Action.SIGN, context(actor_can_sign=False))
    assert (refused.value.code, refused.value.status) == ("signing-role-required", 403)


def test_a_proposal_resting_on_a_listing_found_wrong_is_not_signed():
    """R3, R6, 000 §十一.3: a black-list proposal from key attention found wrong since rests on
    nothing; the refusal says when it was found wrong and what the department may do, and the
    department can still decide not to list it (or withdraw it before the signature stage)."""
    found_wrong = context(origin_found_wrong_on=dt.date(2026, 10, 20))
    with pytest.raises(XinyongError) as refused:
        transition(EntryState.AWAITING_SIGNATURE, Action.SIGN, found_wrong)
    assert (refused.value.code, refused.value.status) == ("origin-found-wrong", 409)
    assert "2026-10-20" in refused.value.message and "经核实有误" in refused.value.message
    assert "撤回" in refused.value.message and "不予列入" in refused.value.message
    assert possible_actions(EntryState.AWAITING_SIGNATURE, found_wrong) == [
        Action.OBJECT, Action.REJECT,
    ]  # fmt: skip
    assert Action.WITHDRAW in possible_actions(EntryState.IN_PUBLICITY, found_wrong)
    standing = context(origin_found_wrong_on=None)
    assert transition(EntryState.AWAITING_SIGNATURE, Action.SIGN, standing).target == "effective"


@pytest.mark.parametrize(
    ("kind", "reason"),
    [(kind, reason) for kind in EXIT_REASONS for reason in ExitReason.values],
)
def test_exit_reasons_follow_the_list_kind(kind, reason):
    """Red lists end on request or blacklisting; black lists never do (000 §十). Asked by the
    platform itself, so that the reasons only it gives are allowed where the kind allows them."""
    last_day = TODAY - dt.timedelta(days=1) if reason == ExitReason.EXPIRED else TODAY
    ctx = context(list_kind=kind, exit_reason=reason, valid_until=last_day)
    if reason in EXIT_REASONS[kind]:
        edge = transition(EntryState.EFFECTIVE, Action.EXIT, ctx, system=True)
        assert edge.target == EntryState.EXITED
    else:
        with pytest.raises(XinyongError, match="exit-reason-not-allowed"):
            transition(EntryState.EFFECTIVE, Action.EXIT, ctx, system=True)


def test_only_the_platform_ends_a_red_entry_as_blacklisted():
    """The cross-check ends it when a black entry takes effect (000 §六); an officer choosing
    the reason by hand is refused, and it is never offered (R2, R4)."""
    ctx = context(list_kind=ListKind.RED, exit_reason=ExitReason.BLACKLISTED, valid_until=TODAY)
    with pytest.raises(XinyongError) as refused:
        transition(EntryState.EFFECTIVE, Action.EXIT, ctx)
    assert (refused.value.code, refused.value.status) == ("exit-reason-system-only", 422)
    assert "被列入严重失信主体名单" in refused.value.message
    assert transition(EntryState.EFFECTIVE, Action.EXIT, ctx, system=True).target == "exited"
    assert ExitReason.BLACKLISTED in SYSTEM_EXIT_REASONS
    offered = exit_reasons(context(list_kind=ListKind.RED, valid_until=TODAY))
    assert ExitReason.BLACKLISTED not in offered and ExitReason.REQUESTED in offered


def test_repair_needs_a_repairable_list():
    ctx = context(exit_reason=ExitReason.REPAIRED, repairable=False)
    with pytest.raises(XinyongError, match="not-repairable"):
        transition(EntryState.EFFECTIVE, Action.EXIT, ctx)


def test_repair_needs_an_entry_not_decided_non_repairable():
    """R8: especially serious entries may be non-repairable, on a list that allows repair; the
    refusal gives the decision's reason, and the other exits stay open."""
    ruled_out = context(valid_until=TODAY, not_repairable_reason="情节特别严重")
    repaired = context(
        valid_until=TODAY, not_repairable_reason="情节特别严重", exit_reason=ExitReason.REPAIRED
    )
    with pytest.raises(XinyongError) as refused:
        transition(EntryState.EFFECTIVE, Action.EXIT, repaired)
    assert (refused.value.code, refused.value.status) == ("not-repairable", 422)
    assert "情节特别严重" in refused.value.message
    assert exit_reasons(ruled_out) == [ExitReason.CORRECTED]
    assert ExitReason.REPAIRED in exit_reasons(context(valid_until=TODAY))


def test_unknown_actions_are_a_clear_error():
    with pytest.raises(XinyongError, match="unknown-action"):
        transition(EntryState.DRAFT, "approve", context())


def test_one_objection_at_a_time_against_an_effective_entry():
    with pytest.raises(XinyongError, match="objection-pending"):
        transition(EntryState.EFFECTIVE, Action.OBJECT, context(objection_open=True))
    with pytest.raises(XinyongError, match="no-objection-pending"):
        transition(EntryState.EFFECTIVE, Action.UPHOLD, context(objection_open=False))


@pytest.mark.parametrize(
    ("valid_until", "refused"),
    [(TODAY - dt.timedelta(days=1), False), (TODAY, True), (TODAY + dt.timedelta(days=200), True),
     (None, True)],
)  # fmt: skip
def test_expiry_is_a_reason_only_after_the_last_day_of_validity(valid_until, refused):
    """Valid until yesterday: it may exit as expired today; on its last day, before it, or with
    no term, expiry is refused and an early end must be a correction or a repair (R4)."""
    ctx = context(valid_until=valid_until)
    if refused:
        with pytest.raises(XinyongError) as error:
            transition(EntryState.EFFECTIVE, Action.EXIT, ctx)
        assert (error.value.code, error.value.status) == ("validity-not-ended", 422)
    else:
        assert transition(EntryState.EFFECTIVE, Action.EXIT, ctx).target == EntryState.EXITED
    if refused:  # still in force: an early end is a correction or a repair
        early = context(valid_until=valid_until, exit_reason=ExitReason.CORRECTED)
        assert transition(EntryState.EFFECTIVE, Action.EXIT, early).target == EntryState.EXITED


@pytest.mark.parametrize(
    ("last_day", "refused"),
    [
        (TODAY, False),  # in force through its last day (R4)
        (TODAY - dt.timedelta(days=1), True),  # ended by expiry today, recorded or not
        (None, False),  # no term
    ],
)
@pytest.mark.parametrize(
    ("action", "reason"),
    [
        (Action.EXIT, ExitReason.CORRECTED),
        (Action.EXIT, ExitReason.REPAIRED),
        (Action.OBJECT, ""),
    ],
)
def test_an_entry_past_its_last_day_ends_by_expiry_and_by_nothing_else(
    last_day, refused, action, reason
):
    """Past its last day an entry has already ended by expiry (R4): an early exit for another
    reason would date the exit, and key monitoring after a black list (R3), from the wrong
    day, and an objection would suspend measures that no longer apply (R6)."""
    ctx = context(valid_until=last_day, exit_reason=reason)
    if not refused:
        transition(EntryState.EFFECTIVE, action, ctx)
        return
    with pytest.raises(XinyongError) as refusal:
        transition(EntryState.EFFECTIVE, action, ctx)
    assert refusal.value.code == "validity-ended"
    assert "2026-10-26" in refusal.value.message and "2026-10-27" in refusal.value.message
    assert exit_reasons(ctx) == [ExitReason.EXPIRED]  # all an officer is offered


@pytest.mark.parametrize(
    ("reason", "refused"),
    [
        (ExitReason.REPAIRED, True),
        (ExitReason.REQUESTED, True),
        (ExitReason.REPORTED, True),
        (ExitReason.CORRECTED, False),  # how an objection is found founded
    ],
)
def test_an_officers_exit_does_not_end_an_objection_unanswered(reason, refused):
    """R6: the objection being verified is decided first, and its objector told the finding."""
    kind = ListKind.RED if reason in (ExitReason.REQUESTED, ExitReason.REPORTED) else ListKind.BLACK
    ctx = context(list_kind=kind, exit_reason=reason, valid_until=TODAY, objection_open=True)
    if not refused:
        assert transition(EntryState.EFFECTIVE, Action.EXIT, ctx).target == EntryState.EXITED
        return
    with pytest.raises(XinyongError) as refusal:
        transition(EntryState.EFFECTIVE, Action.EXIT, ctx)
    assert refusal.value.code == "objection-pending"
    assert reason not in exit_reasons(ctx)


@pytest.mark.parametrize(
    ("kind", "system", "allowed"),
    [
        (ListKind.BIG_DATA_WARNING, True, True),  # the platform, on a list it derives
        (ListKind.KEY_MONITORING, True, True),  # the platform, with the black listing's finding
        (ListKind.BIG_DATA_WARNING, False, False),  # an officer answers an objection only
        (ListKind.KEY_MONITORING, False, False),
        (ListKind.KEY_ATTENTION, True, False),  # a listing a department made is its own
        (ListKind.BLACK, True, False),
    ],
)
def test_only_the_platform_corrects_an_ended_derived_entry_with_no_objection(kind, system, allowed):
    """R3, R6: the platform corrects an ended big-data warning or key monitoring with no
    objection open, when a listing it rested on is found wrong; nothing else is corrected
    without an objection to answer."""
    ctx = context(list_kind=kind, exited_as=ExitReason.EXPIRED)
    if allowed:
        edge = transition(EntryState.EXITED, Action.CORRECT, ctx, system=system)
        assert edge.target == EntryState.EXITED
        return
    with pytest.raises(XinyongError) as refused:
        transition(EntryState.EXITED, Action.CORRECT, ctx, system=system)
    assert refused.value.code == "no-objection-pending"


def test_a_signing_officer_lifts_a_standing_ruling_on_an_entry_in_force():
    """R8, R10, 000 §十一.3: a ruling that an entry is not repairable, found wrong, is lifted by
    a responsible officer while the entry is in force: a step of its own that leaves the entry
    effective, offered only where it can succeed."""
    edge = TABLE[(EntryState.EFFECTIVE, Action.LIFT_NOT_REPAIRABLE)]
    assert (edge.target, edge.system_only) == (EntryState.EFFECTIVE, False)
    assert "R8" in edge.clause and "000 §十一.3" in edge.clause
    assert Action.LIFT_NOT_REPAIRABLE in allowed_actions(EntryState.EFFECTIVE)
    ruled = context(valid_until=TODAY, not_repairable_reason="情节特别严重")
    assert transition(EntryState.EFFECTIVE, Action.LIFT_NOT_REPAIRABLE, ruled) is edge
    assert Action.LIFT_NOT_REPAIRABLE in possible_actions(EntryState.EFFECTIVE, ruled)
    for state in set(EntryState.values) - {EntryState.EFFECTIVE}:
        with pytest.raises(XinyongError) as refused:
            transition(state, Action.LIFT_NOT_REPAIRABLE, ruled)
        assert refused.value.code == "transition-not-allowed"


@pytest.mark.parametrize(
    ("overrides", "code", "status"),
    [
        ({"actor_can_sign": False}, "signing-role-required", 403),
        ({"not_repairable_reason": ""}, "not-repairable-not-ruled", 409),
        ({"not_repairable_reason": "", "not_repairable_lifted_on": dt.date(2026, 10, 20)},
         "not-repairable-already-lifted", 409),
        ({"valid_until": TODAY - dt.timedelta(days=1)}, "validity-ended", 409),
    ],
    ids=["no signing right", "no ruling", "already lifted", "past its last day"],
)  # fmt: skip
def test_a_lifting_is_refused_where_it_cannot_be(overrides, code, status):
    ctx = context(**{"valid_until": TODAY, "not_repairable_reason": "情节特别严重", **overrides})
    with pytest.raises(XinyongError) as refused:
        transition(EntryState.EFFECTIVE, Action.LIFT_NOT_REPAIRABLE, ctx)
    assert (refused.value.code, refused.value.status) == (code, status)
    assert Action.LIFT_NOT_REPAIRABLE not in possible_actions(EntryState.EFFECTIVE, ctx)
    if code == "not-repairable-already-lifted":
        assert "2026-10-20" in refused.value.message


@pytest.mark.parametrize("state", [EntryState.EFFECTIVE, EntryState.EXITED])
def test_a_naming_is_removed_only_on_a_named_persons_objection(state):
    """The founded outcome of a named person's objection to being named removes that naming
    (R6, 000 §十一.3, 004 §二(三)6): refused with no such objection open, even with the
    entry's own objection open, which is decided on the listing itself."""
    for ctx in (context(), context(objection_open=True)):
        with pytest.raises(XinyongError) as refused:
            transition(state, Action.UNNAME, ctx)
        assert refused.value.code == "no-naming-objection-pending"
    ctx = context(objection_open=True, naming_objections_open=frozenset({7}))
    assert transition(state, Action.UNNAME, ctx).target == state
    # Several persons' open: whose is said, or the step is refused as ambiguous.
    several = context(naming_objections_open=frozenset({7, 8}))
    with pytest.raises(XinyongError) as refused:
        transition(state, Action.UNNAME, several)
    assert refused.value.code == "naming-objection-ambiguous"
    assert transition(state, Action.UNNAME, replace(several, objector_person=8)).target == state
    with pytest.raises(XinyongError) as refused:
        transition(state, Action.UNNAME, replace(several, objector_person=9))
    assert refused.value.code == "no-naming-objection-pending"


@pytest.mark.parametrize("state", [EntryState.EFFECTIVE, EntryState.EXITED])
def test_an_uphold_says_which_objection_where_several_are_open(state):
    """The entry's own objection and persons' objections to being named are verified side by
    side (R6): a conclusion decides the one said, or the only one open."""
    both = context(objection_open=True, naming_objections_open=frozenset({7}))
    with pytest.raises(XinyongError) as refused:
        transition(state, Action.UPHOLD, both)
    assert refused.value.code == "objection-ambiguous"
    for said in (replace(both, entry_objection=True), replace(both, objector_person=7)):
        assert transition(state, Action.UPHOLD, said).target == state
    assert transition(state, Action.UPHOLD, context(objection_open=True)).target == state
    assert Action.UPHOLD in possible_actions(state, both)  # offered; the form says which


def test_a_correction_decides_the_objection_said_and_the_entrys_own_first():
    """A finding that an ended listing is wrong decides one objection, as every conclusion (R6):
    the one said, or the only one a correction may decide; several it may decide and none said,
    refused as ambiguous. While the entry's own is open it is that one, said or not, which
    disputes the listing itself (000 §十一.3)."""
    own, persons = context(objection_open=True), context(naming_objections_open=frozenset({7, 8}))
    both = replace(own, naming_objections_open=frozenset({7}))
    assert decided_by_correction(own) is None
    assert decided_by_correction(context(naming_objections_open=frozenset({7}))) == 7
    assert decided_by_correction(replace(persons, objector_person=8)) == 8
    assert decided_by_correction(replace(both, entry_objection=True)) is None
    assert decided_by_correction(both) is None
    refusals = [
        (persons, "objection-ambiguous"),
        (replace(both, objector_person=7), "correction-answers-entry-objection"),
        (replace(persons, objector_person=9), "no-naming-objection-pending"),
        (replace(persons, entry_objection=True), "no-objection-pending"),
    ]
    for ctx, code in refusals:
        with pytest.raises(XinyongError) as refused:
            decided_by_correction(ctx)
        assert refused.value.code == code
    # The page offers the correction wherever one is open; its form says which.
    assert Action.CORRECT in possible_actions(EntryState.EXITED, both)
