"""The persons a bulk answer names, one pair of ids each, append-only like their registration.

The table's triggers are those of ``0005_query_registration_append_only``, on the same function:
UPDATE refused everywhere; on PostgreSQL DELETE and TRUNCATE refused unless the session sets
``xinyong.audit_purge = on`` (only the test settings do).
"""

import django.db.models.deletion
from django.db import migrations, models

SQLITE_FORWARD = [
    """CREATE TRIGGER audit_queryregistrationperson_no_update
       BEFORE UPDATE ON audit_queryregistrationperson
       BEGIN SELECT RAISE(ABORT, 'query registrations are append-only'); END""",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS audit_queryregistrationperson_no_update"]
POSTGRES_FORWARD = [
    """CREATE TRIGGER audit_queryregistrationperson_append_only
       BEFORE UPDATE OR DELETE ON audit_queryregistrationperson
       FOR EACH ROW EXECUTE FUNCTION audit_queryregistration_refuse()""",
    """CREATE TRIGGER audit_queryregistrationperson_no_truncate
       BEFORE TRUNCATE ON audit_queryregistrationperson
       FOR EACH STATEMENT EXECUTE FUNCTION audit_queryregistration_refuse()""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_queryregistrationperson_no_truncate"
    " ON audit_queryregistrationperson",
    "DROP TRIGGER IF EXISTS audit_queryregistrationperson_append_only"
    " ON audit_queryregistrationperson",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_query_registration_append_only"),
        ("subjects", "0007_subject_updated_at"),
    ]

    operations = [
        migrations.CreateModel(
            name="QueryRegistrationPerson",
            fields=[
                ("pk", models.CompositePrimaryKey(
                    "subject_id", "registration_id", blank=True, editable=False,
                    primary_key=True, serialize=False,
                )),
                ("registration", models.ForeignKey(
                    db_constraint=False, on_delete=django.db.models.deletion.PROTECT,
                    related_name="persons", to="audit.queryregistration",
                    verbose_name="Query registration",
                )),
                ("subject", models.ForeignKey(
                    db_constraint=False, db_index=False,
                    on_delete=django.db.models.deletion.PROTECT, related_name="+",
                    to="subjects.subject", verbose_name="Credit subject",
                )),
            ],
            options={
                "verbose_name": "Person named in a registered answer",
                "verbose_name_plural": "Person named in a registered answer",
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
