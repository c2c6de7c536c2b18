"""Typical cases and reports masked again, as new ones are: a person's given name written alone
(慧薇 of 王慧薇) is masked too (``core.free_text.mask_free_text``). Typical cases are published
on the portal, and reports are shown beyond the department that sent them (R5, R14)."""

from django.db import migrations


def _names(subject, linked):
    """The persons a text about ``subject`` may name, and the organisations' names it keeps."""
    if subject is None:
        return [], []
    if subject.kind == "natural_person":
        organisations = linked.filter(person=subject).values_list("organisation__name", flat=True)
        return [subject.name], list(organisations)
    persons = linked.filter(organisation=subject).values_list("person__name", flat=True)
    return list(persons), [subject.name]


def mask_given_names(apps, schema_editor):
    from xinyong.core.free_text import mask_free_text

    case = apps.get_model("measures", "TypicalCase")
    feedback = apps.get_model("measures", "CheckFeedback")
    outcome = apps.get_model("measures", "MeasureOutcome")
    linked = apps.get_model("subjects", "LinkedPerson").objects
    cases = case.objects.select_related("feedback__check_record__subject").order_by("pk")
    for row in list(cases):
        persons, organisations = _names(row.feedback.check_record.subject, linked)
        words = {
            field: mask_free_text(getattr(row, field), persons, keep=organisations)
            for field in ("title", "summary", "withdrawal_reason")
        }
        if any(getattr(row, field) != text for field, text in words.items()):
            case.objects.filter(pk=row.pk).update(**words)
    reports = feedback.objects.select_related("check_record__subject").order_by("pk")
    for row in list(reports):
        persons, _organisations = _names(row.check_record.subject, linked)
        if not persons:
            continue
        text = mask_free_text(row.outcome, persons)
        lines = [{**line, "reason": mask_free_text(line.get("reason") or "", persons)}
                 for line in row.measures]  # fmt: skip
        if text != row.outcome or lines != row.measures:
            feedback.objects.filter(pk=row.pk).update(outcome=text, measures=lines)
        for said in outcome.objects.filter(feedback=row).exclude(reason=""):
            reason = mask_free_text(said.reason, persons)
            if reason != said.reason:
                outcome.objects.filter(pk=said.pk).update(reason=reason)


class Migration(migrations.Migration):
    dependencies = [("measures", "0013_renormalise_name_decisions"), ("subjects", "0005_identifier_digest_unique")]

    operations = [migrations.RunPython(mask_given_names, migrations.RunPython.noop)]
