"""The credit office links an account to the credit subject it acts for (R14).

Also the admin's words that come from elsewhere: django-axes's application name, and the
permissions, whose names Django stores in English when it creates them (Can add …).
"""

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from xinyong.access.models import SubjectAccount
from xinyong.audit import services
from xinyong.audit.admin_mixins import AuditedModelAdmin

# django-axes gives its application no name, so the admin called it by its label: "Axes".
apps.get_app_config("axes").verbose_name = _("Log-in throttling")

# Django's four default permissions; their stored names ("Can add credit subject") are English.
PERMISSION_NAMES = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def permission_label(permission: Permission) -> str:
    """``访问控制 | 信用主体账号 | 可增加信用主体账号``: a default permission in the reader's
    language; any other permission as Django names it."""
    model = permission.content_type.model_class()
    action, _sep, model_name = permission.codename.partition("_")
    if model is None or action not in PERMISSION_NAMES or model_name != model._meta.model_name:
        return str(permission)
    verbose_name = model._meta.verbose_name
    name = PERMISSION_NAMES[action] % {"model": verbose_name}
    return f"{model._meta.app_config.verbose_name} | {verbose_name} | {name}"


class PermissionsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Permission) -> str:
        return permission_label(obj)


class PermissionLabels:
    """Permissions chosen in a group's or an account's page are listed by `permission_label`."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name in {"permissions", "user_permissions"}:
            kwargs["form_class"] = PermissionsField
        return super().formfield_for_manytomany(db_field, request=request, **kwargs)


admin.site.unregister(Group)
admin.site.unregister(User)


@admin.register(Group)
class LabelledGroupAdmin(PermissionLabels, AuditedModelAdmin, GroupAdmin):
    """A role's permissions are rights (R14): each change is in the audit trail."""


@admin.register(User)
class LabelledUserAdmin(PermissionLabels, AuditedModelAdmin, UserAdmin):
    """An account's roles, superuser status and activity are rights (R14): each change is in
    the audit trail, the password never (its change is recorded as such, without it)."""

    def user_change_password(self, request, id, form_url=""):
        with transaction.atomic():
            answer = super().user_change_password(request, id, form_url)
            if request.method == "POST" and answer.status_code == 302:
                account = self.get_object(request, unquote(id))
                services.record(actor=request.user, action="admin.password", obj=account)
        return answer


@admin.register(SubjectAccount)
class SubjectAccountAdmin(AuditedModelAdmin):
    list_display = ["user", "subject", "created_at"]
    # Subjects number in the millions: picked by id, never listed in a drop-down.
    raw_id_fields = ["user", "subject"]
    search_fields = ["user__username"]
