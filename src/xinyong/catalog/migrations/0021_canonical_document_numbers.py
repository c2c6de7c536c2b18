"""Records stored before the document number's canonical form was their identity keep it as
the department wrote it: brought to the canonical form (``core.document_numbers``), so that the
same decision sent again with other brackets or digits finds its record (R9, R4).

A live record whose canonical number is another live record's (same department and subject:
the same decision stored twice before) is left as it is, and so is that other record: changing
one would break the identity's uniqueness, and nothing is ever deleted (R4). The migration
prints how many were left, for the credit office to look at. A revoked record has no unique
identity and is always brought. The records' content keeps the number as written. Idempotent.
"""

from django.db import migrations

from xinyong.core.document_numbers import canonical_document_number

BATCH = 1000


def canonical_numbers(apps, schema_editor):
    records = apps.get_model("catalog", "CreditRecord")
    live: dict[tuple[int, str, int], list[int]] = {}
    revoked: list[tuple[int, str]] = []
    rows = records.objects.order_by().values_list(
        "pk", "department_id", "document_number", "subject_id", "revoked_on"
    )
    for pk, department_id, number, subject_id, revoked_on in rows.iterator(chunk_size=5000):
        canonical = canonical_document_number(number)
        if canonical == number:
            continue
        if revoked_on is None:
            live.setdefault((department_id, canonical, subject_id), []).append(pk)
        else:
            revoked.append((pk, canonical))
    # An identity is taken when two records were written otherwise, or one already holds it.
    taken = {identity for identity, pks in live.items() if len(pks) > 1}
    identities = sorted(live.keys() - taken)
    for start in range(0, len(identities), BATCH):
        part = identities[start : start + BATCH]
        taken |= set(
            records.objects.filter(
                revoked_on__isnull=True, document_number__in={number for _, number, _ in part},
                department_id__in={department for department, _, _ in part},
            ).values_list("department_id", "document_number", "subject_id")
        ) & set(part)  # fmt: skip
    brought = [(pks[0], identity[1]) for identity, pks in live.items() if identity not in taken]
    brought += revoked
    records.objects.bulk_update(
        [records(pk=pk, document_number=number) for pk, number in brought],
        ["document_number"],
        batch_size=BATCH,
    )
    left = sum(len(live[identity]) for identity in taken)
    if left:
        print(
            f"\n  {left} credit records keep their document number as written: in its canonical"
            " form it is another record's of the same department and subject."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0020_credit_record_penalty_type_ids"),
    ]

    operations = [migrations.RunPython(canonical_numbers, migrations.RunPython.noop)]
