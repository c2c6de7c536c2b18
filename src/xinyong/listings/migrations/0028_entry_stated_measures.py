"""Each entry keeps the measures its signed decision states, by name (R1, R10): only they follow
from it in a check, a screening, a report of what was applied and the cases counted.

Entries signed before are filled from their signature's event, which kept the measures the
decision and its announcement published: those the department named, or, when it named none,
every measure that followed when it was signed. Either is what the decision states, and what a
decision signed from now on keeps (``services.sign_decision``), so two identical decisions
answer alike whenever they were signed: a measure added to the list since was never published,
and is not added (R10: none added). A signature that published none (the list then had none for
the entry: the decision refers to the measures list), an entry never signed (the daily job's
key monitoring and big-data warnings) and an event without measures stay null: every measure of
the list for the entry's kind and domain follows. Going back drops the column.
"""

from collections import defaultdict

from django.db import migrations, models


def fill_from_signatures(apps, schema_editor):
    entry = apps.get_model("listings", "ListEntry")
    event = apps.get_model("listings", "ListEntryEvent")
    stated: dict[tuple[str, ...], list[int]] = defaultdict(list)
    signatures = event.objects.filter(action="sign").values_list("entry_id", "data")
    for entry_id, data in signatures.iterator(2000):
        published = data.get("measures") if isinstance(data, dict) else None
        if not isinstance(published, list):
            continue
        names = tuple(dict.fromkeys(str(name).strip() for name in published if str(name).strip()))
        if names:
            stated[names].append(entry_id)
    for names, ids in stated.items():
        for start in range(0, len(ids), 1000):
            entry.objects.filter(pk__in=ids[start : start + 1000]).update(
                stated_measures=list(names)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("listings", "0027_entry_objecting_person"),
        ("measures", "0027_rekey_name_decisions_gufen_gongsi"),
    ]

    operations = [
        migrations.AddField(
            model_name="listentry",
            name="stated_measures",
            field=models.JSONField(
                blank=True,
                null=True,
                help_text=(
                    "The measures the signed decision states, by name: only they follow from"
                    " this entry (R1, R10). Empty: no decision stated any (an entry the daily"
                    " job derives, or a decision signed while the measures list had none for it,"
                    " which refers to the list), and every measure of the measures list that"
                    " follows from the list's kind and domain applies."
                ),
                verbose_name="Measures the decision states",
            ),
        ),
        migrations.RunPython(fill_from_signatures, migrations.RunPython.noop),
    ]
