"""What the tests of the change feed share (R11: implementing departments stay current from the
feed): a department's own system reading it with a token for some scenarios, and the history
events the feed numbers."""

import datetime as dt

from django.test import Client

from tests.factories import DepartmentFactory, MeasureFactory, ScenarioFactory
from xinyong.api import tokens
from xinyong.listings.models import ListEntryEvent, ListKind
from xinyong.measures.models import Measure


def system_client(department, scenarios) -> Client:
    """``department``'s own system, calling with a token for ``scenarios``."""
    token, _ = tokens.create_token(
        actor="test", user=tokens.system_account(department), scenarios=scenarios
    )
    return Client(headers={"Authorization": f"Bearer {token}"})


# Every target of the measures list: a measure on them reaches whomever an entry concerns.
EVERYONE = Measure.Target.values


def implementing_client() -> Client:
    """A department's system with a measure following from every kind of list, on everyone, in
    the scenario its token names: the feed shows it every list's changes (R14 scopes it to
    those, and to whom its measures target)."""
    finance = DepartmentFactory(implementing=True)
    MeasureFactory(list_kinds=ListKind.values, targets=EVERYONE).scenarios.add(ScenarioFactory())
    return system_client(finance, ["government_procurement"])


def event(entry, action, from_state="effective", day=dt.date(2026, 10, 27), **fields):
    """A step of ``entry``'s history to ``effective``, written as it stands (no service)."""
    return ListEntryEvent.objects.create(
        entry=entry, action=action, from_state=from_state, to_state="effective",
        business_date=day, actor="test", **fields,
    )  # fmt: skip
