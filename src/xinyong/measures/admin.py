from django import forms
from django.contrib import admin

from xinyong.admin_forms import choices_field
from xinyong.audit.admin_mixins import AuditedModelAdmin
from xinyong.listings.models import ListKind
from xinyong.measures.models import Measure, Scenario


@admin.register(Scenario)
class ScenarioAdmin(AuditedModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class MeasureForm(forms.ModelForm):
    list_kinds = choices_field(Measure, "list_kinds", ListKind.choices)
    targets = choices_field(Measure, "targets", Measure.Target.choices)

    class Meta:
        model = Measure
        # Every field, as the admin's default form has: a list here would be all it showed.
        fields = "__all__"  # noqa: DJ007


@admin.register(Measure)
class MeasureAdmin(AuditedModelAdmin):
    form = MeasureForm
    list_display = ["sequence", "name", "type", "category", "mandatory", "implementing_level",
                    "is_active"]  # fmt: skip
    list_filter = ["type", "category", "mandatory", "is_active"]
    search_fields = ["code", "name", "content", "legal_basis"]
    filter_horizontal = ["domains", "scenarios", "implementing_departments"]
