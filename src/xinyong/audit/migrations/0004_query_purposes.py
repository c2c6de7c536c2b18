"""The reference list of query purposes (查询事由) the platform starts with (R14)."""

from django.db import migrations

from xinyong.audit.purposes import ensure_built_in


def seed(apps, schema_editor):
    ensure_built_in(apps.get_model("audit", "QueryPurpose"))


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_query_registration")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
