"""An outcome keeps the day its business applied the measures, and the statistics count a case
in that day's period (003 §七), not the day it was reported. Outcomes from before take their
report's day of application where it said one, else the day they were reported: the day every
report was judged on until then."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce


def carry_over(apps, schema_editor):
    outcomes = apps.get_model("measures", "MeasureOutcome")
    feedback = apps.get_model("measures", "CheckFeedback")
    said = feedback.objects.filter(pk=OuterRef("feedback_id")).values("applied_on")[:1]
    outcomes.objects.update(applied_on=Coalesce(Subquery(said), "reported_on"))


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0025_check_feedback_applied_on"),
    ]

    operations = [
        migrations.AddField(
            model_name="measureoutcome",
            name="applied_on",
            field=models.DateField(null=True, verbose_name="Applied on"),
        ),
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="measureoutcome",
            name="applied_on",
            field=models.DateField(verbose_name="Applied on"),
        ),
        migrations.RemoveIndex(
            model_name="measureoutcome",
            name="measures_me_reporte_0ae513_idx",
        ),
        migrations.AddIndex(
            model_name="measureoutcome",
            index=models.Index(
                fields=["applied_on", "department"], name="measures_outcome_applied_on"
            ),
        ),
    ]
