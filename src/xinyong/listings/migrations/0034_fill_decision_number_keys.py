"""The entries signed before 0033 get their decision number's canonical form as its key
(``core.document_numbers``), so that they find the records of their decision as entries signed
since do (R4, R9). The number itself stays as written; nothing else changes. In batches of
ids, each read and written once. Idempotent; going back leaves the keys, which 0033's reversal
drops with the column."""

from django.db import migrations

from xinyong.core.document_numbers import canonical_document_number

BATCH = 2000


def fill_keys(apps, schema_editor):
    entries = apps.get_model("listings", "ListEntry")
    numbered = entries.objects.exclude(decision_document_number="").order_by("pk")
    after = 0
    while True:
        rows = list(
            numbered.filter(pk__gt=after).values_list(
                "pk", "decision_document_number", "decision_number_key"
            )[:BATCH]
        )
        if not rows:
            return
        after = rows[-1][0]
        changed = [
            entries(pk=pk, decision_number_key=canonical_document_number(number))
            for pk, number, key in rows
            if canonical_document_number(number) != key
        ]
        entries.objects.bulk_update(changed, ["decision_number_key"], batch_size=BATCH)


class Migration(migrations.Migration):

    dependencies = [
        ("listings", "0033_entry_decision_number_key"),
    ]

    operations = [migrations.RunPython(fill_keys, migrations.RunPython.noop)]
