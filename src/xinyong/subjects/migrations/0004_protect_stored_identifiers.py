"""Existing subjects: hash every identifier, encrypt and mask natural persons' IDs (R14).

Run with the production XINYONG_DATA_KEY set: the digests and ciphertexts are made under the
key this process has, and a key that does not open the identifiers already stored (written by
the code of ``0003``) is refused.
"""

from django.db import migrations

BATCH = 2_000


def protect(apps, schema_editor):
    from xinyong.subjects.protection import require_the_stored_key, stored_identifier

    subject_model = apps.get_model("subjects", "Subject")
    require_the_stored_key(subject_model)  # refused under another key than the server's
    pending = subject_model.objects.filter(identifier_digest="").order_by("pk")
    while batch := list(pending[:BATCH]):
        for subject in batch:
            stored = stored_identifier(
                subject.identifier, personal=subject.kind == "natural_person"
            )
            subject.identifier = stored.shown
            subject.identifier_digest = stored.digest
            subject.identifier_sealed = stored.sealed
        subject_model.objects.bulk_update(
            batch, ["identifier", "identifier_digest", "identifier_sealed"]
        )


class Migration(migrations.Migration):
    dependencies = [("subjects", "0003_identifier_digest_and_ciphertext")]

    operations = [migrations.RunPython(protect, migrations.RunPython.noop, elidable=True)]
