"""Feedback as local practice records it: each measure's start and end (DOMAIN §5), no field
dropped unsaid, and a report corrected by the department that made it, the first kept (R11,
002 §二十三, 003 §七)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from tests.check_clients import client_for
from tests.factories import (
    DepartmentFactory,
    ListEntryFactory,
    OfficerFactory,
)
from tests.feedback_reports import checked, statistics
from xinyong.access.roles import ADMIN_GROUP
from xinyong.audit.models import AuditEntry
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings.models import EntryState, ExitReason, ListEntry, ListEntryEvent, ListKind
from xinyong.measures import services
from xinyong.measures.models import CheckFeedback, MeasureOutcome

pytestmark = pytest.mark.django_db
D = dt.date
CHECKED_ON, TODAY = D(2026, 11, 20), D(2026, 11, 24)


def send(api, check_id, reference="CG-1", *, measure=None, **report_fields):
    """bar-procurement reported applied (its line's fields in ``measure``), in a report with
    ``report_fields`` besides, sent on ``TODAY``."""
    line = {"measure": "bar-procurement", "applied": True, "reason": "", **(measure or {})}
    body = {"business_reference": reference, "measures": [line], **report_fields}
    with clock.frozen(TODAY):
        return api.post(f"/api/v1/checks/{check_id}/feedback", body,
                        content_type="application/json")  # fmt: skip


@pytest.fixture
def barred(api, measures):
    """A black-listed company checked on ``CHECKED_ON``: (its entry, the check's id)."""
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    with clock.frozen(CHECKED_ON):
        return entry, checked(api, entry.subject)


def _event(entry, action, day, **fields):
    """A step of the entry's history on ``day``; the database's trigger puts it in the feed."""
    return ListEntryEvent.objects.create(
        entry=entry, action=action, from_state=EntryState.EFFECTIVE,
        to_state=fields.pop("to_state", EntryState.EFFECTIVE), business_date=day, actor="t",
        **fields,
    )  # fmt: skip


# --- each measure's start and end (DOMAIN §5) ---------------------------------------------------


def test_a_measures_start_and_end_are_kept_and_answered(api, barred):
    answer = send(api, barred[1], measure={"start": "2026-11-21", "end": "2027-11-20"})
    assert answer.status_code == 201, answer.json()
    [line] = answer.json()["measures"]
    assert (line["start"], line["end"]) == ("2026-11-21", "2027-11-20")
    outcome = MeasureOutcome.objects.get()
    assert (outcome.applied_on, outcome.applied_until) == (D(2026, 11, 21), D(2027, 11, 20))
    assert CheckFeedback.objects.get().measures[0]["end"] == "2027-11-20"
    audited = AuditEntry.objects.get(action="check.feedback_reported")
    assert audited.after["periods"] == {"bar-procurement": ["2026-11-21", "2027-11-20"]}


@pytest.mark.parametrize(
    ("fields", "start"),
    [({}, "2026-11-24"), ({"applied_on": "2026-11-22"}, "2026-11-22")],
    ids=["today", "applied_on"],
)
def test_a_measure_starts_on_the_day_of_application_unless_it_says(api, barred, fields, start):
    """``applied_on`` keeps its meaning: the business's day, and each measure's start unless
    the measure says its own; the end left out is open (while its entries carry it)."""
    answer = send(api, barred[1], **fields)
    assert answer.status_code == 201, answer.json()
    [line] = answer.json()["measures"]
    assert (line["start"], line["end"]) == (start, None)
    assert MeasureOutcome.objects.get().applied_until is None


@pytest.mark.parametrize(
    ("line", "fields", "code"),
    [
        ({"applied": False, "reason": "未中标", "start": "2026-11-21"}, {},
         "measure-period-not-applied"),
        ({"applied": False, "reason": "未中标", "end": "2026-11-21"}, {},
         "measure-period-not-applied"),
        ({"start": "2026-11-19"}, {}, "measure-start-out-of-range"),  # before the check
        ({"start": "2026-11-25"}, {}, "measure-start-out-of-range"),  # after today
        ({"start": "2026-11-22", "end": "2026-11-21"}, {}, "measure-end-before-start"),
        ({"end": "2026-11-21"}, {"applied_on": "2026-11-22"}, "measure-end-before-start"),
    ],
    ids=["not-applied-start", "not-applied-end", "before-check", "future", "reversed",
         "before-applied-on"],
)  # fmt: skip
def test_dates_a_measure_cannot_have_are_refused(api, barred, line, fields, code):
    answer = send(api, barred[1], measure=line, **fields)
    assert (answer.status_code, answer.json()["code"]) == (422, code)
    assert not CheckFeedback.objects.exists()


def test_a_start_during_an_objection_is_refused_on_its_own_day(api, barred):
    """R6 on the measure's own start, whatever the report's day of application."""
    entry, check_id = barred
    _event(entry, "object", D(2026, 11, 21), data={"received_on": "2026-11-21"})
    _event(entry, "uphold", D(2026, 11, 23))
    during = send(api, check_id, "CG-1", measure={"start": "2026-11-22"}, applied_on="2026-11-20")
    assert (during.status_code, during.json()["code"]) == (422, "measure-suspended-by-objection")
    after = send(api, check_id, "CG-2", measure={"start": "2026-11-23"}, applied_on="2026-11-20")
    assert after.status_code == 201, after.json()


def test_a_period_across_an_objection_is_refused_with_the_day_it_stopped(api, barred):
    """The measure was suspended from 11-22 (R6, 002 §二十七): a period reported through it
    is refused, naming the first day and the last it could end on; one that ends before it is
    taken."""
    entry, check_id = barred
    _event(entry, "object", D(2026, 11, 22), data={"received_on": "2026-11-22"})
    across = send(api, check_id, "CG-1", measure={"start": "2026-11-20", "end": "2026-11-23"})
    assert (across.status_code, across.json()["code"]) == (422, "measure-period-not-in-force")
    assert across.json()["measures"] == [{"measure": "bar-procurement",
                                          "not_carried_on": "2026-11-22",
                                          "last_day": "2026-11-21"}]  # fmt: skip
    before = send(api, check_id, "CG-2", measure={"start": "2026-11-20", "end": "2026-11-21"})
    assert before.status_code == 201, before.json()


def test_a_period_past_the_entrys_exit_is_refused(api, barred):
    """R4: once an entry ends, its measures stop at once."""
    entry, check_id = barred
    ListEntry.objects.filter(pk=entry.pk).update(
        state=EntryState.EXITED, exit_reason=ExitReason.REPAIRED, exited_on=D(2026, 11, 23)
    )
    _event(entry, "exit", D(2026, 11, 23), to_state=EntryState.EXITED)
    past = send(api, check_id, "CG-1", measure={"start": "2026-11-21", "end": "2026-12-31"})
    assert (past.status_code, past.json()["code"]) == (422, "measure-period-not-in-force")
    assert past.json()["measures"][0]["not_carried_on"] == "2026-11-23"
    ended = send(api, check_id, "CG-2", measure={"start": "2026-11-21", "end": "2026-11-22"})
    assert ended.status_code == 201, ended.json()


def test_an_end_after_today_lies_within_the_entrys_validity(api, measures):
    """A planned end may come after today, not after the validity of the entry carrying the
    measure (R4); an entry without a set end (until its exit) takes any end."""
    limited = ListEntryFactory(effective=True, list__kind=ListKind.BLACK,
                               valid_until=D(2027, 6, 30))  # fmt: skip
    open_ended = ListEntryFactory(effective=True, list__kind=ListKind.BLACK, valid_until=None)
    with clock.frozen(CHECKED_ON):
        limited_check, open_check = checked(api, limited.subject), checked(api, open_ended.subject)
    beyond = send(api, limited_check, "CG-1", measure={"end": "2027-07-01"})
    assert (beyond.status_code, beyond.json()["code"]) == (422, "measure-end-after-validity")
    assert beyond.json()["measures"] == [{"measure": "bar-procurement",
                                          "valid_until": "2027-06-30"}]  # fmt: skip
    assert send(api, limited_check, "CG-2", measure={"end": "2027-06-30"}).status_code == 201
    assert send(api, open_check, "CG-3", measure={"end": "2031-01-01"}).status_code == 201


def test_a_case_counts_in_the_period_its_measure_started(api, measures, credit_office):
    """003 §七: a measure started on 12-29 and reported with the business's day in January
    counts in December's year."""
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    with clock.frozen(D(2026, 12, 28)):
        check_id = checked(api, entry.subject)
    with clock.frozen(D(2027, 1, 4)):
        answer = api.post(
            f"/api/v1/checks/{check_id}/feedback",
            {"business_reference": "CG-1", "applied_on": "2027-01-04",
             "measures": [{"measure": "bar-procurement", "applied": True,
                           "start": "2026-12-29"}]},
            content_type="application/json",
        )  # fmt: skip
        assert answer.status_code == 201, answer.json()
        cases = [
            statistics(credit_office, since=f"{y}-01-01", until=f"{y}-12-31").json()[
                "case_share"]["cases"]
            for y in (2026, 2027)
        ]  # fmt: skip
    assert cases == [1, 0]


def test_the_case_page_shows_each_measures_period(api, barred):
    send(api, barred[1], measure={"start": "2026-11-21", "end": "2027-11-20"})
    feedback = CheckFeedback.objects.get()
    page = _office(ADMIN_GROUP).get(f"/office/joint/cases/{feedback.pk}/").content.decode()
    assert "2026-11-21 至 2027-11-20" in page
    listed = _office(ADMIN_GROUP).get("/office/joint/cases/?since=2026-01-01&until=2026-12-31")
    assert "2026-11-21 至 2027-11-20" in listed.content.decode()


# --- unknown fields ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "field"),
    [({"applied_date": "2026-11-21"}, "applied_date"),
     ({"measure": {"begin": "2026-11-21"}}, "measures.0.begin")],
    ids=["report", "measure"],
)  # fmt: skip
def test_an_unknown_field_is_refused_by_name_not_dropped(api, barred, extra, field):
    line = extra.pop("measure", None)
    answer = send(api, barred[1], measure=line, **extra)
    assert (answer.status_code, answer.json()["code"]) == (422, "invalid-request")
    [problem] = answer.json()["errors"]
    assert (problem["field"], problem["type"]) == (field, "extra_forbidden")
    assert field in answer.json()["message"]
    assert not CheckFeedback.objects.exists()


def test_the_schema_says_a_report_takes_no_other_field():
    schema = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert schema["FeedbackIn"]["additionalProperties"] is False
    assert schema["MeasureFeedbackIn"]["additionalProperties"] is False


# --- corrections ---------------------------------------------------------------------------------


def correct(api, check_id, corrects, reason="误报：该措施实际未实施", *, applied=False,
            reference="CG-1", **measure):  # fmt: skip
    line = {"applied": applied, "reason": "" if applied else "中标前已撤回投标", **measure}
    return send(api, check_id, reference, measure=line, corrects=corrects,
                correction_reason=reason)  # fmt: skip


def test_a_correction_replaces_the_report_in_the_statistics_and_keeps_it(
    api, barred, credit_office
):
    """A measure reported applied by mistake: the department corrects its report. The first
    is kept as it was; the statistics follow the correction (003 §七: no case); one audit row
    tells both, with the reason."""
    first = send(api, barred[1])
    assert first.status_code == 201, first.json()
    corrected = correct(api, barred[1], first.json()["id"])
    assert corrected.status_code == 201, corrected.json()
    body = corrected.json()
    assert (body["corrects"], body["correction_reason"]) == (
        first.json()["id"], "误报：该措施实际未实施",
    )  # fmt: skip
    kept = CheckFeedback.objects.get(pk=first.json()["id"])
    assert kept.measures[0]["applied"] is True and MeasureOutcome.objects.count() == 2
    with clock.frozen(TODAY):
        figures = statistics(credit_office).json()
    assert figures["case_share"]["cases"] == 0
    [group] = figures["groups"]
    assert (group["reports"], group["applied"], group["not_applied"], group["cases"]) == (
        1, 0, 1, 0,
    )  # fmt: skip
    [audited] = AuditEntry.objects.filter(action="check.feedback_corrected")
    assert (audited.before["applied"], audited.after["not_applied"]) == (
        ["bar-procurement"], ["bar-procurement"],
    )  # fmt: skip
    assert (audited.after["corrects"], audited.reason) == (kept.pk, "误报：该措施实际未实施")


def test_a_correction_may_fix_a_period_and_is_judged_as_a_report(api, barred):
    entry, check_id = barred
    first = send(api, check_id, measure={"start": "2026-11-20", "end": "2026-11-21"})
    _event(entry, "object", D(2026, 11, 23), data={"received_on": "2026-11-23"})
    wrong = correct(api, check_id, first.json()["id"], "结束日期填错", applied=True,
                    start="2026-11-20", end="2026-11-30")  # fmt: skip
    assert (wrong.status_code, wrong.json()["code"]) == (422, "measure-period-not-in-force")
    fixed = correct(api, check_id, first.json()["id"], "结束日期填错", applied=True,
                    start="2026-11-20", end="2026-11-22")  # fmt: skip
    assert fixed.status_code == 201, fixed.json()
    assert MeasureOutcome.objects.get(feedback_id=fixed.json()["id"]).applied_until == D(
        2026, 11, 22
    )


def test_a_correction_sent_again_is_the_same_correction(api, barred):
    first = send(api, barred[1]).json()["id"]
    once, again = correct(api, barred[1], first), correct(api, barred[1], first)
    assert (once.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == once.json()["id"]
    assert AuditEntry.objects.filter(action="check.feedback_corrected").count() == 1


def test_only_the_report_that_stands_is_corrected(api, barred):
    """A report is corrected once: a correction naming one corrected since is refused (it would
    lose the other), and the latest may be corrected in turn."""
    first = send(api, barred[1]).json()["id"]
    second = correct(api, barred[1], first).json()["id"]
    stale = correct(api, barred[1], first, "再次更正", applied=True)
    assert (stale.status_code, stale.json()["code"]) == (409, "feedback-already-corrected")
    assert stale.json()["feedback_id"] == second
    third = correct(api, barred[1], second, "经核实确已实施", applied=True)
    assert third.status_code == 201, third.json()
    assert CheckFeedback.objects.filter(correction__isnull=True).get().pk == third.json()["id"]


def test_a_different_report_without_corrects_is_refused_pointing_at_the_correction(api, barred):
    first = send(api, barred[1]).json()["id"]
    other = send(api, barred[1], measure={"applied": False, "reason": "未实施"})
    assert (other.status_code, other.json()["code"]) == (409, "feedback-already-reported")
    assert other.json()["feedback_id"] == first and "corrects" in other.json()["message"]


@pytest.mark.parametrize(
    ("fields", "code"),
    [({"correction_reason": "  "}, "correction-reason-required"),
     ({"business_reference": "CG-2"}, "correction-of-another-business"),
     ({"measures": [{"measure": "bar-procurement", "applied": True, "reason": ""}]},
      "correction-changes-nothing")],
    ids=["no-reason", "another-business", "same"],
)  # fmt: skip
def test_a_correction_needs_its_reason_the_same_business_and_a_change(api, barred, fields, code):
    first = send(api, barred[1]).json()["id"]
    body = {"business_reference": "CG-1", "corrects": first, "correction_reason": "误报",
            "measures": [{"measure": "bar-procurement", "applied": False, "reason": "未实施"}],
            **fields}  # fmt: skip
    with clock.frozen(TODAY):
        answer = api.post(f"/api/v1/checks/{barred[1]}/feedback", body,
                          content_type="application/json")  # fmt: skip
    assert (answer.status_code, answer.json()["code"]) == (422, code)
    assert CheckFeedback.objects.count() == 1


def test_only_the_department_that_reported_corrects(api, barred, finance):
    """Another department, checking the same subject and using the same business number, does
    not find the report: it is as unknown as none (R14). A colleague of the department that
    reported corrects it through a new check of the subject."""
    entry, check_id = barred
    first = send(api, check_id).json()["id"]
    other = client_for(DepartmentFactory(implementing=True), ["government_procurement"])
    with clock.frozen(TODAY):
        theirs = checked(other, entry.subject)
    refused = correct(other, theirs, first)
    assert (refused.status_code, refused.json()["code"]) == (404, "feedback-not-found")
    assert correct(other, check_id, first).status_code == 404  # not their check
    colleague = client_for(finance, ["government_procurement"])
    with clock.frozen(TODAY):
        again = checked(colleague, entry.subject)
    assert correct(colleague, again, first).status_code == 201
    assert CheckFeedback.objects.count() == 2


def test_a_correction_comes_through_a_check_of_the_reports_scenario(api, barred, finance,
                                                                  credit_office):  # fmt: skip
    """What the business had to apply is its scenario's answer (002 §二十): a correction through
    a check in another scenario, leaving out the mandatory measure the procurement answer
    binds, is refused, by any token; and a token that reaches only honours does not correct a
    procurement report through its own check (R14). The case still counts."""
    entry, check_id = barred
    first = send(api, check_id).json()["id"]
    honours_only = client_for(finance, ["honours"])
    with clock.frozen(TODAY):
        through_honours = checked(api, entry.subject, scenario="honours")
        their_own = checked(honours_only, entry.subject, scenario="honours")
    for client, honours_check in ((api, through_honours), (honours_only, their_own)):
        with clock.frozen(TODAY):
            refused = client.post(
                f"/api/v1/checks/{honours_check}/feedback",
                {"business_reference": "CG-1", "corrects": first, "correction_reason": "撤销",
                 "measures": []}, content_type="application/json",
            )  # fmt: skip
        assert (refused.status_code, refused.json()["code"]) == (
            422, "correction-of-another-scenario",
        )  # fmt: skip
    assert CheckFeedback.objects.count() == 1
    with clock.frozen(TODAY):
        assert statistics(credit_office).json()["case_share"]["cases"] == 1


def test_a_correction_of_the_words_keeps_the_start_and_the_period_of_the_case(
    api, measures, credit_office
):
    """A correction that leaves a measure's start out keeps the one the corrected report gave
    it: the case stays in the period its measure started (003 §七), not the correction's day,
    and an entry that ended since does not refuse it (it carried the measure on its start,
    R4). Sent again unchanged, it changes nothing: a start left out reads the same there."""
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK, valid_until=D(2028, 1, 1))
    with clock.frozen(D(2026, 12, 28)):
        check_id = checked(api, entry.subject)
    line = {"measure": "bar-procurement", "applied": True, "reason": ""}

    def post(day, **fields):
        with clock.frozen(day):
            return api.post(f"/api/v1/checks/{check_id}/feedback",
                            {"business_reference": "CG-1", "measures": [line], **fields},
                            content_type="application/json")  # fmt: skip

    first = post(D(2026, 12, 30), outcome="已限制投标").json()["id"]
    _event(entry, "exit", D(2027, 1, 2), to_state=EntryState.EXITED)
    ListEntry.objects.filter(pk=entry.pk).update(
        state=EntryState.EXITED, exit_reason=ExitReason.REPAIRED, exited_on=D(2027, 1, 2)
    )
    fixed = post(D(2027, 1, 4), outcome="已限制其参加本次投标", corrects=first,
                 correction_reason="成效描述有误")  # fmt: skip
    assert fixed.status_code == 201, fixed.json()
    assert (fixed.json()["applied_on"], fixed.json()["measures"][0]["start"]) == (
        "2026-12-30", "2026-12-30",
    )  # fmt: skip
    with clock.frozen(D(2027, 1, 4)):
        cases = [
            statistics(credit_office, since=f"{year}-01-01", until=f"{year}-12-31").json()[
                "case_share"]["cases"]
            for year in (2026, 2027)
        ]  # fmt: skip
    assert cases == [1, 0]
    again = post(D(2027, 1, 5), outcome="已限制其参加本次投标", corrects=fixed.json()["id"],
                 correction_reason="再次")  # fmt: skip
    assert (again.status_code, again.json()["code"]) == (422, "correction-changes-nothing")


def test_a_measure_a_correction_newly_applies_starts_on_the_businesss_day(api, barred):
    """Only a measure newly reported applied takes the report's day, which a correction that
    leaves it out keeps from the report it corrects."""
    with clock.frozen(TODAY):
        first = api.post(
            f"/api/v1/checks/{barred[1]}/feedback",
            {"business_reference": "CG-1", "applied_on": "2026-11-21", "measures": [
                {"measure": "bar-procurement", "applied": False, "reason": "已撤回投标"}]},
            content_type="application/json",
        ).json()["id"]  # fmt: skip
    fixed = correct(api, barred[1], first, "经核实已实施", applied=True)
    assert fixed.status_code == 201, fixed.json()
    assert fixed.json()["measures"][0]["start"] == "2026-11-21"


def test_a_correction_through_a_new_check_keeps_the_start_and_is_judged_from_the_first(api, barred):
    """Through a new check of the same scenario (README), a correction keeps a start before
    it: the business was checked on the first check (R11), and is judged from that check's
    day and answer, and the entries' history since (R4). A start before it is still refused."""
    entry, check_id = barred
    first = send(api, check_id, measure={"start": "2026-11-21", "end": "2026-11-30"})
    with clock.frozen(TODAY):
        again = checked(api, entry.subject)
    fixed = correct(api, again, first.json()["id"], "结束日期填错", applied=True,
                    start="2026-11-21", end="2026-12-31")  # fmt: skip
    assert fixed.status_code == 201, fixed.json()
    outcome = MeasureOutcome.objects.get(feedback_id=fixed.json()["id"])
    assert (outcome.applied_on, outcome.applied_until) == (D(2026, 11, 21), D(2026, 12, 31))
    early = correct(api, again, fixed.json()["id"], "开始日期填错", applied=True,
                    start="2026-11-19", end="2026-12-31")  # fmt: skip
    assert (early.status_code, early.json()["code"]) == (422, "measure-start-out-of-range")
    assert "2026-11-20" in early.json()["message"]


def test_a_corrected_typical_case_leaves_the_portal_and_its_page_tells_the_history(api, barred):
    """What a published case tells may no longer be so: it stands no longer; a corrected
    report is no case to choose; the office pages show the correction and the reports."""
    first = send(api, barred[1], measure={"reason": "依法限制"}).json()["id"]
    admin = OfficerFactory(department=DepartmentFactory(credit_office=True)).user
    admin.groups.add(_group(ADMIN_GROUP))
    case = services.draft_typical_case(actor=admin, feedback_id=first, title="某公司被限制投标",
                                       summary="限制参加政府采购")  # fmt: skip
    with clock.frozen(TODAY):
        services.act_on_typical_case(actor=admin, case_id=case.pk, action="publish")
        assert "某公司被限制投标" in Client().get("/cases/").content.decode()
    correction = correct(api, barred[1], first, applied=True, start="2026-11-21").json()["id"]
    with clock.frozen(TODAY):
        assert "某公司被限制投标" not in Client().get("/cases/").content.decode()
        office = _office(ADMIN_GROUP)
        page = office.get(f"/office/joint/cases/{first}/").content.decode()
        listed = office.get("/office/joint/cases/").content.decode()
    assert "data-corrected" in page and "误报：该措施实际未实施" in page
    assert f'data-report="{first}"' in page and f'data-report="{correction}"' in page
    assert f'data-feedback="{correction}"' in listed and f'data-feedback="{first}"' not in listed
    with pytest.raises(XinyongError) as refused:  # its correction may be chosen instead
        services.draft_typical_case(actor=admin, feedback_id=first, title="t", summary="s")
    assert refused.value.code == "feedback-corrected"


def _group(name):
    return Group.objects.get_or_create(name=name)[0]


def _office(group) -> Client:
    user = OfficerFactory(department=DepartmentFactory(credit_office=True)).user
    user.groups.add(_group(group))
    client = Client()
    client.force_login(user)
    return client
