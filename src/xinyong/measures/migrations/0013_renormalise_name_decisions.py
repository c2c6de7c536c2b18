"""Name decisions keyed by the current name normaliser, so that later checks still find them.

Name checks look a department's decisions up by ``normalize_name(name).key``; when the
normaliser learns more regions (the whole GB/T 2260 table rather than a list of cities), a key
it made earlier may no longer be what it makes now (洛阳市恒泰… was 洛阳市恒泰…, is 洛阳恒泰…).
The stored key is normalised again. Where two decisions of a department on one subject come to
share a key, the latest decision is kept, as a new decision would have replaced the earlier one.
"""

from django.db import migrations


def renormalise_decisions(apps, schema_editor):
    from xinyong.core.names import normalize_name

    decision = apps.get_model("measures", "NameDecision")
    latest_first = decision.objects.order_by("-decided_at", "-pk")
    kept: set[tuple[int, str, int]] = set()
    changed: dict[int, str] = {}
    superseded: list[int] = []
    for pk, department, stored, subject in latest_first.values_list(
        "pk", "department_id", "normalized_name", "subject_id"
    ):
        key = normalize_name(stored).key[:200]
        if (department, key, subject) in kept:
            superseded.append(pk)
            continue
        kept.add((department, key, subject))
        if key != stored:
            changed[pk] = key
    decision.objects.filter(pk__in=superseded).delete()
    # Through a key no decision has, so that no update meets one that has yet to change: the
    # normaliser drops punctuation, so no key it makes holds a "#" (and PostgreSQL's text
    # refuses a NUL, so that is no marker).
    for pk in changed:
        decision.objects.filter(pk=pk).update(normalized_name=f"#{pk}")
    for pk, key in changed.items():
        decision.objects.filter(pk=pk).update(normalized_name=key)


class Migration(migrations.Migration):
    dependencies = [("measures", "0012_feedback_business_key")]

    operations = [migrations.RunPython(renormalise_decisions, migrations.RunPython.noop)]
