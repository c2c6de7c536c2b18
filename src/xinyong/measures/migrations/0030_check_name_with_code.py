"""A check keeps the name sent beside its code (R14). Checks registered before keep none: the
name was not kept, and nothing can give it back."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('measures', '0029_rekey_name_decisions_bracketed_counties'),
    ]

    operations = [
        migrations.AddField(
            model_name='check',
            name='name_with_code',
            field=models.CharField(blank=True, db_default='', default='', max_length=200, verbose_name='Name sent with the code'),
        ),
    ]
