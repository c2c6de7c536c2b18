from django.contrib import admin
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xinyong.access.roles import Role
from xinyong.audit.admin_mixins import AuditedModelAdmin, ReadOnlyAdmin
from xinyong.audit.labels import (
    action_label,
    known_actions,
    known_object_types,
    object_type_label,
)
from xinyong.audit.models import AuditEntry, QueryPurpose, QueryRegistration
from xinyong.core.masking import mask_subject_name
from xinyong.subjects.models import Department


class LabelledValuesFilter(admin.SimpleListFilter):
    """The known values (``known``), by their labels, and the one chosen if it is not among
    them. (Reading the values the trail holds scanned the whole trail on every view.)"""

    label = staticmethod(str)
    known = staticmethod(list)

    def lookups(self, request, model_admin):
        values = set(self.known())
        if self.value():
            values.add(self.value())
        return sorted(((value, self.label(value)) for value in values), key=lambda c: c[1])

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(**{self.parameter_name: value}) if value else queryset


class ActionFilter(LabelledValuesFilter):
    title = _("Action")
    parameter_name = "action"
    label = staticmethod(action_label)
    known = staticmethod(known_actions)


class ObjectTypeFilter(LabelledValuesFilter):
    title = _("Object type")
    parameter_name = "object_type"
    label = staticmethod(object_type_label)
    known = staticmethod(known_object_types)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit trail can be read, never written, from the admin."""

    list_display = ["seq", "at", "actor", "department_name", "action_name", "object_type_name",
                    "object_id"]  # fmt: skip
    list_filter = [ActionFilter, ObjectTypeFilter]
    search_fields = ["actor", "object_id"]
    ordering = ["-seq"]  # newest first: a reviewer looks at what just happened
    # A row's page names the department, the action and the object type as the list does.
    fields = readonly_fields = [
        "seq", "at", "actor", "department_name", "action_name", "object_type_name", "object_id",
        "before", "after", "reason", "prev_hash", "hash",
    ]  # fmt: skip

    def get_queryset(self, request):
        # The row keeps the department's code as it was; the list shows today's name for it.
        names = Department.objects.filter(code=OuterRef("department")).values("name")[:1]
        return super().get_queryset(request).annotate(department_label=Subquery(names))

    @admin.display(description=_("Department"), ordering="department")
    def department_name(self, row: AuditEntry) -> str:
        return row.department_label or row.department  # type: ignore[attr-defined]

    @admin.display(description=_("Action"), ordering="action")
    def action_name(self, row: AuditEntry) -> str:
        return action_label(row.action)

    @admin.display(description=_("Object type"), ordering="object_type")
    def object_type_name(self, row: AuditEntry) -> str:
        return object_type_label(row.object_type)


@admin.register(QueryRegistration)
class QueryRegistrationAdmin(ReadOnlyAdmin):
    """Query registrations, read-only; the reviewer's page also reads checks with them."""

    list_display = ["at", "actor", "department", "role_name", "purpose", "kind",
                    "natural_persons", "rows"]  # fmt: skip
    list_filter = ["kind", "purpose", "role"]
    search_fields = ["actor"]
    list_select_related = ["department", "purpose"]
    raw_id_fields = ["account", "subject"]
    # A row's page names the role as the list does.
    fields = readonly_fields = [
        "at", "account", "actor", "department", "role_name", "purpose", "purpose_detail", "kind",
        "route", "subject", "persons_named", "natural_persons", "rows", "client_address",
    ]  # fmt: skip
    SHOWN_PERSONS = 50  # a screening run names up to a hundred thousand

    @admin.display(description=_("Persons the answer names"))
    def persons_named(self, row: QueryRegistration) -> str:
        """The persons a bulk answer names (R14), masked as every page shows a person: the
        first ``SHOWN_PERSONS`` by id, and how many there are."""
        named = row.persons.select_related("subject").order_by("subject_id")
        total = named.count()
        if not total:
            return "—"
        shown = [
            f"{link.subject_id} {mask_subject_name(link.subject.name, is_natural_person=True)}"
            for link in named[: self.SHOWN_PERSONS]
        ]
        more = total - len(shown)
        listed = "；".join(shown)
        if not more:
            return listed
        return listed + gettext("… (%(total)s in all, %(more)s not listed)") % {
            "total": total, "more": more,
        }  # fmt: skip

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
