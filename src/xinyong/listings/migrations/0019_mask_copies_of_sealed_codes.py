"""Organisations whose code was sealed after it was stored, as one a person's mistyped ID may
be (subjects ``0006``, ``0008``), had copies of it left in clear in the stored text of their
announcements: masked there as a notice written today shows it (R14). Needs no key: see
``subjects.protection.mask_copies_of_sealed_codes``. Idempotent."""

from django.db import migrations


def mask(apps, schema_editor):
    from xinyong.subjects.protection import mask_copies_of_sealed_codes

    subjects = apps.get_model("subjects", "Subject")
    announcements = apps.get_model("listings", "Announcement")
    mask_copies_of_sealed_codes(subjects, announcements, ["body"], "entry__subject_id")


class Migration(migrations.Migration):
    dependencies = [
        ("listings", "0018_feed_tells_shortened_monitoring"),
        ("subjects", "0008_protect_codes_a_mistyped_id_may_be"),
    ]

    operations = [migrations.RunPython(mask, migrations.RunPython.noop, elidable=True)]
