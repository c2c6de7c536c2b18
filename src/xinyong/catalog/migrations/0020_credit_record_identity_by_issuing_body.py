"""The record's identity unique on its issuing body's key, document number and subject among the
records not revoked, and the revoked records' index on the same (issue §3; ``0019`` made the
records kept twice one). Both lead with the document number and the subject, which the reads
by a sending department's number and subject use as well. A migration of its own: on
PostgreSQL the rows the previous one changed leave checks pending that a change of the table
waits for the end of their transaction."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("catalog", "0019_credit_record_issuing_body_key")]

    operations = [
        migrations.RemoveConstraint(model_name="creditrecord", name="credit_record_identity"),
        migrations.RemoveIndex(model_name="creditrecord", name="credit_record_revoked"),
        migrations.AddIndex(
            model_name="creditrecord",
            index=models.Index(
                condition=models.Q(("revoked_on__isnull", False)),
                fields=["document_number", "subject", "issuing_body_key"],
                name="credit_record_revoked",
            ),
        ),
        migrations.AddConstraint(
            model_name="creditrecord",
            constraint=models.UniqueConstraint(
                condition=models.Q(("revoked_on__isnull", True)),
                fields=("document_number", "subject", "issuing_body_key"),
                name="credit_record_identity",
            ),
        ),
    ]
