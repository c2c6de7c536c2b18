"""Back-office pages for officers of recognizing departments: the worklist and an entry's page.

Views read through selectors and write through services; a refusal shows its Chinese message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinyong.audit.registrations import register_entry_read
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import selectors, services
from xinyong.office.forms import FORMS

LOGIN_URL = "office:login"


def _run(action: str, entry_id: int, user, data: dict) -> None:
    version = data.pop("version")
    calls = {
        "notify": lambda: services.notify_subject(entry_id, actor=user, version=version),
        "start_publicity": lambda: services.start_publicity(entry_id, actor=user, version=version),
        "object": lambda: services.record_objection(entry_id, actor=user, version=version, **data),
        "uphold": lambda: services.uphold_after_verification(
            entry_id, actor=user, version=version, **data
        ),
        "reject": lambda: services.reject_listing(entry_id, actor=user, version=version, **data),
        "sign": lambda: services.sign_decision(entry_id, actor=user, version=version, **data),
        "exit": lambda: services.exit_entry(entry_id, actor=user, version=version, **data),
        "withdraw": lambda: services.withdraw_listing(
            entry_id, actor=user, version=version, **data
        ),
    }
    calls[action]()


@login_required(login_url=LOGIN_URL)
def home(request: HttpRequest) -> HttpResponse:
    """Where a log-in with no page asked for lands: a reviewer on the query registrations
    (the only office page the role has), every other officer on the worklist."""
    from xinyong.access.roles import Role, role_of

    if role_of(request.user) is Role.CREDIT_REVIEWER:
        return redirect("office:queries")
    return redirect("office:worklist")


@login_required(login_url=LOGIN_URL)
def worklist(request: HttpRequest) -> HttpResponse:
    try:
        items = selectors.worklist(request.user, clock.today())
    except XinyongError as refused:
        return render(request, "office/refused.html", {"error": refused}, status=refused.status)
    return render(request, "office/worklist.html", {"items": items, "today": clock.today()})


@login_required(login_url=LOGIN_URL)
def entry_page(request: HttpRequest, entry_id: int) -> HttpResponse:
    try:
        entry = selectors.entry_for(request.user, entry_id)
    except XinyongError as refused:
        raise Http404(refused.message) from refused
    register_entry_read(request, entry)
    actions = [
        (action, FORMS[action](initial={"version": entry.version}))
        for action in selectors.allowed_actions(entry)
    ]
    context = {
        "entry": entry,
        "events": entry.events.order_by("id"),
        "announcements": entry.announcements.order_by("id"),
        "persons": entry.persons.select_related("person"),
        "actions": actions,
    }
    return render(request, "office/entry.html", context)


@require_POST
@login_required(login_url=LOGIN_URL)
def entry_action(request: HttpRequest, entry_id: int, action: str) -> HttpResponse:
    form_class = FORMS.get(action)
    if form_class is None:
        raise Http404(action)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("office:entry", entry_id=entry_id)
    try:
        _run(action, entry_id, request.user, dict(form.cleaned_data))
    except XinyongError as refused:
        messages.error(request, f"{refused.message}（{refused.code}）")
    else:
        messages.success(request, _("Done."))
    return redirect("office:entry", entry_id=entry_id)
