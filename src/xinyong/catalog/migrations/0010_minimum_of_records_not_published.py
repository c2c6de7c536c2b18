"""Records under an item not disclosed to the public get their tier's minimum, as an import now
stores it (R8; 国办发〔2025〕22号: repair only after the minimum, whether or not the record is
published): counted from the decision date under the rule the import used, the item's own for
the tier, else the default, and only for a tier that has a publication period (not minor)."""

from django.db import migrations


def fill_minimum(apps, schema_editor):
    from xinyong.core.periods import add_months

    CreditRecord = apps.get_model("catalog", "CreditRecord")
    PublicationRule = apps.get_model("catalog", "PublicationRule")
    rules = {
        (rule.catalog_item_id, rule.tier): rule for rule in PublicationRule.objects.all()
    }
    missing = CreditRecord.objects.filter(
        published_on__isnull=True, publication_min_ends_on__isnull=True
    ).exclude(tier="")
    groups = missing.values_list("catalog_item_id", "tier", "decision_date").distinct()
    for item_id, tier, decided in groups.order_by():
        rule = rules.get((item_id, tier)) or rules.get((None, tier))
        if rule is None or not rule.is_published:
            continue
        missing.filter(catalog_item_id=item_id, tier=tier, decision_date=decided).update(
            publication_min_ends_on=add_months(decided, rule.months_min)
        )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0009_drop_prohibited_report_values")]

    operations = [migrations.RunPython(fill_minimum, migrations.RunPython.noop)]
