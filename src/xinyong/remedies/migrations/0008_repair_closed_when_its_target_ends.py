"""A repair application still open on an entry that has exited, or on a record revoked on a
founded objection, is closed, as it is now closed with that end (R8, R4, R6): dated the day
the entry ended or the record was revoked, with the reason its subject reads."""

from django.db import migrations, models

# As ``remedies.repair_closures`` words them when this migration was written.
ENTRY_ENDED = {
    "corrected": "经核实认定有误，予以更正并移出",
    "expired": "因有效期届满移出",
    "repaired": "以信用修复为由移出",
    "blacklisted": "因列入严重失信主体名单移出",
    "requested": "应当事人申请移出",
    "reported": "经举报核实不符合列入条件移出",
    "condition_no_longer_met": "因不再符合列入条件移出",
}
CLOSED = "信用修复申请随之终止办理，无需再作决定"


def close_what_has_ended(apps, schema_editor):
    RepairApplication = apps.get_model("remedies", "RepairApplication")
    open_ = RepairApplication.objects.filter(state="submitted")
    on_ended_entries = open_.filter(entry__state="exited", entry__exited_on__isnull=False)
    for application in on_ended_entries.select_related("entry"):
        entry = application.entry
        how = ENTRY_ENDED.get(entry.exit_reason, "移出")
        application.state, application.decided_on = "closed", entry.exited_on
        application.decided_by = "system"
        application.reasons = f"该名单记录已于{entry.exited_on:%Y-%m-%d}{how}，{CLOSED}。"
        application.save(update_fields=["state", "decided_on", "decided_by", "reasons"])
    on_revoked_records = open_.filter(record__revoked_on__isnull=False)
    for application in on_revoked_records.select_related("record"):
        day = application.record.revoked_on
        application.state, application.decided_on, application.decided_by = "closed", day, "system"
        application.reasons = f"该信用信息已于{day:%Y-%m-%d}经异议核实予以撤销，{CLOSED}。"
        application.save(update_fields=["state", "decided_on", "decided_by", "reasons"])


class Migration(migrations.Migration):

    dependencies = [
        ('remedies', '0007_mark_revoked_records'),
    ]

    operations = [
        migrations.AlterField(
            model_name='repairapplication',
            name='state',
            field=models.CharField(choices=[('submitted', 'Submitted'), ('accepted', 'Repair accepted'), ('rejected', 'Repair rejected'), ('closed', 'Closed: nothing left to repair')], default='submitted', max_length=16, verbose_name='State'),
        ),
        migrations.RunPython(close_what_has_ended, migrations.RunPython.noop),
    ]
