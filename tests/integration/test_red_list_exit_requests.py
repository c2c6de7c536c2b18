"""A subject asks online to leave a red list, and the department exits the entry on that request
(R4, 000 §十.2: 依红名单主体主动申请删除…的，认定部门应将相关主体从红名单中删除).

The subject asks from its own page, for its own red entry in force, once at a time; the request
records who asked, when and why. The recognizing department then ends the entry with the reason
``requested``: announced on the listing's channel, rewards stopped, the request marked done in the
same transaction. Until then the worklist shows the entry as a task. An exit for another reason
(expiry, blacklisting, correction) closes the request as no longer needed."""

import datetime as dt

import pytest
from django.test import Client

from tests import red_list_exits as shared
from tests.factories import (
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
    UserFactory,
)
from tests.red_list_exits import ASKED, EXITED, NOT_IN_FORCE, exit_entry, officer_of, red_entry
from tests.subject_remedies import logged_in
from xinyong.access.models import SubjectAccount
from xinyong.audit.models import AuditEntry
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import selectors
from xinyong.listings import services as listings
from xinyong.listings.decision_records import Announcement
from xinyong.listings.models import EntryState, ExitReason, ListKind
from xinyong.listings.tick import run_tick
from xinyong.remedies import red_list_exits
from xinyong.remedies.models import ExitRequestState, RedListExitRequest

pytestmark = pytest.mark.django_db
D = dt.date
# the shared fixtures
me, account, client, red_list = shared.me, shared.account, shared.client, shared.red_list


def _office(entry) -> Client:
    return logged_in(officer_of(entry))


def _ask(entry, account, day=ASKED, statement="本企业主动申请退出红名单"):
    with clock.frozen(day):
        return red_list_exits.request_red_list_exit(entry.pk, actor=account, statement=statement)


def _refusal(entry, account, day=ASKED) -> XinyongError:
    with pytest.raises(XinyongError) as refused:
        _ask(entry, account, day)
    return refused.value


# The service ---------------------------------------------------------------------------------


def test_the_subject_asks_to_leave_its_red_entry_in_force(me, account, red_list):
    entry = red_entry(me, red_list)
    request = _ask(entry, account)
    assert (request.entry, request.account, request.received_on) == (entry, account, ASKED)
    assert request.state == ExitRequestState.PENDING
    assert request.statement == "本企业主动申请退出红名单"
    assert request.decided_on is None and request.exit_event is None
    [row] = AuditEntry.objects.filter(object_type="remedies.redlistexitrequest")
    assert (row.action, row.object_id, row.actor) == (
        "remedies.red_list_exit.request", str(request.pk), "zhuti",
    )  # fmt: skip
    assert row.after["state"] == "pending" and row.reason == "本企业主动申请退出红名单"
    # Asking ends nothing by itself: the department exits the entry and announces it (R4).
    entry.refresh_from_db()
    assert entry.state == EntryState.EFFECTIVE and not entry.announcements.exists()


def test_another_subjects_entry_is_not_found(account, red_list):
    entry = red_entry(SubjectFactory(), red_list)
    refused = _refusal(entry, account)
    assert (refused.code, refused.status) == ("entry-not-found", 404)
    assert not RedListExitRequest.objects.exists()


def test_only_a_subjects_own_account_asks():
    officer_user = OfficerFactory().user
    entry = red_entry(SubjectFactory(), ListDefinitionFactory(kind=ListKind.RED))
    refused = _refusal(entry, officer_user)
    assert refused.status == 403
    assert not RedListExitRequest.objects.exists()


@pytest.mark.parametrize("kind", [ListKind.BLACK, ListKind.KEY_ATTENTION])
def test_an_entry_on_another_kind_of_list_is_refused(me, account, kind):
    entry = ListEntryFactory(subject=me, list=ListDefinitionFactory(kind=kind), effective=True)
    refused = _refusal(entry, account)
    assert refused.code == "exit-request-not-red"
    assert "红名单" in refused.message and "信用修复" in refused.message
    assert not RedListExitRequest.objects.exists()


@pytest.mark.parametrize(("fields", "says"), NOT_IN_FORCE)
def test_an_entry_not_in_force_is_refused(me, account, red_list, fields, says):
    entry = red_entry(me, red_list, **fields)
    refused = _refusal(entry, account)
    assert refused.code == "exit-request-not-in-force"
    assert says in refused.message
    assert not RedListExitRequest.objects.exists()


def test_the_last_day_of_validity_still_takes_a_request(me, account, red_list):
    entry = red_entry(me, red_list, valid_until=ASKED)
    assert _ask(entry, account).state == ExitRequestState.PENDING


def test_a_second_request_while_one_is_pending_is_refused(me, account, red_list):
    entry = red_entry(me, red_list)
    _ask(entry, account)
    refused = _refusal(entry, account, day=ASKED + dt.timedelta(days=1))
    assert (refused.code, refused.status) == ("exit-request-pending", 409)
    assert RedListExitRequest.objects.count() == 1


def test_an_entry_under_objection_takes_the_request_which_waits_for_the_finding(
    me, account, red_list
):
    """The department answers the objection first (R6: the objector is owed the finding), then
    exits the entry on the request; the subject need not come back to ask again."""
    entry = red_entry(me, red_list)
    with clock.frozen(ASKED):
        listings.record_objection(
            entry.pk, actor=officer_of(entry), objector=me.name, grounds="事实有误"
        )
    request = _ask(entry, account)
    assert request.state == ExitRequestState.PENDING
    with pytest.raises(XinyongError) as refused:
        exit_entry(entry, ExitReason.REQUESTED)
    assert refused.value.code == "objection-pending"
    request.refresh_from_db()
    assert request.state == ExitRequestState.PENDING


# The department's exit -----------------------------------------------------------------------


def test_the_exit_on_the_request_marks_it_done_with_the_exit_it_led_to(me, account, red_list):
    entry = red_entry(me, red_list)
    request = _ask(entry, account)
    exit_entry(entry, ExitReason.REQUESTED, note="应当事人申请")
    request.refresh_from_db()
    assert (entry.state, entry.exit_reason, entry.exited_on) == (
        EntryState.EXITED, ExitReason.REQUESTED, EXITED,
    )  # fmt: skip
    exit_event = entry.events.get(action="exit")
    assert (request.state, request.decided_on, request.exit_event) == (
        ExitRequestState.DONE, EXITED, exit_event,
    )  # fmt: skip
    assert request.decided_by == exit_event.actor
    # Announced on the listing's channel as every exit is (R4).
    assert entry.announcements.filter(kind=Announcement.Kind.EXIT).count() == 1
    rows = AuditEntry.objects.filter(object_type="remedies.redlistexitrequest").order_by("seq")
    assert [row.action for row in rows] == [
        "remedies.red_list_exit.request", "remedies.red_list_exit.done",
    ]  # fmt: skip
    assert (rows[1].before["state"], rows[1].after["state"]) == ("pending", "done")


def test_a_refused_exit_leaves_the_request_pending(me, account, red_list):
    """The exit and the request's end are one transaction: an exit refused changes neither."""
    entry = red_entry(me, red_list)
    request = _ask(entry, account)
    with clock.frozen(EXITED), pytest.raises(XinyongError):
        listings.exit_entry(
            entry.pk,
            actor=officer_of(entry),
            reason=ExitReason.REQUESTED,
            version=entry.version + 5,
        )
    request.refresh_from_db()
    assert request.state == ExitRequestState.PENDING
    assert not AuditEntry.objects.filter(action="remedies.red_list_exit.done").exists()


def test_after_the_exit_the_subject_may_be_listed_and_ask_again(me, account, red_list):
    entry = red_entry(me, red_list)
    _ask(entry, account)
    exit_entry(entry, ExitReason.REQUESTED)
    again = red_entry(me, red_list)
    assert _ask(again, account, day=EXITED).state == ExitRequestState.PENDING


def _corrected(entry):
    exit_entry(entry, ExitReason.CORRECTED, note="认定有误")


def _expired_by_the_daily_job(entry):
    with clock.frozen(D(2026, 11, 23)):
        run_tick(D(2026, 11, 23))
    entry.refresh_from_db()


def _blacklisted(entry):
    black = ListEntryFactory(
        subject=entry.subject, list=ListDefinitionFactory(kind=ListKind.BLACK),
        awaiting_signature=True,
    )  # fmt: skip
    signer = OfficerFactory(department=black.list.recognizing_department, signer=True).user
    with clock.frozen(EXITED):
        listings.sign_decision(black.pk, actor=signer)
    entry.refresh_from_db()


@pytest.mark.parametrize(
    ("end", "reason", "why"),
    [
        (_corrected, ExitReason.CORRECTED, "2026-11-18经核实认定有误，予以更正并移出"),
        (_expired_by_the_daily_job, ExitReason.EXPIRED, "2026-11-21因有效期届满移出"),
        (_blacklisted, ExitReason.BLACKLISTED, "2026-11-18因列入严重失信主体名单移出"),
    ],
    ids=["corrected", "expired", "blacklisted"],
)
def test_an_exit_for_another_reason_closes_the_request(me, account, red_list, end, reason, why):
    entry = red_entry(me, red_list, valid_until=D(2026, 11, 20))
    request = _ask(entry, account)
    end(entry)
    request.refresh_from_db()
    assert (entry.state, entry.exit_reason) == (EntryState.EXITED, reason)
    assert request.state == ExitRequestState.CLOSED and request.exit_event is None
    assert request.closed_reason == f"该名单记录已于{why}，退出红名单申请随之终止办理。"
    close = AuditEntry.objects.get(action="remedies.red_list_exit.close")
    assert (close.object_id, close.before["state"], close.after["state"]) == (
        str(request.pk), "pending", "closed",
    )  # fmt: skip


# The worklist --------------------------------------------------------------------------------


def test_the_worklist_shows_and_counts_the_entry_to_exit_on_request(me, account, red_list):
    entry = red_entry(me, red_list)
    red_entry(SubjectFactory(), red_list)  # in force, nobody asked
    officer = officer_of(entry)
    with clock.frozen(ASKED):
        assert selectors.worklist(officer, ASKED) == []
    _ask(entry, account)
    with clock.frozen(ASKED):
        [item] = selectors.worklist(officer, ASKED)
        counts = selectors.worklist_counts(officer)
        html = _office(entry).get("/office/").content.decode()
    assert (item.entry, item.task, item.due_on) == (entry, "exit_on_request", None)
    assert counts == {"exit_on_request": 1}
    assert 'data-task="exit_on_request" data-count="1"' in html
    assert f'href="/office/entries/{entry.pk}/"' in html
    exit_entry(entry, ExitReason.REQUESTED)
    with clock.frozen(EXITED):
        assert selectors.worklist(officer, EXITED) == []
        assert selectors.worklist_counts(officer) == {}


def test_an_objection_open_is_verified_first_on_the_worklist(me, account, red_list):
    entry = red_entry(me, red_list)
    officer = officer_of(entry)
    _ask(entry, account)
    with clock.frozen(ASKED):
        listings.record_objection(entry.pk, actor=officer, objector=me.name, grounds="事实有误")
        [item] = selectors.worklist(officer, ASKED)
        assert item.task == "verify"
        assert selectors.worklist_counts(officer) == {"verify": 1}
        listings.uphold_after_verification(entry.pk, actor=officer, finding="异议不成立")
        [item] = selectors.worklist(officer, ASKED)
        assert item.task == "exit_on_request"


def test_a_pending_request_past_the_entrys_validity_is_no_task(me, account, red_list):
    """Ended by expiry the day after its last day (R4): the daily job closes the request."""
    entry = red_entry(me, red_list, valid_until=ASKED)
    _ask(entry, account)
    officer = officer_of(entry)
    day_after = ASKED + dt.timedelta(days=1)
    with clock.frozen(day_after):
        assert selectors.worklist(officer, day_after) == []
        assert selectors.worklist_counts(officer) == {}


def test_another_departments_worklist_does_not_show_it(me, account, red_list):
    entry = red_entry(me, red_list)
    _ask(entry, account)
    stranger = OfficerFactory().user
    with clock.frozen(ASKED):
        assert selectors.worklist(stranger, ASKED) == []
        assert selectors.worklist_counts(stranger) == {}


# The office entry page -----------------------------------------------------------------------


def _section(html: str, marker: str) -> str:
    start = html.index(marker)
    return html[start : html.index("</section>", start)]


def test_the_entry_page_shows_who_asked_masked_when_and_why_and_preselects_the_reason(red_list):
    person = SubjectFactory(natural_person=True, name="欧阳娜娜")
    user = UserFactory(username="ouyang")
    SubjectAccount.objects.create(user=user, subject=person)
    entry = red_entry(person, red_list)
    _ask(entry, user, statement="本人申请退出红名单")
    with clock.frozen(EXITED):
        html = _office(entry).get(f"/office/entries/{entry.pk}/").content.decode()
    shown = _section(html, 'data-section="red-list-exit"')
    assert "欧阳某" in shown and "欧阳娜娜" not in shown and "ouyang" not in shown
    assert "2026-11-16" in shown and "本人申请退出红名单" in shown
    assert 'data-exit-request="pending"' in shown
    exit_form = html[html.index('data-action="exit"') :]
    exit_form = exit_form[: exit_form.index("</form>")]
    assert '<option value="requested" selected>' in exit_form


def test_the_entry_page_without_a_request_preselects_nothing_and_shows_no_section(me, red_list):
    entry = red_entry(me, red_list)
    with clock.frozen(EXITED):
        html = _office(entry).get(f"/office/entries/{entry.pk}/").content.decode()
    assert 'data-section="red-list-exit"' not in html
    assert '<option value="requested" selected>' not in html


def test_exiting_from_the_office_page_marks_the_request_done(me, account, red_list):
    entry = red_entry(me, red_list)
    request = _ask(entry, account)
    office = _office(entry)
    with clock.frozen(EXITED):
        answer = office.post(
            f"/office/entries/{entry.pk}/exit/",
            {"version": entry.version, "reason": "requested", "note": "应当事人申请"},
        )
        assert answer.status_code == 302
        html = office.get(f"/office/entries/{entry.pk}/").content.decode()
    request.refresh_from_db()
    assert request.state == ExitRequestState.DONE
    assert 'data-exit-request="done"' in _section(html, 'data-section="red-list-exit"')


# The subject's own page ----------------------------------------------------------------------


def _my(client, day=ASKED) -> str:
    with clock.frozen(day):
        return client.get("/my/").content.decode()


def _leave_section(html: str, entry) -> str:
    return _section(html, f'data-red-list-exit="{entry.pk}"')


def test_my_page_offers_the_form_on_each_red_entry_in_force_only(client, me, red_list):
    red = red_entry(me, red_list)
    ended = red_entry(me, ListDefinitionFactory(kind=ListKind.RED), effective=False, exited=True)
    black = ListEntryFactory(subject=me, list=ListDefinitionFactory(kind=ListKind.BLACK),
                             effective=True)  # fmt: skip
    html = _my(client)
    form = _leave_section(html, red)
    assert f'action="/my/entries/{red.pk}/leave-red-list/"' in form
    assert 'method="post"' in form and "csrfmiddlewaretoken" in form
    assert 'name="statement"' in form and 'data-action="leave-red-list"' in form
    assert f'data-red-list-exit="{ended.pk}"' not in html
    assert f'data-red-list-exit="{black.pk}"' not in html
    assert f"/my/entries/{black.pk}/leave-red-list/" not in html


def test_asking_from_my_page_records_it_and_shows_its_status(client, me, account, red_list):
    entry = red_entry(me, red_list)
    with clock.frozen(ASKED):
        answer = client.post(
            f"/my/entries/{entry.pk}/leave-red-list/", {"statement": "主动申请退出"}
        )
    assert answer.status_code == 302
    assert answer["Location"] == f"/my/#red-list-exit-{entry.pk}"
    request = RedListExitRequest.objects.get()
    assert (request.account, request.statement, request.received_on) == (
        account, "主动申请退出", ASKED,
    )  # fmt: skip
    shown = _leave_section(_my(client), entry)
    assert 'data-exit-request="pending"' in shown and "2026-11-16" in shown
    assert "主动申请退出" in shown
    assert 'data-action="leave-red-list"' not in shown  # not twice while one is pending
    exit_entry(entry, ExitReason.REQUESTED)
    shown = _leave_section(_my(client, EXITED), entry)
    assert 'data-exit-request="done"' in shown and "2026-11-18" in shown
    assert 'data-action="leave-red-list"' not in shown


def test_a_closed_request_tells_the_subject_why(client, me, account, red_list):
    entry = red_entry(me, red_list)
    _ask(entry, account)
    exit_entry(entry, ExitReason.CORRECTED, note="认定有误")
    shown = _leave_section(_my(client, EXITED), entry)
    assert 'data-exit-request="closed"' in shown
    assert "经核实认定有误，予以更正并移出，退出红名单申请随之终止办理" in shown


def test_the_statement_is_optional(client, me, red_list):
    entry = red_entry(me, red_list)
    with clock.frozen(ASKED):
        answer = client.post(f"/my/entries/{entry.pk}/leave-red-list/", {"statement": ""})
    assert answer.status_code == 302
    assert RedListExitRequest.objects.get().statement == ""


def test_the_form_page_shows_what_leaving_means(client, me, red_list):
    entry = red_entry(me, red_list)
    with clock.frozen(ASKED):
        page = client.get(f"/my/entries/{entry.pk}/leave-red-list/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-field="leave-red-list-means"' in html and 'data-action="leave-red-list"' in html


def test_asking_twice_from_the_page_is_refused_with_the_reason(client, me, red_list):
    entry = red_entry(me, red_list)
    url = f"/my/entries/{entry.pk}/leave-red-list/"
    with clock.frozen(ASKED):
        client.post(url, {"statement": ""})
        again = client.post(url, {"statement": "再次申请"})
    assert again.status_code == 409
    assert 'data-error="exit-request-pending"' in again.content.decode()
    assert RedListExitRequest.objects.count() == 1


def test_a_black_entry_on_the_form_page_is_refused_with_the_reason(client, me):
    entry = ListEntryFactory(subject=me, list=ListDefinitionFactory(kind=ListKind.BLACK),
                             effective=True)  # fmt: skip
    with clock.frozen(ASKED):
        answer = client.post(f"/my/entries/{entry.pk}/leave-red-list/", {"statement": ""})
    assert answer.status_code == 422
    assert 'data-error="exit-request-not-red"' in answer.content.decode()
    assert not RedListExitRequest.objects.exists()


def test_another_subjects_entry_answers_404_on_the_page(client, red_list):
    entry = red_entry(SubjectFactory(), red_list)
    url = f"/my/entries/{entry.pk}/leave-red-list/"
    with clock.frozen(ASKED):
        assert client.get(url).status_code == 404
        assert client.post(url, {"statement": ""}).status_code == 404
    assert not RedListExitRequest.objects.exists()


def test_the_form_needs_the_csrf_token(me, account, red_list):
    entry = red_entry(me, red_list)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(account)
    with clock.frozen(ASKED):
        answer = strict.post(f"/my/entries/{entry.pk}/leave-red-list/", {"statement": ""})
    assert answer.status_code == 403
    assert not RedListExitRequest.objects.exists()


def test_an_officer_cannot_use_the_subjects_form(red_list):
    entry = red_entry(SubjectFactory(), red_list)
    office = _office(entry)
    with clock.frozen(ASKED):
        answer = office.post(f"/my/entries/{entry.pk}/leave-red-list/", {"statement": ""})
    assert answer.status_code == 403
    assert not RedListExitRequest.objects.exists()


def test_the_forms_have_their_own_ids_and_name_their_errors(client, me, red_list):
    """Two red entries on one page, and a statement too long on the form's page: no id given
    twice, none named that is missing (GB/T 37668-2019)."""
    from tests.html_checks import dangling_references, duplicate_ids

    entry = red_entry(me, red_list)
    red_entry(me, ListDefinitionFactory(kind=ListKind.RED))
    html = _my(client)
    assert html.count('data-action="leave-red-list"') == 2
    assert duplicate_ids(html) == [] and dangling_references(html) == []
    with clock.frozen(ASKED):
        answer = client.post(
            f"/my/entries/{entry.pk}/leave-red-list/",
            {"statement": "长" * (red_list_exits.STATEMENT_MAX_CHARS + 1)},
        )
    assert answer.status_code == 422
    page = answer.content.decode()
    assert 'href="#id_leave_statement"' in page and 'id="id_leave_statement"' in page
    assert duplicate_ids(page) == [] and dangling_references(page) == []
    assert not RedListExitRequest.objects.exists()
