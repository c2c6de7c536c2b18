"""Forms of a report (R7): what the reporter says, and the officer's decision."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

# A mainland mobile number, or a landline with its area code (0571-88888888).
PHONE = re.compile(r"1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}")


def clean_contact(value: str) -> str:
    value = value.strip().replace(" ", "")
    if PHONE.fullmatch(value):
        return value
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(
            _("Enter a mobile or landline number, or an email address."), code="contact"
        ) from None
    return value


class ReportForm(forms.Form):
    facts = forms.CharField(
        label=_("Facts reported"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    evidence = forms.CharField(
        label=_("Evidence (optional)"), max_length=5000, required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    reporter_name = forms.CharField(label=_("Your name"), max_length=100)
    reporter_contact = forms.CharField(
        label=_("Your phone or email"), max_length=254, validators=[clean_contact]
    )

    def clean_reporter_contact(self) -> str:
        return clean_contact(self.cleaned_data["reporter_contact"])


class LookupForm(forms.Form):
    number = forms.CharField(label=_("Receipt number"), max_length=32)
    code = forms.CharField(label=_("Look-up code"), max_length=32)


class DecisionForm(forms.Form):
    founded = forms.TypedChoiceField(
        label=_("Result of the verification"), widget=forms.RadioSelect,
        choices=[("1", _("Founded: the entry ends")), ("0", _("Unfounded: the entry stays"))],
        coerce=lambda value: value == "1",
    )  # fmt: skip
    reasons = forms.CharField(
        label=_("Reasons"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
