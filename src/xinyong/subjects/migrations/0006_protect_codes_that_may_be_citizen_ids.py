"""Existing organisations whose code may be a person's ID too (valid both as a USCC and as a
citizen ID, or for review in an ID's shape): masked and encrypted as a person's ID is (R14).

Run with the production XINYONG_DATA_KEY set: the ciphertexts are made under the key this
process has, and a key that does not open the identifiers already stored is refused. The
look-up digest does not change, so every link to the subject holds.
"""

from django.db import migrations

BATCH = 2_000
# An ID's shape (xinyong.core.protection.CITIZEN_ID_SHAPE) as the database can test it: only
# the codes it finds are read here.
ID_SHAPE = r"^[1-9][0-9]{5}(18|19|20)[0-9]{9}[0-9X]$"


def protect(apps, schema_editor):
    from xinyong.core.protection import looks_like_citizen_id
    from xinyong.subjects.protection import require_the_stored_key, stored_identifier

    subject_model = apps.get_model("subjects", "Subject")
    require_the_stored_key(subject_model)  # refused under another key than the server's
    candidates = (
        subject_model.objects.exclude(kind="natural_person")
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
        subject_model.objects.bulk_update(changed, ["identifier", "identifier_sealed"])


class Migration(migrations.Migration):
    dependencies = [("subjects", "0005_identifier_digest_unique")]

    operations = [migrations.RunPython(protect, migrations.RunPython.noop, elidable=True)]
