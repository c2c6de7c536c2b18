"""What the tests of a subject's request to leave a red list share (R4, 000 §十.2): the subject
and its own account (those of every remedy's tests, ``tests.subject_remedies``), a red list, an
entry on it, and the department ending that entry."""

import datetime as dt

import pytest

from tests import subject_remedies
from tests.factories import ListDefinitionFactory, ListEntryFactory, OfficerFactory
from xinyong.core import clock
from xinyong.listings import services as listings
from xinyong.listings.models import ListKind

ASKED = dt.date(2026, 11, 16)
EXITED = dt.date(2026, 11, 18)
me, account, client = subject_remedies.me, subject_remedies.account, subject_remedies.client
# Entries not in force, and what the refusal says of each: only an entry in force is left on
# request (R4).
NOT_IN_FORCE = [
    pytest.param({"effective": False, "in_publicity": True}, "尚未列入", id="candidate"),
    pytest.param({"effective": False, "exited": True}, "已移出", id="exited"),
    # Past its last day it has ended by expiry, recorded by the daily job or not (R4).
    pytest.param({"valid_until": ASKED - dt.timedelta(days=1)}, "已届满", id="validity ended"),
]


@pytest.fixture
def red_list():
    return ListDefinitionFactory(kind=ListKind.RED, name="纳税信用A级红名单")


def red_entry(subject, red_list, **fields):
    """An entry of ``subject`` on ``red_list``, in force unless ``fields`` say otherwise."""
    return ListEntryFactory(subject=subject, list=red_list, **{"effective": True, **fields})


def officer_of(entry, **traits):
    """A user of the department that recognized ``entry``."""
    return OfficerFactory(department=entry.list.recognizing_department, **traits).user


def exit_entry(entry, reason, day=EXITED, note=""):
    """The recognizing department ends ``entry`` for ``reason`` on ``day``."""
    with clock.frozen(day):
        listings.exit_entry(entry.pk, actor=officer_of(entry), reason=reason, note=note)
    entry.refresh_from_db()
