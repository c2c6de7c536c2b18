"""Name decisions keyed again by the name as asked, now that a key keeps its parts apart.

The key was the parts of a normalised name run together, so 东方电气有限公司 (trade name 东方电气)
and 东方市电气有限公司 (电气 of 东方市) shared one, and a decision on one was followed for the
other. It is now region|core|legal form|branch (``names.KEY_SEPARATOR``), and the normaliser
also keeps 乾, 於 and 昇 in a simplified name, and 吉林省 apart from 吉林市 (issue: name checks).

Each decision is keyed again from ``asked_name``, the name its check kept; one made before that
was kept (blank) from its stored key, which can only give the key of the parts it ran together
(东方电气有限公司 stays 东方电气's). Where two decisions of a department on one subject come to
share a key, the latest is kept, as a new decision would have replaced the earlier one (0013).

Going back runs each key's parts together again, as the earlier code kept them; a decision
that shares the result with a later one is dropped the same way. Both directions step through
keys no decision has (``#`` and the row's id), so that no update meets a key yet to change.
"""

from django.db import migrations

LIMIT = 200  # NameDecision.normalized_name's length


def _rekey(decision, key_of):
    latest_first = decision.objects.order_by("-decided_at", "-pk")
    kept: set[tuple[int, str, int]] = set()
    changed: dict[int, str] = {}
    superseded: list[int] = []
    for pk, department, stored, asked, subject in latest_first.values_list(
        "pk", "department_id", "normalized_name", "asked_name", "subject_id"
    ):
        key = key_of(stored, asked)[:LIMIT]
        if (department, key, subject) in kept:
            superseded.append(pk)
            continue
        kept.add((department, key, subject))
        if key != stored:
            changed[pk] = key
    decision.objects.filter(pk__in=superseded).delete()
    # The normaliser drops punctuation, so no key holds a "#" (and PostgreSQL's text refuses a
    # NUL, so that is no marker).
    for pk in changed:
        decision.objects.filter(pk=pk).update(normalized_name=f"#{pk}")
    for pk, key in changed.items():
        decision.objects.filter(pk=pk).update(normalized_name=key)


def key_by_parts(apps, schema_editor):
    from xinyong.core.names import normalize_name

    def key_of(stored: str, asked: str) -> str:
        return normalize_name(asked.strip() or stored).key

    _rekey(apps.get_model("measures", "NameDecision"), key_of)


def run_parts_together(apps, schema_editor):
    from xinyong.core.names import KEY_SEPARATOR

    def key_of(stored: str, asked: str) -> str:
        return stored.replace(KEY_SEPARATOR, "")

    _rekey(apps.get_model("measures", "NameDecision"), key_of)


class Migration(migrations.Migration):
    dependencies = [("measures", "0018_outcome_measure_as_answered")]

    operations = [migrations.RunPython(key_by_parts, run_parts_together)]
