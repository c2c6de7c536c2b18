"""List entries signed before the decision document number's canonical form was stored keep it
as typed: brought to the canonical form (``core.document_numbers``), as their records' numbers
are (catalog ``0021``), so that an entry finds the record of its decision however either was
written, to stop it when the entry ends (R4, 000 §十.3). Entries have no unique number, so
every one is brought. Idempotent."""

from django.db import migrations

from xinyong.core.document_numbers import canonical_document_number


def canonical_numbers(apps, schema_editor):
    entries = apps.get_model("listings", "ListEntry")
    rows = entries.objects.exclude(decision_document_number="").values_list(
        "pk", "decision_document_number"
    )
    brought = [
        entries(pk=pk, decision_document_number=canonical_document_number(number))
        for pk, number in rows.iterator(chunk_size=5000)
        if canonical_document_number(number) != number
    ]
    entries.objects.bulk_update(brought, ["decision_document_number"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("listings", "0031_feed_conclusion_reads_its_own_objection"),
    ]

    operations = [migrations.RunPython(canonical_numbers, migrations.RunPython.noop)]
