"""A list entry keeps its decision's number as the department wrote it, which is what is
published (a court's case number with its （）), and beside it the number's canonical form
(``core.document_numbers``), which every comparison with the records of the decision reads
(R4, R9). Filled for the entries already signed by 0034."""

from django.db import migrations, models

from xinyong.listings import feed_trigger


def _drop_feed_trigger(apps, schema_editor):
    """On SQLite the change feed's trigger reads this table, which adding a column that is not
    null rebuilds (``feed_trigger``): the trigger is taken away around the change, whichever
    way it runs, as in 0027."""
    feed_trigger.drop_before_migrate(None, using=schema_editor.connection.alias)


def _restore_feed_trigger(apps, schema_editor):
    feed_trigger.restore_after_migrate(None, using=schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ("listings", "0032_reinstate_steps_index"),
    ]

    operations = [
        migrations.RunPython(_drop_feed_trigger, _restore_feed_trigger),
        migrations.AddField(
            model_name="listentry",
            name="decision_number_key",
            field=models.CharField(blank=True, db_default="", default="", editable=False, max_length=255, verbose_name="Decision number key"),
        ),
        migrations.RunPython(_restore_feed_trigger, _drop_feed_trigger),
    ]
