"""A screening job counts the runs that took it: one whose process died twice ends as failed
(``screening_jobs.MAX_ATTEMPTS``). Jobs from before start at none."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('measures', '0019_rekey_name_decisions_by_parts'),
    ]

    operations = [
        migrations.AddField(
            model_name='screeningjob',
            name='attempts',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='Runs'),
        ),
    ]
