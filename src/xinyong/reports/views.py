"""Report pages: the public's form and look-up, and the department's queue (R7).

The reporter's name, contact and code are sensitive: Django's error reports leave them out,
and the look-up code travels in a form's body, never in a URL a log would keep.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from xinyong.audit import purposes
from xinyong.audit.models import QueryKind
from xinyong.audit.registrations import client_address, register_report_list, register_request
from xinyong.core.errors import XinyongError
from xinyong.listings import documents
from xinyong.reports import budget, selectors, services
from xinyong.reports.forms import DecisionForm, LookupForm, ReportForm


def _public_entry(entry) -> dict:
    """The entry as the public sees it: persons masked (R5)."""
    return {
        "pk": entry.pk, "subject_name": documents.public_name(entry),
        "subject_code": documents.public_code(entry), "list_name": entry.list.name,
        "department": entry.list.recognizing_department.name,
        "effective_on": entry.effective_on, "valid_until": entry.valid_until,
    }  # fmt: skip


@sensitive_post_parameters("reporter_name", "reporter_contact", "form_token")
def report_entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    """The report form of a red-list entry in force; the receipt and code once it is taken.

    The page carries a fresh token in the form: the same form sent again (a double click, the
    receipt page refreshed, which sends it again) shows the first receipt again, and takes
    nothing, spends nothing of the sender's budget and records nothing (R7)."""
    try:
        entry = services.reportable_entry(entry_id)
    except XinyongError as refused:
        return render(request, "portal/refused.html", {"error": refused}, status=refused.status)
    if request.method == "POST":
        form = ReportForm(request.POST)
    else:
        form = ReportForm(initial={"form_token": services.new_form_token()})
    error = None
    if request.method == "POST" and form.is_valid():
        address = client_address(request) or "unknown"
        try:
            receipt = services.receipt_already_sent(entry.pk, **form.cleaned_data)
            if receipt is None:
                budget.check(address)
                receipt = services.receive_report(entry.pk, **form.cleaned_data)
        except XinyongError as refused:
            error = refused
            if refused.code == "report-form-already-sent":
                # What was typed stays; sent again, it is a report of its own.
                form = ReportForm({**request.POST.dict(), "form_token": services.new_form_token()})
        else:
            if not receipt.repeated:
                budget.spend(address)
            context = {"receipt": receipt, "entry": _public_entry(entry)}
            answer = render(request, "reports/receipt.html", context)
            add_never_cache_headers(answer)  # it shows the look-up code: kept in no cache
            return answer
    context = {"entry": _public_entry(entry), "form": form, "error": error}
    status = error.status if error else (422 if form.errors else 200)
    return render(request, "reports/report.html", context, status=status)


@sensitive_post_parameters("code")
def look_up(request: HttpRequest) -> HttpResponse:
    """The result of a report, for whoever holds its receipt number and code.

    Anyone may hold them, so the department's reasons are shown as a public text (R5, R14):
    citizen IDs, mobile numbers and the persons the entry concerns masked."""
    form = LookupForm(request.POST or None)
    report, reasons, searched = None, "", False
    if request.method == "POST" and form.is_valid():
        searched = True
        report = selectors.look_up(form.cleaned_data["number"], form.cleaned_data["code"])
        if report is not None:
            reasons = documents.public_text(report.entry, report.reasons)
    context = {"form": form, "report": report, "reasons": reasons, "searched": searched}
    return render(request, "reports/lookup.html", context)


# --- the back office -------------------------------------------------------------------------

ROWS_SHOWN = 500  # as the repairs and record objections lists: the undecided come first
LOGIN_URL = "office:login"


@login_required(login_url=LOGIN_URL)
def office_reports(request: HttpRequest) -> HttpResponse:
    """The reports on the department's red-list entries, undecided first, at most ROWS_SHOWN as
    the other office lists; the list names the reported subjects unmasked, so it is registered
    when one is a person (R14)."""
    try:
        reports = list(selectors.reports_for(request.user)[:ROWS_SHOWN])
    except XinyongError as refused:
        return render(request, "office/refused.html", {"error": refused}, status=refused.status)
    register_report_list(request, reports)
    return render(request, "reports/office_list.html", {"reports": reports})


@login_required(login_url=LOGIN_URL)
def office_report(request: HttpRequest, report_id: int) -> HttpResponse:
    """One report with the reporter's identity (its verifying officers only) and the decision.

    A decision refused because the report was decided meanwhile (two officers at once) is
    shown with its reason and the refused officer's own choice and reasons, read-only: nothing
    typed is lost without a word (R7)."""
    try:
        report = selectors.report_for(request.user, report_id)
    except XinyongError as refused:
        raise Http404(refused.message) from refused
    form = DecisionForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_report(report.pk, actor=request.user, **form.cleaned_data)
        except XinyongError as refused:
            error = refused
            # Another officer may have decided meanwhile: the page shows the report as it is
            # now, the refusal, and what this officer typed (the template keeps it in view).
            report = selectors.report_for(request.user, report_id)
        else:
            messages.success(request, _("Done."))
            return redirect("office:reports:report", report_id=report.pk)
    # The page shows a person, the reporter, in full, and the reported subject, who may be
    # one: every showing is registered (R14), naming the subject and the route, never the
    # reporter.
    register_request(
        request, purpose=purposes.LISTING_PROCEDURE, kind=QueryKind.ENTRY_READ,
        natural_persons=1 + int(report.entry.subject.is_natural_person), rows=1,
        subject=report.entry.subject,
    )  # fmt: skip
    context = {
        "report": report, "reporter": services.reporter_of(report), "form": form, "error": error,
    }  # fmt: skip
    status = error.status if error else (422 if form.errors else 200)
    return render(request, "reports/office_report.html", context, status=status)
