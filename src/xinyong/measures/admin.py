from django import forms
from django.contrib import admin
from django.contrib.admin import widgets
from django.utils.translation import gettext_lazy as _

from xinyong.admin_forms import choices_field
from xinyong.audit.admin_mixins import AuditedModelAdmin
from xinyong.listings.models import ListKind
from xinyong.measures.loading_duplicates import Reach, same_measure_in_force
from xinyong.measures.models import (
    Measure,
    Scenario,
    is_placeholder_basis,
    list_kinds_against_type,
)
from xinyong.measures.renames import restate_decisions

# Relations kept through their own link models, which protect what a measure is limited to
# (``models.MeasureDomain``); the admin shows no field for such a relation unless asked.
LIMITING_LINKS = ("domains", "implementing_departments")


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

    def clean_legal_basis(self) -> str:
        """A measure is on the list only with its legal basis (R10, 001 §9-10): 无, — or / is
        not one, and a measure stored with it would never be applied (``measure_index``)."""
        basis = self.cleaned_data["legal_basis"].strip()
        if is_placeholder_basis(basis):
            raise forms.ValidationError(
                _("State the legal basis itself: “%(value)s” names none, and a measure without "
                  "a legal basis cannot be on the measures list."),
                code="placeholder-legal-basis", params={"value": basis},
            )  # fmt: skip
        return basis

    def clean(self) -> dict:
        """A reward follows from the red list only, a punishment from the dishonesty lists
        only (R10, 000 §四): the loader refuses the same rows."""
        cleaned = super().clean()
        wrong = list_kinds_against_type(cleaned.get("type", ""), cleaned.get("list_kinds") or [])
        if wrong:
            labels = dict(ListKind.choices)
            self.add_error("list_kinds", forms.ValidationError(
                _("A %(type)s cannot follow from: %(kinds)s. A reward follows from the red list "
                  "only, a punishment from the dishonesty lists only."),
                code="list-kind-against-type",
                params={"type": Measure.Type(cleaned["type"]).label,
                        "kinds": "、".join(str(labels[kind]) for kind in wrong)},
            ))  # fmt: skip
        self._refuse_a_second_in_force(cleaned)
        return cleaned

    def _refuse_a_second_in_force(self, cleaned: dict) -> None:
        """An active measure's name and type are no other active measure's that could apply
        where it does (``loading_duplicates.could_both_apply``): a decision states its
        measures by name, and both would follow (R1, R10); the loader refuses the same."""
        if not (cleaned.get("is_active") and cleaned.get("name") and cleaned.get("type")):
            return
        reach = Reach.of(
            cleaned.get("list_kinds") or [], _pks(cleaned, "domains"),
            _pks(cleaned, "implementing_departments"), _pks(cleaned, "scenarios"),
            cleaned.get("targets") or [],
        )  # fmt: skip
        others = same_measure_in_force(cleaned["name"], cleaned["type"], reach)
        codes = sorted(other.code for other in others if other.pk != self.instance.pk)
        if codes:
            self.add_error("name", forms.ValidationError(
                _("Measure %(codes)s of this name and type is in force and could follow from the "
                  "same entries for the same departments, scenarios and targets: one measure "
                  "cannot be in force under two codes. Limit the two to different list kinds, "
                  "domains, departments, scenarios or targets, withdraw it first, or add this "
                  "one inactive."),
                code="duplicate-active-measure", params={"codes": "、".join(codes)},
            ))  # fmt: skip


def _pks(cleaned: dict, field: str) -> list[int]:
    """The primary keys a cleaned many-to-many field chose (none if it was not valid)."""
    return [each.pk for each in cleaned.get(field) or []]


@admin.register(Measure)
class MeasureAdmin(AuditedModelAdmin):
    form = MeasureForm
    list_display = ["sequence", "name", "type", "category", "mandatory", "implementing_level",
                    "is_active"]  # fmt: skip
    list_filter = ["type", "category", "mandatory", "is_active"]
    search_fields = ["code", "name", "content", "legal_basis"]
    # Domains and implementing departments get the same widget in formfield_for_manytomany:
    # Django refuses filter_horizontal for a relation with its own link model.
    filter_horizontal = ["scenarios"]

    def save_model(self, request, obj, form, change) -> None:
        """A measure renamed here, its old name now naming no measure and its new one none
        before, stays stated by the decisions that stated it: their entries are restated under
        the new name in this save's transaction, and its audit row says how many (R1, R10;
        ``renames.restate_decisions``). An old name another measure keeps, or a new one another
        measure has, is a shift: the decisions go on naming the measure they stated."""
        super().save_model(request, obj, form, change)
        before = getattr(request, "_audit_before", None)
        if change and before is not None and before["name"] != obj.name:
            others = Measure.objects.exclude(pk=obj.pk).filter(name=obj.name)
            restated = restate_decisions(
                [(before["name"], obj.name)], set(others.values_list("name", flat=True))
            )
            if restated is not None:
                request._audit_also = {"restated": restated}

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        """Domains and implementing departments edited as the plain relations they are (their
        link models hold nothing else), in the same two-box widget as scenarios."""
        if db_field.name not in LIMITING_LINKS:
            return super().formfield_for_manytomany(db_field, request, **kwargs)
        kwargs.setdefault("widget", widgets.FilteredSelectMultiple(db_field.verbose_name, False))
        if "queryset" not in kwargs:
            queryset = self.get_field_queryset(kwargs.get("using"), db_field, request)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return db_field.formfield(**kwargs)
