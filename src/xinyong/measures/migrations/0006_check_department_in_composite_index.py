"""The department column of checks loses its own index: (department, created_at) starts with it.

Django's AlterField would drop and re-add the foreign key to do this, validating every check
ever registered again under a lock; only the index goes here, by the name Django gave it.
"""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "measures_check_department_id_0b40e3f6"


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0005_mask_check_identifiers"),
        ("subjects", "0005_identifier_digest_unique"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="check",
                    name="department",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="checks",
                        to="subjects.department",
                        verbose_name="Department",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=f'CREATE INDEX "{INDEX}" ON "measures_check" ("department_id")',
                ),
            ],
        ),
    ]
