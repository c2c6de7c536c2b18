"""The look-up hash is what makes a subject unique now (R14)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("subjects", "0004_protect_stored_identifiers")]

    operations = [
        migrations.AlterField(
            model_name="subject",
            name="identifier_digest",
            field=models.CharField(
                editable=False, max_length=64, unique=True, verbose_name="Identifier look-up hash"
            ),
        ),
    ]
