"""Records revoked on a founded objection before ``CreditRecord.revoked_on`` existed get the
day of that finding, so that they too stop being the record of their identity (R6)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def mark_revoked(apps, schema_editor):
    CreditRecord = apps.get_model("catalog", "CreditRecord")
    RecordObjection = apps.get_model("remedies", "RecordObjection")
    founded = RecordObjection.objects.filter(state="founded", outcome="revoke")
    first = founded.filter(record=OuterRef("pk")).order_by("decided_on")
    CreditRecord.objects.filter(revoked_on__isnull=True, pk__in=founded.values("record")).update(
        revoked_on=Subquery(first.values("decided_on")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0008_records_revoked_keep_their_identity"),
        ("remedies", "0006_record_objections"),
    ]

    operations = [migrations.RunPython(mark_revoked, migrations.RunPython.noop)]
