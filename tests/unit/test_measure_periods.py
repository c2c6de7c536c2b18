"""A reported measure's period against its entries' history, as plain data (R4, R6, DOMAIN §5)."""

import datetime as dt

import pytest

from xinyong.measures.outcomes import (
    as_of_now,
    first_day_not_carried,
    live_on,
    open_at_check,
    same_report,
)

D = dt.date
# The answer of a check on 11-20: one entry (7) valid to 11-30, under no objection.
ANSWER = {"entries": [{"entry_id": 7, "valid_until": "2026-11-30", "suspended": False}]}


@pytest.mark.parametrize(
    ("changes", "through", "gap"),
    [
        ([], D(2026, 11, 30), None),  # its last day of validity included
        ([], D(2026, 12, 1), D(2026, 12, 1)),  # the day after: ended (R4)
        ([(7, "suspended", D(2026, 11, 24), None)], D(2026, 11, 23), None),
        ([(7, "suspended", D(2026, 11, 24), None)], D(2026, 11, 25), D(2026, 11, 24)),  # R6
        ([(7, "suspended", D(2026, 11, 24), None), (7, "resumed", D(2026, 11, 24), None)],
         D(2026, 11, 25), None),  # suspended and resumed the same day
        ([(7, "ended", D(2026, 11, 22), None)], D(2026, 11, 28), D(2026, 11, 22)),
        ([(7, "extended", D(2026, 11, 22), D(2027, 5, 31))], D(2026, 12, 15), None),
        ([(7, "shortened", D(2026, 11, 22), D(2026, 11, 25))], D(2026, 11, 28),
         D(2026, 11, 26)),
    ],
    ids=["within", "past-validity", "before-objection", "objection", "same-day",
         "ended", "extended", "shortened"],
)  # fmt: skip
def test_the_first_day_a_measure_was_not_carried(changes, through, gap):
    assert first_day_not_carried(ANSWER, changes, [7], D(2026, 11, 21), through) == gap


def test_a_second_entry_carries_the_measure_when_the_first_ends():
    answer = {"entries": [*ANSWER["entries"], {"entry_id": 8, "valid_until": None}]}
    changes = [(7, "ended", D(2026, 11, 22), None)]
    assert first_day_not_carried(answer, changes, [7, 8], D(2026, 11, 21), D(2027, 1, 1)) is None


# The same entry reaching the person checked through a naming (落实到人).
NAMED = {"entries": [{**ANSWER["entries"][0], "via": {"role": "legal_representative"}}]}
OWN_ON = (7, "suspended", D(2026, 11, 22), None)
NAMING_ON = (7, "naming_suspended", D(2026, 11, 23), None)


@pytest.mark.parametrize(
    ("changes", "suspended"),
    [
        ([OWN_ON, NAMING_ON, (7, "resumed", D(2026, 11, 24), None)], True),
        ([NAMING_ON, OWN_ON, (7, "naming_resumed", D(2026, 11, 24), None)], True),
        ([OWN_ON, NAMING_ON, (7, "resumed", D(2026, 11, 24), None),
          (7, "naming_resumed", D(2026, 11, 25), None)], False),
        ([NAMING_ON, (7, "naming_resumed", D(2026, 11, 24), None)], False),
    ],
    ids=["own-concluded-naming-open", "naming-concluded-own-open", "both-concluded",
         "naming-alone"],
)  # fmt: skip
def test_either_objection_open_suspends_what_reaches_a_named_person(changes, suspended):
    """The entry's own objection and the person's to being named are kept apart: the measure
    is suspended while either is verified, whichever is concluded first (R6, 004 §二(三)6)."""
    assert live_on(NAMED, changes, D(2026, 11, 26)) == {7: suspended}


def test_an_answer_that_found_a_naming_suspended_resumes_only_when_both_conclude():
    """The answer says an entry reached through a naming was suspended, not by which objection:
    one conclusion alone resumes nothing (R6)."""
    found = {"entries": [{**NAMED["entries"][0], "suspended": True}]}
    resumed = [(7, "resumed", D(2026, 11, 22), None)]
    assert live_on(found, resumed, D(2026, 11, 23)) == {7: True}
    both = [*resumed, (7, "naming_resumed", D(2026, 11, 23), None)]
    assert live_on(found, both, D(2026, 11, 23)) == {7: False}
    own = {"entries": [{**ANSWER["entries"][0], "suspended": True}]}
    assert live_on(own, resumed, D(2026, 11, 23)) == {7: False}


FOUND = {"entries": [{**NAMED["entries"][0], "suspended": True}]}
RESUMED = (7, "resumed", D(2026, 11, 23), None)
NAMING_RESUMED = (7, "naming_resumed", D(2026, 11, 23), None)


@pytest.mark.parametrize(
    ("before", "after", "suspended"),
    [
        ([OWN_ON], [RESUMED], False),
        ([OWN_ON], [NAMING_RESUMED], True),
        ([NAMING_ON], [NAMING_RESUMED], False),
        ([NAMING_ON], [RESUMED], True),
        ([OWN_ON, NAMING_ON], [RESUMED], True),
        ([OWN_ON, NAMING_ON], [RESUMED, NAMING_RESUMED], False),
        ([], [RESUMED], True),  # the history does not tell: held by both
    ],
    ids=["own-open-own-concluded", "own-open-naming-concluded", "naming-open-naming-concluded",
         "naming-open-own-concluded", "both-open-one-concluded", "both-open-both-concluded",
         "untold"],
)  # fmt: skip
def test_the_objections_open_at_the_check_are_those_whose_conclusion_resumes(
    before, after, suspended
):
    """The answer found the named person's measure suspended; the feed recorded up to the check
    tells by which objection, and the conclusion of that one resumes it (R6, 004 §二(三)6)."""
    opened = open_at_check(before)
    assert live_on(FOUND, after, D(2026, 11, 24), opened) == {7: suspended}


def test_open_at_check_follows_each_objection_and_a_new_taking_effect():
    before = [OWN_ON, NAMING_ON, (7, "resumed", D(2026, 11, 23), None)]
    assert open_at_check(before) == {7: (False, True)}
    assert open_at_check([*before, (7, "took_effect", D(2026, 11, 24), None)]) == {
        7: (False, False)
    }


def test_a_suspension_the_answer_found_ends_with_its_objection():
    """The answer gave the measure suspended; on a day its objection is concluded the measure is
    in force and, mandatory, binds (R6, R11): the answer's word does not outlast the objection."""
    answer = {"measures": [{"code": "bar", "mandatory": True, "entry_id": 7, "suspended": True}]}
    then = as_of_now(answer, {7: True})["bar"]
    now = as_of_now(answer, {7: False})["bar"]
    assert (then.suspended, then.binding) == (True, False)
    assert (now.suspended, now.binding, now.gone) == (False, True, False)


LINE = {"measure": "bar", "applied": True, "reason": "", "start": "2026-11-20", "end": None}


@pytest.mark.parametrize(
    ("sent", "same"),
    [
        ({**LINE, "start": None}, True),  # a retry that leaves the start to the day
        (LINE, True),
        ({**LINE, "start": "2026-11-21"}, False),
        ({**LINE, "end": "2026-12-01"}, False),
    ],
    ids=["start-unsaid", "same", "other-start", "other-end"],
)
def test_a_report_sent_again_says_the_same_measures(sent, same):
    assert same_report([LINE], [sent]) is same


def test_a_measure_stored_before_it_had_a_start_takes_the_reports_day():
    stored = [{"measure": "bar", "applied": True, "reason": ""}]
    assert same_report(stored, [LINE], stored_start="2026-11-20")
    assert not same_report(stored, [LINE], stored_start="2026-11-19")
