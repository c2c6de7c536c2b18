"""A record's identity is its issuing body, document number and subject, whichever department
sent it (issue §3; DOMAIN.md §5): the key of the body is kept beside its name, and the records
kept twice under one identity are made one.

For each record: its issuing body with any citizen ID in it masked, as an import keeps it now
(R14), and the body's key from that name and the code its content holds (CF_CFJGDM,
XK_XKJGDM; ``core.issuers``). Then, among the records not revoked, the records of one
identity (the same decision sent by two departments, each recorded under its own) become
the first one recorded (by the time it was collected, then its id), which stays as it is and
goes on counting in its department's timeliness: the later ones are deleted, being the
same decision stored again, and what was filed against them moves to the first one — their
objections and repair applications, which are about the same decision. An open objection or
repair application on both a later and the first one cannot be moved (one is open per record):
the migration stops and names the records, for the department to decide one of them first.
Idempotent; needs no key. The next migration makes the identity unique on the key.
"""

from collections import defaultdict

from django.db import migrations, models

BATCH = 2_000


def fill_keys(apps, schema_editor):
    from xinyong.core.free_text import mask_citizen_ids_however_written
    from xinyong.core.issuers import CODE_CONTENT_KEYS, issuing_body_key_of

    records = apps.get_model("catalog", "CreditRecord").objects
    changes: dict[tuple[str, str], list[int]] = defaultdict(list)
    masked: dict[str, str] = {}  # a few bodies' names, over every record
    codes = [f"content__{key}" for key in CODE_CONTENT_KEYS]  # the codes only, not the content
    rows = records.values_list("pk", "issuing_body", "issuing_body_key", *codes)
    for pk, name, old_key, *found in rows.order_by("pk").iterator(BATCH):
        shown = masked.get(name)
        if shown is None:
            shown = masked[name] = mask_citizen_ids_however_written(name)
        key = issuing_body_key_of(dict(zip(CODE_CONTENT_KEYS, found, strict=True)), shown)
        if (shown, key) != (name, old_key):
            changes[(shown, key)].append(pk)
    for (shown, key), pks in changes.items():
        for start in range(0, len(pks), BATCH):
            records.filter(pk__in=pks[start : start + BATCH]).update(
                issuing_body=shown, issuing_body_key=key
            )


def merge_doubles(apps, schema_editor):
    records = apps.get_model("catalog", "CreditRecord").objects
    objections = apps.get_model("remedies", "RecordObjection").objects
    applications = apps.get_model("remedies", "RepairApplication").objects
    live = records.filter(revoked_on__isnull=True)
    doubled = (
        live.values("document_number", "subject_id", "issuing_body_key")
        .annotate(n=models.Count("pk"))
        .filter(n__gt=1)
    )
    for identity in doubled.iterator(BATCH):
        identity.pop("n")
        first, *later = live.filter(**identity).order_by("created_at", "pk").values_list(
            "pk", flat=True
        )
        for open_ones, state in ((objections, "verifying"), (applications, "submitted")):
            held = open_ones.filter(record_id__in=[first, *later], state=state)
            if held.count() > 1:
                raise RuntimeError(
                    f"credit records {sorted(set(held.values_list('record_id', flat=True)))}"
                    f" are one decision with more than one open {state} case: decide all but"
                    " one, then migrate again"
                )
        objections.filter(record_id__in=later).update(record_id=first)
        applications.filter(record_id__in=later).update(record_id=first)
        records.filter(pk__in=later).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0018_import_job_last_collected_on"),
        ("remedies", "0010_mask_sent_file_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="creditrecord",
            name="issuing_body_key",
            field=models.CharField(
                default="", editable=False, max_length=255, verbose_name="Issuing body's identity"
            ),
        ),
        migrations.AlterField(
            model_name="reportrow",
            name="outcome",
            field=models.CharField(
                choices=[
                    ("quarantined", "Quarantined"),
                    ("review", "Accepted, code for review"),
                    ("recorded", "Accepted, recorded by another department"),
                ],
                max_length=16,
                verbose_name="Outcome",
            ),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(merge_doubles, migrations.RunPython.noop, elidable=True),
    ]
