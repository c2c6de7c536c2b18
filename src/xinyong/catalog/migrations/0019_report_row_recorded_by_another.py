"""An import report row may name a row accepted whose decision another department recorded
already: not stored nor published twice (R9). A new choice only; no table changes."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0018_import_job_last_collected_on'),
    ]

    operations = [
        migrations.AlterField(
            model_name='reportrow',
            name='outcome',
            field=models.CharField(choices=[('quarantined', 'Quarantined'), ('review', 'Accepted, code for review'), ('by_another', 'Accepted, recorded by another department')], max_length=16, verbose_name='Outcome'),
        ),
    ]
