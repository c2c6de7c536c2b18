from django.contrib import admin

from xinyong.audit.admin_mixins import AuditedModelAdmin
from xinyong.measures.models import Measure, Scenario


@admin.register(Scenario)
class ScenarioAdmin(AuditedModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Measure)
class MeasureAdmin(AuditedModelAdmin):
    list_display = ["sequence", "name", "type", "category", "mandatory", "implementing_level",
                    "is_active"]  # fmt: skip
    list_filter = ["type", "category", "mandatory", "is_active"]
    search_fields = ["code", "name", "content", "legal_basis"]
    filter_horizontal = ["domains", "scenarios", "implementing_departments"]
