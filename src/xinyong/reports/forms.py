"""Forms of a report (R7): what the reporter says, and the officer's decision."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

# A mainland mobile number, or a landline with its area code (0571-88888888).
PHONE = re.compile(r"1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}")
# The form's token as ``secrets.token_urlsafe`` writes it: at least 16 characters, so that a
# caller choosing its own (a script) cannot pick one another sender would pick too.
FORM_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


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
    reporter_name = forms.CharField(
        label=_("Your name"), max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )  # fmt: skip
    reporter_contact = forms.CharField(
        label=_("Your phone or email"), max_length=254, validators=[clean_contact]
    )

    # Put in by the page that shows the form; sending the same form again finds the report
    # its first sending made (R7). Absent (an old page, a script): the report is taken as
    # before, without that protection.
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def clean_reporter_contact(self) -> str:
        return clean_contact(self.cleaned_data["reporter_contact"])

    def clean_form_token(self) -> str | None:
        token = self.cleaned_data["form_token"].strip()
        if not token:
            return None
        if not FORM_TOKEN.fullmatch(token):
            raise ValidationError(
                _("This form is damaged: open the report page again."), code="form_token"
            )
        return token


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
