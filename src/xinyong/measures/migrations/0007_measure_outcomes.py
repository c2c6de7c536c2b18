"""Measure outcomes, the rows the joint reward and punishment statistics count (R11, 003 §七).

Reports sent before are counted too: each becomes its outcome rows, read from its check's answer
as a new report is, except a retry of a business already reported (``count_earlier_reports``).
A business reported twice on one check (possible until now) keeps both reports, the later ones
with their id added to the reference, so that none is lost and the new rule (one report per
business) holds.
"""

import django.db.models.deletion
from zoneinfo import ZoneInfo
from django.db import migrations, models

from xinyong.measures.outcomes import answered_measures, same_report

CHINA = ZoneInfo("Asia/Shanghai")  # the business date of a report made before this migration


def _count(row, answered, codes, outcome, entry, links, known_entries):
    """The outcome rows of one report, as ``services.report_feedback`` writes them."""
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


def count_earlier_reports(apps, schema_editor):
    """Count each business once, as the service now does: a later report of the same
    department, subject and business that says what the first said is a retry (through the
    same check or a new one) and adds no outcome. Then tell apart the reports one check holds
    twice for one business, so that the unique constraint can be added: the later ones get
    their id in their reference, and none is lost."""
    feedback = apps.get_model("measures", "CheckFeedback")
    measure = apps.get_model("measures", "Measure")
    outcome = apps.get_model("measures", "MeasureOutcome")
    entry = apps.get_model("listings", "ListEntry")
    codes = dict(measure.objects.values_list("code", "pk"))
    links = outcome.entries.through
    known_entries = set()
    first_said = {}  # (department, subject or check, reference) -> (outcome, measures)
    on_check = set()  # (check, reference) already held
    renamed = []
    rows = list(feedback.objects.select_related("check_record").order_by("pk"))
    for row in rows:
        made = row.check_record
        business = (made.department_id, made.subject_id or str(made.pk), row.business_reference)
        said_now = (row.outcome, row.measures)
        first = first_said.setdefault(business, said_now)
        retry = first is not said_now and first[0] == row.outcome and same_report(
            first[1], row.measures
        )
        if not retry:
            _count(row, answered_measures(made.response), codes, outcome, entry, links,
                   known_entries)
        if (made.pk, row.business_reference) in on_check:
            renamed.append(row)
        on_check.add((made.pk, row.business_reference))
    for row in renamed:
        suffix = f"（重复#{row.pk}）"
        row.business_reference = row.business_reference[: 128 - len(suffix)] + suffix
        row.save(update_fields=["business_reference"])
    if schema_editor.connection.vendor == "postgresql":
        # The rows written here leave deferred key checks pending, and PostgreSQL alters no
        # table with pending trigger events: run them now, before the constraint is added.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


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
        migrations.AddConstraint(
            model_name='checkfeedback',
            constraint=models.UniqueConstraint(fields=('check_record', 'business_reference'), name='one_feedback_per_business'),
        ),
    ]
