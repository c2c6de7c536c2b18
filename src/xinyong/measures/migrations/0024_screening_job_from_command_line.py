"""A screening job says whether the command line asked for it: its result goes where the
operator asked, at once, so the sweep never runs it again. Jobs from before whose result is not
where the API puts it (``<id>.result.csv`` beside the stored upload) were the command line's."""

from pathlib import Path

from django.db import migrations, models


def carry_over(apps, schema_editor):
    ScreeningJob = apps.get_model("measures", "ScreeningJob")
    jobs = ScreeningJob.objects.only("pk", "input_path", "output_path")
    command_line = [
        job.pk for job in jobs.iterator()
        if job.output_path != str(Path(job.input_path).with_name(f"{job.pk}.result.csv"))
    ]  # fmt: skip
    ScreeningJob.objects.filter(pk__in=command_line).update(from_command_line=True)


class Migration(migrations.Migration):

    dependencies = [
        ('measures', '0023_screening_job_heartbeat'),
    ]

    operations = [
        migrations.AddField(
            model_name='screeningjob',
            name='from_command_line',
            field=models.BooleanField(default=False, verbose_name='Run from the command line'),
        ),
        migrations.RunPython(carry_over, migrations.RunPython.noop),
    ]
