"""Report rows kept the cells of a prohibited column (001 §14) whose header a form had padded
(血　型) or written in traditional characters (指紋), which the check did not read as one
before. Such a column and its values are taken out of every job's report."""

from django.db import migrations

BATCH = 2000


def drop_prohibited_values(apps, schema_editor):
    from xinyong.catalog.importers.formats import sensitive_topic

    ImportJob = apps.get_model("catalog", "ImportJob")
    ReportRow = apps.get_model("catalog", "ReportRow")
    for job in ImportJob.objects.exclude(columns=[]).only("pk", "columns").iterator():
        columns = list(job.columns or [])
        dropped = {i for i, name in enumerate(columns) if sensitive_topic(str(name))}
        if not dropped:
            continue
        kept = [i for i in range(len(columns)) if i not in dropped]
        rows = ReportRow.objects.filter(job_id=job.pk).only("pk", "values")
        changed = []
        for row in rows.iterator(chunk_size=BATCH):
            values = list(row.values or [])
            # A row of another width than the header keeps no values in a file with a
            # prohibited column: which of its cells is that column's is not known.
            row.values = [values[i] for i in kept] if len(values) == len(columns) else []
            changed.append(row)
            if len(changed) >= BATCH:
                ReportRow.objects.bulk_update(changed, ["values"])
                changed.clear()
        ReportRow.objects.bulk_update(changed, ["values"])
        job.columns = [columns[i] for i in kept]
        job.save(update_fields=["columns"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0008_records_revoked_keep_their_identity")]

    operations = [migrations.RunPython(drop_prohibited_values, migrations.RunPython.noop)]
