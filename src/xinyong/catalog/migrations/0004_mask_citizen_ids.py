"""Records and import reports kept before citizen IDs were protected: IDs masked (R14)."""

import json

from django.db import migrations

BATCH = 2_000


def mask(apps, schema_editor):
    from xinyong.core.protection import CITIZEN_ID_SHAPE, mask_citizen_ids_in

    for model, fields in (("CreditRecord", ["content"]), ("ReportRow", ["values", "reasons"])):
        rows = apps.get_model("catalog", model).objects.order_by("pk")
        changed = []
        for row in rows.only("pk", *fields).iterator(BATCH):
            text = json.dumps([getattr(row, f) for f in fields], ensure_ascii=False)
            if CITIZEN_ID_SHAPE.search(text):
                for field in fields:
                    setattr(row, field, mask_citizen_ids_in(getattr(row, field)))
                changed.append(row)
        rows.model.objects.bulk_update(changed, fields, batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_penalty_types_and_publication_rules")]

    operations = [migrations.RunPython(mask, migrations.RunPython.noop, elidable=True)]
