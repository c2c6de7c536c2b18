"""Anyone reports that a red-list subject does not deserve it; the recognizing department
verifies and decides; the reporter reads the result with its code; the reporter's identity
stays confidential (R7, 000 §十一.1, 002 §十九; R4: a founded report ends the entry)."""

import datetime as dt
import re
import threading
import time

import pytest
from django.core.cache import caches
from django.db import connection, connections, transaction  # noqa: F401 (skipif conditions)
from django.test import Client

from tests.factories import (
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
)
from tests.races import race, sessions_waiting_on_locks
from tests.red_list_reports import DAY, EVIDENCE, FACTS, NAME, PHONE, received, red_list
from tests.subject_remedies import account_of, logged_in
from xinyong.audit.models import AuditEntry, QueryRegistration
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import services as listings
from xinyong.listings.decision_records import Announcement
from xinyong.listings.models import EntryState, ExitReason, ListKind
from xinyong.reports import services
from xinyong.reports.models import RedListReport, ReportState

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today_and_budget():
    caches["default"].clear()
    with clock.frozen(DAY):
        yield
    caches["default"].clear()


@pytest.fixture
def subject():
    return SubjectFactory(name="杭州守信科技有限公司")


@pytest.fixture
def red(subject):
    return ListEntryFactory(subject=subject, list=red_list(), effective=True)


def _report(entry, client=None, **changes):
    data = {"facts": FACTS, "evidence": EVIDENCE, "reporter_name": NAME, "reporter_contact": PHONE,
            **changes}  # fmt: skip
    return (client or Client()).post(f"/reports/entries/{entry.pk}/", data)


def _form_token(entry, client) -> str:
    """The token the report page puts in its form."""
    page = client.get(f"/reports/entries/{entry.pk}/").content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', page)[1]


def _receipt(answer) -> tuple[str, str]:
    text = answer.content.decode()
    number = re.search(r'data-field="number">(\w+)<', text)[1]
    code = re.search(r'data-field="code">(\w+)<', text)[1]
    return number, code


def test_anyone_reports_a_red_entry_in_force_and_gets_a_receipt(red):
    answer = _report(red)
    assert answer.status_code == 200
    number, code = _receipt(answer)
    report = RedListReport.objects.get()
    assert (report.number, report.entry, report.state) == (number, red, ReportState.RECEIVED)
    assert code not in report.code_digest
    # The identity is stored sealed, never in clear.
    assert NAME not in report.reporter_sealed and PHONE not in report.reporter_sealed
    assert services.reporter_of(report) == {"name": NAME, "contact": PHONE}


@pytest.mark.parametrize(
    "entry",
    [
        lambda s: ListEntryFactory(subject=s, list=ListDefinitionFactory(kind=ListKind.BLACK),
                                   effective=True),
        lambda s: ListEntryFactory(subject=s, list=ListDefinitionFactory(kind=ListKind.RED),
                                   exited=True),
        lambda s: ListEntryFactory(subject=s, list=ListDefinitionFactory(kind=ListKind.RED),
                                   in_publicity=True),
    ],
    ids=["black", "ended", "candidate"],
)  # fmt: skip
def test_a_report_is_taken_only_against_a_red_entry_in_force(subject, entry):
    target = entry(subject)
    assert Client().get(f"/reports/entries/{target.pk}/").status_code == 404
    answer = _report(target)
    assert answer.status_code == 404
    assert "只能对公示中的有效守信激励对象名单记录进行举报" in answer.content.decode()
    assert not RedListReport.objects.exists()


@pytest.mark.parametrize("contact", ["12345", "not-an-email", "138123456789"])
def test_a_contact_must_be_a_phone_or_an_email(red, contact):
    answer = _report(red, reporter_contact=contact)
    assert answer.status_code == 422
    assert 'data-error="reporter_contact"' in answer.content.decode()
    assert not RedListReport.objects.exists()


@pytest.mark.parametrize("contact", ["wang@example.cn", "0571-88886666", "13900001111"])
def test_a_phone_or_an_email_is_taken(red, contact):
    assert _report(red, reporter_contact=contact).status_code == 200


def test_the_flood_budget_refuses_with_a_clear_message(red, settings):
    settings.XINYONG_REPORTS_PER_HOUR = 2
    assert [_report(red).status_code for _ in range(2)] == [200, 200]
    refused = _report(red)
    assert refused.status_code == 429
    assert "提交过于频繁：同一网络地址每小时最多提交 2 件举报" in refused.content.decode()
    assert RedListReport.objects.count() == 2


def _officer(entry):
    return OfficerFactory(department=entry.list.recognizing_department).user


def _subjects_session(subject) -> Client:
    """The reported subject, logged in to its own account."""
    return logged_in(account_of(subject, username="shouxin"))


def _look_up(number, code):
    return Client().post("/reports/lookup/", {"number": number, "code": code}).content.decode()


def test_founded_exits_the_entry_for_the_report_and_everyone_is_told(red, subject):
    number, code = _receipt(_report(red))
    report = RedListReport.objects.get()
    client = Client()
    client.force_login(_officer(red))
    assert NAME in client.get(f"/office/reports/{report.pk}/").content.decode()
    # The officer's reading of the reporter's identity is registered, without the identity.
    registered = QueryRegistration.objects.get()
    assert registered.route == "GET /office/reports/<int:report_id>/"
    assert NAME not in str(vars(registered)) and PHONE not in str(vars(registered))
    answer = client.post(
        f"/office/reports/{report.pk}/", {"founded": "1", "reasons": "经核查偷税属实"}
    )
    assert answer.status_code == 302
    red.refresh_from_db()
    assert (red.state, red.exit_reason, red.exited_on) == (
        EntryState.EXITED, ExitReason.REPORTED, DAY
    )  # fmt: skip
    assert red.announcements.filter(kind=Announcement.Kind.EXIT).exists()
    result = _look_up(number, code)
    assert 'data-result="founded"' in result and "经核查偷税属实" in result
    # The subject reads on its own page why its entry ended, never who reported it.
    own = _subjects_session(subject)
    my = own.get("/my/").content.decode()
    assert "经核查偷税属实" in my
    api = own.get("/api/v1/me").content.decode()
    for text in (my, api):
        assert NAME not in text and PHONE not in text


def test_unfounded_keeps_the_entry_and_the_reporter_and_the_subject_are_told(red, subject):
    """R7: the department verifies and tells the reporter and the subject, never who reported;
    the subject reads the result on its own page whichever way it went."""
    number, code = _receipt(_report(red))
    report = RedListReport.objects.get()
    services.decide_report(report.pk, actor=_officer(red), founded=False, reasons="查无实据")
    red.refresh_from_db()
    assert red.state == EntryState.EFFECTIVE
    result = _look_up(number, code)
    assert 'data-result="unfounded"' in result and "查无实据" in result
    own = _subjects_session(subject)
    my = own.get("/my/").content.decode()
    row = re.search(rf'<tr data-report-entry="{red.pk}" data-result="unfounded">(.*?)</tr>', my)
    assert row and "查无实据" in row[1] and "举报不属实，继续保留在红名单" in row[1]
    assert NAME not in my and PHONE not in my


def test_a_report_closed_unverified_is_not_shown_to_the_subject(red, subject):
    _report(red)
    report = RedListReport.objects.get()
    RedListReport.objects.filter(pk=report.pk).update(state="closed", reasons="已移出")
    own = _subjects_session(subject)
    assert "data-report-entry" not in own.get("/my/").content.decode()


def test_the_reasons_the_reporter_reads_are_masked_as_any_public_text(subject):
    """Whoever holds the receipt reads the result on a public page (R5, R14): the department's
    reasons show the persons the entry concerns, citizen IDs and mobile numbers masked."""
    person = SubjectFactory(natural_person=True, name="李光明", identifier="11010519491231002X")
    definition = ListDefinitionFactory(kind=ListKind.RED, name="诚信个人名单")
    entry = ListEntryFactory(subject=person, list=definition, effective=True)
    number, code = _receipt(_report(entry))
    reasons = "经核查，李光明（身份证号11010519491231002X，电话13900001111）存在欠税"
    report = RedListReport.objects.get()
    services.decide_report(report.pk, actor=_officer(entry), founded=True, reasons=reasons)
    result = _look_up(number, code)
    assert 'data-result="founded"' in result and "存在欠税" in result
    for shown in ("李光明", "11010519491231002X", "13900001111"):
        assert shown not in result
    shown = re.search(r'data-field="reasons">([^<]*)<', result)[1]
    assert shown == "经核查，李某（身份证号110105********002X，电话139****1111）存在欠税"
    # The department itself still reads its reasons as written.
    client = Client()
    client.force_login(_officer(entry))
    assert reasons in client.get(f"/office/reports/{report.pk}/").content.decode()


def test_a_wrong_code_or_number_shows_nothing(red):
    number, code = _receipt(_report(red))
    for pair in [(number, "WRONGCOD"), ("JB2026111000000000", code)]:
        page = _look_up(*pair)
        assert "data-result" not in page and "纳税信用A级名单" not in page
        assert 'data-error="not-found"' in page


def test_another_department_can_neither_see_nor_decide(red):
    _report(red)
    report = RedListReport.objects.get()
    stranger = Client()
    stranger.force_login(OfficerFactory().user)
    assert report.number not in stranger.get("/office/reports/").content.decode()
    assert stranger.get(f"/office/reports/{report.pk}/").status_code == 404
    posted = stranger.post(f"/office/reports/{report.pk}/", {"founded": "1", "reasons": "x"})
    assert posted.status_code == 404
    report.refresh_from_db()
    red.refresh_from_db()
    assert (report.state, red.state) == (ReportState.RECEIVED, EntryState.EFFECTIVE)


def test_the_office_list_gives_undecided_reports_first_then_the_newest(red):
    """The same on SQLite and PostgreSQL: not by the empty decision date, whose place differs."""
    officer = _officer(red)
    received = {}
    for day in (2, 3, 4, 5):
        with clock.frozen(dt.date(2026, 11, day)):
            received[day] = services.receive_report(
                red.pk, facts="该企业存在偷税行为", evidence="", reporter_name=NAME,
                reporter_contact=PHONE,
            ).report  # fmt: skip
    for day, decided in ((2, 6), (4, 9)):  # the later received, the later decided
        with clock.frozen(dt.date(2026, 11, decided)):
            services.decide_report(received[day].pk, actor=officer, founded=False, reasons="不实")
    client = Client()
    client.force_login(officer)
    page = client.get("/office/reports/").content.decode()
    shown = [int(pk) for pk in re.findall(r'data-report="(\d+)"', page)]
    assert shown == [received[day].pk for day in (5, 3, 4, 2)]


def _received(entry):
    return received(entry, facts="该主体存在失信行为", evidence="")


def test_the_office_list_naming_a_person_is_registered_as_the_apis_list_is(red):
    """R14: the list shows the reported subjects' names unmasked; a list naming a natural person
    registers one row naming it, for the purpose the API's list registers with."""
    person = SubjectFactory(natural_person=True, name="赵某某")
    _received(red)
    _received(ListEntryFactory(subject=person, list=red.list, effective=True))
    client = Client()
    client.force_login(_officer(red))
    page = client.get("/office/reports/").content.decode()
    assert "赵某某" in page
    row = QueryRegistration.objects.get()
    assert (row.purpose_id, row.kind, row.natural_persons, row.rows, row.subject) == (
        "listing_procedure", "entry_list", 1, 2, person
    )  # fmt: skip
    assert row.route == "GET /office/reports/"
    assert NAME not in str(vars(row)) and PHONE not in str(vars(row))
    assert client.get("/api/v1/reports").status_code == 200
    api = QueryRegistration.objects.exclude(pk=row.pk).get()
    assert (api.purpose_id, api.kind, api.natural_persons, api.subject) == (
        row.purpose_id, row.kind, 1, person,
    )  # fmt: skip


def test_the_office_list_naming_only_organisations_registers_nothing(red):
    _received(red)
    client = Client()
    client.force_login(_officer(red))
    assert "杭州守信科技有限公司" in client.get("/office/reports/").content.decode()
    assert not QueryRegistration.objects.exists()


def test_a_report_is_decided_once(red):
    _report(red)
    report = RedListReport.objects.get()
    officer = _officer(red)
    services.decide_report(report.pk, actor=officer, founded=False, reasons="查无实据")
    with pytest.raises(Exception, match="report-already-decided"):
        services.decide_report(report.pk, actor=officer, founded=True, reasons="改判")
    red.refresh_from_db()
    assert red.state == EntryState.EFFECTIVE


def test_the_identity_never_reaches_public_pages_announcements_or_audit_rows(red):
    _report(red)
    report = RedListReport.objects.get()
    services.decide_report(report.pk, actor=_officer(red), founded=True, reasons="偷税属实")
    texts = [
        Client().get(url).content.decode()
        for url in ["/", "/lists/red/", "/announcements/",
                    *(f"/announcements/{a.pk}/" for a in Announcement.objects.all())]
    ]  # fmt: skip
    texts += [f"{a.title}{a.body}" for a in Announcement.objects.all()]
    texts += [str(vars(row)) for row in AuditEntry.objects.all()]
    texts += [str(vars(event)) for event in red.events.all()]
    assert all(NAME not in text and PHONE not in text for text in texts)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"report.receive", "report.found", "listing.exit"} <= actions
    received = AuditEntry.objects.get(action="report.receive")
    assert received.object_id == str(report.pk)


def test_the_red_list_and_its_announcements_offer_a_report(red):
    assert f'href="/reports/entries/{red.pk}/"' in Client().get("/lists/red/").content.decode()
    assert "/reports/entries/" not in Client().get("/lists/black/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_officers_deciding_at_once_cannot_both_succeed(red):
    _report(red)
    report = RedListReport.objects.get()
    first, second = _officer(red), _officer(red)
    outcomes = race(
        lambda: services.decide_report(report.pk, actor=first, founded=True, reasons="属实"),
        lambda: services.decide_report(report.pk, actor=second, founded=False, reasons="不实"),
    )
    assert sorted(outcomes) == ["ok", "report-already-decided"]


def test_a_second_founded_report_on_an_ended_entry_is_not_exited_twice(red):
    _report(red)
    _report(red)
    first, second = RedListReport.objects.order_by("id")
    officer = _officer(red)
    services.decide_report(first.pk, actor=officer, founded=True, reasons="偷税属实")
    services.decide_report(second.pk, actor=officer, founded=True, reasons="同一事实已查实")
    second.refresh_from_db()
    assert second.state == ReportState.FOUNDED
    assert red.announcements.filter(kind=Announcement.Kind.EXIT).count() == 1


def test_a_second_report_dismissed_after_a_first_ended_the_entry_is_closed_not_unfounded(red):
    """A first report ended the entry; the second, found untrue, is closed: its reporter is
    told the entry has already left the red list, not that it stays there (R7, R4)."""
    _report(red)
    number, code = _receipt(_report(red))
    first, second = RedListReport.objects.order_by("id")
    officer = _officer(red)
    services.decide_report(first.pk, actor=officer, founded=True, reasons="偷税属实")
    services.decide_report(second.pk, actor=officer, founded=False, reasons="所举报事项查无实据")
    second.refresh_from_db()
    red.refresh_from_db()
    assert second.state == ReportState.CLOSED
    assert (red.state, red.exit_reason) == (EntryState.EXITED, ExitReason.REPORTED)
    assert red.announcements.filter(kind=Announcement.Kind.EXIT).count() == 1
    result = _look_up(number, code)
    assert 'data-result="closed"' in result and "继续保留" not in result
    assert AuditEntry.objects.filter(action="report.close").count() == 1


@pytest.mark.parametrize("founded", [True, False])
def test_a_report_on_an_entry_that_ended_another_way_is_closed_not_unfounded(red, founded):
    """The entry expired before the department decided: the reporter is told it had already
    left the red list, whatever the officer chose, and nothing is exited or announced again."""
    number, code = _receipt(_report(red))
    red.state, red.exit_reason, red.exited_on = EntryState.EXITED, ExitReason.EXPIRED, DAY
    red.save()
    report = RedListReport.objects.get()
    services.decide_report(report.pk, actor=_officer(red), founded=founded, reasons="已期满移出")
    report.refresh_from_db()
    assert report.state == ReportState.CLOSED
    red.refresh_from_db()
    assert red.exit_reason == ExitReason.EXPIRED
    assert not red.announcements.filter(kind=Announcement.Kind.EXIT).exists()
    result = _look_up(number, code)
    assert 'data-result="closed"' in result and "已移出红名单" in result
    assert "已期满移出" in result
    assert AuditEntry.objects.filter(action="report.close").count() == 1


def test_a_report_decided_after_the_entrys_last_day_is_closed_before_the_daily_job(red):
    """Past its last day the entry has ended by expiry (R4) even before the daily job records
    it: a founded report then closes, and the entry is left for the job to end as expired."""
    _report(red)
    red.valid_until = DAY - dt.timedelta(days=1)
    red.save()
    report = RedListReport.objects.get()
    services.decide_report(report.pk, actor=_officer(red), founded=True, reasons="偷税属实")
    report.refresh_from_db()
    red.refresh_from_db()
    assert report.state == ReportState.CLOSED
    assert red.state == EntryState.EFFECTIVE and not red.announcements.exists()


# --- one report per form sent (R7): a double click or a refreshed receipt takes nothing twice ---


def _receptions():
    return AuditEntry.objects.filter(action="report.receive")


def test_the_same_form_sent_twice_makes_one_report_and_shows_the_same_receipt(red, settings):
    settings.XINYONG_REPORTS_PER_HOUR = 2
    client = Client()
    token = _form_token(red, client)
    first, again = _report(red, client, form_token=token), _report(red, client, form_token=token)
    assert (first.status_code, again.status_code) == (200, 200)
    assert _receipt(first) == _receipt(again)
    assert 'data-field="repeated"' in again.content.decode()
    assert 'data-field="repeated"' not in first.content.decode()
    # Shown again to the same form, so neither receipt says "only this once".
    assert all("查询码仅在本回执中显示" in page.content.decode() for page in (first, again))
    report = RedListReport.objects.get()
    assert report.number == _receipt(first)[0]
    assert _receptions().count() == 1
    # Neither the token nor the code is stored: only their keyed digests.
    stored = str(vars(report))
    assert token not in stored and _receipt(first)[1] not in stored
    # The budget was spent once: one more form is taken, the next is refused ...
    assert _report(red, client, form_token=_form_token(red, client)).status_code == 200
    assert _report(red, client, form_token=_form_token(red, client)).status_code == 429
    # ... and the first form, sent once more with the budget spent, still shows its receipt.
    late = _report(red, client, form_token=token)
    assert late.status_code == 200 and _receipt(late) == _receipt(first)
    assert RedListReport.objects.count() == _receptions().count() == 2


def test_the_code_of_a_form_sent_twice_looks_the_report_up(red):
    client = Client()
    token = _form_token(red, client)
    _report(red, client, form_token=token)
    number, code = _receipt(_report(red, client, form_token=token))
    assert len(code) == services.CODE_LENGTH and set(code) <= set(services.CODE_ALPHABET)
    assert 'data-result="received"' in _look_up(number, code)
    services.decide_report(
        RedListReport.objects.get().pk, actor=_officer(red), founded=False, reasons="查无实据"
    )
    assert 'data-result="unfounded"' in _look_up(number, code)


def test_two_forms_make_two_reports_and_forms_without_a_token_are_taken_as_before(red):
    client = Client()
    answers = [_report(red, client, form_token=_form_token(red, client)) for _ in range(2)]
    answers += [_report(red, client), _report(red, client, form_token="")]
    receipts = {_receipt(answer) for answer in answers}
    assert len(receipts) == 4 and len({code for _, code in receipts}) == 4
    assert RedListReport.objects.count() == _receptions().count() == 4
    for number, code in receipts:
        assert 'data-result="received"' in _look_up(number, code)


def test_the_same_form_sent_again_with_other_facts_is_refused_and_keeps_them(red):
    """Answering the first receipt would drop the change without a word: the sender is told,
    keeps what was typed, and a new form token makes the next sending a report of its own."""
    client = Client()
    token = _form_token(red, client)
    _report(red, client, form_token=token)
    refused = _report(red, client, form_token=token, facts="另有虚报业绩的行为")
    page = refused.content.decode()
    assert refused.status_code == 409
    assert 'data-error="report-form-already-sent"' in page and "另有虚报业绩的行为" in page
    assert 'data-field="number"' not in page
    fresh = re.search(r'name="form_token" value="([^"]+)"', page)[1]
    assert fresh != token
    assert _report(red, client, form_token=fresh, facts="另有虚报业绩的行为").status_code == 200
    assert RedListReport.objects.count() == _receptions().count() == 2


@pytest.mark.parametrize("token", ["short", "有中文的令牌有中文的令牌有中文的令牌", "x" * 65])
def test_a_damaged_form_token_is_refused(red, token):
    answer = _report(red, form_token=token)
    assert answer.status_code == 422
    assert 'data-error="form_token"' in answer.content.decode()
    assert not RedListReport.objects.exists()


def test_the_service_takes_a_form_once(red):
    content = {"facts": "该企业存在偷税行为", "evidence": "", "reporter_name": NAME,
               "reporter_contact": PHONE}  # fmt: skip
    token = services.new_form_token()
    first = services.receive_report(red.pk, form_token=token, **content)
    again = services.receive_report(red.pk, form_token=token, **content)
    assert (first.repeated, again.repeated) == (False, True)
    assert (again.report.pk, again.code) == (first.report.pk, first.code)
    assert services.codes_match(first.report, first.code)
    assert _receptions().count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks")
def test_the_same_form_sent_twice_at_once_makes_one_report(red, settings):
    """Both sendings find no report and both insert: the unique form token lets one in, and
    the other reads that report and shows its receipt, spending nothing."""
    settings.XINYONG_REPORTS_PER_HOUR = 2
    client = Client()
    token = _form_token(red, client)
    answers = []
    outcomes = race(
        lambda: answers.append(_report(red, Client(), form_token=token)),
        lambda: answers.append(_report(red, Client(), form_token=token)),
    )
    assert outcomes == ["ok", "ok"]
    assert [answer.status_code for answer in answers] == [200, 200]
    assert _receipt(answers[0]) == _receipt(answers[1])
    assert RedListReport.objects.count() == _receptions().count() == 1
    assert _report(red, client, form_token=_form_token(red, client)).status_code == 200
    assert _report(red, client, form_token=_form_token(red, client)).status_code == 429


# --- a decision refused on the office page is shown, with what the officer typed ---


def test_a_decision_on_a_report_decided_meanwhile_shows_the_refusal_and_the_typed_reasons(red):
    _report(red)
    report = RedListReport.objects.get()
    services.decide_report(report.pk, actor=_officer(red), founded=False, reasons="查无实据")
    late = Client()
    late.force_login(_officer(red))
    reasons = "经核查，该企业2026年偷税<属实>"
    answer = late.post(f"/office/reports/{report.pk}/", {"founded": "1", "reasons": reasons})
    page = answer.content.decode()
    assert answer.status_code == 409
    assert 'data-error="report-already-decided"' in page and "该举报已办结，不能再次处理" in page
    typed = re.search(r'data-field="refused-reasons">\n?([^<]*)</textarea>', page)[1]
    assert typed == "经核查，该企业2026年偷税&lt;属实&gt;"
    chosen = re.search(r'data-field="refused-founded">([^<]*)<', page)[1]
    assert chosen == "举报属实：移出名单"
    assert 'data-form="decide"' not in page  # nothing to send again: the first decision stands
    assert "查无实据" in page  # the decision that stands is on the page
    report.refresh_from_db()
    red.refresh_from_db()
    assert (report.state, report.reasons, red.state) == (
        ReportState.UNFOUNDED, "查无实据", EntryState.EFFECTIVE
    )  # fmt: skip


def test_the_receipt_with_its_code_is_kept_in_no_cache(red):
    answer = _report(red)
    assert answer.status_code == 200 and "no-store" in answer["Cache-Control"]


def test_reading_a_report_on_a_persons_entry_registers_both_persons():
    """The page shows the reporter in full and the reported person: two persons (R14)."""
    person = SubjectFactory(natural_person=True, name="李光明")
    entry = ListEntryFactory(
        subject=person, list=ListDefinitionFactory(kind=ListKind.RED), effective=True
    )
    _report(entry)
    report = RedListReport.objects.get()
    client = Client()
    client.force_login(_officer(entry))
    assert client.get(f"/office/reports/{report.pk}/").status_code == 200
    registered = QueryRegistration.objects.get()
    assert (registered.natural_persons, registered.subject_id) == (2, person.pk)


def _until(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the other session never got there"
        time.sleep(0.02)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks")
def test_a_report_dismissed_while_another_officer_ends_the_entry_reads_it_as_it_is(red):
    """One officer dismisses a report while another ends the entry at the subject's request.
    The decision holds the entry until it commits: either it comes first (the entry was still
    in force when found unfounded) or it reads the exit and closes the report. Never is a
    report found unfounded on an entry that had already exited (R7, R4).

    The test holds the report's row, so the decision stops just before writing it; the exit is
    then sent and runs as far as it can before the report's row is let go."""
    _report(red)
    report = RedListReport.objects.get()
    deciding, ending = _officer(red), _officer(red)
    outcomes: dict[str, str] = {}

    def run(name, call):
        try:
            with clock.frozen(DAY):
                call()
            outcomes[name] = "ok"
        except XinyongError as exc:
            outcomes[name] = exc.code
        finally:
            connections.close_all()

    decide = threading.Thread(target=run, args=("decide", lambda: services.decide_report(
        report.pk, actor=deciding, founded=False, reasons="查无实据")))  # fmt: skip
    end = threading.Thread(target=run, args=("exit", lambda: listings.exit_entry(
        red.pk, actor=ending, reason=ExitReason.REQUESTED, note="本人申请")))  # fmt: skip
    with transaction.atomic():
        RedListReport.objects.select_for_update().get(pk=report.pk)
        decide.start()
        _until(lambda: sessions_waiting_on_locks() == 1)
        end.start()
        _until(lambda: not end.is_alive() or sessions_waiting_on_locks() == 2)
    for thread in (decide, end):
        thread.join(timeout=30)
    assert outcomes == {"decide": "ok", "exit": "ok"}
    report.refresh_from_db()
    red.refresh_from_db()
    assert (red.state, red.exit_reason) == (EntryState.EXITED, ExitReason.REQUESTED)
    decided = AuditEntry.objects.exclude(action="report.receive").get(action__startswith="report.")
    exited = AuditEntry.objects.get(action="listing.exit")
    if report.state == ReportState.UNFOUNDED:
        assert decided.pk < exited.pk, "found unfounded after the entry had exited"
    else:
        assert report.state == ReportState.CLOSED and exited.pk < decided.pk
