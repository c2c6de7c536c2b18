"""A screening job's run shows it is alive by a heartbeat, which the sweep reads to tell a dead
run from a long one (a large file takes longer than the time after which a run counts as dead).
Jobs from before get their start as their heartbeat, their registration if they have none: the
sweep judges them as it did."""

from django.db import migrations, models
from django.db.models.functions import Coalesce


def carry_over(apps, schema_editor):
    ScreeningJob = apps.get_model("measures", "ScreeningJob")
    ScreeningJob.objects.update(heartbeat_at=Coalesce("started_at", "created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('measures', '0022_measures_list_version_before_statements'),
    ]

    operations = [
        migrations.AddField(
            model_name='screeningjob',
            name='heartbeat_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='Last sign of life'),
        ),
        migrations.RunPython(carry_over, migrations.RunPython.noop),
    ]
