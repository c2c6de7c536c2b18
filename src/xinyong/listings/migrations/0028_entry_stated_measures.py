"""Each entry keeps the measures its signed decision states, by name (R1, R10): only they follow
from it in a check, a screening, a report of what was applied and the cases counted. Null: the
decision named none, and every measure of the list for its kind and domain follows, as before.

Entries signed before are filled from their signature's event, which kept the measures the
decision and its announcement published: those the department named, or, when it named none,
every measure that followed then. The two cannot be told apart afterwards, so a signature whose
measures include every measure that follows now (active, with a legal basis, for the list's
kind and domain, ``measures.selectors.measures_following``) is read as naming none and left
null; any other is kept as stated, which never applies a measure its decision did not publish
(R10: none added). Going back drops the column.
"""

from collections import defaultdict

from django.db import migrations, models

from xinyong.measures.models import is_placeholder_basis


def _following(measure_model):
    """(list kind, domain id) → the names of the measures that follow, as ``measures_following``
    reads them today."""
    measures = [
        (measure.name, frozenset(measure.list_kinds), {d.pk for d in measure.domains.all()})
        for measure in measure_model.objects.filter(is_active=True)
        .exclude(legal_basis="")
        .prefetch_related("domains")
        if not is_placeholder_basis(measure.legal_basis)
    ]
    found: dict[tuple[str, int], frozenset[str]] = {}

    def following(kind: str, domain_id: int) -> frozenset[str]:
        key = (kind, domain_id)
        if key not in found:
            found[key] = frozenset(
                name for name, kinds, domains in measures
                if kind in kinds and (not domains or domain_id in domains)
            )  # fmt: skip
        return found[key]

    return following


def fill_from_signatures(apps, schema_editor):
    entry = apps.get_model("listings", "ListEntry")
    event = apps.get_model("listings", "ListEntryEvent")
    following = _following(apps.get_model("measures", "Measure"))
    stated: dict[tuple[str, ...], list[int]] = defaultdict(list)
    signatures = event.objects.filter(action="sign").values_list(
        "entry_id", "data", "entry__list__kind", "entry__list__domain_id"
    )
    for entry_id, data, kind, domain_id in signatures.iterator(2000):
        published = data.get("measures") if isinstance(data, dict) else None
        if not isinstance(published, list):
            continue
        names = tuple(dict.fromkeys(str(name).strip() for name in published if str(name).strip()))
        if names and not following(kind, domain_id) <= set(names):
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
                    " this entry (R1, R10). Empty: the decision named none, and every measure of"
                    " the measures list that follows from the list's kind and domain applies."
                ),
                verbose_name="Measures the decision states",
            ),
        ),
        migrations.RunPython(fill_from_signatures, migrations.RunPython.noop),
    ]
