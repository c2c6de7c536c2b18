"""The credit office's form to register a change, and a department's form to confirm its
update (R13)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.catalog.models import CatalogItem
from xinyong.office.forms import date_input
from xinyong.subjects.models import Department
from xinyong.submissions.models import ChangeKind, ChangeOfLawOrDuty


class ChangeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of change"), choices=ChangeKind.choices)
    title = forms.CharField(
        label=_("What changed"),
        max_length=ChangeOfLawOrDuty._meta.get_field("title").max_length,
        help_text=_("E.g. the law revised, or the duty a department gained or lost."),
    )
    legal_basis = forms.CharField(
        label=_("Legal basis of the change"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    effective_on = forms.DateField(
        label=_("Effective on"),
        widget=date_input(),
        help_text=_("The concerned departments update their lists within 15 working days."),
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments concerned"),
        queryset=Department.objects.order_by("code"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one department.")},
    )


class ConfirmForm(forms.Form):
    summary = forms.CharField(
        label=_("What was updated"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    items = forms.ModelMultipleChoiceField(
        label=_("Items updated"),
        queryset=CatalogItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, department: Department, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only the department's own list: another department's item is not even offered.
        self.fields["items"].queryset = CatalogItem.objects.filter(provider=department).order_by(
            "code"
        )
