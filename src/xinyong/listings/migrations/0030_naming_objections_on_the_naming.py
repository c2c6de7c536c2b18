"""A named person's objection to being named is kept on the naming, beside the entry's own
objection (R6, 000 §十一.2, 004 §二(三)6).

Until now the person's objection was the entry's objection (its deadline, and
``objecting_person``): while it was verified, the organisation's own objection, and another
named person's, were refused as one already verified, so the organisation's measures kept
applying with no way to have its own objection verified. The deadline now lives on the person's
naming rows (``ListEntryPerson.verification_due_on``, on every role the person is named in), and
the entry's deadline is the entry's own objection alone.

Open objections move: an effective entry, or one that ended while it was verified, whose
objection is a named person's, has its deadline put on that person's naming rows and its own
cleared. A candidacy keeps it: a person's objection during publicity still stops the candidacy
(``record_objection``). Going back puts one person's open objection back on the entry where the
entry has none of its own; any other open at once cannot be told in the old columns and is
dropped from them (the history keeps every objection).

On SQLite removing the column rebuilds the entries' table, which the change feed's trigger
reads (``feed_trigger``): the trigger is taken away around the change, whichever way it runs,
and put back as the latest migration defining it defines it.
"""

from django.db import migrations, models

from xinyong.listings import feed_trigger

NAMING_OPEN_STATES = ("effective", "exited")


def _drop_feed_trigger(apps, schema_editor):
    feed_trigger.drop_before_migrate(None, using=schema_editor.connection.alias)


def _restore_feed_trigger(apps, schema_editor):
    feed_trigger.restore_after_migrate(None, using=schema_editor.connection.alias)


def move_to_namings(apps, schema_editor):
    entries = apps.get_model("listings", "ListEntry")
    namings = apps.get_model("listings", "ListEntryPerson")
    objected = entries.objects.filter(
        objecting_person__isnull=False, verification_due_on__isnull=False,
        state__in=NAMING_OPEN_STATES,
    ).order_by("pk")  # fmt: skip
    for entry in objected:
        moved = namings.objects.filter(entry=entry, person_id=entry.objecting_person_id).update(
            verification_due_on=entry.verification_due_on,
            verification_due_provisional=entry.verification_due_provisional,
        )
        if moved:  # with no naming left to carry it, it stays the entry's (never so written)
            entries.objects.filter(pk=entry.pk).update(
                verification_due_on=None, verification_due_provisional=False,
                objecting_person=None,
            )  # fmt: skip


def move_back_to_entries(apps, schema_editor):
    entries = apps.get_model("listings", "ListEntry")
    namings = apps.get_model("listings", "ListEntryPerson")
    open_ = namings.objects.filter(
        verification_due_on__isnull=False, entry__verification_due_on__isnull=True,
        entry__state__in=NAMING_OPEN_STATES,
    ).order_by("entry_id", "pk")  # fmt: skip
    taken: set[int] = set()
    for naming in open_:
        if naming.entry_id in taken:
            continue
        taken.add(naming.entry_id)
        entries.objects.filter(pk=naming.entry_id).update(
            verification_due_on=naming.verification_due_on,
            verification_due_provisional=naming.verification_due_provisional,
            objecting_person_id=naming.person_id,
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("listings", "0029_feed_tells_namings_removed")]

    operations = [
        migrations.RunPython(_drop_feed_trigger, _restore_feed_trigger),
        migrations.AddField(
            model_name="listentryperson",
            name="verification_due_on",
            field=models.DateField(
                blank=True, null=True, verbose_name="Objection to being named verified by",
                help_text="The person objects to being named in this entry: verified within 20 "
                "days of its receipt, only the measures reaching the person through the entry "
                "are suspended meanwhile, not the subject's own (R6).",
            ),
        ),
        migrations.AddField(
            model_name="listentryperson",
            name="verification_due_provisional",
            field=models.BooleanField(
                db_default=False, default=False,
                verbose_name="Verification deadline is provisional",
                help_text="The deadline falls in a year whose holiday schedule is not yet "
                "published; it is recomputed when the calendar is updated (R15).",
            ),
        ),
        migrations.AddIndex(
            model_name="listentryperson",
            index=models.Index(
                condition=models.Q(verification_due_on__isnull=False),
                fields=["verification_due_on"], name="listings_naming_objection_open",
            ),
        ),
        migrations.RunPython(move_to_namings, move_back_to_entries),
        migrations.RemoveConstraint(
            model_name="listentry", name="objecting_person_only_while_verified"
        ),
        migrations.RemoveField(model_name="listentry", name="objecting_person"),
        migrations.RunPython(_restore_feed_trigger, _drop_feed_trigger),
    ]
