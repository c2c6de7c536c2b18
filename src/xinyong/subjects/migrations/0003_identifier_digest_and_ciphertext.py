"""Citizen IDs at rest (R14): the look-up hash and the ciphertext columns; the identifier
column keeps what may be shown and is no longer unique (the hash is)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("subjects", "0002_identifier_status_label")]

    operations = [
        migrations.AlterField(
            model_name="subject",
            name="identifier",
            field=models.CharField(
                help_text="A citizen ID is shown masked; it is stored encrypted.",
                max_length=18,
                verbose_name="Unified social credit code or citizen ID",
            ),
        ),
        migrations.AddField(
            model_name="subject",
            name="identifier_digest",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="Identifier look-up hash"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="subject",
            name="identifier_sealed",
            field=models.CharField(
                blank=True, editable=False, max_length=128, verbose_name="Encrypted citizen ID"
            ),
        ),
    ]
