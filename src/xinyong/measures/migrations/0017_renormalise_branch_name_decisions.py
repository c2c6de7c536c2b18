"""Name decisions keyed again now that a branch's region is normalised as the head's is
(北京市分公司 is 北京分公司), so that later checks still find them; the same step as 0013."""

import importlib

from django.db import migrations


def renormalise_decisions(apps, schema_editor):
    earlier = importlib.import_module("xinyong.measures.migrations.0013_renormalise_name_decisions")
    earlier.renormalise_decisions(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("measures", "0016_protect_measure_limits")]

    operations = [migrations.RunPython(renormalise_decisions, migrations.RunPython.noop)]
