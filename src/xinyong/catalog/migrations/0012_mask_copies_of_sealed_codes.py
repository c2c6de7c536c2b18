"""Organisations whose code was sealed after it was stored, as one a person's mistyped ID may
be (subjects ``0006``, ``0008``), had copies of it left in clear in their records' content
and in import reports: masked there as an import masks them today (R14). Needs no key: see
``subjects.protection.mask_copies_of_sealed_codes``. Idempotent."""

from django.db import migrations


def mask(apps, schema_editor):
    from xinyong.subjects.protection import mask_copies_of_sealed_codes

    subjects = apps.get_model("subjects", "Subject")
    records = apps.get_model("catalog", "CreditRecord")
    report_rows = apps.get_model("catalog", "ReportRow")
    mask_copies_of_sealed_codes(subjects, records, ["content"], "subject_id")
    mask_copies_of_sealed_codes(subjects, report_rows, ["values", "reasons"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0011_import_job_one_running_per_item"),
        ("subjects", "0008_protect_codes_a_mistyped_id_may_be"),
    ]

    operations = [migrations.RunPython(mask, migrations.RunPython.noop, elidable=True)]
