"""What the tests of an entry ruled not repairable share (R8: especially serious entries may be
non-repairable, decided by the officer who signs): a black list that allows repair, a signer of
its recognizing department, the subject, and the signature that rules the entry out."""

import datetime as dt

import pytest

from tests.factories import ListDefinitionFactory, ListEntryFactory, OfficerFactory, SubjectFactory
from xinyong.core import clock
from xinyong.listings import services
from xinyong.listings.models import ListKind

SIGNED = dt.date(2026, 10, 27)
SERIOUS = "情节特别严重，造成三人重伤"


@pytest.fixture
def black_list():
    return ListDefinitionFactory(kind=ListKind.BLACK, repairable=True)


@pytest.fixture
def signer(black_list):
    return OfficerFactory(department=black_list.recognizing_department, signer=True).user


@pytest.fixture
def subject():
    return SubjectFactory(name="杭州某某化工有限公司")


def sign(entry, signer, **decision):
    with clock.frozen(SIGNED):
        return services.sign_decision(entry.pk, actor=signer, **decision)


def ruled_out(black_list, signer, subject, reason=SERIOUS):
    """An entry of ``subject`` on ``black_list`` signed as not repairable for ``reason``."""
    entry = ListEntryFactory(list=black_list, awaiting_signature=True, subject=subject)
    return sign(entry, signer, not_repairable=True, not_repairable_reason=reason)
