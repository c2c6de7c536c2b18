"""Name decisions keyed again, now that a county written in brackets without its suffix is the
region (鑫飞诚电器（桐庐）有限公司 is 桐庐县鑫飞诚电器有限公司, issue 4 item 3).

The normaliser read such brackets as words of the name (|鑫飞诚电器桐庐|有限公司|), so a later
check of the same name, now keyed 桐庐县|鑫飞诚电器|有限公司|, would not find the department's
decision. Each decision is keyed again from ``asked_name``, the name its check kept, as in 0027:
one without it keeps its key, and where two decisions of a department on one subject come to
share a key, the latest is kept.

Going back leaves the keys as they are (as 0013 and 0017 do): the earlier normaliser finds a
decision on such a name again once the department decides on it again.
"""

import importlib

from django.db import migrations


def bracketed_counties_as_regions(apps, schema_editor):
    from xinyong.core.names import normalize_name

    earlier = importlib.import_module(
        "xinyong.measures.migrations.0027_rekey_name_decisions_gufen_gongsi"
    )

    def key_of(stored: str, asked: str) -> str:
        return normalize_name(asked.strip()).key

    earlier._rekey(apps.get_model("measures", "NameDecision"), key_of)


class Migration(migrations.Migration):
    dependencies = [("measures", "0028_feedback_periods_and_corrections")]

    operations = [migrations.RunPython(bracketed_counties_as_regions, migrations.RunPython.noop)]
