from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0002_checks_feedback_name_decisions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="check",
            name="result",
            field=models.CharField(
                choices=[
                    ("clear", "Clear"),
                    ("reward", "Reward"),
                    ("punish", "Punish"),
                    ("both", "Reward and punish"),
                    ("undetermined", "Undetermined"),
                ],
                max_length=16,
                verbose_name="Result",
            ),
        ),
    ]
