"""One small form per action an officer takes on an entry (the version guards against races),
and the period filter the review pages share."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.listings.models import ExitReason
from xinyong.listings.workflow import SYSTEM_EXIT_REASONS


class ActionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ObjectionForm(ActionForm):
    objector = forms.CharField(label=_("Objector"), max_length=200)
    grounds = forms.CharField(label=_("Grounds"), widget=forms.Textarea(attrs={"rows": 3}))


class FindingForm(ActionForm):
    finding = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3}))


class SignForm(ActionForm):
    # The number the department gave its decision (R1): an officer signing in the office always
    # has it; left blank, the decision would carry a number the department never gave.
    decision_document_number = forms.CharField(
        label=_("Decision document number"),
        max_length=128,
        error_messages={"required": _("Give the number of the decision document.")},
    )
    # 宽容审慎 (R10, 001 §10): what the department weighed, and how; the service refuses a
    # minor's decision without the first ground.
    leniency_grounds = forms.MultipleChoiceField(
        label=_("Lenient and prudent treatment"),
        choices=[
            ("minor", _("The subject is a minor")),
            ("force_majeure", _("Force majeure: a natural disaster, an epidemic")),
            ("unintentional", _("Not intentional")),
            ("slight", _("Slight dishonesty")),
        ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    leniency_statement = forms.CharField(
        label=_("How leniency and prudence were applied"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExitForm(ActionForm):
    # Never the reasons only the platform gives (a red entry ends as blacklisted by the
    # cross-check when a black entry takes effect, 000 §六).
    reason = forms.ChoiceField(
        label=_("Exit reason"),
        choices=[(v, label) for v, label in ExitReason.choices if v not in SYSTEM_EXIT_REASONS],
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, reasons: list[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if reasons is not None:  # only the reasons the entry could end for today
            labels = dict(ExitReason.choices)
            self.fields["reason"].choices = [
                (reason, labels[reason]) for reason in reasons if reason not in SYSTEM_EXIT_REASONS
            ]


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)


FORMS = {
    "notify": ActionForm,
    "start_publicity": ActionForm,
    "object": ObjectionForm,
    "uphold": FindingForm,
    "reject": FindingForm,
    "sign": SignForm,
    "exit": ExitForm,
    "withdraw": ReasonForm,
}


def date_input() -> forms.DateInput:
    """A browser's date field, which takes ISO dates only (not the locale's 2026/01/01)."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    """From and to, both optional; a period that ends before it starts is said, rather than
    answered with no rows as if nothing had been asked."""

    since = forms.DateField(label=_("From"), required=False, widget=date_input())
    until = forms.DateField(label=_("To"), required=False, widget=date_input())

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data
