"""The credit office links an account to the credit subject it acts for (R14).

Also django-axes's application name, which the admin shows among the others.
"""

from django.apps import apps
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from xinyong.access.models import SubjectAccount
from xinyong.audit.admin_mixins import AuditedModelAdmin

# django-axes gives its application no name, so the admin called it by its label: "Axes".
apps.get_app_config("axes").verbose_name = _("Log-in throttling")


@admin.register(SubjectAccount)
class SubjectAccountAdmin(AuditedModelAdmin):
    list_display = ["user", "subject", "created_at"]
    # Subjects number in the millions: picked by id, never listed in a drop-down.
    raw_id_fields = ["user", "subject"]
    search_fields = ["user__username"]
