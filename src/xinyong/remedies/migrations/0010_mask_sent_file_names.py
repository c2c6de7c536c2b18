"""Files sent as evidence or repair materials before their names were masked: a citizen ID in the
name a subject gave its file is masked as it is in a file sent today (``evidence.kept_name``,
R14), for the name is shown on the pages, in the API and as a download's name. The files on
disk are kept under names of ours and do not change. Needs no key; idempotent."""

from django.db import migrations

BATCH = 2_000
MODELS = ["ObjectionEvidence", "RecordObjectionEvidence", "RepairMaterial"]


def mask(apps, schema_editor):
    from xinyong.core.protection import mask_citizen_ids

    for name in MODELS:
        files = apps.get_model("remedies", name).objects
        changed = []
        for file in files.only("pk", "file_name").order_by("pk").iterator(BATCH):
            masked = mask_citizen_ids(file.file_name)
            if masked != file.file_name:
                file.file_name = masked
                changed.append(file)
        files.bulk_update(changed, ["file_name"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("remedies", "0009_red_list_exit_requests")]

    operations = [migrations.RunPython(mask, migrations.RunPython.noop, elidable=True)]
