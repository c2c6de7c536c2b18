"""The evidence a subject sent online with an objection, for the department that verifies it
(R6: the department verifies the objection with its evidence).

Found through the entries the officer may see (R14): another department's file answers 404,
as a missing one does. Given as a download, never shown inline, and registered as an export
when the entry concerns a natural person (R14, 001 §13), as the evidence of an objection to a
record and a repair's materials are.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest

from xinyong.audit import purposes
from xinyong.audit.models import QueryKind
from xinyong.audit.registrations import persons_in_entry, register_request
from xinyong.listings import selectors
from xinyong.remedies import evidence
from xinyong.remedies.models import ObjectionEvidence

LOGIN_URL = "office:login"


@login_required(login_url=LOGIN_URL)
def evidence_file(request: HttpRequest, evidence_id: int) -> FileResponse:
    found = (
        ObjectionEvidence.objects.select_related("objection__entry__subject")
        .filter(pk=evidence_id, objection__entry__in=selectors.entries_for(request.user))
        .first()
    )
    if found is None:
        raise Http404
    entry = found.objection.entry
    register_request(
        request, purpose=purposes.OBJECTION_VERIFICATION, kind=QueryKind.EXPORT,
        natural_persons=persons_in_entry(entry), rows=1, subject=entry.subject,
    )  # fmt: skip
    return evidence.download(found)
