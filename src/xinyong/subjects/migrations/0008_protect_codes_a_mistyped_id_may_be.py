"""Existing organisations whose code may be a person's mistyped ID (it fails the citizen-ID
check and passes the USCC's, with a real province and a date a person could have been given:
``core.protection.could_be_a_mistyped_citizen_id``): masked and encrypted as a person's ID is
(R14), as ``0006`` did for codes valid both ways. New ones are stored so from the start.

Run with the production XINYONG_DATA_KEY set: the ciphertexts are made under the key this
process has, and a key that does not open the identifiers already stored is refused. The
look-up digest does not change, so every link to the subject holds. The copies of the codes in
records, import reports and announcements are masked by ``catalog`` ``0012`` and ``listings``
``0019``.
"""

from django.db import migrations

BATCH = 2_000
ID_SHAPE = r"^[1-9][0-9]{5}(18|19|20)[0-9]{9}[0-9X]$"  # as in 0006: only these are read


def protect(apps, schema_editor):
    from xinyong.core.protection import looks_like_citizen_id
    from xinyong.subjects.protection import require_the_stored_key, stored_identifier

    subjects = apps.get_model("subjects", "Subject")
    require_the_stored_key(subjects)  # refused under another key than the server's
    candidates = (
        subjects.objects.exclude(kind="natural_person")
        .filter(identifier_sealed="", identifier__regex=ID_SHAPE)
        .order_by("pk")
    )
    last = 0
    while batch := list(candidates.filter(pk__gt=last)[:BATCH]):
        last = batch[-1].pk
        changed = []
        for subject in batch:
            if looks_like_citizen_id(subject.identifier):
                stored = stored_identifier(subject.identifier, personal=True)
                subject.identifier, subject.identifier_sealed = stored.shown, stored.sealed
                changed.append(subject)
        subjects.objects.bulk_update(changed, ["identifier", "identifier_sealed"])


class Migration(migrations.Migration):
    dependencies = [("subjects", "0007_subject_updated_at")]

    operations = [migrations.RunPython(protect, migrations.RunPython.noop, elidable=True)]
