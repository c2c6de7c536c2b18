"""A report's business is told by a keyed digest of its reference, not by the reference as
shown: references are kept masked, and two different ones can mask alike."""

from django.db import migrations, models

from xinyong.subjects.protection import keyring


def key_earlier_reports(apps, schema_editor):
    feedback = apps.get_model("measures", "CheckFeedback")
    digest = keyring().digest
    for row in list(feedback.objects.only("pk", "business_reference")):
        key = digest(row.business_reference.strip())
        feedback.objects.filter(pk=row.pk).update(business_key=key)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # before the table is altered


class Migration(migrations.Migration):
    dependencies = [("measures", "0011_mask_feedback_text")]

    operations = [
        migrations.AddField(
            model_name="checkfeedback",
            name="business_key",
            field=models.CharField(db_index=True, default="", max_length=64,
                                   verbose_name="Business key"),
            preserve_default=False,
        ),
        migrations.RunPython(key_earlier_reports, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="checkfeedback", name="one_feedback_per_business"),
        migrations.AddConstraint(
            model_name="checkfeedback",
            constraint=models.UniqueConstraint(
                fields=("check_record", "business_key"), name="one_feedback_per_business"
            ),
        ),
    ]
