"""Which API token uploaded each screening job (R14: accountability); jobs from before, and
jobs run from the command line, register none."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0003_token_can_sign"),
        ("measures", "0032_check_token"),
    ]

    operations = [
        migrations.AddField(
            model_name="screeningjob",
            name="token",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="api.apitoken",
                verbose_name="API token",
            ),
        ),
    ]
