"""Measure outcomes, the rows the joint reward and punishment statistics count (R11, 003 §七).

Reports sent before are counted too: each becomes its outcome rows, read from its check's answer
as a new report is. A business reported twice for one check (possible until now) keeps both
reports, the later ones with their id added to the reference, so that none is lost and the
new rule (one report per business) holds; a later one that says what the first said is a
retry, and is not counted again.
"""

import django.db.models.deletion
from zoneinfo import ZoneInfo
from django.db import migrations, models

from xinyong.measures.outcomes import answered_measures

CHINA = ZoneInfo("Asia/Shanghai")  # the business date of a report made before this migration


def tell_doubled_reports_apart(apps, schema_editor):
    feedback = apps.get_model("measures", "CheckFeedback")
    seen = set()
    for row in feedback.objects.order_by("pk").iterator():
        key = (row.check_record_id, row.business_reference)
        if key in seen:
            row.business_reference = f"{row.business_reference[:100]}（重复#{row.pk}）"
            row.save(update_fields=["business_reference"])
        seen.add(key)


def count_earlier_reports(apps, schema_editor):
    feedback = apps.get_model("measures", "CheckFeedback")
    measure = apps.get_model("measures", "Measure")
    outcome = apps.get_model("measures", "MeasureOutcome")
    entry = apps.get_model("listings", "ListEntry")
    codes = dict(measure.objects.values_list("code", "pk"))
    links = outcome.entries.through
    known_entries = set()
    first_reports = {}
    for row in feedback.objects.select_related("check_record").order_by("pk").iterator():
        suffix = f"（重复#{row.pk}）"
        reference = row.business_reference.removesuffix(suffix)
        said_then = (row.outcome, sorted(map(str, row.measures)))
        key = (row.check_record_id, reference)
        if key in first_reports and first_reports[key] == said_then:
            continue  # a retry of the first report: it is the same case, counted once
        first_reports.setdefault(key, said_then)
        answered = answered_measures(row.check_record.response)
        reported_on = row.created_at.astimezone(CHINA).date()
        for item in row.measures:
            said = answered.get(item.get("measure"))
            if said is None or said.code not in codes:
                continue  # not in the answer, or deleted from the list: nothing to count
            made = outcome.objects.create(
                feedback=row, measure_id=codes[said.code],
                department_id=row.check_record.department_id, reported_on=reported_on,
                applied=bool(item.get("applied")), reason=item.get("reason") or "",
                mandatory=said.mandatory, suspended=said.suspended,
            )
            wanted = set(said.entry_ids) - known_entries
            if wanted:
                known_entries |= set(entry.objects.filter(pk__in=wanted).values_list("pk", flat=True))
            links.objects.bulk_create(
                links(measureoutcome_id=made.pk, listentry_id=entry_id)
                for entry_id in said.entry_ids if entry_id in known_entries
            )


class Migration(migrations.Migration):

    dependencies = [
        ('listings', '0009_entry_publicity_workdays'),
        ('measures', '0006_check_department_in_composite_index'),
        ('subjects', '0005_identifier_digest_unique'),
    ]

    operations = [
        migrations.CreateModel(
            name='MeasureOutcome',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reported_on', models.DateField(verbose_name='Reported on')),
                ('applied', models.BooleanField(verbose_name='Applied')),
                ('reason', models.TextField(blank=True, verbose_name='Reason')),
                ('mandatory', models.BooleanField(verbose_name='Mandatory')),
                ('suspended', models.BooleanField(help_text='Every entry it followed from was under verification.', verbose_name='Suspended')),
            ],
            options={
                'verbose_name': 'Measure outcome',
                'verbose_name_plural': 'Measure outcome',
            },
        ),
        migrations.RunPython(tell_doubled_reports_apart, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='checkfeedback',
            constraint=models.UniqueConstraint(fields=('check_record', 'business_reference'), name='one_feedback_per_business'),
        ),
        migrations.AddField(
            model_name='measureoutcome',
            name='department',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='subjects.department', verbose_name='Implementing department'),
        ),
        migrations.AddField(
            model_name='measureoutcome',
            name='entries',
            field=models.ManyToManyField(related_name='+', to='listings.listentry', verbose_name='Entries'),
        ),
        migrations.AddField(
            model_name='measureoutcome',
            name='feedback',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='outcomes', to='measures.checkfeedback', verbose_name='Check feedback'),
        ),
        migrations.AddField(
            model_name='measureoutcome',
            name='measure',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='measures.measure', verbose_name='Measure'),
        ),
        migrations.AddIndex(
            model_name='measureoutcome',
            index=models.Index(fields=['reported_on', 'department'], name='measures_me_reporte_0ae513_idx'),
        ),
        migrations.AddConstraint(
            model_name='measureoutcome',
            constraint=models.UniqueConstraint(fields=('feedback', 'measure'), name='one_outcome_per_measure'),
        ),
        migrations.RunPython(count_earlier_reports, migrations.RunPython.noop),
    ]
