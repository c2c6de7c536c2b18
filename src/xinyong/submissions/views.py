"""Back-office pages of submission lists (R13), under /office/submissions/.

A department's officer sees its list and its update duties, and confirms an update; the credit
office sees every department's duties with the overdue count, and its administrators register
changes of law or duty. Views read through selectors and write through services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from xinyong.access.roles import Role, role_of
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.subjects.models import Department
from xinyong.submissions import selectors, services
from xinyong.submissions.forms import ChangeForm, ConfirmForm

LOGIN_URL = "office:login"
DUTIES_SHOWN = 200


def _refused(request: HttpRequest, error: XinyongError) -> HttpResponse:
    return render(request, "office/refused.html", {"error": error}, status=error.status)


def _asked_department(request: HttpRequest) -> Department | None:
    """The department the credit office asked to see; nothing for a number that is not one."""
    value = request.GET.get("department", "")
    if not (value.isascii() and value.isdigit() and len(value) <= 9):
        return None
    return Department.objects.filter(pk=int(value)).first()


def _rows(duties, today) -> list[dict]:
    return [{"duty": duty, "overdue": duty.is_overdue(today)} for duty in duties]


@login_required(login_url=LOGIN_URL)
def submission_lists(request: HttpRequest) -> HttpResponse:
    """The officer's department's list and duties; for the credit office, every department's
    duties and standing, and one department's list when asked (``?department=<id>``)."""
    today = clock.today()
    oversees = selectors.oversees(request.user)
    try:
        shown = _asked_department(request) if oversees else selectors.department_of(request.user)
    except XinyongError as refused:
        return _refused(request, refused)
    duties = selectors.duties_seen_by(request.user)
    context = {
        "today": today,
        "oversees": oversees,
        "may_register": role_of(request.user) is Role.CREDIT_ADMIN,
        "department": shown,
        "items": list(selectors.submission_list(shown)) if shown is not None else [],
        "duties": _rows(duties[:DUTIES_SHOWN], today),
        "more_duties": duties.count() > DUTIES_SHOWN,
        "overdue_count": selectors.overdue(duties, today).count(),
        "standings": selectors.standings(today) if oversees else [],
    }
    return render(request, "submissions/lists.html", context)


@login_required(login_url=LOGIN_URL)
def duty_page(request: HttpRequest, duty_id: int) -> HttpResponse:
    """A duty, its change and the department's list; its own officers confirm the update."""
    try:
        duty = selectors.duty_for(request.user, duty_id)
    except XinyongError as refused:
        raise Http404(refused.message) from refused
    officer = getattr(request.user, "officer", None)
    ours = (
        officer is not None
        and officer.department_id == duty.department_id
        and role_of(request.user) is not Role.CREDIT_REVIEWER
    )
    form = ConfirmForm(request.POST or None, department=duty.department)
    error = None
    if request.method == "POST" and not ours:
        # The credit office reads every department's duty but confirms only its own.
        error = XinyongError("not-the-duty-department", "只有该部门的工作人员可以确认更新",
                             status=403)  # fmt: skip
    elif request.method == "POST" and form.is_valid():
        try:
            services.confirm_update(
                duty.pk, actor=request.user, summary=form.cleaned_data["summary"],
                items=form.cleaned_data["items"],
            )  # fmt: skip
        except XinyongError as refused:
            error = refused
        else:
            messages.success(request, _("Update confirmed."))
            return redirect("office:submissions:duty", duty_id=duty.pk)
    context = {
        "duty": duty,
        "today": clock.today(),
        "overdue": duty.is_overdue(clock.today()),
        "items": selectors.submission_list(duty.department),
        "items_updated": duty.items_updated.order_by("code"),
        "form": form if ours and duty.is_open else None,
        "error": error,
    }
    status = error.status if error else (422 if ours and form.errors else 200)
    return render(request, "submissions/duty.html", context, status=status)


@login_required(login_url=LOGIN_URL)
def new_change(request: HttpRequest) -> HttpResponse:
    """The credit office's administrators register a change of law or duty."""
    form = ChangeForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.register_change(actor=request.user, **form.cleaned_data)
        except XinyongError as refused:
            error = refused
        else:
            messages.success(
                request, _("Change registered; the departments concerned owe an update.")
            )
            return redirect("office:submissions:list")
    status = error.status if error else (422 if form.errors else 200)
    return render(request, "submissions/new_change.html", {"form": form, "error": error},
                  status=status)  # fmt: skip
