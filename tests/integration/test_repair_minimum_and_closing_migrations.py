"""Stored data brought in line with credit repair as it now works (R8, R4, R6): a record under an
item not disclosed to the public gets its tier's minimum, counted from its decision date; an
application left open on an entry that has exited, or on a record revoked, is closed with the
reason its subject reads."""

import datetime as dt

import pytest

from tests.factories import (
    CatalogItemFactory,
    CreditRecordFactory,
    ListEntryFactory,
    UserFactory,
)
from tests.migration_steps import migrate, migrate_to_latest
from xinyong.catalog.models import Disclosure, PublicationRule, RecordFormat
from xinyong.listings.models import ExitReason

D = dt.date
RULES = [("minor", False, 0, 0), ("general", True, 3, 12), ("serious", True, 12, 36)]


@pytest.mark.django_db(transaction=True)
def test_records_not_published_get_their_tiers_minimum():
    for tier, published, low, high in RULES:  # the defaults, as the catalog's migration seeds
        PublicationRule.objects.get_or_create(
            catalog_item=None, tier=tier,
            defaults={"is_published": published, "months_min": low, "months_max": high},
        )  # fmt: skip
    hidden = CatalogItemFactory(
        record_format=RecordFormat.PENALTY, disclosure=Disclosure.NOT_PUBLIC
    )
    own_rule = CatalogItemFactory(
        record_format=RecordFormat.PENALTY, disclosure=Disclosure.ON_REQUEST
    )
    PublicationRule.objects.create(
        catalog_item=own_rule, tier="general", months_min=6, months_max=24
    )

    def stored(item, tier, **fields):
        return CreditRecordFactory(
            catalog_item=item, tier=tier, decision_date=D(2026, 11, 2), **fields
        ).pk

    serious, general = stored(hidden, "serious"), stored(own_rule, "general")
    minor, untiered = stored(hidden, "minor"), stored(hidden, "")
    published = stored(hidden, "general", published_on=D(2026, 11, 5))
    kept = stored(hidden, "serious", publication_min_ends_on=D(2027, 12, 31))
    apps = migrate([("catalog", "0009_drop_prohibited_report_values")])
    try:
        apps = migrate([("catalog", "0010_minimum_of_records_not_published")])
    finally:
        migrate_to_latest()
    found = dict(
        apps.get_model("catalog", "CreditRecord").objects.values_list(
            "pk", "publication_min_ends_on"
        )
    )
    assert found == {
        serious: D(2027, 11, 2), general: D(2027, 5, 2), minor: None, untiered: None,
        published: None, kept: D(2027, 12, 31),
    }  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_applications_open_on_what_has_ended_are_closed():
    account = UserFactory()
    corrected = ListEntryFactory(
        exited=True, exit_reason=ExitReason.CORRECTED, exited_on=D(2026, 11, 18)
    )
    in_force = ListEntryFactory(effective=True)
    revoked = CreditRecordFactory(revoked_on=D(2027, 9, 6))
    apps = migrate([("remedies", "0007_mark_revoked_records")])
    model = apps.get_model("remedies", "RepairApplication")

    def made(state="submitted", **target):
        about = next(iter(target.values()))
        department = (
            about.list.recognizing_department_id if "entry" in target else about.department_id
        )
        return model.objects.create(
            subject_id=about.subject_id, department_id=department, account_id=account.pk,
            corrected="已整改", state=state, submitted_on=D(2026, 11, 16),
            **{f"{name}_id": value.pk for name, value in target.items()},
        ).pk  # fmt: skip

    on_corrected, on_in_force = made(entry=corrected), made(entry=in_force)
    on_revoked = made(record=revoked)
    try:
        apps = migrate([("remedies", "0008_repair_closed_when_its_target_ends")])
    finally:
        migrate_to_latest()
    rows = {
        row[0]: row[1:]
        for row in apps.get_model("remedies", "RepairApplication").objects.values_list(
            "pk", "state", "decided_on", "reasons"
        )
    }
    closed = "信用修复申请随之终止办理，无需再作决定。"
    assert rows == {
        on_corrected: ("closed", D(2026, 11, 18),
                       f"该名单记录已于2026-11-18经核实认定有误，予以更正并移出，{closed}"),
        on_in_force: ("submitted", None, ""),
        on_revoked: ("closed", D(2027, 9, 6),
                     f"该信用信息已于2027-09-06经异议核实予以撤销，{closed}"),
    }  # fmt: skip
