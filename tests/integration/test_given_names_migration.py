"""Typical cases and reports written before given names were masked are masked again (R5)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group

from tests.check_clients import check
from tests.factories import DepartmentFactory, ListEntryFactory, OfficerFactory, SubjectFactory
from tests.migration_steps import migrate, migrate_to_latest
from xinyong.access.roles import ADMIN_GROUP
from xinyong.audit import purposes
from xinyong.audit.models import QueryPurpose
from xinyong.core import clock
from xinyong.listings.models import ListKind
from xinyong.measures import services
from xinyong.measures.models import CheckFeedback, MeasureOutcome, TypicalCase

BEFORE = [("measures", "0013_renormalise_name_decisions")]
AFTER = [("measures", "0014_mask_given_names")]


@pytest.mark.django_db(transaction=True)
def test_given_names_kept_in_clear_earlier_are_masked(api, measures):
    purposes.ensure_built_in(QueryPurpose)  # a report on a person's check is registered (R14)
    person = SubjectFactory(natural_person=True, name="王慧薇")
    ListEntryFactory(effective=True, list__kind=ListKind.BLACK, subject=person)
    with clock.frozen(dt.date(2026, 11, 2)):
        made = check(api, subject=person.reveal_identifier(), scenario="government_procurement")
        sent = api.post(
            f"/api/v1/checks/{made.json()['check_id']}/feedback",
            {"business_reference": "ZFCG-1", "outcome": "慧薇已被告知",
             "measures": [{"measure": "bar-representative", "applied": True}]},
            content_type="application/json",
        )  # fmt: skip
    assert sent.status_code == 201, sent.json()
    admin = OfficerFactory(department=DepartmentFactory(credit_office=True)).user
    admin.groups.add(Group.objects.get_or_create(name=ADMIN_GROUP)[0])
    drafted = services.draft_typical_case(
        actor=admin, feedback_id=sent.json()["id"], title="案例", summary="摘要"
    )
    # What the earlier masking kept: the full name masked, the given name alone in clear.
    TypicalCase.objects.filter(pk=drafted.pk).update(title="慧薇女士案", summary="王某即慧薇。")
    CheckFeedback.objects.update(outcome="慧薇已被告知")
    MeasureOutcome.objects.update(reason="慧薇本人到场")
    try:
        migrate(BEFORE)
        migrate(AFTER)
    finally:
        migrate_to_latest()
    case = TypicalCase.objects.get()
    assert (case.title, case.summary) == ("某女士案", "王某即某。")
    assert CheckFeedback.objects.get().outcome == "某已被告知"
    assert MeasureOutcome.objects.get().reason == "某本人到场"
