from django.contrib import admin

from xinyong.access.admin_scope import DepartmentScopedAdmin
from xinyong.audit.admin_mixins import ReadOnlyAdmin
from xinyong.submissions.models import ChangeOfLawOrDuty, UpdateDuty

# Both are history the services write with their audit rows (R13): read here, never edited.


@admin.register(ChangeOfLawOrDuty)
class ChangeOfLawOrDutyAdmin(DepartmentScopedAdmin, ReadOnlyAdmin):
    """A department's officer sees the changes that concern its department."""

    department_field = "duties__department"
    list_display = ["title", "kind", "effective_on", "update_workdays", "registered_on",
                    "registered_by"]  # fmt: skip
    list_filter = ["kind"]
    search_fields = ["title", "legal_basis"]
    date_hierarchy = "effective_on"


@admin.register(UpdateDuty)
class UpdateDutyAdmin(DepartmentScopedAdmin, ReadOnlyAdmin):
    list_display = ["change", "department", "due_on", "due_provisional", "confirmed_on",
                    "confirmed_by", "workdays_late"]  # fmt: skip
    list_filter = ["department", "due_provisional"]
    search_fields = ["change__title"]
    list_select_related = ["change", "department"]
