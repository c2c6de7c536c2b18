"""Credit repair applications for the department concerned: the list of them, one with its
materials, and the decision with reasons and, for a credit record, the outcome: publication
and sharing stopped, the dishonesty tier lowered, or publication shortened (R8, R4; 000 §九,
002 §二十六).

Only the officer's own department's applications and files are found (R14): another's answer
404, as a missing one does. Materials are given as downloads, never shown inline. Every page or
file naming a natural person is registered (R14) by the helper the API registers its answers
with (``remedies/repair_api.py``): the list with the persons it names, as the objections list
does; an application's page with its subject; a material as an export.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinyong.audit.models import QueryKind
from xinyong.audit.registrations import register_repair_list, register_repair_read
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.remedies import evidence, repair_selectors, repairs
from xinyong.remedies.models import RepairOutcome
from xinyong.remedies.repair_outcomes import RECORD_OUTCOMES
from xinyong.remedies.repair_workflow import DECISIONS, RepairAction

LOGIN_URL = "office:login"


class DecisionForm(forms.Form):
    """The decision (R8); its fields in the page's order, which the error summary follows."""

    # Only what a department decides: closing follows from the target's end, never a choice.
    decision = forms.ChoiceField(
        choices=[(a.value, a.value) for a in RepairAction if a in DECISIONS]
    )
    # A record's outcome; an entry's is always its early exit. The service checks the day.
    outcome = forms.ChoiceField(
        label=gettext_lazy("Repair outcome"), required=False, initial=RepairOutcome.STOP,
        choices=[(o.value, o.label) for o in RECORD_OUTCOMES], widget=forms.RadioSelect,
    )  # fmt: skip
    ends_on = forms.DateField(
        label=gettext_lazy("Publicity ends on"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip
    reasons = forms.CharField(
        label=gettext_lazy("Reasons told to the subject"), max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip


@login_required(login_url=LOGIN_URL)
def repair_list(request: HttpRequest) -> HttpResponse:
    """The department's applications, open ones first."""
    try:
        found = list(repair_selectors.for_department(request.user)[:500])
    except XinyongError as refused:
        return render(request, "office/refused.html", {"error": refused}, status=refused.status)
    register_repair_list(request, found)  # it shows the subjects' names unmasked
    return render(request, "office/repairs.html", {"applications": found})


@login_required(login_url=LOGIN_URL)
def repair_page(request: HttpRequest, application_id: int) -> HttpResponse:
    """One application with its materials; an open one takes the decision (POST)."""
    try:
        application = repair_selectors.department_application(request.user, application_id)
    except XinyongError as refused:
        raise Http404(refused.message) from refused
    form = DecisionForm(request.POST or None)
    error, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                repairs.decide_repair(
                    application.pk, actor=request.user,
                    action=RepairAction(form.cleaned_data["decision"]),
                    reasons=form.cleaned_data["reasons"],
                    outcome=form.cleaned_data["outcome"], ends_on=form.cleaned_data["ends_on"],
                )  # fmt: skip
            except XinyongError as refused:
                status = refused.status
                if refused.code.startswith("repair-end-"):  # the day typed: said beside it
                    form.add_error("ends_on", refused.message)
                else:
                    error = refused.message
                application = repair_selectors.department_application(request.user, application_id)
            else:
                messages.success(request, _("Done."))
                return redirect("office:repair", application_id=application.pk)
        else:
            status = 422
    # Registered when shown: a decision taken redirects here, and that showing registers.
    register_repair_read(request, application)
    context = {
        "application": application, "form": form, "error": error,
        # Public today, whether or not the daily job has yet recorded its window's end (R8).
        "record_public": application.record_id is not None
        and repairs.public_on(application.record, clock.today()),
        "choices": repair_selectors.record_choices(application.record, clock.today())
        if application.record_id is not None and application.is_open else None,
    }  # fmt: skip
    return render(request, "office/repair.html", context, status=status)


@login_required(login_url=LOGIN_URL)
def material_file(request: HttpRequest, material_id: int) -> FileResponse:
    try:
        found = repair_selectors.department_material(request.user, material_id)
    except XinyongError:
        raise Http404 from None
    register_repair_read(request, found.application, QueryKind.EXPORT)
    return evidence.download(found)
