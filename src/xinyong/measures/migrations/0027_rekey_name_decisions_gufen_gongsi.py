"""Name decisions on a name ending 股份公司 keyed again, now that 股份公司 is read as 股份有限公司.

A company limited by shares may carry 股份公司 in its name (Company Law art. 7): the normaliser
read it as the bare 公司 after a core ending 股份 (|恒泰科技股份|公司|), so a later check of the
same name, now keyed |恒泰科技|股份有限公司|, would not find the department's decision. Each
decision is keyed again from ``asked_name``, the name its check kept; one without it keeps its
key. Where two decisions of a department on one subject come to share a key, the latest is kept,
as a new decision would have replaced the earlier one (as in 0019).

Going back keys them as the earlier normaliser did (the core with 股份, the form 公司).
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
        key = key_of(stored, asked)[:LIMIT] if asked.strip() else stored
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


def gufen_gongsi_as_a_company_limited_by_shares(apps, schema_editor):
    from xinyong.core.names import normalize_name

    def key_of(stored: str, asked: str) -> str:
        return normalize_name(asked.strip()).key

    _rekey(apps.get_model("measures", "NameDecision"), key_of)


def gufen_gongsi_as_before(apps, schema_editor):
    from xinyong.core.names import KEY_SEPARATOR, normalize_name

    def key_of(stored: str, asked: str) -> str:
        name = normalize_name(asked.strip())
        if name.legal_form_written != "股份公司":
            return stored
        parts = (name.region, name.core + "股份", "公司", name.branch)
        return KEY_SEPARATOR.join(parts)

    _rekey(apps.get_model("measures", "NameDecision"), key_of)


class Migration(migrations.Migration):
    dependencies = [("measures", "0026_measure_outcome_applied_on")]

    operations = [
        migrations.RunPython(gufen_gongsi_as_a_company_limited_by_shares, gufen_gongsi_as_before)
    ]
