"""What the tests of a subject's request to leave a red list share (R4, 000 §十.2): the subject
and its own account, a red list, an entry on it, and the department ending that entry."""

import datetime as dt

import pytest

from tests.factories import (
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
    UserFactory,
)
from xinyong.access.models import SubjectAccount
from xinyong.core import clock
from xinyong.listings import services as listings
from xinyong.listings.models import ListKind

ASKED = dt.date(2026, 11, 16)
EXITED = dt.date(2026, 11, 18)


@pytest.fixture
def me():
    return SubjectFactory(name="杭州某某科技有限公司")


@pytest.fixture
def account(me):
    user = UserFactory(username="zhuti")
    SubjectAccount.objects.create(user=user, subject=me)
    return user


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
