"""Each measure outcome keeps the measure as its check answered it: code, name, type and legal
basis (R10, R11). The statistics and typical cases count and show these, so that a reload of
the measures list that gives a code to another measure (序号 shifted) no longer changes what
past reports say was applied.

Outcomes already stored are filled from their check's stored answer where it names the
measure, else from the measure as it stands (``outcomes.measure_as_answered``). Going back
drops the columns; nothing else was changed.
"""

from django.db import migrations, models

from xinyong.measures.outcomes import measure_as_answered

BATCH = 1000
FILLED = ["measure_code", "measure_name", "measure_type", "measure_legal_basis"]


def fill_from_the_answers(apps, schema_editor):
    """Batch by batch in key order, each read whole before it is written: no cursor is left
    open across the writes."""
    outcome = apps.get_model("measures", "MeasureOutcome")
    rows = outcome.objects.select_related("feedback__check_record", "measure").order_by("pk")
    last = 0
    while batch := list(rows.filter(pk__gt=last)[:BATCH]):
        for row in batch:
            measure = row.measure
            current = {
                "name": measure.name,
                "type": measure.type,
                "legal_basis": measure.legal_basis,
            }
            said = measure_as_answered(row.feedback.check_record.response, measure.code, current)
            row.measure_code = measure.code
            row.measure_name = said["name"][:200]
            row.measure_type = said["type"]
            row.measure_legal_basis = said["legal_basis"]
        outcome.objects.bulk_update(batch, FILLED)
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("measures", "0017_renormalise_branch_name_decisions")]

    operations = [
        migrations.AddField(
            model_name="measureoutcome",
            name="measure_code",
            field=models.CharField(default="", max_length=64, verbose_name="Measure code"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="measureoutcome",
            name="measure_name",
            field=models.CharField(default="", max_length=200, verbose_name="Item"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="measureoutcome",
            name="measure_type",
            field=models.CharField(
                choices=[("reward", "Reward"), ("punishment", "Punishment")],
                default="",
                max_length=16,
                verbose_name="Type",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="measureoutcome",
            name="measure_legal_basis",
            field=models.TextField(default="", verbose_name="Policy basis"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_from_the_answers, migrations.RunPython.noop),
    ]
