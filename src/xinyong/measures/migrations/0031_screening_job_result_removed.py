"""When a screening job's result was deleted past its days (R14). Jobs from before keep their
files until the daily job finds them past their days."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('measures', '0030_check_name_with_code'),
    ]

    operations = [
        migrations.AddField(
            model_name='screeningjob',
            name='result_removed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='Result deleted at'),
        ),
    ]
