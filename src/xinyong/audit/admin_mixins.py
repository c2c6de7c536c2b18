"""Admin edits of reference data leave one audit row each, like any other write (R14)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.forms.models import model_to_dict

from xinyong.audit import services

# Never written into the trail, even as a hash: an account's password (its change is
# recorded as an action of its own, ``admin.password``).
SECRET_FIELDS = frozenset({"password"})


def snapshot(obj: Any) -> dict[str, Any]:
    """A row's editable fields, with related rows by primary key; no secret."""
    return {
        name: [getattr(v, "pk", v) for v in value] if isinstance(value, list | tuple) else value
        for name, value in model_to_dict(obj).items()
        if name not in SECRET_FIELDS
    }


class AuditedModelAdmin(admin.ModelAdmin):
    """Records the change after the row and its many-to-many fields are saved.

    Django's change view runs save_model and save_related in one transaction, so the audit row
    commits with the change or not at all.
    """

    def audit_snapshot(self, obj: Any) -> dict[str, Any]:
        """What the audit row keeps of ``obj`` before and after; an admin with inlines adds
        the rows they edit (their changes are the same change)."""
        return snapshot(obj)

    def save_model(self, request, obj, form, change) -> None:
        if change:
            request._audit_before = self.audit_snapshot(type(obj).objects.get(pk=obj.pk))
        else:
            request._audit_before = None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        services.record(
            actor=request.user,
            action="admin.change" if change else "admin.add",
            obj=obj,
            before=getattr(request, "_audit_before", None),
            # and what the save changed beyond the row, in the same transaction
            # (``save_model`` says it: a measure renamed restates decisions)
            after={**self.audit_snapshot(obj), **getattr(request, "_audit_also", {})},
        )

    # A deletion is recorded after the rows are gone, from what they were before: the audit
    # chain's head is the last lock a write takes, as every service and every admin save takes
    # it. Taken first, it made a circle with a write that holds another lock until its own
    # audit row (``measures load`` holds the measures list's version; deleting a scenario takes
    # that version too), and PostgreSQL failed one of the two.

    def delete_model(self, request, obj) -> None:
        with transaction.atomic():
            key, before = _identity(obj), snapshot(obj)
            super().delete_model(request, obj)
            services.record(actor=request.user, action="admin.delete", obj=key, before=before)

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            gone = [(_identity(obj), snapshot(obj)) for obj in queryset]
            super().delete_queryset(request, queryset)
            for key, before in gone:
                services.record(actor=request.user, action="admin.delete", obj=key, before=before)


def _identity(obj: Any) -> tuple[str, str]:
    """What names a row in the trail, kept before its deletion clears its key."""
    return obj._meta.label_lower, str(obj.pk)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that can be read, never written, from the admin: the audit trail, the query
    registrations, and what imports and the listing services write (an edit here would bypass
    their checks, masking and history)."""

    show_full_result_count = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
