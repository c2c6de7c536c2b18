"""A check's answer against an independent reading of the rules, over any mix of entries.

For an organisation with any entries — of any list kind, in force, past their validity, ended
or still candidates, under objection or not, on lists whose objections suspend or not — a check
names exactly the entries in force today (R4), returns only measures of the measures list that
follow from those entries in the scenario asked (R10), marks a measure suspended exactly when
its entry is under an objection that suspends (R6), counts only the measures not suspended in
its result, and registers itself once (R14).
"""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.check_clients import check
from tests.factories import ListDefinitionFactory, ListEntryFactory, SubjectFactory
from xinyong.core import clock
from xinyong.listings.models import EntryState, ExitReason, ListKind
from xinyong.measures.models import Check

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)
# What the ``measures`` fixture lists for an organisation: scenario → list kind → measures.
LISTED = {
    "government_procurement": {"black": {("bar-procurement", "punishment")},
                               "red": {("honour-priority", "reward")}},
    "honours": {"red": {("honour-priority", "reward")}},
}  # fmt: skip

entries_drawn = st.lists(
    st.fixed_dictionaries({
        "kind": st.sampled_from([ListKind.BLACK, ListKind.RED, ListKind.KEY_ATTENTION]),
        "state": st.sampled_from([EntryState.EFFECTIVE, EntryState.EXITED,
                                  EntryState.IN_PUBLICITY]),
        "valid_until": st.one_of(st.none(), st.integers(min_value=-2, max_value=2)),
        "objected": st.booleans(),
        "objection_suspends": st.booleans(),
    }),
    max_size=5,
)  # fmt: skip


def make_entry(subject, drawn: dict):
    """An entry of the drawn kind and state; ``valid_until`` in days from today."""
    definition = ListDefinitionFactory(
        kind=drawn["kind"], objection_suspends_measures=drawn["objection_suspends"]
    )
    until = None if drawn["valid_until"] is None else TODAY + dt.timedelta(drawn["valid_until"])
    state = drawn["state"]
    trait = {EntryState.EFFECTIVE: {"effective": True}, EntryState.EXITED: {"exited": True},
             EntryState.IN_PUBLICITY: {"in_publicity": True}}[state]  # fmt: skip
    extra = {"valid_until": until} if state != EntryState.IN_PUBLICITY else {}
    if state == EntryState.EXITED:
        extra["exit_reason"] = ExitReason.EXPIRED
    if drawn["objected"]:
        extra["verification_due_on"] = TODAY + dt.timedelta(10)
    return ListEntryFactory(list=definition, subject=subject, **trait, **extra)


def expected_answer(made: list, scenario: str):
    in_force = [
        (entry, drawn) for entry, drawn in made
        if drawn["state"] == EntryState.EFFECTIVE
        and (entry.valid_until is None or entry.valid_until >= TODAY)
    ]  # fmt: skip
    suspended = {entry.pk: drawn["objected"] and drawn["objection_suspends"]
                 for entry, drawn in in_force}  # fmt: skip
    measures_expected = {
        (code, entry.pk, suspended[entry.pk])
        for entry, drawn in in_force
        for code, _ in LISTED[scenario].get(drawn["kind"], set())
    }
    types = {
        kind for entry, drawn in in_force if not suspended[entry.pk]
        for _, kind in LISTED[scenario].get(drawn["kind"], set())
    }  # fmt: skip
    result = {frozenset(): "clear", frozenset({"reward"}): "reward",
              frozenset({"punishment"}): "punish",
              frozenset({"reward", "punishment"}): "both"}[frozenset(types)]  # fmt: skip
    return suspended, measures_expected, result


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(drawn=entries_drawn, scenario=st.sampled_from(sorted(LISTED)))
def test_a_check_answers_exactly_what_the_rules_say(api, measures, drawn, scenario):
    subject = SubjectFactory()
    made = [(make_entry(subject, one), one) for one in drawn]
    suspended, measures_expected, result = expected_answer(made, scenario)
    registered = Check.objects.count()

    with clock.frozen(TODAY):
        answer = check(api, subject=subject.reveal_identifier(), scenario=scenario)

    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert {(e["entry_id"], e["suspended"]) for e in body["entries"]} == set(suspended.items())
    assert len(body["entries"]) == len(suspended)
    assert {(m["code"], m["entry_id"], m["suspended"]) for m in body["measures"]} == (
        measures_expected
    )
    assert all(m["legal_basis"] for m in body["measures"])
    assert body["result"] == result
    assert Check.objects.count() == registered + 1
