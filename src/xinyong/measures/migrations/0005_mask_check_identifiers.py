"""Checks registered before citizen IDs were protected: the ID asked kept masked (R14)."""

from django.db import migrations

BATCH = 2_000


def mask(apps, schema_editor):
    from xinyong.core.protection import CITIZEN_ID_SHAPE, mask_citizen_ids, mask_citizen_ids_in

    check_model = apps.get_model("measures", "Check")
    changed = []
    for check in check_model.objects.exclude(query_identifier="").iterator(BATCH):
        if CITIZEN_ID_SHAPE.search(check.query_identifier):
            check.query_identifier = mask_citizen_ids(check.query_identifier)
            check.response = mask_citizen_ids_in(check.response)
            changed.append(check)
    check_model.objects.bulk_update(changed, ["query_identifier", "response"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("measures", "0004_screening_jobs")]

    operations = [migrations.RunPython(mask, migrations.RunPython.noop, elidable=True)]
