"""Objections to credit records for the department that recorded them: the list, one with
its evidence and the decision (unfounded; founded, correcting the wrong fields or revoking the
record), and the registration of one received on paper (R6; 000 §十一.2-3, 002 §二十七).

Only the officer's own department's objections, records and files are found (R14): another's
answer 404, as a missing one does. Evidence is given as downloads, never shown inline.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinyong.audit import purposes
from xinyong.audit.models import QueryKind
from xinyong.audit.registrations import register_request
from xinyong.catalog.models import CreditRecord
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings.services.transitions import officer_of
from xinyong.office.forms import date_input
from xinyong.remedies import evidence, record_corrections, record_objection_selectors
from xinyong.remedies import record_objections as services
from xinyong.remedies.models import RecordObjectionOutcome

LOGIN_URL = "office:login"
CORRECTION_PREFIX = "correct__"  # a corrected field's input: the prefix and the field's key


class DecisionForm(forms.Form):
    finding = forms.ChoiceField(choices=[(f.value, f.value) for f in services.Finding])
    statement = forms.CharField(
        label=gettext_lazy("Finding told to the subject"), max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    outcome = forms.ChoiceField(
        label=gettext_lazy("If founded"), required=False, initial=RecordObjectionOutcome.CORRECT,
        choices=RecordObjectionOutcome.choices, widget=forms.RadioSelect,
    )  # fmt: skip


class RegisterForm(forms.Form):
    grounds = forms.CharField(
        label=gettext_lazy("Grounds of the objection"), max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )  # fmt: skip
    # The 20 days count from the day the objection arrived, not from its registration (R6).
    received_on = forms.DateField(
        label=gettext_lazy("Received on"), required=False, widget=date_input(),
        help_text=gettext_lazy("Left blank: today."),
    )  # fmt: skip


def _register(request: HttpRequest, subject, kind: str) -> None:
    """A page or file about a natural person's record is registered (R14)."""
    register_request(
        request, purpose=purposes.OBJECTION_VERIFICATION, kind=kind,
        natural_persons=int(subject.is_natural_person), rows=1, subject=subject,
    )  # fmt: skip


@login_required(login_url=LOGIN_URL)
def objection_list(request: HttpRequest) -> HttpResponse:
    """The department's objections to its records: open ones first, soonest due."""
    try:
        found = list(record_objection_selectors.for_department(request.user)[:500])
    except XinyongError as refused:
        return render(request, "office/refused.html", {"error": refused}, status=refused.status)
    persons = sum(o.record.subject.is_natural_person for o in found)
    register_request(
        request, purpose=purposes.OBJECTION_VERIFICATION, kind=QueryKind.ENTRY_LIST,
        natural_persons=persons, rows=len(found),
    )  # fmt: skip
    return render(request, "office/record_objections.html", {"objections": found})


def _corrections_asked(request: HttpRequest, record: CreditRecord) -> dict[str, str]:
    """The fields the officer changed on the form, by key; the service says what is allowed."""
    asked = {}
    for field in record_corrections.correctable_fields(record):
        value = request.POST.get(CORRECTION_PREFIX + field.key)
        plain = record_corrections.plain
        if value is not None and plain(value) != plain(field.value):
            asked[field.key] = value
    return asked


@login_required(login_url=LOGIN_URL)
def objection_page(request: HttpRequest, objection_id: int) -> HttpResponse:
    """One objection with its evidence; an open one takes the decision (POST)."""
    try:
        objection = record_objection_selectors.department_objection(request.user, objection_id)
    except XinyongError as refused:
        raise Http404(refused.message) from refused
    form = DecisionForm(request.POST or None)
    error, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            finding = services.Finding(form.cleaned_data["finding"])
            # A radio group cannot be left blank once shown: its choice counts only for a
            # founded finding. Corrections typed are sent whatever the finding, so that an
            # unfounded one refuses them rather than dropping them unseen.
            founded = finding == services.Finding.FOUNDED
            try:
                services.decide(
                    objection.pk, actor=request.user, finding=finding,
                    statement=form.cleaned_data["statement"],
                    outcome=form.cleaned_data["outcome"] if founded else "",
                    corrections=_corrections_asked(request, objection.record),
                )  # fmt: skip
            except XinyongError as refused:
                error, status = refused, refused.status
                objection = record_objection_selectors.department_objection(
                    request.user, objection_id
                )
            else:
                messages.success(request, _("Done."))
                return redirect("office:record-objection", objection_id=objection.pk)
        else:
            status = 422
    # Registered when shown: a decision taken redirects to the page, which registers then.
    _register(request, objection.record.subject, QueryKind.ENTRY_READ)
    fields = record_corrections.correctable_fields(objection.record) if objection.is_open else []
    typed = request.POST if request.method == "POST" else {}
    context = {
        "objection": objection, "form": form, "error": error,
        "fields": [(f, typed.get(CORRECTION_PREFIX + f.key, f.value)) for f in fields],
        "prefix": CORRECTION_PREFIX,
    }  # fmt: skip
    return render(request, "office/record_objection.html", context, status=status)


@login_required(login_url=LOGIN_URL)
def register_page(request: HttpRequest, record_id: int) -> HttpResponse:
    """Register an objection to one of the department's records received on paper (R6)."""
    try:
        officer = officer_of(request.user)
    except XinyongError as refused:
        return render(request, "office/refused.html", {"error": refused}, status=refused.status)
    record = (
        CreditRecord.objects.filter(pk=record_id, department_id=officer.department_id)
        .select_related("catalog_item", "subject")
        .first()
    )
    if record is None:
        raise Http404
    form = RegisterForm(request.POST or None)
    # ``blocked``: the record takes no objection now (no form); ``error``: what was sent was
    # refused (a day of receipt out of range), shown above the form as typed.
    blocked, error, status = services.refusal(record, clock.today()), None, 200
    if request.method == "POST" and blocked is None:
        if form.is_valid():
            try:
                objection = services.register_objection(
                    record.pk, actor=request.user, grounds=form.cleaned_data["grounds"],
                    received_on=form.cleaned_data["received_on"],
                )  # fmt: skip
            except XinyongError as refused:
                error, status = refused, refused.status
            else:
                messages.success(request, _("Done."))
                return redirect("office:record-objection", objection_id=objection.pk)
        else:
            status = 422
    elif request.method == "POST":
        status = blocked.status
    context = {"record": record, "form": form, "blocked": blocked, "error": error}
    # Registered when shown: a registration taken redirects to the objection's page, which
    # registers then (as the decision page does).
    _register(request, record.subject, QueryKind.ENTRY_READ)
    return render(request, "office/record_objection_register.html", context, status=status)


@login_required(login_url=LOGIN_URL)
def evidence_file(request: HttpRequest, evidence_id: int) -> FileResponse:
    try:
        found = record_objection_selectors.department_evidence(request.user, evidence_id)
    except XinyongError:
        raise Http404 from None
    _register(request, found.objection.record.subject, QueryKind.EXPORT)
    return evidence.download(found)
