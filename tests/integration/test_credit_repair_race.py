"""Two officers decide one record's repair at the same moment with different outcomes: exactly
one decision is taken and the record carries its outcome alone (R8; row lock and claim)."""

import datetime as dt

import pytest
from django.db import connection  # noqa: F401 (read by the skipif condition)

from tests.factories import CreditRecordFactory, OfficerFactory, UserFactory
from tests.races import race
from xinyong.audit.models import AuditEntry
from xinyong.audit.selectors import verify_chain
from xinyong.catalog.models import PublicationRule, PublicationTier
from xinyong.remedies import repairs
from xinyong.remedies.models import RepairApplication, RepairOutcome, RepairState
from xinyong.remedies.repair_workflow import RepairAction

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks"),
]
D = dt.date


@pytest.fixture(autouse=True)
def _default_publication_rules():
    """The default rules lowering reads (R8). Migrations load them, but a transactional test
    ends by flushing every table, so a test of this kind that runs later finds none: keep the
    ones this file relies on, with the migration's values."""
    for tier, published, low, high in (
        (PublicationTier.MINOR, False, 0, 0),
        (PublicationTier.GENERAL, True, 3, 12),
    ):
        PublicationRule.objects.get_or_create(
            catalog_item=None, tier=tier,
            defaults={"is_published": published, "months_min": low, "months_max": high},
        )  # fmt: skip


def test_lowering_and_shortening_at_once_take_one_decision():
    """A general record decided on 2026-06-01 (minimum to 2026-09-01, public to 2027-06-01);
    the race runs on 2026-10-27."""
    record = CreditRecordFactory(
        tier=PublicationTier.GENERAL, decision_date=D(2026, 6, 1), published_on=D(2026, 6, 3),
        publication_min_ends_on=D(2026, 9, 1), publication_ends_on=D(2027, 6, 1),
        sharing_ends_on=D(2027, 6, 1),
    )  # fmt: skip
    application = RepairApplication.objects.create(
        subject=record.subject, record=record, department=record.department,
        account=UserFactory(), corrected="已缴清罚款", submitted_on=D(2026, 10, 20),
    )  # fmt: skip
    first, second = (OfficerFactory(department=record.department).user for _ in range(2))

    def decide(actor, **outcome):
        return lambda: repairs.decide_repair(
            application.pk, actor=actor, action=RepairAction.ACCEPT, reasons="准予修复", **outcome
        )

    outcomes = race(
        decide(first, outcome=RepairOutcome.LOWER),
        decide(second, outcome=RepairOutcome.SHORTEN, ends_on=D(2026, 12, 31)),
    )
    assert sorted(outcomes) == ["ok", "repair-already-decided"], outcomes
    application.refresh_from_db()
    record.refresh_from_db()
    assert application.state == RepairState.ACCEPTED
    if outcomes[0] == "ok":  # lowered to minor: not published, not shared past its decision
        assert (application.outcome, record.tier) == (RepairOutcome.LOWER, "minor")
        assert (record.publication_ends_on, record.publication_ended_on) == (
            D(2027, 6, 1), D(2026, 10, 27)
        )  # fmt: skip
        assert record.sharing_stopped_on == D(2026, 10, 27)
    else:
        assert (application.outcome, record.tier) == (RepairOutcome.SHORTEN, "general")
        assert (record.publication_ends_on, record.publication_ended_on) == (D(2026, 12, 31), None)
        assert record.sharing_stopped_on is None
    assert AuditEntry.objects.filter(action="remedies.repair.accept").count() == 1
    assert verify_chain().ok
