"""Joint reward and punishment: feedback as counted outcomes, and the statistics (R11, 003 §七)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from tests.check_clients import DECIDED_ON, client_for, decided
from tests.factories import (
    DepartmentFactory,
    DomainFactory,
    LinkedPersonFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
)
from tests.feedback_reports import checked, report, report_on, session_of, statistics
from xinyong.access.roles import REVIEWER_GROUP
from xinyong.audit.models import AuditEntry
from xinyong.core import clock
from xinyong.listings import services as listings
from xinyong.listings.models import EntryState, ExitReason, ListEntry, ListKind
from xinyong.listings.tick import run_tick
from xinyong.measures.models import CheckFeedback, MeasureOutcome

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 11, 23)


@pytest.fixture
def world(api, measures):
    """Two recognizing departments with a black list each in two domains, and a red list.

    - 甲 is on the market regulator's black list: finance bars it (a case);
    - 乙 is on both black lists: finance bars it once, and it counts once in each domain;
    - 丙 is on the red list: finance does not give the reward, with its reason (no case).
    """
    market, safety = DepartmentFactory(name="市场监管局"), DepartmentFactory(name="应急管理局")
    trade, mining = DomainFactory(name="市场监管"), DomainFactory(name="安全生产")
    market_black = ListDefinitionFactory(kind=ListKind.BLACK, recognizing_department=market,
                                         domain=trade)  # fmt: skip
    safety_black = ListDefinitionFactory(kind=ListKind.BLACK, recognizing_department=safety,
                                         domain=mining)  # fmt: skip
    red = ListDefinitionFactory(kind=ListKind.RED, recognizing_department=market, domain=trade)
    jia, yi, bing = SubjectFactory(), SubjectFactory(), SubjectFactory()
    ListEntryFactory(effective=True, list=market_black, subject=jia)
    ListEntryFactory(effective=True, list=market_black, subject=yi)
    ListEntryFactory(effective=True, list=safety_black, subject=yi)
    ListEntryFactory(effective=True, list=red, subject=bing)
    with clock.frozen(TODAY):
        answers = [
            report(api, checked(api, jia), "ZFCG-1", ("bar-procurement", True, "取消投标资格")),
            report(api, checked(api, yi), "ZFCG-2", ("bar-procurement", True, "")),
            report(api, checked(api, bing, "honours"), "PY-1", ("honour-priority", False, "满额")),
        ]
    assert [a.status_code for a in answers] == [201, 201, 201], [a.json() for a in answers]
    return {"market": market, "safety": safety, "trade": trade, "mining": mining}


def test_a_report_is_kept_as_outcomes_linked_to_the_entries_measures_followed_from(world):
    yi = CheckFeedback.objects.get(business_reference="ZFCG-2")
    outcome = MeasureOutcome.objects.get(feedback=yi)
    assert (outcome.applied, outcome.mandatory, outcome.suspended) == (True, True, False)
    assert outcome.reported_on == TODAY
    assert sorted(e.list.recognizing_department.name for e in outcome.entries.all()) == [
        "市场监管局", "应急管理局",
    ]  # fmt: skip
    audit = AuditEntry.objects.filter(action="check.feedback_reported")
    assert audit.count() == 3
    assert audit.get(object_id=str(yi.pk)).after["applied"] == ["bar-procurement"]


def test_a_report_sent_again_is_the_same_report_and_a_different_one_is_refused(api, measures):
    """A retry after a lost answer must not count a second case; another report for a business
    already reported is a conflict, and nothing is written."""
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    check_id = checked(api, entry.subject)
    first = report(api, check_id, "ZFCG-7", ("bar-procurement", True, "依法限制"))
    again = report(api, check_id, "ZFCG-7", ("bar-procurement", True, "依法限制"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    other = report(api, check_id, "ZFCG-7", ("bar-procurement", False, "另有安排"))
    assert (other.status_code, other.json()["code"]) == (409, "feedback-already-reported")
    assert CheckFeedback.objects.count() == MeasureOutcome.objects.count() == 1
    assert AuditEntry.objects.filter(action="check.feedback_reported").count() == 1
    # Another business served by the same check is its own report.
    assert report(api, check_id, "ZFCG-8", ("bar-procurement", True, "")).status_code == 201


def test_figures_by_implementing_department_count_reports_measures_and_cases(world, credit_office):
    with clock.frozen(TODAY):
        body = statistics(credit_office).json()
    assert (body["since"], body["until"], body["scope"]) == ("2026-01-01", "2026-11-23", "platform")
    [finance] = body["groups"]
    assert finance["name"] == "财政局"
    assert {k: finance[k] for k in ("reports", "measures", "applied", "not_applied", "cases")} == {
        "reports": 3, "measures": 3, "applied": 2, "not_applied": 1, "cases": 2,
    }  # fmt: skip
    assert finance["mandatory_not_applied"] == 0  # the reward is recommended


def test_a_measure_following_from_two_domains_counts_once_in_each(world, credit_office):
    with clock.frozen(TODAY):
        rows = statistics(credit_office, by="domain").json()["groups"]
    assert {(r["name"], r["applied"], r["cases"]) for r in rows} == {
        ("市场监管", 2, 2), ("安全生产", 1, 1),
    }  # fmt: skip
    assert next(r for r in rows if r["name"] == "市场监管")["not_applied"] == 1


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("recognizing_department", {("市场监管局", 2), ("应急管理局", 1)}),
        ("list_kind", {("严重失信主体名单", 2), ("红名单", 0)}),
        ("measure", {("限制参加政府采购", 2), ("优先评优", 0)}),
    ],
)  # fmt: skip
def test_figures_by_each_grouping(world, credit_office, by, expected):
    with clock.frozen(TODAY):
        rows = statistics(credit_office, by=by).json()["groups"]
    assert {(r["name"], r["cases"]) for r in rows} == expected


def test_the_case_share_against_the_red_and_black_entries_listed(world, credit_office):
    """Two cases against four red and black entries that took effect this year (003 §七)."""
    with clock.frozen(TODAY):
        share = statistics(credit_office).json()["case_share"]
    assert share == {
        "cases": 2, "reward_cases": 0, "punishment_cases": 2, "listed_red_black": 4,
        "share": "0.5000", "target": "0.10", "met": True,
    }  # fmt: skip


@pytest.mark.parametrize(("listed", "met"), [(10, True), (11, False)])
def test_the_ten_percent_target_is_met_at_exactly_one_case_in_ten(api, measures, listed, met):
    office = DepartmentFactory(credit_office=True)
    black = ListDefinitionFactory(kind=ListKind.BLACK)
    entries = [ListEntryFactory(effective=True, list=black) for _ in range(listed)]
    with clock.frozen(TODAY):
        assert report(api, checked(api, entries[0].subject), "ZFCG-1",
                      ("bar-procurement", True, "")).status_code == 201  # fmt: skip
        share = statistics(session_of(office, REVIEWER_GROUP)).json()["case_share"]
    assert (share["cases"], share["listed_red_black"], share["met"]) == (1, listed, met)
    assert Decimal(share["share"]) == (Decimal(1) / listed).quantize(Decimal("0.0001"))


def test_no_listing_in_the_period_gives_no_share_rather_than_a_division_by_zero(credit_office):
    with clock.frozen(TODAY):
        share = statistics(credit_office).json()["case_share"]
    assert (share["cases"], share["listed_red_black"], share["share"], share["met"]) == (
        0, 0, None, False,
    )  # fmt: skip


def test_the_period_includes_both_ends_and_nothing_else(api, measures, credit_office):
    black = ListDefinitionFactory(kind=ListKind.BLACK)
    for day, reference in [(D(2026, 10, 31), "A"), (D(2026, 11, 1), "B"),
                           (D(2026, 11, 30), "C"), (D(2026, 12, 1), "D")]:  # fmt: skip
        entry = ListEntryFactory(effective=True, list=black)
        with clock.frozen(day):
            assert report(api, checked(api, entry.subject), reference,
                          ("bar-procurement", True, "")).status_code == 201  # fmt: skip
    with clock.frozen(D(2026, 12, 1)):
        [row] = statistics(credit_office, since="2026-11-01", until="2026-11-30").json()["groups"]
    assert row["cases"] == 2
    refused = statistics(credit_office, since="2026-11-30", until="2026-11-01")
    assert (refused.status_code, refused.json()["code"]) == (422, "period-reversed")
    unknown = statistics(credit_office, by="weather")
    assert unknown.status_code == 422


def test_a_department_sees_its_checks_and_what_followed_from_its_lists(world):
    """Least privilege (R14): the safety regulator sees the one case that followed from its
    list, not the others; a department with no part in any sees nothing."""
    with clock.frozen(TODAY):
        safety = statistics(session_of(world["safety"]), by="domain").json()
        idle = statistics(session_of(DepartmentFactory()), by="domain").json()
    assert safety["scope"] == world["safety"].code
    assert {(r["name"], r["cases"]) for r in safety["groups"]} == {("市场监管", 1), ("安全生产", 1)}
    assert safety["case_share"]["cases"] == 1  # 乙's case, through its entry on the list
    assert safety["case_share"]["listed_red_black"] == 1
    assert (idle["groups"], idle["case_share"]["cases"]) == ([], 0)


def test_a_subject_or_the_public_gets_no_statistics(world):
    assert statistics(Client()).status_code == 401


def test_the_page_shows_the_figures_and_the_share(world, credit_office):
    with clock.frozen(TODAY):
        page = credit_office.get("/office/joint/", {"by": "domain"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "联合奖惩" in html and "全平台" in html
    assert 'data-figure="share">50.0%' in html and "已达标" in html
    assert "市场监管" in html and "安全生产" in html
    with clock.frozen(TODAY):
        exported = credit_office.get("/office/joint/", {"by": "domain", "format": "csv"})
    assert exported["Content-Type"].startswith("text/csv")
    lines = exported.content.decode("utf-8-sig").splitlines()
    table, share = lines[: lines.index("")], lines[lines.index("") + 1 :]
    assert table[0].split(",")[0] == "领域"
    assert sorted(line.split(",")[0] for line in table[1:]) == ["安全生产", "市场监管"]
    assert share[0] == "起始日期,2026-01-01,截止日期,2026-11-23"
    assert share[-1] == "占比,50.0%,目标,10%"


def test_the_page_refuses_a_reversed_period_in_the_form(credit_office):
    """Said, with no figures (figures for another period would mislead), and no CSV."""
    asked = {"since": "2026-11-30", "until": "2026-11-01"}
    page = credit_office.get("/office/joint/", asked)
    assert page.status_code == 200
    html = page.content.decode()
    assert "结束日期早于开始日期" in html and "data-figure" not in html
    assert credit_office.get("/office/joint/", {**asked, "format": "csv"}).status_code == 422


def test_a_period_starting_after_today_with_no_end_is_that_day_on(credit_office):
    with clock.frozen(TODAY):
        page = credit_office.get("/office/joint/", {"since": "2026-11-24", "until": ""})
        cases = credit_office.get("/office/joint/cases/", {"since": "2026-11-24", "until": ""})
    assert (page.status_code, cases.status_code) == (200, 200)
    assert "2026-11-24 — 2026-11-24" in page.content.decode()


def test_a_department_page_shows_its_own_part(world):
    with clock.frozen(TODAY):
        page = session_of(world["safety"]).get("/office/joint/", {"by": "recognizing_department"})
    html = page.content.decode()
    assert "应急管理局" in html and "全平台" not in html
    assert 'data-group="' + world["market"].code + '"' in html  # 乙's case names both lists


def test_the_page_shows_the_period_its_figures_are_for(credit_office):
    with clock.frozen(TODAY):
        html = credit_office.get("/office/joint/").content.decode()
    assert 'value="2026-01-01"' in html and 'value="2026-11-23"' in html


def test_a_measure_suspended_by_an_objection_cannot_be_reported_applied(api, measures):
    """R6: during verification the measures based on that information are suspended."""
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK,
                             verification_due_on=D(2026, 12, 1))  # fmt: skip
    answer = report(api, checked(api, entry.subject), "ZFCG-1", ("bar-procurement", True, ""))
    assert (answer.status_code, answer.json()["code"]) == (422, "measure-suspended-by-objection")
    assert not CheckFeedback.objects.exists()


def test_a_retry_through_a_new_check_is_the_same_report(api, measures):
    """The same business about the same subject, checked again and reported again, is one
    case; the same business about another subject (another bidder) is another."""
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    first = report(api, checked(api, entry.subject), "ZFCG-5", ("bar-procurement", True, ""))
    again = report(api, checked(api, entry.subject), "ZFCG-5", ("bar-procurement", True, ""))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    changed = report(api, checked(api, entry.subject), "ZFCG-5", ("bar-procurement", False, "x"))
    assert changed.status_code == 409
    other = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    assert report(api, checked(api, other.subject), "ZFCG-5",
                  ("bar-procurement", True, "")).status_code == 201  # fmt: skip
    assert CheckFeedback.objects.count() == 2


def test_free_text_of_a_report_is_kept_with_citizen_ids_masked(api, measures):
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    answer = report(api, checked(api, entry.subject), "ZFCG-6",
                    ("bar-procurement", False, "法定代表人110105194912310021已履行"),
                    outcome="经办人110105194912310021核实")  # fmt: skip
    assert answer.status_code == 201
    stored = CheckFeedback.objects.get()
    assert "110105194912310021" not in stored.outcome + str(stored.measures)
    assert "110105********0021" in stored.outcome
    assert "110105194912310021" not in MeasureOutcome.objects.get().reason


def test_a_token_reports_only_on_checks_in_its_scenarios(api, measures, finance):
    """A token checks only in the scenarios it names, and so reports only on those (R14)."""
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    check_id = checked(api, entry.subject)  # in government procurement
    honours_only = client_for(finance, ["honours"])
    refused = report(honours_only, check_id, "ZFCG-9", ("bar-procurement", True, ""))
    assert (refused.status_code, refused.json()["code"]) == (404, "check-not-found")
    assert not CheckFeedback.objects.exists()
    assert report(api, check_id, "ZFCG-9", ("bar-procurement", True, "")).status_code == 201


def test_a_citizen_id_typed_full_width_is_masked_in_a_report(api, measures):
    """An input method in full-width mode types the ID and its X full-width: still an ID."""
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    answer = report(api, checked(api, entry.subject), "ＤＫ－１１０１０５１９４９１２３１００２Ｘ",
                    ("bar-procurement", True, ""),
                    outcome="经办人１１０１０５１９４９１２３１００２Ｘ核实")  # fmt: skip
    assert answer.status_code == 201
    stored = CheckFeedback.objects.get()
    assert "１９４９１２３１" not in stored.outcome + stored.business_reference
    assert "110105********002X" in stored.outcome
    assert stored.business_reference == "ＤＫ－110105********002X"


def test_an_applied_measure_counts_under_the_entries_in_force_when_reported(
    api, measures, credit_office
):
    """The black entry ends (repaired) between the check and the report; the measure is
    applied through the key-attention entry, still in force: no red or black case (R4,
    003 §七), and the list-kind figures name key attention only."""
    measures["bar"].list_kinds = ["black", "key_attention"]
    measures["bar"].save()
    company = SubjectFactory()
    black = ListEntryFactory(effective=True, list__kind=ListKind.BLACK, subject=company)
    ListEntryFactory(effective=True, list__kind=ListKind.KEY_ATTENTION, subject=company)
    with clock.frozen(TODAY):
        check_id = checked(api, company)
        ListEntry.objects.filter(pk=black.pk).update(
            state=EntryState.EXITED, exit_reason=ExitReason.REPAIRED, exited_on=TODAY
        )
        assert report(api, check_id, "CG-1", ("bar-procurement", True, "")).status_code == 201
        body = statistics(credit_office, by="list_kind").json()
    assert body["case_share"]["cases"] == 0
    assert [(g["code"], g["cases"]) for g in body["groups"]] == [("key_attention", 1)]


def test_the_share_counts_red_and_black_cases_and_leaves_out_wrong_listings(
    api, measures, credit_office
):
    """003 §七 compares cases of the red and black lists with those lists: a case of a
    key-attention list is not one of them, and an entry later found wrong was never listed."""
    measures["bar"].list_kinds = ["black", "key_attention"]
    measures["bar"].save()
    key = ListEntryFactory(effective=True, list__kind=ListKind.KEY_ATTENTION)
    black = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    ListEntryFactory(exited=True, list__kind=ListKind.BLACK, effective_on=D(2026, 3, 1),
                     exit_reason=ExitReason.CORRECTED)  # fmt: skip
    with clock.frozen(TODAY):
        report(api, checked(api, key.subject), "GJ-1", ("bar-procurement", True, ""))
        report(api, checked(api, black.subject), "GJ-2", ("bar-procurement", True, ""))
        body = statistics(credit_office, by="list_kind").json()
    assert body["case_share"]["cases"] == 1
    assert body["case_share"]["listed_red_black"] == 1
    assert {(r["name"], r["cases"]) for r in body["groups"]} == {
        ("重点关注名单", 1), ("严重失信主体名单", 1),
    }  # fmt: skip


def test_a_listing_found_wrong_after_it_expired_is_no_listing_and_no_case(
    api, measures, credit_office
):
    """An objection still verified when the entry expired is found founded afterwards: the
    exit keeps its reason (expired), the finding is the entry's ``correct`` step. The listing
    was wrong all the same (R6, 000 §十一.3): no rightful listing, and the measure that followed
    from it no case (003 §七), for the platform and for the department, in the API, on the
    page and in its CSV alike."""
    black = ListDefinitionFactory(kind=ListKind.BLACK)
    department = black.recognizing_department
    officer = OfficerFactory(department=department).user
    ListEntryFactory(list=black, effective=True)  # rightly listed, no case
    wrong = ListEntryFactory(list=black, effective=True, valid_until=D(2026, 11, 10))
    with clock.frozen(D(2026, 10, 28)):
        reported = report(api, checked(api, wrong.subject), "ZFCG-1", ("bar-procurement", True, ""))
    assert reported.status_code == 201
    with clock.frozen(D(2026, 11, 2)):
        listings.record_objection(wrong.pk, actor=officer, objector=wrong.subject.name,
                                  grounds="认定事实错误")  # fmt: skip
    run_tick(D(2026, 11, 11))
    mine = session_of(department)
    with clock.frozen(TODAY):
        before = statistics(credit_office).json()["case_share"]
    assert (before["cases"], before["listed_red_black"]) == (1, 2)

    with clock.frozen(D(2026, 11, 12)):
        listings.correct_after_exit(wrong.pk, actor=officer, finding="认定有误")
    wrong.refresh_from_db()
    assert (wrong.state, wrong.exit_reason) == (EntryState.EXITED, ExitReason.EXPIRED)
    with clock.frozen(TODAY):
        platform = statistics(credit_office).json()["case_share"]
        own = statistics(mine).json()["case_share"]
        page = mine.get("/office/joint/").content.decode()
        exported = mine.get("/office/joint/", {"format": "csv"}).content.decode("utf-8-sig")
    for share in (platform, own):
        assert (share["cases"], share["punishment_cases"], share["listed_red_black"]) == (0, 0, 1)
        assert (share["share"], share["met"]) == ("0.0000", False)
    assert 'data-figure="cases">0 ' in page and 'data-figure="listed">1<' in page
    assert 'data-figure="share">0.0%' in page
    lines = exported.splitlines()
    assert [line.split(",")[1] for line in lines[-3:]] == ["0", "1", "0.0%"]


def test_a_red_listing_found_wrong_after_a_black_listing_ended_it_is_no_listing_and_no_case(
    api, measures, credit_office
):
    """R2 ends a red entry when its subject is blacklisted, an objection to it still being
    verified; found founded afterwards, the red listing was wrong: the reward given through
    it is no case and it is no listing. The black entry that ended it is one (003 §七)."""
    subject = SubjectFactory()
    red = ListEntryFactory(subject=subject, effective=True, list__kind=ListKind.RED)
    red_officer = OfficerFactory(department=red.list.recognizing_department).user
    black = ListEntryFactory(subject=subject, awaiting_signature=True, list__kind=ListKind.BLACK)
    signer = OfficerFactory(department=black.list.recognizing_department, signer=True).user
    with clock.frozen(D(2026, 10, 26)):
        rewarded = report(api, checked(api, subject, "honours"), "PY-1",
                          ("honour-priority", True, ""))  # fmt: skip
    assert rewarded.status_code == 201
    with clock.frozen(D(2026, 10, 27)):
        listings.record_objection(red.pk, actor=red_officer, objector=subject.name,
                                  grounds="表彰有误")  # fmt: skip
        listings.sign_decision(black.pk, actor=signer)
    with clock.frozen(D(2026, 10, 30)):
        listings.correct_after_exit(red.pk, actor=red_officer, finding="表彰认定有误")
    red.refresh_from_db()
    assert red.exit_reason == ExitReason.BLACKLISTED
    with clock.frozen(TODAY):
        platform = statistics(credit_office).json()["case_share"]
        own = statistics(session_of(red.list.recognizing_department)).json()["case_share"]
    assert (platform["cases"], platform["reward_cases"], platform["listed_red_black"]) == (0, 0, 1)
    assert (own["cases"], own["listed_red_black"]) == (0, 0)


def test_mandatory_not_applied_counts_only_what_was_binding(api, measures, credit_office):
    """A measure mandatory only through an entry under objection did not bind: leaving it
    unapplied is not counted against the department (R6)."""
    company = SubjectFactory()
    ListEntryFactory(effective=True, list__kind=ListKind.BLACK, subject=company,
                     verification_due_on=D(2026, 12, 1))  # fmt: skip
    free = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    with clock.frozen(TODAY):
        report(api, checked(api, company), "M-1", ("bar-procurement", False, ""))
        report(api, checked(api, free.subject), "M-2", ("bar-procurement", False, "另有安排"))
        [row] = statistics(credit_office).json()["groups"]
    assert (row["not_applied"], row["mandatory_not_applied"]) == (2, 1)


@pytest.mark.parametrize(
    ("share", "shown"),
    [(Decimal("0.0999"), "9.9%"), (Decimal("0.1"), "10.0%"), (None, None)],
)
def test_the_share_is_shown_rounded_down(share, shown):
    from xinyong.office.joint import percent

    assert percent(share) == shown


def test_free_text_of_a_report_masks_the_persons_named_and_mobile_numbers(api, measures):
    company = SubjectFactory()
    LinkedPersonFactory(organisation=company, person__name="王小明")
    ListEntryFactory(effective=True, list__kind=ListKind.BLACK, subject=company)
    answer = report(api, checked(api, company), "ZFCG-7",
                    ("bar-procurement", True, "通知王小明（+86 138-1234-5678）"),
                    outcome="已通知法定代表人王小明")  # fmt: skip
    assert answer.status_code == 201
    stored = CheckFeedback.objects.get()
    assert stored.outcome == "已通知法定代表人王某"
    assert stored.measures[0]["reason"] == "通知王某（138****5678）"


def test_a_retry_is_answered_even_if_the_new_checks_answer_changed(api, measures):
    """The business was reported; a retry through a new check after an objection arrived is
    still the same report, not a refusal of the measure now suspended."""
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    first = report(api, checked(api, entry.subject), "ZFCG-8", ("bar-procurement", True, ""))
    ListEntry.objects.filter(pk=entry.pk).update(verification_due_on=D(2026, 12, 1))
    again = report(api, checked(api, entry.subject), "ZFCG-8", ("bar-procurement", True, ""))
    assert (first.status_code, again.status_code) == (201, 200)


def test_a_mandatory_measure_deleted_since_the_check_need_not_be_reported(api, measures):
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    check_id = checked(api, entry.subject)
    measures["bar"].scenarios.clear()
    measures["bar"].delete()
    assert report(api, check_id, "ZFCG-9").status_code == 201


def test_a_departments_share_counts_only_cases_of_its_own_red_and_black_entries(api, measures):
    """A measure applied through another department's black entry is not this department's
    case, though the subject is also on one of its (non-public) lists."""
    mine, theirs = DepartmentFactory(), DepartmentFactory()
    company = SubjectFactory()
    ListEntryFactory(effective=True, subject=company, list__kind=ListKind.KEY_ATTENTION,
                     list__recognizing_department=mine)  # fmt: skip
    ListEntryFactory(effective=True, subject=company, list__kind=ListKind.BLACK,
                     list__recognizing_department=theirs)  # fmt: skip
    with clock.frozen(TODAY):
        report(api, checked(api, company), "ZFCG-10", ("bar-procurement", True, ""))
        mine_share = statistics(session_of(mine)).json()["case_share"]
        theirs_share = statistics(session_of(theirs)).json()["case_share"]
    assert (mine_share["cases"], theirs_share["cases"]) == (0, 1)


def test_a_report_is_judged_on_the_entries_as_they_stand_when_it_is_sent(api, measures):
    """A check is not a licence for later businesses: once the entry is under objection the
    measure is suspended (R6), once it has exited the measure has stopped (R4); either way it
    cannot be reported applied, and need not be reported at all."""
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    check_id = checked(api, entry.subject)
    ListEntry.objects.filter(pk=entry.pk).update(verification_due_on=D(2026, 12, 14))
    suspended = report(api, check_id, "CG-300", ("bar-procurement", True, ""))
    assert (suspended.status_code, suspended.json()["code"]) == (
        422, "measure-suspended-by-objection",
    )  # fmt: skip
    ListEntry.objects.filter(pk=entry.pk).update(
        verification_due_on=None, state=EntryState.EXITED, exit_reason=ExitReason.CORRECTED
    )
    ended = report(api, check_id, "CG-400", ("bar-procurement", True, ""))
    assert (ended.status_code, ended.json()["code"]) == (422, "measure-no-longer-in-force")
    assert report(api, check_id, "CG-500").status_code == 201  # nothing binding any more
    assert not MeasureOutcome.objects.filter(applied=True).exists()


def test_a_business_number_is_kept_trimmed_and_masked(api, measures):
    """A retry with a trailing space is the same business; a citizen ID typed into the number
    does not reach the credit office's pages in full (R14)."""
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    first = report(api, checked(api, entry.subject), "CG-2026-0100", ("bar-procurement", True, ""))
    again = report(api, checked(api, entry.subject), "CG-2026-0100 ", ("bar-procurement", True, ""))
    assert (first.status_code, again.status_code) == (201, 200)
    personal = report(api, checked(api, entry.subject), "DK-110105194912310021",
                      ("bar-procurement", True, ""))  # fmt: skip
    assert personal.json()["business_reference"] == "DK-110105********0021"
    # Another business whose number masks alike is another business.
    other = report(api, checked(api, entry.subject), "DK-110105195001010021",
                   ("bar-procurement", True, ""))  # fmt: skip
    assert other.status_code == 201
    assert other.json()["business_reference"] == "DK-110105********0021"
    assert CheckFeedback.objects.count() == 3
    # Ordinary numbers are business numbers, not phones or IDs: kept as sent.
    plain = report(api, checked(api, entry.subject), "135-2026-0001 13800000000",
                   ("bar-procurement", True, ""))  # fmt: skip
    assert plain.json()["business_reference"] == "135-2026-0001 13800000000"


def _measures_counted(client) -> dict[str, int]:
    with clock.frozen(TODAY):
        answer = statistics(client, by="measure")
    assert answer.status_code == 200, answer.content
    return {group["code"]: group["reports"] for group in answer.json()["groups"]}


def test_a_token_reads_the_figures_of_its_departments_checks_in_its_scenarios_only(world, finance):
    """A token reaches only its scenarios (R14: least privilege): of its department's checks,
    it counts those made in them. Its officers' sessions see the department's whole part; a
    recognizing department's token, with no scenario, still sees what followed from its lists."""
    everything = {"bar-procurement": 2, "honour-priority": 1}
    assert _measures_counted(session_of(finance)) == everything
    assert _measures_counted(client_for(finance, ["government_procurement", "honours"])) == (
        everything
    )
    assert _measures_counted(client_for(finance, ["honours"])) == {"honour-priority": 1}
    assert _measures_counted(client_for(finance, [])) == {}
    assert _measures_counted(client_for(world["market"], [])) == everything  # from its lists


def test_a_credit_office_token_reads_the_platforms_figures_in_its_scenarios_only(world):
    """The credit office's officers see the whole platform; a token of the office reaches only
    the checks made in its scenarios, whoever made them (R14: least privilege)."""
    office = DepartmentFactory(credit_office=True, implementing=True)
    everything = {"bar-procurement": 2, "honour-priority": 1}
    assert _measures_counted(session_of(office, REVIEWER_GROUP)) == everything
    assert _measures_counted(client_for(office, ["honours"])) == {"honour-priority": 1}
    assert _measures_counted(client_for(office, [])) == {}


def test_a_report_on_a_persons_check_is_registered_taken_or_refused(api, measures, finance):
    """A report is judged against the entries as they stand now, so its answer, a refusal
    included, tells whether the person has objected or left the list since the check: each is
    registered as a query of that person (R14). A report on an organisation's check, and one
    refused as not found, are not."""
    from xinyong.audit.models import QueryKind, QueryRegistration

    person = SubjectFactory(natural_person=True)
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK, subject=person)
    check_id = checked(api, person)
    assert not QueryRegistration.objects.exists()  # the check is registered by its own row
    ListEntry.objects.filter(pk=entry.pk).update(verification_due_on=D(2026, 12, 14))
    refused = report(api, check_id, "CG-1", ("bar-representative", True, ""))
    assert (refused.status_code, refused.json()["code"]) == (422, "measure-suspended-by-objection")
    ListEntry.objects.filter(pk=entry.pk).update(verification_due_on=None)
    assert report(api, check_id, "CG-2", ("bar-representative", True, "")).status_code == 201
    rows = QueryRegistration.objects.order_by("pk")
    assert [(r.subject_id, r.kind, r.natural_persons, r.purpose_detail) for r in rows] == [
        (person.pk, QueryKind.CHECK, 1, "执行反馈"), (person.pk, QueryKind.CHECK, 1, "执行反馈"),
    ]  # fmt: skip
    stranger = client_for(DepartmentFactory(implementing=True), ["government_procurement"])
    assert report(stranger, check_id, "CG-3", ("bar-representative", True, "")).status_code == 404
    company = ListEntryFactory(effective=True, list__kind=ListKind.BLACK).subject
    assert report(
        api, checked(api, company), "CG-4", ("bar-procurement", True, "")
    ).status_code == (201)
    assert QueryRegistration.objects.count() == 2


def _event(entry, action, day, **fields):
    """A step of the entry's history on ``day``; the database's trigger puts it in the feed."""
    from xinyong.listings.models import ListEntryEvent

    return ListEntryEvent.objects.create(
        entry=entry, action=action, from_state=EntryState.EFFECTIVE,
        to_state=fields.pop("to_state", EntryState.EFFECTIVE), business_date=day, actor="t",
        **fields,
    )  # fmt: skip


def test_a_measure_applied_while_in_force_is_reported_after_the_entry_ended(api, measures):
    """A business applies the measure while the entry is in force and reports days later,
    when it has ended: the report names the day it applied it, the entries are judged as they
    stood then (R4), and the case counts (R11, 003 §七). Without the day it is judged today,
    and refused."""
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK,
                             valid_until=D(2026, 11, 22))  # fmt: skip
    with clock.frozen(D(2026, 11, 20)):
        check_id = checked(api, entry.subject)
    ListEntry.objects.filter(pk=entry.pk).update(
        state=EntryState.EXITED, exit_reason=ExitReason.EXPIRED, exited_on=D(2026, 11, 23)
    )
    _event(entry, "exit", D(2026, 11, 23), to_state=EntryState.EXITED)
    with clock.frozen(D(2026, 11, 24)):
        today = report(api, check_id, "CG-600", ("bar-procurement", True, ""))
        assert (today.status_code, today.json()["code"]) == (422, "measure-no-longer-in-force")
        after_its_end = report_on(api, check_id, "CG-601", D(2026, 11, 23))
        assert after_its_end.json()["code"] == "measure-no-longer-in-force"
        answer = report_on(api, check_id, "CG-602", D(2026, 11, 22))  # its last day
    assert answer.status_code == 201, answer.json()
    assert answer.json()["applied_on"] == "2026-11-22"
    outcome = MeasureOutcome.objects.get(feedback_id=answer.json()["id"])
    assert (outcome.applied, list(outcome.entries.all())) == (True, [entry])
    audited = AuditEntry.objects.get(action="check.feedback_reported")
    assert audited.after["applied_on"] == "2026-11-22"


def test_a_measure_applied_during_an_objection_since_concluded_is_refused(api, measures):
    """R6: while an objection was verified the measure was suspended; a report of it applied
    on a day in that time is refused, though the objection has failed since."""
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    with clock.frozen(D(2026, 11, 16)):
        check_id = checked(api, entry.subject)
    _event(entry, "object", D(2026, 11, 17), data={"received_on": "2026-11-17"})
    _event(entry, "uphold", D(2026, 11, 19))
    with clock.frozen(D(2026, 11, 24)):
        during = report_on(api, check_id, "CG-700", D(2026, 11, 18))
        before = report_on(api, check_id, "CG-701", D(2026, 11, 16))
        after = report_on(api, check_id, "CG-702", D(2026, 11, 19))
    assert (during.status_code, during.json()["code"]) == (422, "measure-suspended-by-objection")
    assert (before.status_code, after.status_code) == (201, 201)


@pytest.mark.parametrize("day", [D(2026, 11, 19), D(2026, 11, 25)], ids=["before", "future"])
def test_a_day_before_the_check_or_after_today_is_refused(api, measures, day):
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    with clock.frozen(D(2026, 11, 20)):
        check_id = checked(api, entry.subject)
    with clock.frozen(D(2026, 11, 24)):
        answer = report_on(api, check_id, "CG-800", day)
    assert (answer.status_code, answer.json()["code"]) == (422, "applied-on-out-of-range")
    assert not CheckFeedback.objects.exists()


def test_a_retry_without_the_day_is_the_same_report_the_next_day(api, measures):
    """A retry after a lost answer sends the same body: without a day, it is the same report
    whatever day it comes on; a different day is a different report (409)."""
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    with clock.frozen(D(2026, 11, 20)):
        check_id = checked(api, entry.subject)
        first = report(api, check_id, "CG-900", ("bar-procurement", True, ""))
    with clock.frozen(D(2026, 11, 21)):
        again = report(api, check_id, "CG-900", ("bar-procurement", True, ""))
        other = report_on(api, check_id, "CG-900", D(2026, 11, 21))
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 409)


@pytest.mark.parametrize("change", ["exit", "object"])
def test_a_change_recorded_on_the_checks_own_day_after_it_counts(api, measures, change):
    """An exit or an objection recorded the day of the check, after it, holds for every later
    day a report names (R4, R6): skipped, the entry looked in force and unsuspended, and a
    measure applied after its exit counted as a case."""
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    with clock.frozen(D(2026, 11, 16)):
        check_id = checked(api, entry.subject)
    if change == "exit":
        ListEntry.objects.filter(pk=entry.pk).update(
            state=EntryState.EXITED, exit_reason=ExitReason.CORRECTED, exited_on=D(2026, 11, 16)
        )
        _event(entry, "exit", D(2026, 11, 16), to_state=EntryState.EXITED)
        refused = "measure-no-longer-in-force"
    else:
        _event(entry, "object", D(2026, 11, 16), data={"received_on": "2026-11-16"})
        refused = "measure-suspended-by-objection"
    with clock.frozen(D(2026, 11, 24)):
        answer = report_on(api, check_id, "CG-1000", D(2026, 11, 18))
    assert (answer.status_code, answer.json()["code"]) == (422, refused)
    assert not MeasureOutcome.objects.exists()


def test_a_case_counts_in_the_period_it_was_applied_in_not_the_one_it_was_reported_in(
    api, measures, credit_office
):
    """003 §七 sets a year's cases against the red and black entries of that year: a measure
    applied in late December and reported in January is a case of December's year, where its
    entry was listed, not of the next, where it no longer is."""
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK,
                             effective_on=D(2026, 6, 1), valid_until=D(2026, 12, 30))  # fmt: skip
    with clock.frozen(D(2026, 12, 28)):
        check_id = checked(api, entry.subject)
    with clock.frozen(D(2027, 1, 4)):
        assert report_on(api, check_id, "CG-1100", D(2026, 12, 29)).status_code == 201
        years = {
            year: statistics(credit_office, since=f"{year}-01-01", until=f"{year}-12-31").json()
            for year in (2026, 2027)
        }
    assert MeasureOutcome.objects.get().reported_on == D(2027, 1, 4)
    assert [years[y]["case_share"]["cases"] for y in (2026, 2027)] == [1, 0]
    assert [sum(g["cases"] for g in years[y]["groups"]) for y in (2026, 2027)] == [1, 0]


def _answered_before_decisions_were_read(api, stated):
    """A check answered with every measure of the list for an entry, then the entry's decision
    found to state only ``stated``: an answer given before checks read the decisions' measures,
    the entry as the migration that keeps them fills it (R1, R10)."""
    entry = decided([])
    with clock.frozen(DECIDED_ON):
        check_id = checked(api, entry.subject)
    ListEntry.objects.filter(pk=entry.pk).update(stated_measures=stated)
    return check_id


def test_a_measure_its_decision_does_not_state_is_neither_reported_nor_required(
    api, measures, funds
):
    """The answer named 限制申请财政性资金项目 too, which the decision does not state: it never
    applied, so a report cannot say it was applied, and need not account for it though it is
    mandatory (R10: none added; R11)."""
    check_id = _answered_before_decisions_were_read(api, ["限制参加政府采购"])
    with clock.frozen(DECIDED_ON):
        refused = report(api, check_id, "ZFCG-11", ("bar-procurement", True, ""),
                         ("bar-funds", True, ""))  # fmt: skip
        taken = report(api, check_id, "ZFCG-11", ("bar-procurement", True, ""))
    assert (refused.status_code, refused.json()["code"]) == (422, "measure-not-in-decision")
    assert refused.json()["measures"] == ["bar-funds"]
    assert taken.status_code == 201, taken.json()
    assert list(MeasureOutcome.objects.values_list("measure_code", flat=True)) == [
        "bar-procurement"
    ]


def test_a_case_of_a_measure_its_decision_does_not_state_is_not_counted(
    api, measures, funds, credit_office
):
    """A report made on such an answer before the decisions were read, applying only the
    measure the decision leaves out, is no case of the entry's black list (003 §七, R10)."""
    entry = decided([])
    with clock.frozen(DECIDED_ON):
        sent = report(api, checked(api, entry.subject), "ZFCG-12",
                      ("bar-procurement", False, "另案处理"), ("bar-funds", True, ""))  # fmt: skip
        assert sent.status_code == 201, sent.json()
        before = statistics(credit_office).json()["case_share"]
        ListEntry.objects.filter(pk=entry.pk).update(stated_measures=["限制参加政府采购"])
        after = statistics(credit_office).json()["case_share"]
    assert (before["cases"], before["listed_red_black"]) == (1, 1)
    assert (after["cases"], after["listed_red_black"]) == (0, 1)
