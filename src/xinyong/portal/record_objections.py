"""A credit subject objects online to one of its own credit records, and gets its evidence
back (R6: anyone recorded may object with evidence).

Only the subject's own records and files are found here (R14): any other id answers 404, as a
record that does not exist does.
"""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from xinyong.access.selectors import own_subject
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.portal.objections import ObjectionForm
from xinyong.remedies import evidence, record_objection_selectors, record_objections, repairs


def object_to_record(request: HttpRequest, record_id: int) -> HttpResponse:
    """The form to object to one of the subject's own records, while it is published or
    shared and no other objection to it is being verified."""
    try:
        record = repairs.own_record(request.user, record_id)
    except XinyongError as refused:
        if refused.status == 404:
            raise Http404 from None
        return render(request, "portal/refused.html", {"error": refused}, status=refused.status)
    form = ObjectionForm(request.POST or None, request.FILES or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            record_objections.object_to_record(
                record.pk, actor=request.user, grounds=form.cleaned_data["grounds"],
                files=form.cleaned_data["files"],
            )  # fmt: skip
        except XinyongError as refused:
            error = refused
        else:
            return redirect(reverse("portal:my") + f"#record-objection-{record.pk}")
    refusal = record_objections.refusal(record, clock.today())
    context = {
        "record": record, "form": form, "error": error or refusal, "may_object": refusal is None,
        "max_files": evidence.MAX_FILES, "max_megabytes": evidence.MAX_FILE_BYTES // 2**20,
    }  # fmt: skip
    status = 422 if error or (request.method == "POST" and not form.is_valid()) else 200
    return render(request, "portal/record_objection.html", context, status=status)


def evidence_file(request: HttpRequest, evidence_id: int) -> FileResponse:
    """One evidence file back to the subject that sent it, as a download, never inline."""
    try:
        found = record_objection_selectors.own_evidence(own_subject(request.user), evidence_id)
    except XinyongError:
        raise Http404 from None
    return evidence.download(found)
