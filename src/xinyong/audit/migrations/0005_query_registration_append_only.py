"""Query registrations are append-only in the database itself, like the audit trail (R14).

The same approach as ``0002_append_only``: UPDATE is refused everywhere; on PostgreSQL DELETE
and TRUNCATE are refused too unless the session sets ``xinyong.audit_purge = on``, which only
the test settings do. SQLite has no session setting a trigger could read, and the test runner
must empty tables between tests, so there a delete is not refused; a registration has no hash
chain (rows are independent and numerous, and chaining them would serialize every read that
registers), so on SQLite a deleted registration is not detected. Production runs PostgreSQL.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE TRIGGER audit_queryregistration_no_update BEFORE UPDATE ON audit_queryregistration
       BEGIN SELECT RAISE(ABORT, 'query registrations are append-only'); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_queryregistration_no_update",
]
POSTGRES_FORWARD = [
    """CREATE OR REPLACE FUNCTION audit_queryregistration_refuse() RETURNS trigger AS $$
       BEGIN
         IF current_setting('xinyong.audit_purge', true) = 'on' THEN
           IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
           IF TG_OP = 'TRUNCATE' THEN RETURN NULL; END IF;
         END IF;
         RAISE EXCEPTION 'query registrations are append-only';
       END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_queryregistration_append_only
       BEFORE UPDATE OR DELETE ON audit_queryregistration
       FOR EACH ROW EXECUTE FUNCTION audit_queryregistration_refuse()""",
    """CREATE TRIGGER audit_queryregistration_no_truncate
       BEFORE TRUNCATE ON audit_queryregistration
       FOR EACH STATEMENT EXECUTE FUNCTION audit_queryregistration_refuse()""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_queryregistration_no_truncate ON audit_queryregistration",
    "DROP TRIGGER IF EXISTS audit_queryregistration_append_only ON audit_queryregistration",
    "DROP FUNCTION IF EXISTS audit_queryregistration_refuse()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_query_purposes")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
