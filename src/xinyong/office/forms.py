"""One small form per action an officer takes on an entry (the version guards against races),
and the period filter the review pages share."""

from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.listings.models import ExitReason, ListEntryPerson
from xinyong.listings.workflow import SYSTEM_EXIT_REASONS
from xinyong.remedies.models import ObjectorKind
from xinyong.remedies.services import roles_of


def date_input() -> forms.DateInput:
    """A browser's date field, which takes ISO dates only (not the locale's 2026/01/01)."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ObjectionForm(ActionForm):
    """Who objects (R6): the entry's subject itself, one of the persons the entry names
    (004 §二(三)6), or another party, whose name is typed; the subject or the person then
    follows the objection on its own page (remedies.registered). Left unsaid, another party,
    as the form had only a typed name before."""

    objector_kind = forms.ChoiceField(
        label=_("Who objects"), choices=ObjectorKind.choices, initial=ObjectorKind.OTHER,
        required=False, widget=forms.RadioSelect,
    )  # fmt: skip
    person = forms.ChoiceField(label=_("Person named in the entry"), required=False)
    objector = forms.CharField(label=_("Objector (another party)"), max_length=200, required=False)
    grounds = forms.CharField(label=_("Grounds"), widget=forms.Textarea(attrs={"rows": 3}))
    # The 20 days count from the day the objection arrived, not from its registration (R6).
    received_on = forms.DateField(
        label=_("Received on"), required=False, widget=date_input(),
        help_text=_("Left blank: today."),
    )  # fmt: skip

    def __init__(self, *args, named: Sequence[ListEntryPerson] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        by_person: dict[str, list[ListEntryPerson]] = {}
        for row in named:
            by_person.setdefault(str(row.person_id), []).append(row)
        self.persons = {pk: rows[0].person for pk, rows in by_person.items()}
        if by_person:
            self.fields["person"].choices = [("", "—")] + [
                (pk, f"{rows[0].person.name}（{roles_of(rows)}）") for pk, rows in by_person.items()
            ]
        else:  # an entry naming no one: the choice is not offered
            del self.fields["person"]
            self.fields["objector_kind"].choices = [
                (value, label)
                for value, label in ObjectorKind.choices
                if value != ObjectorKind.NAMED_PERSON
            ]

    def clean(self):
        data = super().clean()
        kind = data.get("objector_kind") or ObjectorKind.OTHER
        data["objector_kind"] = kind
        if kind == ObjectorKind.OTHER and not data.get("objector") and "objector" in data:
            # Required for another party, as the field was for every objection before.
            required = self.fields["objector"].error_messages["required"]
            self.add_error("objector", forms.ValidationError(required, code="required"))
        if kind != ObjectorKind.OTHER and data.get("objector"):
            self.add_error(
                "objector",
                _("Type a name only for another party: the subject's or the person's is taken "
                  "from the record."),
            )  # fmt: skip
        chosen = data.pop("person", "")
        data["person"] = None
        if kind != ObjectorKind.NAMED_PERSON and chosen:
            # A contradiction, refused as the API refuses it, rather than the person dropped
            # and the objection filed as another's (R6: the named person follows their own).
            self.add_error(
                "person",
                _("A person named in the entry is chosen: choose that such a person objects, "
                  "or clear the person."),
            )  # fmt: skip
        if kind == ObjectorKind.NAMED_PERSON:
            data["person"] = self.persons.get(chosen)
            if data["person"] is None and "person" in self.fields:
                self.add_error("person", _("Choose the person named in the entry who objects."))
        return data


class NoticeForm(ActionForm):
    """The meeting that decided to propose the listing, before the subject is told (R1)."""

    meeting_on = forms.DateField(label=_("Meeting date"), widget=date_input())
    meeting = forms.CharField(
        label=_("Meeting that decided"), max_length=200,
        help_text=_("The meeting's name or the number of its minutes, as the notice states it."),
    )  # fmt: skip


class FindingForm(ActionForm):
    finding = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3}))


# The value naming the entry's own objection among those a conclusion may decide.
ENTRY_OBJECTION = "entry"


class ObjectionField(forms.ChoiceField):
    """Which objection a conclusion decides (R6). It offers those open now, and takes any an
    entry's page may have offered: one decided since the page was read reaches the step, which
    refuses it (``no-objection-pending``, ``no-naming-objection-pending``) rather than the
    form dropping it and the step deciding another."""

    def valid_value(self, value) -> bool:
        return value == ENTRY_OBJECTION or (value.isascii() and value.isdigit())


class ConclusionForm(FindingForm):
    """The finding on one objection (R6): the entry's own, or a person's to being named, as
    several may be open at once; the form always says which it decides (``workflow.decided``).

    ``objections`` are those the conclusion may decide; ``several_open``, whether more than one
    is open, by default whether more than one is offered. Several offered, the officer chooses
    one, none preselected. One offered is chosen already: shown, where others are open that
    this step may not decide (a correction decides only the entry's own while that is open,
    ``workflow.decided_by_correction``), else hidden, so a page read before another officer
    acted still names it. The form has no choice only where none is open and none was sent (a
    candidacy not listed by the meeting's decision, 001 §8).

    Bound to a choice that is not open now (the page was read before another officer decided
    it), the form keeps it, for the step to refuse, but shows the choice again with none
    preselected: sent again as shown, the officer must choose (``chosen_not_open``)."""

    objection = ObjectionField(
        label=_("Objection decided"),
        error_messages={"required": _("Choose the objection this finding decides.")},
    )

    def __init__(
        self, *args, objections: Sequence[tuple[str, str]] = (), several_open: bool | None = None,
        **kwargs,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        several = len(objections) > 1 if several_open is None else several_open
        offered = [value for value, _label in objections]
        sent = self.data.get(self.add_prefix("objection"), "") if self.is_bound else ""
        self.chosen_not_open = bool(sent) and sent not in offered
        field = self.fields["objection"]
        if not objections and not sent:  # nothing open to decide, nothing said
            del self.fields["objection"]
        elif len(offered) == 1 and (not self.is_bound or sent == offered[0]):
            field.choices = list(objections)
            field.initial = offered[0]
            if not several:  # the only one open: said without asking
                field.widget = forms.HiddenInput()
        else:  # a choice to make, or to make again: none preselected
            field.choices = [("", "—"), *objections]

    def clean(self):
        data = super().clean()
        chosen = data.pop("objection", "") or ""
        if chosen == ENTRY_OBJECTION:
            data["entry_objection"] = True
        elif chosen:
            data["person"] = int(chosen)
        return data


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
    # R8: an especially serious entry may be decided non-repairable, with its reason, on a black
    # list that allows repair; the service refuses the one without the other.
    not_repairable = forms.BooleanField(label=_("Credit repair not allowed"), required=False)
    not_repairable_reason = forms.CharField(
        label=_("Why credit repair is not allowed"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For an especially serious case; stated in the decision and its announcement."),
    )

    def __init__(self, *args, repair_applies: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not repair_applies:  # a list that takes no repair: nothing to rule out
            del self.fields["not_repairable"], self.fields["not_repairable_reason"]


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


class LiftNotRepairableForm(ActionForm):
    # R8, R10, 000 §十一.3: why the ruling that the entry is not repairable was wrong; published,
    # masked, in the correction notice and told to the subject.
    reason = forms.CharField(
        label=_("Why the ruling was lifted"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: the behaviour was not especially serious. Stated in the correction "
            "notice and in the letter to the subject."
        ),
    )


FORMS = {
    "notify": NoticeForm,
    "start_publicity": ActionForm,
    "object": ObjectionForm,
    "uphold": ConclusionForm,
    "reject": ConclusionForm,
    "sign": SignForm,
    "exit": ExitForm,
    "correct": ConclusionForm,
    "withdraw": ReasonForm,
    "lift_not_repairable": LiftNotRepairableForm,
    "unname": ConclusionForm,
}


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
