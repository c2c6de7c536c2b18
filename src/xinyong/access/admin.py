"""The credit office links an account to the credit subject it acts for (R14)."""

from django.contrib import admin

from xinyong.access.models import SubjectAccount
from xinyong.audit.admin_mixins import AuditedModelAdmin


@admin.register(SubjectAccount)
class SubjectAccountAdmin(AuditedModelAdmin):
    list_display = ["user", "subject", "created_at"]
    # Subjects number in the millions: picked by id, never listed in a drop-down.
    raw_id_fields = ["user", "subject"]
    search_fields = ["user__username"]
