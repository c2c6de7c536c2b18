"""The migrations that bring stored document numbers to their canonical form (R9, R4): a
record's where no other live record of its department and subject holds that form (a clash
leaves both as they are, counted; nothing is deleted), a revoked record's and a list entry's
always; the content keeps the number as written. A list entry keeps its number as written
and gets its canonical form as its key."""

import datetime as dt

import pytest

from tests.factories import (
    CatalogItemFactory,
    ListEntryFactory,
    SubjectFactory,
)
from tests.migration_steps import migrate, migrate_to_latest

BEFORE = [("catalog", "0020_credit_record_penalty_type_ids"),
          ("listings", "0033_entry_decision_number_key")]  # fmt: skip
AFTER = [("catalog", "0021_canonical_document_numbers"),
         ("listings", "0034_fill_decision_number_keys")]  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_stored_numbers_are_brought_to_their_canonical_form_but_where_they_clash(capsys):
    try:
        item = CatalogItemFactory()
        department = item.provider
        alone, clashing, revoked_one = SubjectFactory(), SubjectFactory(), SubjectFactory()
        entry = ListEntryFactory(effective=True, decision_document_number="浙信列［２０２５］4号")
        apps = migrate(BEFORE)
        records = apps.get_model("catalog", "CreditRecord").objects
        # As an entry signed before the key was kept.
        apps.get_model("listings", "ListEntry").objects.update(decision_number_key="")

        def record(subject, number, **fields) -> int:
            return records.create(
                catalog_item_id=item.pk, department_id=department.pk, subject_id=subject.pk,
                document_number=number, decision_date=dt.date(2026, 9, 1),
                issuing_body=department.name, content={"CF_WSH": number}, **fields,
            ).pk  # fmt: skip

        brought = record(alone, "杭市监罚[2026]1号")
        other = record(alone, "杭市监罚〔2026〕11号")  # already canonical, another number
        canonical = record(clashing, "杭市监罚〔2026〕2号")
        clash = record(clashing, "杭市监罚（2026）2号")
        twice = [record(clashing, "杭市监罚[2026]3号"), record(clashing, "杭市监罚【2026】3号")]
        revoked = record(revoked_one, "杭市监罚[2026]5号", revoked_on=dt.date(2026, 10, 1))
        record(revoked_one, "杭市监罚〔2026〕5号")  # the decision sent again in its place
        capsys.readouterr()
        apps = migrate(AFTER)
        records = apps.get_model("catalog", "CreditRecord").objects
        numbers = dict(records.values_list("pk", "document_number"))
        assert numbers[brought] == "杭市监罚〔2026〕1号"
        assert numbers[other] == "杭市监罚〔2026〕11号"
        assert numbers[canonical] == "杭市监罚〔2026〕2号"
        assert numbers[clash] == "杭市监罚（2026）2号"
        assert [numbers[pk] for pk in twice] == ["杭市监罚[2026]3号", "杭市监罚【2026】3号"]
        assert numbers[revoked] == "杭市监罚〔2026〕5号"
        assert records.count() == 8
        assert records.get(pk=brought).content == {"CF_WSH": "杭市监罚[2026]1号"}
        assert "3 credit records keep their document number as written" in capsys.readouterr().out
        entries = apps.get_model("listings", "ListEntry").objects
        stored = entries.get(pk=entry.pk)
        assert stored.decision_document_number == "浙信列［２０２５］4号"
        assert stored.decision_number_key == "浙信列〔2025〕4号"
        capsys.readouterr()
        migrate(BEFORE)
        migrate(AFTER)  # again: nothing more changes
        assert dict(records.values_list("pk", "document_number")) == numbers
    finally:
        migrate_to_latest()
