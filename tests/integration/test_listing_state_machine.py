"""The whole listing workflow under random sequences of actions and days (Hypothesis).

Invariants: no subject is on a red and a black list at once (R2); nothing takes effect before
its publicity ends (R1); an exited entry never counts in a check (R4); history is never lost.
"""

import contextlib
import datetime as dt
import itertools

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from tests.factories import (
    DepartmentFactory,
    DomainFactory,
    ListDefinitionFactory,
    OfficerFactory,
    SubjectFactory,
    meeting_of,
)
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import selectors, services
from xinyong.listings.models import EntryState, ExitReason, ListEntry, ListKind
from xinyong.listings.tick import run_tick

pytestmark = pytest.mark.django_db

STATES_FOR = {
    "notify": [EntryState.DRAFT],
    "publicity": [EntryState.NOTIFIED],
    "object": [EntryState.IN_PUBLICITY, EntryState.AWAITING_SIGNATURE],
    "uphold": [EntryState.UNDER_VERIFICATION],
    "reject": [EntryState.UNDER_VERIFICATION, EntryState.AWAITING_SIGNATURE],
    "sign": [EntryState.AWAITING_SIGNATURE],
    "exit": [EntryState.EFFECTIVE],
    "withdraw": [EntryState.DRAFT, EntryState.NOTIFIED, EntryState.IN_PUBLICITY],
}
ACTIONS = list(STATES_FOR)
FINAL = [EntryState.REJECTED, EntryState.WITHDRAWN, EntryState.EXITED]


class ListingWorkflow(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        department = DepartmentFactory()
        domain = DomainFactory()
        self.lists = {
            kind: ListDefinitionFactory(kind=kind, domain=domain, recognizing_department=department,
                                        validity_value=6, validity_unit="months")
            for kind in (ListKind.RED, ListKind.BLACK)
        }  # fmt: skip
        self.officer = OfficerFactory(department=department, signer=True).user
        self.subjects = [SubjectFactory() for _ in range(3)]
        self.day = dt.date(2026, 9, 1)
        self.events_seen: dict[int, int] = {}

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _try(self, call) -> None:
        # A refusal is a legitimate outcome; the invariants check that nothing broke.
        with clock.frozen(self.day), contextlib.suppress(XinyongError):
            call()

    @rule(kind=st.sampled_from([ListKind.RED, ListKind.BLACK]), who=st.integers(0, 2))
    def propose(self, kind, who):
        self._try(lambda: services.propose_listing(
            actor=self.officer, list_definition=self.lists[kind], subject=self.subjects[who],
            facts="事实", basis="依据",
        ))  # fmt: skip

    @rule(pick=st.integers(0, 50), action=st.sampled_from(ACTIONS),
          reason=st.sampled_from(ExitReason.values), fitting=st.booleans())  # fmt: skip
    def act(self, pick, action, reason, fitting):
        """An action on an entry whose state allows it (mostly), or on any entry (refusals)."""
        entries = ListEntry.objects.order_by("id")
        if fitting:
            entries = entries.filter(state__in=STATES_FOR[action])
        entries = list(entries.values_list("pk", flat=True))
        if not entries:
            return
        entry_id, me = entries[pick % len(entries)], self.officer
        calls = {
            "notify": lambda: services.notify_subject(entry_id, actor=me, **meeting_of(entry_id)),
            "publicity": lambda: services.start_publicity(entry_id, actor=me),
            "object": lambda: services.record_objection(entry_id, actor=me, objector="当事人",
                                                        grounds="异议"),
            "uphold": lambda: services.uphold_after_verification(entry_id, actor=me,
                                                                 finding="不成立"),
            "reject": lambda: services.reject_listing(entry_id, actor=me, finding="成立"),
            "sign": lambda: services.sign_decision(entry_id, actor=me),
            "exit": lambda: services.exit_entry(entry_id, actor=me, reason=reason),
            "withdraw": lambda: services.withdraw_listing(entry_id, actor=me, reason="撤回"),
        }  # fmt: skip
        self._try(calls[action])

    @rule(pick=st.integers(0, 50))
    def progress(self, pick):
        """Carry an open entry one step along the usual path, waiting out its publicity."""
        entries = list(ListEntry.objects.exclude(state__in=FINAL).order_by("id"))
        if not entries:
            return
        entry, me = entries[pick % len(entries)], self.officer
        if entry.state == EntryState.IN_PUBLICITY:
            self.time_passes((entry.publicity_ends_on - self.day).days + 1)
            return
        step = {
            EntryState.DRAFT: lambda: services.notify_subject(
                entry.pk, actor=me, **meeting_of(entry.pk)),
            EntryState.NOTIFIED: lambda: services.start_publicity(entry.pk, actor=me),
            EntryState.UNDER_VERIFICATION: lambda: services.uphold_after_verification(
                entry.pk, actor=me, finding="不成立"),
            EntryState.AWAITING_SIGNATURE: lambda: services.sign_decision(entry.pk, actor=me),
            EntryState.EFFECTIVE: lambda: services.exit_entry(
                entry.pk, actor=me, reason=ExitReason.CORRECTED),
        }  # fmt: skip
        self._try(step[entry.state])

    @rule(days=st.integers(1, 60))
    def time_passes(self, days):
        days = max(days, 1)
        self.day += dt.timedelta(days=days)
        with clock.frozen(self.day):
            run_tick(self.day)

    @invariant()
    def no_subject_is_red_and_black_at_once(self):
        for subject in self.subjects:
            kinds = set(
                selectors.effective_entries_of(subject.pk).values_list("list__kind", flat=True)
            )
            assert not {ListKind.RED, ListKind.BLACK} <= kinds

    @invariant()
    def nothing_takes_effect_before_publicity_ends(self):
        for entry in ListEntry.objects.exclude(effective_on=None).exclude(publicity_ends_on=None):
            assert entry.effective_on > entry.publicity_ends_on
            assert not entry.publicity_ends_provisional

    @invariant()
    def exited_entries_never_count(self):
        counted = set(
            ListEntry.objects.filter(
                subject__in=self.subjects, state=EntryState.EFFECTIVE
            ).values_list("pk", flat=True)
        )
        for subject in self.subjects:
            for entry in selectors.effective_entries_of(subject.pk):
                assert entry.pk in counted
                assert entry.exited_on is None

    @invariant()
    def history_is_never_lost(self):
        for entry in ListEntry.objects.all():
            events = list(entry.events.order_by("id"))
            assert len(events) >= self.events_seen.get(entry.pk, 0)
            self.events_seen[entry.pk] = len(events)
            assert events, "every entry has its first event"
            assert events[-1].to_state == entry.state
            for before, after in itertools.pairwise(events):
                assert after.from_state == before.to_state


def test_listing_workflow_invariants():
    run_state_machine_as_test(
        ListingWorkflow,
        settings=settings(
            max_examples=30, stateful_step_count=40, deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )  # fmt: skip
