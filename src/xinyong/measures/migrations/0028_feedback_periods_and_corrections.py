"""Each measure of a report keeps its last day (its first is the outcome's ``applied_on``), and a
report may be corrected by a later one of the same business that points at it. Reports from
before are no correction and their measures have no last day: nothing to carry over."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('measures', '0027_rekey_name_decisions_gufen_gongsi'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='checkfeedback',
            name='one_feedback_per_business',
        ),
        migrations.AddField(
            model_name='checkfeedback',
            name='correction_reason',
            field=models.TextField(blank=True, verbose_name='Reason for correction'),
        ),
        migrations.AddField(
            model_name='checkfeedback',
            name='corrects',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='correction', to='measures.checkfeedback', verbose_name='Corrects'),
        ),
        migrations.AddField(
            model_name='measureoutcome',
            name='applied_until',
            field=models.DateField(blank=True, null=True, verbose_name='Applied until'),
        ),
        migrations.AddConstraint(
            model_name='checkfeedback',
            constraint=models.UniqueConstraint(condition=models.Q(('corrects__isnull', True)), fields=('check_record', 'business_key'), name='one_feedback_per_business'),
        ),
        migrations.AddConstraint(
            model_name='checkfeedback',
            constraint=models.CheckConstraint(condition=models.Q(('corrects__isnull', True), models.Q(('correction_reason', ''), _negated=True), _connector='OR'), name='correction_has_reason'),
        ),
        migrations.AddConstraint(
            model_name='measureoutcome',
            constraint=models.CheckConstraint(condition=models.Q(('applied_until__isnull', True), models.Q(('applied', True), ('applied_until__gte', models.F('applied_on'))), _connector='OR'), name='outcome_ends_after_it_starts'),
        ),
    ]
