"""The migration that keeps on each entry the measures its decision states fills the entries
signed before from their signature's event (R1, R10): the measures a department named, and
nothing where the decision stated every measure that follows, which is what a decision that
named none published."""

import pytest

from tests.check_clients import decided
from tests.factories import ListEntryFactory
from tests.migration_steps import migrate, migrate_to_latest
from xinyong.listings.models import ListKind

BEFORE = [("listings", "0027_entry_objecting_person")]
AFTER = [("listings", "0028_entry_stated_measures")]


@pytest.mark.django_db(transaction=True)
def test_entries_signed_before_keep_the_measures_their_decision_named(measures, funds):
    try:
        one = decided(["限制参加政府采购"])
        none = decided([])
        two = decided(["限制申请财政性资金项目", "限制参加政府采购"])
        every = decided(["限制申请财政性资金项目", "限制担任法定代表人", "限制参加政府采购"])
        unsigned = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
        migrate(BEFORE)
        apps = migrate(AFTER)
        entries = apps.get_model("listings", "ListEntry").objects
        assert dict(entries.values_list("pk", "stated_measures")) == {
            one.pk: ["限制参加政府采购"], two.pk: ["限制申请财政性资金项目", "限制参加政府采购"],
            none.pk: None, every.pk: None, unsigned.pk: None,
        }  # fmt: skip
    finally:
        migrate_to_latest()
