"""The evidence a subject sent online with an objection, for the department that verifies it
(R6: the department verifies the objection with its evidence).

Found through the entries the officer may see (R14): another department's file answers 404,
as a missing one does. Given as a download, never shown inline.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest

from xinyong.listings import selectors
from xinyong.remedies import evidence
from xinyong.remedies.models import ObjectionEvidence

LOGIN_URL = "office:login"


@login_required(login_url=LOGIN_URL)
def evidence_file(request: HttpRequest, evidence_id: int) -> FileResponse:
    found = ObjectionEvidence.objects.filter(
        pk=evidence_id, objection__entry__in=selectors.entries_for(request.user)
    ).first()
    if found is None:
        raise Http404
    return evidence.download(found)
