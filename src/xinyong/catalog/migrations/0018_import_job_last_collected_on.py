"""The business day an import job's last chunk committed on: its records are public from the
day they are stored (R9), which a job resumed days later, or running past midnight, spreads
over days after its business date. Jobs from before stored every chunk under their business
date, which is their last day of storing if they stored any."""

from django.db import migrations, models


def carry_over(apps, schema_editor):
    ImportJob = apps.get_model("catalog", "ImportJob")
    ImportJob.objects.filter(rows_done__gt=0).update(last_collected_on=models.F("business_date"))


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0017_mask_import_job_names'),
    ]

    operations = [
        migrations.AddField(
            model_name='importjob',
            name='last_collected_on',
            field=models.DateField(blank=True, null=True, verbose_name='Last stored on'),
        ),
        migrations.RunPython(carry_over, migrations.RunPython.noop),
    ]
