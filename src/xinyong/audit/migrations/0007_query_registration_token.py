"""Which API token asked for each registered answer (R14: accountability); pages, the command
line and registrations from before register none.

A nullable column with no default: SQLite adds it in place (ALTER TABLE), so the append-only
triggers of ``0005`` and ``0006`` stay, as they do on PostgreSQL.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0003_token_can_sign"),
        ("audit", "0006_registration_persons"),
    ]

    operations = [
        migrations.AddField(
            model_name="queryregistration",
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
