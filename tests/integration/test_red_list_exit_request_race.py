"""A request to leave a red list sent at the moment something else happens to its entry (R4;
PostgreSQL's row locks): two requests at once take one; a request and an exit at once never
leave a request pending on an entry that has ended."""

import pytest
from django.db import connection  # noqa: F401 (read by the skipif condition)

from tests.factories import (
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
    UserFactory,
)
from tests.races import race
from xinyong.access.models import SubjectAccount
from xinyong.audit.selectors import verify_chain
from xinyong.listings import services as listings
from xinyong.listings.models import EntryState, ExitReason, ListKind
from xinyong.remedies import red_list_exits
from xinyong.remedies.models import ExitRequestState, RedListExitRequest

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks"),
]


def _red_entry_and_account():
    subject = SubjectFactory()
    account = UserFactory()
    SubjectAccount.objects.create(user=account, subject=subject)
    entry = ListEntryFactory(
        subject=subject, list=ListDefinitionFactory(kind=ListKind.RED), effective=True
    )
    return entry, account


def _ask(entry, account, statement):
    return lambda: red_list_exits.request_red_list_exit(
        entry.pk, actor=account, statement=statement
    )


def test_two_requests_at_once_take_one():
    entry, account = _red_entry_and_account()
    outcomes = race(_ask(entry, account, "第一次"), _ask(entry, account, "第二次"))
    assert sorted(outcomes) == ["exit-request-pending", "ok"], outcomes
    assert RedListExitRequest.objects.filter(state=ExitRequestState.PENDING).count() == 1
    assert verify_chain().ok


@pytest.mark.parametrize("reason", [ExitReason.REQUESTED, ExitReason.CORRECTED])
def test_a_request_sent_while_its_entry_exits_is_never_left_pending(reason):
    """Either the exit comes first and the request is refused, or the request does and the
    exit answers it: done on the request, closed on another reason."""
    entry, account = _red_entry_and_account()
    officer = OfficerFactory(department=entry.list.recognizing_department).user

    def exit_it():
        listings.exit_entry(entry.pk, actor=officer, reason=reason, note="移出")

    outcomes = race(_ask(entry, account, "申请退出"), exit_it)
    entry.refresh_from_db()
    assert entry.state == EntryState.EXITED and outcomes[1] == "ok", outcomes
    assert not RedListExitRequest.objects.filter(state=ExitRequestState.PENDING).exists()
    if outcomes[0] == "ok":
        expected = ExitRequestState.DONE if reason == ExitReason.REQUESTED else "closed"
        assert RedListExitRequest.objects.get().state == expected
    else:
        assert outcomes[0] == "exit-request-not-in-force"
        assert not RedListExitRequest.objects.exists()
    assert verify_chain().ok
