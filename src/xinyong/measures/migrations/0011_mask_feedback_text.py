"""Reports' free text kept masked, as new reports keep it (``services.report_feedback``): the
outcome and each reason, with citizen IDs, mobile numbers and the names of the persons the
check concerns masked. Reports are shown beyond the department that sent them (R5, R14)."""

from django.db import migrations

from xinyong.measures.typical_cases import masked_text


def _names(subject, linked) -> list[str]:
    if subject is None:
        return []
    if subject.kind == "natural_person":
        return [subject.name]
    return list(linked.filter(organisation=subject).values_list("person__name", flat=True))


def mask_reports(apps, schema_editor):
    feedback = apps.get_model("measures", "CheckFeedback")
    outcome = apps.get_model("measures", "MeasureOutcome")
    linked = apps.get_model("subjects", "LinkedPerson").objects
    for row in list(feedback.objects.select_related("check_record__subject").order_by("pk")):
        names = _names(row.check_record.subject, linked)
        text = masked_text(row.outcome, names)
        lines = [{**line, "reason": masked_text(line.get("reason") or "", names)}
                 for line in row.measures]  # fmt: skip
        if text != row.outcome or lines != row.measures:
            row.outcome, row.measures = text, lines
            row.save(update_fields=["outcome", "measures"])
        for said in outcome.objects.filter(feedback=row).exclude(reason=""):
            reason = masked_text(said.reason, names)
            if reason != said.reason:
                outcome.objects.filter(pk=said.pk).update(reason=reason)


class Migration(migrations.Migration):
    dependencies = [("measures", "0010_outcome_binding"), ("subjects", "0005_identifier_digest_unique")]

    operations = [migrations.RunPython(mask_reports, migrations.RunPython.noop)]
