"""Which API token made each check (R14: accountability); checks from before register none."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0003_token_can_sign"),
        ("measures", "0031_screening_job_result_removed"),
    ]

    operations = [
        migrations.AddField(
            model_name="check",
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
