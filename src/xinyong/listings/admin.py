from django.contrib import admin

from xinyong.access.admin_scope import DepartmentScopedAdmin, RegisteredReadsAdmin
from xinyong.audit.admin_mixins import AuditedModelAdmin, ReadOnlyAdmin
from xinyong.catalog.admin import SeparateSearchMixin
from xinyong.listings import suspension
from xinyong.listings.decision_records import EntryLeniency, EntryNotRepairable
from xinyong.listings.models import ListDefinition, ListEntry


@admin.register(ListDefinition)
class ListDefinitionAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "kind", "domain", "recognizing_department",
                    "publicity_workdays", "repairable", "objection_suspends_measures"]  # fmt: skip
    list_filter = ["kind", "domain", "repairable"]
    search_fields = ["code", "name"]
    # What the entries on a list are: changed afterwards, it would change the measures that
    # follow from entries already decided, with no change-feed event to tell the implementing
    # departments (R10, R11), and move them to another department. A new list is made instead.
    FIXED_ONCE_USED = ("kind", "domain", "recognizing_department")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk is not None and obj.entries.exists():
            fields += [name for name in self.FIXED_ONCE_USED if name not in fields]
        return fields

    def save_model(self, request, obj, form, change) -> None:
        """A changed suspension setting reaches the entries under objection and the change feed
        in the same transaction (``listings.suspension``), after the daily job under way, which
        it waits for before it writes the list's row."""
        changes_suspension = change and "objection_suspends_measures" in form.changed_data
        if changes_suspension:
            suspension.before_the_change()
        super().save_model(request, obj, form, change)
        if changes_suspension:
            suspension.record_setting_changed(obj, actor=request.user)


class _DecidedWithTheEntry(admin.StackedInline):
    """What was decided with the entry when it was signed: history, read only, as the decision
    document and its announcement state it."""

    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class LeniencyInline(_DecidedWithTheEntry):
    """What the department weighed under 宽容审慎 when it decided (R10)."""

    model = EntryLeniency
    fields = readonly_fields = ["grounds", "statement", "recorded_on"]


class NotRepairableInline(_DecidedWithTheEntry):
    """The decision that the entry is not repairable, with its reason (R8), and its lifting,
    once found wrong (R10, 000 §十一.3; ``services.lift_not_repairable``)."""

    model = EntryNotRepairable
    fields = readonly_fields = ["reason", "recorded_on", "lifted_on", "lifted_reason"]


@admin.register(ListEntry)
class ListEntryAdmin(
    DepartmentScopedAdmin, RegisteredReadsAdmin, SeparateSearchMixin, ReadOnlyAdmin
):
    """Read-only: entries change state only through the listing workflow's services. A
    department's officer sees its own lists' entries, as on the office pages."""

    department_field = "list__recognizing_department"
    inlines = [LeniencyInline, NotRepairableInline]

    identifier_digest_lookup = "subject__identifier_digest"

    list_display = ["subject", "list", "state", "publicity_ends_on", "effective_on", "valid_until"]
    list_filter = ["state", "list__kind"]
    search_fields = ["=subject__identifier", "subject__name", "=decision_document_number"]
    # The number as written is searched as typed, and its key by the typed number's canonical
    # form (``SeparateSearchMixin``).
    document_number_keys = {"=decision_document_number": "decision_number_key"}
