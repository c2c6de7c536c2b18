"""A token's statistics reach only its scenarios (R14: least privilege), the case share of 003 §七
as much as the groups: a token of the credit office named for honours counted the platform's
procurement cases in its share while its groups left them out."""

import datetime as dt

import pytest

from tests.check_clients import client_for
from tests.factories import DepartmentFactory, ListEntryFactory
from tests.feedback_reports import checked, report, session_of, statistics
from xinyong.access.roles import REVIEWER_GROUP
from xinyong.core import clock
from xinyong.listings.models import ListKind

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def procurement_case(api, measures):
    """One case: finance barred a black-listed company from a procurement."""
    company = ListEntryFactory(effective=True, list__kind=ListKind.BLACK).subject
    with clock.frozen(TODAY):
        answer = report(api, checked(api, company), "ZFCG-1", ("bar-procurement", True, ""))
    assert answer.status_code == 201, answer.json()


def _figures(client) -> tuple[int, int]:
    """(cases in the groups, cases in the case share) the client reads."""
    with clock.frozen(TODAY):
        answer = statistics(client)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    return sum(group["cases"] for group in body["groups"]), body["case_share"]["cases"]


def test_a_credit_office_tokens_case_share_counts_the_checks_in_its_scenarios_only(
    procurement_case,
):
    office = DepartmentFactory(credit_office=True, implementing=True)
    assert _figures(session_of(office, REVIEWER_GROUP)) == (1, 1)
    assert _figures(client_for(office, ["government_procurement"])) == (1, 1)
    assert _figures(client_for(office, ["honours"])) == (0, 0)
    assert _figures(client_for(office, [])) == (0, 0)


def test_a_recognizing_departments_token_keeps_the_cases_of_its_own_lists(procurement_case):
    """What followed from a department's lists stays its own whatever scenario its token names
    (``statistics.outcomes_seen_by``): so does its case share, the cases of its lists."""
    from xinyong.listings.models import ListEntry

    recognizing = ListEntry.objects.get().list.recognizing_department
    assert _figures(client_for(recognizing, [])) == (1, 1)
