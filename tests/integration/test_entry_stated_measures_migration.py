"""The migration that keeps on each entry the measures its decision states fills the entries
signed before from their signature's event (R1, R10): the measures the decision published, those
the department named or, when it named none, every measure that followed then, as a decision
signed since keeps them; nothing where it published none (it refers to the measures list) or
where no decision was signed."""

import pytest

from tests.check_clients import decided
from tests.factories import ListDefinitionFactory, ListEntryFactory
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
        # No measure in the list follows from key attention here: the decision publishes none.
        bare = decided([], list=ListDefinitionFactory(kind=ListKind.KEY_ATTENTION))
        unsigned = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
        signed = {e.pk: e.stated_measures for e in (one, none, two, every, bare)}
        migrate(BEFORE)
        apps = migrate(AFTER)
        entries = apps.get_model("listings", "ListEntry").objects
        following = ["限制申请财政性资金项目", "限制参加政府采购", "限制担任法定代表人"]
        assert dict(entries.values_list("pk", "stated_measures")) == {
            one.pk: ["限制参加政府采购"], two.pk: ["限制申请财政性资金项目", "限制参加政府采购"],
            none.pk: following,
            every.pk: ["限制申请财政性资金项目", "限制担任法定代表人", "限制参加政府采购"],
            bare.pk: None, unsigned.pk: None,
        }  # fmt: skip
        # Signed before the migration or after it, the same decision states the same measures.
        assert signed == {pk: entries.get(pk=pk).stated_measures for pk in signed}
    finally:
        migrate_to_latest()
