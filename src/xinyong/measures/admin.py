from django import forms
from django.contrib import admin
from django.utils.text import capfirst

from xinyong.audit.admin_mixins import AuditedModelAdmin
from xinyong.listings.models import ListKind
from xinyong.measures.models import Measure, Scenario


@admin.register(Scenario)
class ScenarioAdmin(AuditedModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


def _choices_field(name: str, choices) -> forms.MultipleChoiceField:
    """A JSON list of codes, edited as check boxes with their labels; saved as the same list."""
    field = Measure._meta.get_field(name)
    return forms.MultipleChoiceField(
        label=capfirst(field.verbose_name),
        choices=choices,
        widget=forms.CheckboxSelectMultiple,
        required=not field.blank,
    )


class MeasureForm(forms.ModelForm):
    list_kinds = _choices_field("list_kinds", ListKind.choices)
    targets = _choices_field("targets", Measure.Target.choices)

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
