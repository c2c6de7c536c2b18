"""Import jobs kept before the names a file brings were masked: a citizen ID in a column's name
(the job's columns, which head its report), in the file's name or in its failure's message, as
the catalog item a request asked for, is masked there as an import masks it today (R14).
Needs no key; idempotent. The audit rows that named them are append-only and stay as written."""

from django.db import migrations

BATCH = 2_000
FIELDS = ["columns", "file_name", "error_message", "warnings"]


def mask(apps, schema_editor):
    from xinyong.core.protection import mask_citizen_ids_in

    jobs = apps.get_model("catalog", "ImportJob").objects
    changed = []
    for job in jobs.only("pk", *FIELDS).order_by("pk").iterator(BATCH):
        kept = [getattr(job, field) for field in FIELDS]
        masked = [mask_citizen_ids_in(value) for value in kept]
        if masked != kept:
            for field, value in zip(FIELDS, masked, strict=True):
                setattr(job, field, value)
            changed.append(job)
    jobs.bulk_update(changed, FIELDS, batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0016_import_job_progress")]

    operations = [migrations.RunPython(mask, migrations.RunPython.noop, elidable=True)]
