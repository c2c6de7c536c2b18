"""A measure's domains and implementing departments go through link models of their own, whose
link to the domain or department is protected: a measure with none applies in every one, so
deleting the one it is limited to would widen it (R10: measures are not added or aggravated).

The link models take over the tables Django made for the plain many-to-many fields, with the
same columns and the same unique pair: only the migration state changes, not the database.
"""

import django.db.models.deletion
from django.db import migrations, models


def _link(name, table, target, column, verbose_name):
    return migrations.CreateModel(
        name=name,
        fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                       verbose_name="ID")),
            ("measure", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                          related_name="+", to="measures.measure")),
            (column, models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                       related_name="+", to=target)),
        ],
        options={
            "verbose_name": verbose_name,
            "verbose_name_plural": verbose_name,
            "db_table": table,
            "unique_together": {("measure", column)},
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0015_name_decision_asked_name"),
        ("subjects", "0006_protect_codes_that_may_be_citizen_ids"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                _link("MeasureDomain", "measures_measure_domains", "subjects.domain", "domain",
                      "Domain a measure is limited to"),
                migrations.AlterField(
                    model_name="measure",
                    name="domains",
                    field=models.ManyToManyField(blank=True, through="measures.MeasureDomain",
                                                 to="subjects.domain", verbose_name="Domains"),
                ),
                _link("MeasureDepartment", "measures_measure_implementing_departments",
                      "subjects.department", "department",
                      "Implementing department a measure is limited to"),
                migrations.AlterField(
                    model_name="measure",
                    name="implementing_departments",
                    field=models.ManyToManyField(
                        blank=True, through="measures.MeasureDepartment",
                        to="subjects.department", verbose_name="Implementing department",
                    ),
                ),
            ],
        ),
    ]
