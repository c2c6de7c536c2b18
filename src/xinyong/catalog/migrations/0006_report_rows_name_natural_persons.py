"""Import report rows say whether their subject is a natural person, so that reading them is
registered even when the row gives no ID number (R14). Rows kept before are marked from their
job's columns: the subject kind column when the file has one, else an ID number and no code."""

from django.db import migrations, models

BATCH = 2_000
# The report's columns are the file's own header names: those of the subject kind, the ID
# number and the organisation's code in the national formats and the generic records layout.
KIND_COLUMNS = {
    "CF_XDR_LB", "XK_XDR_LB", "行政相对人类别", "相对人类别", "SUBJECT_KIND", "主体类别", "主体类型",
}  # fmt: skip
PERSON_KINDS = {"自然人", "个人", "NATURAL_PERSON"}
ID_COLUMNS = {
    "CF_XDR_ZJHM", "CF_XDR_SFZ", "XK_XDR_ZJHM", "XK_XDR_SFZ", "ID_NUMBER", "证件号码",
    "居民身份证号", "身份证号码",
}  # fmt: skip
CODE_COLUMNS = {
    "CF_XDR_SHXYM", "XK_XDR_SHXYM", "USCC", "统一社会信用代码", "行政相对人代码_1(统一社会信用代码)",
}  # fmt: skip


def _position(columns, names):
    return next((i for i, name in enumerate(columns) if str(name).strip().upper() in names), None)


def _cell(values, position):
    if position is None or position >= len(values):
        return ""
    return str(values[position]).strip()


def mark(apps, schema_editor):
    job_model = apps.get_model("catalog", "ImportJob")
    row_model = apps.get_model("catalog", "ReportRow")
    for job in job_model.objects.filter(report_rows__isnull=False).distinct().only("pk", "columns"):
        columns = job.columns or []
        kind, person_id, code = (
            _position(columns, names) for names in (KIND_COLUMNS, ID_COLUMNS, CODE_COLUMNS)
        )
        changed = []
        for row in row_model.objects.filter(job=job).only("pk", "values").iterator(BATCH):
            values = row.values or []
            if kind is not None:
                person = _cell(values, kind).upper() in PERSON_KINDS
            else:
                person = bool(_cell(values, person_id)) and not _cell(values, code)
            if person:
                row.names_natural_person = True
                changed.append(row)
        row_model.objects.bulk_update(changed, ["names_natural_person"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_rest_day_collections_are_late")]

    operations = [
        migrations.AddField(
            model_name="reportrow",
            name="names_natural_person",
            field=models.BooleanField(default=False, verbose_name="Names a natural person"),
        ),
        migrations.RunPython(mark, migrations.RunPython.noop, elidable=True),
    ]
