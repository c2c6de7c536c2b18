"""A black-list proposal from key attention (R3, 003 §四) whose key-attention listing was found
wrong after the daily job proposed it rests on nothing (R6, 000 §十一.3): it is not signed, and
the office page says why and offers only what the department may still do (reject or withdraw
it, then propose anew on another basis). One whose key attention stands is signed as ever."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.test import Client

from tests.factories import (
    CreditRecordFactory,
    DomainFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    meeting_of,
)
from tests.races import in_thread, until_another_waits
from tests.ticks import tick
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import daily_job_lock, selectors, services
from xinyong.listings.models import EntryState, ExitReason, ListEntry, ListKind

D = dt.date
PROPOSED = D(2026, 9, 18)  # the daily job proposes; publicity from 09-21 to 10-26
SIGNING = D(2026, 10, 27)  # the first day after the publicity
ATTENTION_UNTIL = D(2027, 3, 1)


class Case:
    """Key attention with a serious record during it, the black list of its domain, and the
    proposal the daily job made from it, with an officer and a signer of each department."""

    def __init__(self, *, valid_until=ATTENTION_UNTIL):
        domain = DomainFactory()
        self.black = ListDefinitionFactory(kind=ListKind.BLACK, domain=domain)
        self.attention = ListEntryFactory(
            list=ListDefinitionFactory(kind=ListKind.KEY_ATTENTION, domain=domain),
            effective=True, effective_on=D(2026, 3, 1), valid_until=valid_until,
        )  # fmt: skip
        CreditRecordFactory(
            subject=self.attention.subject, is_serious=True, decision_date=D(2026, 6, 1)
        )
        department = self.black.recognizing_department
        self.officer = OfficerFactory(department=department).user
        self.signer = OfficerFactory(department=department, signer=True).user
        self.attention_officer = OfficerFactory(
            department=self.attention.list.recognizing_department
        ).user
        assert tick(PROPOSED).proposals == 1
        self.proposal = ListEntry.objects.get(list=self.black, origin=self.attention)

    def publicize(self) -> None:
        with clock.frozen(D(2026, 9, 21)):
            services.notify_subject(
                self.proposal.pk, actor=self.officer, **meeting_of(self.proposal.pk)
            )
            services.start_publicity(self.proposal.pk, actor=self.officer)

    def to_signature(self) -> None:
        self.publicize()
        tick(SIGNING)  # the publicity over, it awaits the signature
        self.proposal.refresh_from_db()
        assert self.proposal.state == EntryState.AWAITING_SIGNATURE

    def awaiting_signature(self) -> None:
        """Put where ``to_signature`` puts it, as the factories' trait does: a test that commits
        starts with the tables emptied, the holiday calendar too, which the publicity counts on."""
        ListEntry.objects.filter(pk=self.proposal.pk).update(
            state=EntryState.AWAITING_SIGNATURE, publicity_starts_on=D(2026, 9, 21),
            publicity_ends_on=D(2026, 10, 26),
        )  # fmt: skip

    def find_attention_wrong(self, day: dt.date) -> None:
        """A founded objection to the key attention in force: it exits as corrected (R6)."""
        with clock.frozen(day):
            services.record_objection(
                self.attention.pk, actor=self.attention_officer, objector="当事人",
                grounds="未有该违法行为",
            )  # fmt: skip
            services.exit_entry(
                self.attention.pk, actor=self.attention_officer, reason=ExitReason.CORRECTED,
                note="经核实认定有误",
            )  # fmt: skip

    def sign(self, day: dt.date = SIGNING) -> ListEntry:
        with clock.frozen(day):
            return services.sign_decision(
                self.proposal.pk, actor=self.signer, decision_document_number="黑〔2026〕1号"
            )


def _refused_for_its_origin(case: Case, day: dt.date, found_on: str) -> None:
    with pytest.raises(XinyongError) as refused:
        case.sign(day)
    assert (refused.value.code, refused.value.status) == ("origin-found-wrong", 409)
    assert f"于 {found_on} 经核实有误" in refused.value.message
    case.proposal.refresh_from_db()
    assert (case.proposal.state, case.proposal.effective_on) == (
        EntryState.AWAITING_SIGNATURE, None,
    )  # fmt: skip
    assert not case.proposal.announcements.filter(kind="decision").exists()


@pytest.mark.django_db
def test_a_proposal_whose_key_attention_was_found_wrong_is_not_signed():
    case = Case()
    case.to_signature()
    case.find_attention_wrong(D(2026, 10, 28))
    _refused_for_its_origin(case, D(2026, 10, 29), "2026-10-28")
    # The department decides not to list, as the refusal tells it it may (001 §8).
    with clock.frozen(D(2026, 10, 29)):
        services.reject_listing(
            case.proposal.pk, actor=case.signer, finding="所依据的重点关注名单列入经核实有误"
        )
    case.proposal.refresh_from_db()
    assert case.proposal.state == EntryState.REJECTED


@pytest.mark.django_db
def test_a_proposal_whose_ended_key_attention_was_corrected_after_its_exit_is_not_signed():
    """The key attention expired while an objection to it was verified, which was then found
    founded: its exit stands as expired, and the correction is its ``correct`` step (R6)."""
    case = Case(valid_until=D(2026, 11, 5))
    case.to_signature()
    with clock.frozen(D(2026, 11, 2)):
        services.record_objection(
            case.attention.pk, actor=case.attention_officer, objector="当事人", grounds="有误"
        )
    tick(D(2026, 11, 9))  # it expires with the objection open
    case.attention.refresh_from_db()
    assert case.attention.exit_reason == ExitReason.EXPIRED
    with clock.frozen(D(2026, 11, 12)):
        services.correct_after_exit(
            case.attention.pk, actor=case.attention_officer, finding="认定有误"
        )
    _refused_for_its_origin(case, D(2026, 11, 13), "2026-11-12")


@pytest.mark.django_db
def test_a_proposal_whose_key_attention_stands_is_signed():
    """Expired as a matter of the calendar, the key attention was not found wrong (R4)."""
    case = Case(valid_until=D(2026, 11, 5))
    case.to_signature()
    tick(D(2026, 11, 9))
    signed = case.sign(D(2026, 11, 10))
    assert (signed.state, signed.effective_on) == (EntryState.EFFECTIVE, D(2026, 11, 10))


def _page(case: Case, day: dt.date) -> str:
    client = Client()
    client.force_login(case.signer)
    with clock.frozen(day):
        response = client.get(f"/office/entries/{case.proposal.pk}/")
    assert response.status_code == 200
    return response.content.decode()


WARNING = 'data-warning="origin-found-wrong"'


@pytest.mark.django_db
def test_the_office_page_warns_and_offers_no_signature():
    case = Case()
    case.to_signature()
    assert 'data-action="sign"' in _page(case, SIGNING) and WARNING not in _page(case, SIGNING)
    case.find_attention_wrong(D(2026, 10, 28))
    html = _page(case, D(2026, 10, 29))
    assert WARNING in html
    warning = html[html.index(WARNING) : html.index("</p>", html.index(WARNING))]
    assert "2026-10-28" in warning and case.attention.list.name in warning
    assert 'data-action="sign"' not in html
    assert 'data-action="reject"' in html  # not listed: what the table still allows


@pytest.mark.django_db
def test_the_office_page_of_a_proposal_in_publicity_warns_and_offers_its_withdrawal():
    case = Case()
    case.publicize()
    case.find_attention_wrong(D(2026, 10, 12))
    html = _page(case, D(2026, 10, 13))
    assert WARNING in html and "2026-10-12" in html
    assert 'data-action="withdraw"' in html


def _tasks(case: Case, day: dt.date) -> tuple[list[str], dict[str, int], str]:
    with clock.frozen(day):
        items = selectors.worklist(case.signer, day)
        counts = selectors.worklist_counts(case.signer)
        client = Client()
        client.force_login(case.signer)
        html = client.get("/office/").content.decode()
    return [item.task for item in items if item.entry.pk == case.proposal.pk], counts, html


@pytest.mark.django_db
def test_the_worklist_asks_for_no_signature_of_a_proposal_whose_basis_was_found_wrong():
    """Awaiting signature, it asks for the decision not to list; in publicity, where it waits
    on nobody otherwise, for its withdrawal (001 §8, R3, R6)."""
    case = Case()
    case.publicize()
    assert _tasks(case, D(2026, 10, 9))[:2] == ([], {})
    case.find_attention_wrong(D(2026, 10, 12))
    tasks, counts, html = _tasks(case, D(2026, 10, 13))
    assert (tasks, counts) == (["withdraw"], {"withdraw": 1})
    assert 'data-task="withdraw" data-count="1"' in html  # in the counts line too
    assert "撤回提请：所依据的列入经核实有误" in html
    ListEntry.objects.filter(pk=case.proposal.pk).update(state=EntryState.AWAITING_SIGNATURE)
    tasks, counts, html = _tasks(case, D(2026, 10, 28))
    assert (tasks, counts) == (["reject"], {"reject": 1})
    assert 'data-task="reject" data-count="1"' in html
    assert "作出不予列入决定：所依据的列入经核实有误" in html


@pytest.mark.django_db
def test_the_worklist_asks_for_the_signature_of_a_proposal_whose_basis_stands():
    case = Case()
    case.to_signature()
    tasks, counts, _ = _tasks(case, SIGNING)
    assert (tasks, counts) == (["sign"], {"sign": 1})


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks")
def test_a_signature_while_the_key_attention_is_found_wrong_waits_and_is_refused():
    """The correction of the key attention holds its entry when the signature starts: the
    signature waits for it, then sees it committed and is refused. Before, the signature took
    nothing of the key attention until its commit, whose key checks then met the correction
    in a deadlock, one of the two rolled back."""
    assert connection.vendor == "postgresql"
    case = Case()
    case.awaiting_signature()
    held, go, signed = threading.Event(), threading.Event(), threading.Event()
    failures: list[BaseException] = []
    outcome: list[str] = []

    def find_wrong() -> None:
        with transaction.atomic():
            daily_job_lock.wait_for_the_daily_job()  # as every step does first
            ListEntry.objects.select_for_update().get(pk=case.attention.pk)
            held.set()
            go.wait(10)  # the signature has started meanwhile
            case.find_attention_wrong(SIGNING)

    def sign() -> None:
        try:
            case.sign()
            outcome.append("signed")
        except XinyongError as refused:
            outcome.append(refused.code)

    correcting = in_thread(find_wrong, failures, day=SIGNING)
    assert held.wait(10)
    signing = in_thread(sign, failures, day=SIGNING, done=signed)
    until_another_waits(signed)
    assert not signed.is_set()  # it waits for the correction
    go.set()
    correcting.join(20)
    signing.join(20)
    assert not failures, failures
    assert outcome == ["origin-found-wrong"]
    case.proposal.refresh_from_db()
    assert case.proposal.state == EntryState.AWAITING_SIGNATURE


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks")
def test_a_correction_while_the_proposal_is_signed_waits_for_the_signature():
    """The other order: the signature holds the key attention it rests on until it commits;
    the correction waits for it, then goes ahead. Neither is rolled back for a deadlock."""
    case = Case()
    case.awaiting_signature()
    signed, corrected = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def sign_and_hold() -> None:
        with transaction.atomic():
            case.sign()
            signed.set()
            until_another_waits(corrected)
            assert not corrected.is_set()  # the correction waits for the signature

    def find_wrong() -> None:
        assert signed.wait(10)
        case.find_attention_wrong(SIGNING)

    signing = in_thread(sign_and_hold, failures, day=SIGNING)
    correcting = in_thread(find_wrong, failures, day=SIGNING, done=corrected)
    signing.join(20)
    correcting.join(20)
    assert not failures, failures
    case.proposal.refresh_from_db()
    case.attention.refresh_from_db()
    assert case.proposal.state == EntryState.EFFECTIVE
    assert case.attention.exit_reason == ExitReason.CORRECTED
