"""A penalty record keeps the penalty types the import read (R8): the decision sent again is
compared on them. Records from before keep none (NULL) and are compared as before, on their
catalog item, decision date and fine: nothing is guessed back from their text."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0019_report_row_recorded_by_another"),
    ]

    operations = [
        migrations.AddField(
            model_name="creditrecord",
            name="penalty_type_ids",
            field=models.TextField(
                blank=True, editable=False, null=True, verbose_name="Penalty types"
            ),
        ),
    ]
