from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from xinyong.access.roles import Role
from xinyong.audit.admin_mixins import AuditedModelAdmin, ReadOnlyAdmin
from xinyong.audit.models import AuditEntry, QueryPurpose, QueryRegistration


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit trail can be read, never written, from the admin."""

    list_display = ["seq", "at", "actor", "department", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor", "object_id"]
    ordering = ["-seq"]  # newest first: a reviewer looks at what just happened


@admin.register(QueryRegistration)
class QueryRegistrationAdmin(ReadOnlyAdmin):
    """Query registrations, read-only; the reviewer's page also reads checks with them."""

    list_display = ["at", "actor", "department", "role_name", "purpose", "kind",
                    "natural_persons", "rows"]  # fmt: skip
    list_filter = ["kind", "purpose", "role"]
    search_fields = ["actor"]
    list_select_related = ["department", "purpose"]
    raw_id_fields = ["account", "subject"]

    @admin.display(description=_("Role"), ordering="role")
    def role_name(self, row: QueryRegistration) -> str:
        """The role as the matrix names it (认定部门经办人…), not its code."""
        return str(Role(row.role).label) if row.role in Role.values else row.role


@admin.register(QueryPurpose)
class QueryPurposeAdmin(AuditedModelAdmin):
    """The reference list of query purposes the credit office keeps; codes are stable."""

    list_display = ["code", "name", "is_active", "position"]
    list_editable = ["is_active", "position"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # registrations keep the code; deactivate instead
