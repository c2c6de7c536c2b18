"""A credit subject asks to leave one of its own red lists (R4, 000 §十.2).

The form is on the subject's own page, with what leaving means; this page takes it, and shows
it again with the reason when it is refused. Only the subject's own entries are found here
(R14): any other id answers 404, as one that does not exist does.
"""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.remedies import red_list_exits
from xinyong.remedies.models import ExitRequestState
from xinyong.remedies.services import own_entry


class LeaveRedListForm(forms.Form):
    statement = forms.CharField(
        label=_("Your statement (optional)"), required=False,
        max_length=red_list_exits.STATEMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


def leave_red_list(request: HttpRequest, entry_id: int) -> HttpResponse:
    """The subject's request to leave one of its own red-list entries in force (R4): shown
    with what it means, and sent (POST)."""
    try:
        entry = own_entry(request.user, entry_id)
    except XinyongError as refused:
        if refused.status == 404:
            raise Http404 from None
        return render(request, "portal/refused.html", {"error": refused}, status=refused.status)
    form = LeaveRedListForm(request.POST or None, auto_id="id_leave_%s")
    error, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                red_list_exits.request_red_list_exit(
                    entry.pk, actor=request.user, statement=form.cleaned_data["statement"]
                )
            except XinyongError as refused:
                error, status = refused, refused.status
            else:
                return redirect(reverse("portal:my") + f"#red-list-exit-{entry.pk}")
        else:
            status = 422
    refusal = red_list_exits.exit_request_refusal(entry, clock.today())
    pending = entry.red_list_exit_requests.filter(state=ExitRequestState.PENDING).first()
    context = {
        "entry": entry, "form": form, "error": error or refusal, "pending": pending,
        "may_ask": refusal is None and pending is None,
    }  # fmt: skip
    return render(request, "portal/red_list_exit.html", context, status=status)
