"""Two officers act on one entry at the same moment: exactly one succeeds (row lock + version)."""

import pytest
from django.db import connection

from tests.factories import ListDefinitionFactory, ListEntryFactory, OfficerFactory, SubjectFactory
from tests.races import race
from xinyong.audit.models import AuditEntry
from xinyong.audit.selectors import verify_chain
from xinyong.listings import services
from xinyong.listings.models import EntryState, ExitReason, ListEntryEvent, ListKind

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks"),
]


@pytest.fixture
def setting():
    black = ListDefinitionFactory(kind=ListKind.BLACK)
    signers = [
        OfficerFactory(department=black.recognizing_department, signer=True).user for _ in range(2)
    ]
    return black, signers


@pytest.mark.parametrize("with_version", [True, False])
def test_two_signatures_at_once(setting, with_version):
    black, (first, second) = setting
    entry = ListEntryFactory(list=black, awaiting_signature=True)
    version = entry.version if with_version else None
    outcomes = race(
        lambda: services.sign_decision(entry.pk, actor=first, version=version),
        lambda: services.sign_decision(entry.pk, actor=second, version=version),
    )
    assert outcomes.count("ok") == 1, outcomes
    entry.refresh_from_db()
    assert entry.state == EntryState.EFFECTIVE
    assert ListEntryEvent.objects.filter(entry=entry, action="sign").count() == 1
    assert AuditEntry.objects.filter(action="listing.sign").count() == 1
    assert entry.announcements.count() == 1
    assert verify_chain().ok


def test_a_signature_and_a_withdrawal_at_once(setting):
    black, (first, second) = setting
    entry = ListEntryFactory(list=black, awaiting_signature=True)
    outcomes = race(
        lambda: services.sign_decision(entry.pk, actor=first, version=entry.version),
        lambda: services.reject_listing(entry.pk, actor=second, finding="不予列入",
                                        version=entry.version),
    )  # fmt: skip
    assert outcomes.count("ok") == 1, outcomes
    assert verify_chain().ok


def test_two_exits_at_once(setting):
    black, (first, second) = setting
    entry = ListEntryFactory(list=black, effective=True)
    outcomes = race(
        lambda: services.exit_entry(entry.pk, actor=first, reason=ExitReason.REPAIRED),
        lambda: services.exit_entry(entry.pk, actor=second, reason=ExitReason.CORRECTED),
    )
    assert outcomes.count("ok") == 1, outcomes
    assert "transition-not-allowed" in outcomes
    assert entry.events.filter(action="exit").count() == 1
    assert verify_chain().ok
    assert connection.vendor == "postgresql"


def test_two_proposals_of_the_same_subject_at_once(setting):
    black, (first, second) = setting
    subject = SubjectFactory()

    def propose(user):
        return lambda: services.propose_listing(
            actor=user, list_definition=black, subject=subject, facts="事实", basis="依据"
        )

    outcomes = race(propose(first), propose(second))
    assert sorted(outcomes) == ["already-listed", "ok"], outcomes
    assert verify_chain().ok


def test_a_red_and_a_black_signature_of_one_subject_at_once():
    """R2: whichever signs first, the subject ends on the black list alone. The red candidate
    is refused if the black entry committed first; otherwise the black signature ends the red
    entry it then sees."""
    subject = SubjectFactory()
    red, black = (
        ListDefinitionFactory(kind=ListKind.RED),
        ListDefinitionFactory(kind=ListKind.BLACK),
    )
    red_signer = OfficerFactory(department=red.recognizing_department, signer=True).user
    black_signer = OfficerFactory(department=black.recognizing_department, signer=True).user
    red_entry = ListEntryFactory(list=red, subject=subject, awaiting_signature=True)
    black_entry = ListEntryFactory(list=black, subject=subject, awaiting_signature=True)
    outcomes = race(
        lambda: services.sign_decision(red_entry.pk, actor=red_signer),
        lambda: services.sign_decision(black_entry.pk, actor=black_signer),
    )
    black_entry.refresh_from_db()
    red_entry.refresh_from_db()
    assert black_entry.state == EntryState.EFFECTIVE, outcomes
    assert red_entry.state != EntryState.EFFECTIVE, outcomes
    assert verify_chain().ok
