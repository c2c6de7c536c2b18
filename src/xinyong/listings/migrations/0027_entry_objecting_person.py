"""A named person's objection suspends only that naming (R6, 004 §二(三)6).

A person an organisation's entry names who objects to being named disputes the naming, not the
organisation's listing: while it is verified, only the measures reaching that person through the
entry are suspended. The entry keeps who objects so (``objecting_person``) beside the deadline,
read by the check in the same row.

Objections already open are left as they were recorded, suspending the whole entry until they
are decided: the change feed has told departments so, and their conclusion resumes it as told.
"""

import django.db.models.deletion
from django.db import migrations, models

from xinyong.listings import feed_trigger


def _drop_feed_trigger(apps, schema_editor):
    """On SQLite the change feed's trigger reads this table, which adding the constraint (and,
    going back, removing the column) rebuilds (``feed_trigger``): the trigger is taken away
    around the change, whichever way it runs, as ``migrate`` does around a whole run; a run
    that applies 0013 and this together, or a step back past this one, gets no such help."""
    feed_trigger.drop_before_migrate(None, using=schema_editor.connection.alias)


def _restore_feed_trigger(apps, schema_editor):
    feed_trigger.restore_after_migrate(None, using=schema_editor.connection.alias)



class Migration(migrations.Migration):

    dependencies = [
        ('listings', '0026_feed_tells_reinstated_entries_suspended'),
        ('subjects', '0009_name_trigram_indexes'),
    ]

    operations = [
        migrations.RunPython(_drop_feed_trigger, _restore_feed_trigger),
        migrations.AddField(
            model_name='listentry',
            name='objecting_person',
            field=models.ForeignKey(blank=True, help_text="A person this entry names whose objection to being named is being verified: only the measures reaching that person through the entry are suspended meanwhile, not the subject's own (R6).", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='subjects.subject', verbose_name='Named person objecting'),
        ),
        migrations.AddConstraint(
            model_name="listentry",
            constraint=models.CheckConstraint(
                condition=models.Q(objecting_person__isnull=True)
                | models.Q(verification_due_on__isnull=False),
                name="objecting_person_only_while_verified",
            ),
        ),
        migrations.RunPython(_restore_feed_trigger, _drop_feed_trigger),
    ]
