"""A subject asks through its own API to leave a red list, and reads its requests there (R4, 000
§十.2; R14: its own entries only).

``POST /api/v1/me/entries/{entry_id}/leave-red-list`` is the portal's form over HTTP: the same
service, the same refusals with the same codes, as JSON; ``GET /api/v1/me`` lists the subject's
red entries with whether it may ask now and its requests, with their state, the day each was
received and decided, and the exit it led to. Only the subject's own account calls them: an
officer's session or token is refused by the authorization matrix."""

import datetime as dt

import pytest
from django.test import Client

from tests import red_list_exits as shared
from tests.factories import (
    ListDefinitionFactory,
    ListEntryFactory,
    SubjectFactory,
    UserFactory,
)
from tests.red_list_exits import ASKED, EXITED, NOT_IN_FORCE, exit_entry, officer_of, red_entry
from tests.subject_remedies import logged_in
from xinyong.access.middleware import REFUSAL_HEADER
from xinyong.access.models import SubjectAccount
from xinyong.api import tokens
from xinyong.audit.models import AuditEntry
from xinyong.core import clock
from xinyong.listings.models import EntryState, ExitReason, ListKind
from xinyong.remedies import red_list_exits
from xinyong.remedies.models import ExitRequestState, RedListExitRequest

pytestmark = pytest.mark.django_db
D = dt.date
me, account, red_list = shared.me, shared.account, shared.red_list  # the shared fixtures
PATH = "/api/v1/me/entries/{entry_id}/leave-red-list"


@pytest.fixture
def api(account) -> Client:
    return logged_in(account)


def _ask(client, entry, body=None, day=ASKED, **extra):
    with clock.frozen(day):
        if body is None:  # no body at all, no content type: as ``curl -X POST`` sends it
            return client.generic("POST", PATH.format(entry_id=entry.pk), **extra)
        return client.post(
            PATH.format(entry_id=entry.pk), body, content_type="application/json", **extra
        )


def _me(client, day=ASKED) -> dict:
    with clock.frozen(day):
        answer = client.get("/api/v1/me")
    assert answer.status_code == 200, answer.content
    return answer.json()


# Asking ---------------------------------------------------------------------------------------


def test_the_subject_asks_to_leave_its_red_entry_through_the_api(api, me, account, red_list):
    entry = red_entry(me, red_list)
    answer = _ask(api, entry, {"statement": "  本企业主动申请退出红名单  "})
    assert answer.status_code == 201, answer.content
    request = RedListExitRequest.objects.get()
    assert (request.entry, request.account, request.received_on) == (entry, account, ASKED)
    assert request.statement == "本企业主动申请退出红名单"
    assert answer.json() == {
        "id": request.pk, "entry_id": entry.pk, "state": "pending", "received_on": "2026-11-16",
        "statement": "本企业主动申请退出红名单", "decided_on": None, "closed_reason": "",
        "exit": None,
    }  # fmt: skip
    [row] = AuditEntry.objects.filter(action="remedies.red_list_exit.request")
    assert (row.object_id, row.actor) == (str(request.pk), "zhuti")
    entry.refresh_from_db()
    assert entry.state == EntryState.EFFECTIVE  # asking ends nothing by itself (R4)


@pytest.mark.parametrize("body", [None, {}], ids=["no body", "empty object"])
def test_the_statement_is_optional(api, me, red_list, body):
    entry = red_entry(me, red_list)
    answer = _ask(api, entry, body)
    assert answer.status_code == 201, answer.content
    assert RedListExitRequest.objects.get().statement == ""


def _refused(answer, status: int, code: str) -> dict:
    assert answer.status_code == status, answer.content
    body = answer.json()
    assert body["code"] == code and body["message"]
    assert answer.get(REFUSAL_HEADER) is None  # the service's refusal, not the access layer's
    return body


def test_another_subjects_entry_answers_404_as_a_missing_one(api, red_list):
    entry = red_entry(SubjectFactory(name="他人公司"), red_list)
    body = _refused(_ask(api, entry, {}), 404, "entry-not-found")
    assert "他人公司" not in str(body)
    with clock.frozen(ASKED):
        missing = api.post(PATH.format(entry_id=999999), {}, content_type="application/json")
    assert missing.json() == body
    assert not RedListExitRequest.objects.exists()


@pytest.mark.parametrize("kind", [ListKind.BLACK, ListKind.KEY_ATTENTION])
def test_an_entry_on_another_kind_of_list_is_refused_422(api, me, kind):
    entry = ListEntryFactory(subject=me, list=ListDefinitionFactory(kind=kind), effective=True)
    body = _refused(_ask(api, entry, {}), 422, "exit-request-not-red")
    assert "信用修复" in body["message"]
    assert not RedListExitRequest.objects.exists()


@pytest.mark.parametrize(("fields", "says"), NOT_IN_FORCE)
def test_an_entry_not_in_force_is_refused_409(api, me, red_list, fields, says):
    entry = red_entry(me, red_list, **fields)
    body = _refused(_ask(api, entry, {}), 409, "exit-request-not-in-force")
    assert says in body["message"]
    assert not RedListExitRequest.objects.exists()


def test_a_second_request_while_one_is_pending_is_refused_409(api, me, red_list):
    entry = red_entry(me, red_list)
    assert _ask(api, entry, {}).status_code == 201
    _refused(_ask(api, entry, {"statement": "再次申请"}), 409, "exit-request-pending")
    assert RedListExitRequest.objects.count() == 1


def test_a_statement_too_long_is_refused_with_the_services_code(api, me, red_list):
    entry = red_entry(me, red_list)
    long = "长" * (red_list_exits.STATEMENT_MAX_CHARS + 1)
    _refused(_ask(api, entry, {"statement": long}), 422, "exit-request-statement-too-long")
    assert not RedListExitRequest.objects.exists()


@pytest.mark.parametrize(
    "body", [{"statement": "含\x00空字符"}, {"statement": 5}], ids=["nul", "not text"]
)
def test_a_statement_that_is_no_storable_text_is_refused_422(api, me, red_list, body):
    entry = red_entry(me, red_list)
    _refused(_ask(api, entry, body), 422, "invalid-request")
    assert not RedListExitRequest.objects.exists()


def test_an_unreadable_body_is_refused_400(api, me, red_list):
    entry = red_entry(me, red_list)
    with clock.frozen(ASKED):
        answer = api.post(PATH.format(entry_id=entry.pk), "{", content_type="application/json")
    assert answer.status_code == 400 and answer.json()["code"]
    assert not RedListExitRequest.objects.exists()


# Who may call ---------------------------------------------------------------------------------


def test_an_officers_session_is_refused_by_the_matrix(me, red_list):
    entry = red_entry(me, red_list)
    office = Client()
    office.force_login(officer_of(entry))
    answer = _ask(office, entry, {})
    assert (answer.status_code, answer[REFUSAL_HEADER]) == (403, "denied")
    assert answer.json()["code"] == "access-denied"
    with clock.frozen(ASKED):
        assert office.get("/api/v1/me")[REFUSAL_HEADER] == "denied"
    assert not RedListExitRequest.objects.exists()


def test_an_officers_token_is_refused_by_the_matrix(me, red_list):
    entry = red_entry(me, red_list)
    token, _ = tokens.create_token(actor="test", user=officer_of(entry))
    system = Client(headers={"Authorization": f"Bearer {token}"})
    answer = _ask(system, entry, {})
    assert (answer.status_code, answer[REFUSAL_HEADER]) == (403, "denied")
    assert not RedListExitRequest.objects.exists()


def test_without_credentials_the_call_is_refused_401(me, red_list):
    entry = red_entry(me, red_list)
    answer = _ask(Client(), entry, {})
    assert (answer.status_code, answer[REFUSAL_HEADER]) == (401, "unauthenticated")
    assert not RedListExitRequest.objects.exists()


def test_the_subjects_own_token_asks_too(me, account, red_list):
    entry = red_entry(me, red_list)
    token, _ = tokens.create_token(actor="test", user=account)
    own = Client(headers={"Authorization": f"Bearer {token}"})
    assert _ask(own, entry, {}).status_code == 201
    assert RedListExitRequest.objects.get().account == account


def test_a_session_call_needs_the_csrf_token(me, account, red_list):
    entry = red_entry(me, red_list)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(account)
    _refused(_ask(strict, entry, {}), 403, "csrf-failed")
    assert not RedListExitRequest.objects.exists()


# Reading them back ----------------------------------------------------------------------------


def _rows(client, day=ASKED) -> dict[int, dict]:
    return {row["entry_id"]: row for row in _me(client, day)["red_list_exits"]}


def test_me_lists_each_red_entry_in_force_with_whether_it_may_ask(api, me, red_list):
    red = red_entry(me, red_list)
    red_entry(me, ListDefinitionFactory(kind=ListKind.RED), effective=False, exited=True)
    ListEntryFactory(subject=me, list=ListDefinitionFactory(kind=ListKind.BLACK), effective=True)
    assert _rows(api) == {
        red.pk: {"entry_id": red.pk, "list": red_list.code, "list_name": "纳税信用A级红名单",
                 "kind": "red", "may_ask": True, "requests": []},
    }  # fmt: skip


def test_me_shows_a_pending_request_then_the_exit_it_led_to(api, me, red_list):
    entry = red_entry(me, red_list)
    _ask(api, entry, {"statement": "主动申请退出"})
    row = _rows(api)[entry.pk]
    assert row["may_ask"] is False  # not twice while one is pending
    [pending] = row["requests"]
    assert (pending["state"], pending["received_on"], pending["statement"]) == (
        "pending", "2026-11-16", "主动申请退出",
    )  # fmt: skip
    assert pending["decided_on"] is None and pending["exit"] is None
    exit_entry(entry, ExitReason.REQUESTED, note="应当事人申请")
    [done] = _rows(api, EXITED)[entry.pk]["requests"]
    assert (done["id"], done["state"], done["decided_on"]) == (pending["id"], "done", "2026-11-18")
    assert done["exit"] == {"exited_on": "2026-11-18", "exit_reason": ExitReason.REQUESTED}
    assert _rows(api, EXITED)[entry.pk]["may_ask"] is False  # the entry has ended


def test_me_tells_why_a_request_was_closed(api, me, red_list):
    entry = red_entry(me, red_list)
    _ask(api, entry, {})
    exit_entry(entry, ExitReason.CORRECTED, note="认定有误")
    [closed] = _rows(api, EXITED)[entry.pk]["requests"]
    assert (closed["state"], closed["decided_on"], closed["exit"]) == (
        ExitRequestState.CLOSED, "2026-11-18", None,
    )  # fmt: skip
    assert "经核实认定有误，予以更正并移出，退出红名单申请随之终止办理" in closed["closed_reason"]


def test_me_shows_none_of_another_subjects_requests(api, me, red_list):
    other = SubjectFactory(name="他人公司")
    theirs = red_entry(other, red_list)
    their_account = UserFactory()
    SubjectAccount.objects.create(user=their_account, subject=other)
    with clock.frozen(ASKED):
        red_list_exits.request_red_list_exit(theirs.pk, actor=their_account, statement="他人说明")
    answer = _me(api)
    assert answer["red_list_exits"] == []
    assert "他人说明" not in str(answer) and "他人公司" not in str(answer)


# The schema -----------------------------------------------------------------------------------


def test_the_operations_document_their_refusals(client):
    schema = client.get("/api/v1/openapi.json").json()
    post = schema["paths"]["/api/v1/me/entries/{entry_id}/leave-red-list"]["post"]
    assert {"201", "400", "401", "403", "404", "409", "413", "422", "429"} <= set(post["responses"])
    assert post["tags"] == ["me"]
    me = schema["components"]["schemas"]["MeOut"]
    assert "red_list_exits" in me["required"]
