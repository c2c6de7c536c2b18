"""One import run at a time per file and the catalog item it is sent under, as a job is known
by both (R9, R13): the same file under two items at once is two jobs, no longer refused as
already running. A job under no item keeps one run per file. Each new constraint allows all the
old one allowed and more, so rows that kept the old one keep these."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0010_minimum_of_records_not_published'),
        ('subjects', '0008_protect_codes_a_mistyped_id_may_be'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='importjob',
            name='import_job_one_running_per_file',
        ),
        migrations.AddConstraint(
            model_name='importjob',
            constraint=models.UniqueConstraint(condition=models.Q(('catalog_item__isnull', False), ('status', 'running')), fields=('department', 'kind', 'catalog_item', 'file_sha256'), name='import_job_one_running_per_item_file'),
        ),
        migrations.AddConstraint(
            model_name='importjob',
            constraint=models.UniqueConstraint(condition=models.Q(('catalog_item__isnull', True), ('status', 'running')), fields=('department', 'kind', 'file_sha256'), name='import_job_one_running_per_file'),
        ),
    ]
