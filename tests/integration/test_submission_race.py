"""Two administrators register the same change of law or duty at the same moment: one change
is registered, with its duties and its audit row; the other is refused (R13; the database's
constraint decides)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.db import connection  # noqa: F401 (read by the skipif condition)

from tests.factories import DepartmentFactory, OfficerFactory
from tests.races import race
from xinyong.access.roles import ADMIN_GROUP
from xinyong.audit.models import AuditEntry
from xinyong.audit.selectors import verify_chain
from xinyong.submissions import services
from xinyong.submissions.models import ChangeKind, ChangeOfLawOrDuty, UpdateDuty

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks"),
]


def test_the_same_change_registered_twice_at_once_is_registered_once():
    credit_office = DepartmentFactory(credit_office=True)
    group = Group.objects.get_or_create(name=ADMIN_GROUP)[0]
    first, second = (OfficerFactory(department=credit_office).user for _ in range(2))
    for user in (first, second):
        user.groups.add(group)
    market, tax = DepartmentFactory(code="market"), DepartmentFactory(code="tax")

    def register(actor, kind, departments):
        return lambda: services.register_change(
            actor=actor, kind=kind, title="《食品安全法》修订", legal_basis="2026年修正",
            effective_on=dt.date(2026, 10, 1), departments=departments,
        )  # fmt: skip

    outcomes = race(
        register(first, ChangeKind.LAW_REVISED, [market]),
        register(second, ChangeKind.DUTY_CHANGED, [market, tax]),
    )
    assert sorted(outcomes) == ["change-already-registered", "ok"], outcomes
    change = ChangeOfLawOrDuty.objects.get()
    expected = [market] if outcomes[0] == "ok" else [market, tax]
    assert [duty.department for duty in UpdateDuty.objects.order_by("department__code")] == (
        expected
    )
    assert list(change.duties.all()) == list(UpdateDuty.objects.all())
    assert AuditEntry.objects.filter(action="submission.register_change").count() == 1
    assert verify_chain().ok
