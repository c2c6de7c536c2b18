"""Back-office pages for officers of recognizing departments: the worklist and an entry's page.

Views read through selectors and write through services; a refusal shows its Chinese message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.http import require_POST

from xinyong.access.models import SubjectAccount
from xinyong.api.tokens import SYSTEM_ACCOUNT_PREFIX
from xinyong.audit.registrations import register_entry_read
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import selectors, services
from xinyong.listings.models import ExitReason, ListKind
from xinyong.office.forms import ENTRY_OBJECTION, FORMS
from xinyong.office.menu import may_open
from xinyong.remedies import (
    record_objection_selectors,
    red_list_exit_selectors,
    registered,
    repair_selectors,
)
from xinyong.remedies.repairs import entry_takes_repair, list_takes_repair
from xinyong.reports import selectors as reports
from xinyong.subjects.models import Officer

LOGIN_URL = "office:login"


def _run(action: str, entry_id: int, user, data: dict) -> None:
    version = data.pop("version")
    calls = {
        "notify": lambda: services.notify_subject(entry_id, actor=user, version=version, **data),
        "start_publicity": lambda: services.start_publicity(entry_id, actor=user, version=version),
        "object": lambda: registered.register_objection(
            entry_id, actor=user, version=version, **data
        ),
        "uphold": lambda: services.uphold_after_verification(
            entry_id, actor=user, version=version, **data
        ),
        "reject": lambda: services.reject_listing(entry_id, actor=user, version=version, **data),
        "sign": lambda: services.sign_decision(entry_id, actor=user, version=version, **data),
        "exit": lambda: services.exit_entry(entry_id, actor=user, version=version, **data),
        "correct": lambda: services.correct_after_exit(
            entry_id, actor=user, version=version, **data
        ),
        "withdraw": lambda: services.withdraw_listing(
            entry_id, actor=user, version=version, **data
        ),
        "lift_not_repairable": lambda: services.lift_not_repairable(
            entry_id, actor=user, version=version, **data
        ),
        "unname": lambda: services.remove_naming_after_verification(
            entry_id, actor=user, version=version, **data
        ),
    }
    calls[action]()


class LoginView(auth_views.LoginView):
    """The back office's log-in. A credit subject's account may log in here too, but no office
    page is open to it: it goes to its own record (/my/) rather than to a refusal. The back
    office's address itself (/office/, the worklist) is the front door every officer is given:
    asked for it, a log-in lands where its role works, so a reviewer, who has no worklist,
    reaches the query registrations rather than a refusal."""

    template_name = "office/login.html"

    def get_success_url(self) -> str:
        from xinyong.access.roles import Role, role_of

        wanted = self.get_redirect_url()
        front_door = resolve_url("office:worklist")
        subject = role_of(self.request.user) is Role.SUBJECT
        if subject and (not wanted or wanted.startswith(front_door)):
            return resolve_url("portal:my")
        if wanted == front_door:
            return resolve_url("office:home")
        return super().get_success_url()


@login_required(login_url=LOGIN_URL)
def home(request: HttpRequest) -> HttpResponse:
    """Where a log-in with no page asked for lands: a reviewer on the query registrations
    (the only office page the role has), every other officer on the worklist."""
    from xinyong.access.roles import Role, role_of

    if role_of(request.user) is Role.CREDIT_REVIEWER:
        return redirect("office:queries")
    return redirect("office:worklist")


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The back office's page for what is not there: its own layout, a link back into it."""
    from xinyong.access.roles import role_of

    if not hasattr(request, "access_role"):  # no route matched: the access layer never ran
        request.access_role = role_of(request.user)  # the menu shows what the role may use
    return defaults.page_not_found(request, exception, template_name="office/404.html")


# The worklist's tasks in the order an entry meets them (``selectors.TASKS``), those of a
# proposal whose origin was found wrong (``selectors.ORIGIN_FOUND_WRONG_TASKS``), then the exit
# of a red entry its subject asked to leave (R4).
WORKLIST_TASKS = ("notify", "start_publicity", "verify", "sign", "withdraw", "reject",
                  selectors.EXIT_ON_REQUEST)  # fmt: skip
# The rows the worklist shows, the nearest deadlines first: a department with thousands of
# entries waiting sees how many wait on each task, and the rest show as those above are done.
WORKLIST_SHOWN = 200


@login_required(login_url=LOGIN_URL)
def worklist(request: HttpRequest) -> HttpResponse:
    try:
        items = selectors.worklist(request.user, clock.today(), limit=WORKLIST_SHOWN)
        counts = selectors.worklist_counts(request.user, clock.today())
        pending_repairs = repair_selectors.pending_count(request.user)
        record_objections = record_objection_selectors.pending(request.user, clock.today())
    except XinyongError as refused:
        return render(request, "office/refused.html", {"error": refused}, status=refused.status)
    waiting = sum(counts.values())
    tasks = [(task, counts[task]) for task in WORKLIST_TASKS if counts.get(task)]
    context = {
        "items": items, "today": clock.today(), "pending_repairs": pending_repairs,
        "task_counts": tasks, "more": waiting - len(items),
        "record_objections": record_objections,
        "pending_reports": reports.reports_for(request.user).filter(state="received").count(),
    }  # fmt: skip
    return render(request, "office/worklist.html", context)


def _form(action: str, entry, user, data=None):
    """The action's form, bound to ``data`` when given; an exit offers only today's reasons."""
    extra = {}
    initial = {"version": entry.version}
    if action == "exit":
        extra["reasons"] = selectors.possible_exit_reasons(entry, user, clock.today())
        if ExitReason.REQUESTED in extra["reasons"] and red_list_exit_selectors.has_pending(entry):
            # Its subject asked online to leave the red list (R4): the reason it is asked for.
            initial["reason"] = ExitReason.REQUESTED
    if action == "sign":  # the decision on this entry's repair: a black list taking repair (R8)
        extra["repair_applies"] = entry.list.kind == ListKind.BLACK and list_takes_repair(
            entry.list
        )
    if action == "object":  # who objects may be one of the persons the entry names
        extra["named"] = list(entry.persons.select_related("person").order_by("id"))
    if action in CONCLUSIONS:  # which objection, where several are open (R6)
        extra["objections"] = _objections_open(entry, action)
        extra["several_open"] = len(_objections_open(entry, "uphold")) > 1
    # Each action's form has its own ids: the page shows several, and a label must name its
    # own form's field.
    return FORMS[action](data, initial=initial, auto_id=f"id_{action}_%s", **extra)


# The steps that conclude a verification, each deciding one objection (``workflow.decided``).
CONCLUSIONS = ("uphold", "unname", "reject", "correct")


def _objections_open(entry, action: str) -> list[tuple[str, str]]:
    """The objections open on the entry that ``action`` may decide, as its form offers them:
    its own, then each person's to being named, by name (R6, 004 §二(三)6). A naming removed
    decides a person's only; a correction, the entry's own while that is open
    (``workflow.decided_by_correction``)."""
    choices = []
    own = entry.verification_due_on is not None
    if own and action != "unname":
        choices.append((ENTRY_OBJECTION, str(_("The entry's own objection"))))
    if own and action == "correct":
        return choices
    for naming in entry.naming_objections:
        label = _("Objection of %(person)s to being named") % {"person": naming.person.name}
        choices.append((str(naming.person_id), label))
    return choices


def _remedies(request: HttpRequest, entry) -> dict:
    """The entry's repair applications and the reports against it, for those who may open
    their pages (R8, R7). Either is None, not shown, when the role may not open its pages, or
    when there is none and the entry takes none (repair on a list that allows it, for an entry
    not decided non-repairable; reports on a red list). A red entry's requests to leave the
    list (R4) are shown on the page itself, None when there is none."""
    repairs = reports_on = exit_requests = None
    if may_open(request, "office:repair"):
        repairs = list(repair_selectors.for_entry(request.user, entry))
        if not repairs and not entry_takes_repair(entry):
            repairs = None
    if may_open(request, "office:reports:report"):
        reports_on = list(reports.reports_on(request.user, entry))
        if not reports_on and entry.list.kind != ListKind.RED:
            reports_on = None
    if entry.list.kind == ListKind.RED:
        # The subject's requests to leave the red list (R4): who asked, when and why. The page
        # is the department's own entry, registered when shown.
        exit_requests = red_list_exit_selectors.for_entry(entry) or None
    return {"repairs": repairs, "reports": reports_on, "exit_requests": exit_requests}


def _entry_page(request: HttpRequest, entry, *, failed=None, error=None, status: int = 200):
    """The entry as it is now with the actions this officer can take today; ``failed`` is the
    action whose form came back refused, shown again as typed with ``error`` (nothing typed is
    lost) while it is still possible. One no longer possible (someone else acted first) is not
    offered again: only the reason says what happened. The page shows the subject's
    identifier, so every showing is registered (R14)."""
    register_entry_read(request, entry)
    possible = selectors.possible_actions(entry, request.user, clock.today())
    if failed is not None and failed[0] not in possible:
        if error is None:  # the form's mistake matters less than the action's own refusal
            error = selectors.refusal_now(entry, request.user, clock.today(), failed[0]) or _(
                "This action is no longer possible in the entry's current state."
            )
        failed = None
    actions = [
        (
            action,
            failed[1] if failed and action == failed[0] else _form(action, entry, request.user),
        )
        for action in possible
    ]
    events = list(
        entry.events.order_by("id")
        .select_related("online_objection", "registered_objection")
        .prefetch_related("online_objection__evidence")
    )
    _name_actors(events)
    context = {
        "entry": entry,
        "events": events,
        "announcements": entry.announcements.order_by("id"),
        "persons": entry.persons.select_related("person"),
        "naming_objections": entry.naming_objections,
        "not_repairable_reason": entry.not_repairable_reason,
        "not_repairable_lifted": entry.not_repairable_lifted,  # with its day and reason (R8)
        # Why signing is not offered for a proposal resting on a listing found wrong (R3, R6).
        "origin_found_wrong": selectors.origin_found_wrong(entry),
        "actions": actions,
        "failed_action": failed[0] if failed else None,
        # The page's title says a form failed, as a page of one form says it of its ``form``.
        "failed_form": failed[1] if failed else None,
        "error": error,
        **_remedies(request, entry),
    }
    return render(request, "office/entry.html", context, status=status)


def _name_actors(events: list) -> None:
    """Each event's actor as officers know each other: an officer's name and department; a
    department's system account (``api.tokens.system_account``) as that department's system; a
    credit subject's own account as the subject it acts for (an objection sent online). The
    account name is kept for the trail (``title``); an account that is none of these, or no
    longer exists, is shown as recorded."""
    accounts = {event.actor for event in events}
    officers = {
        officer.user.get_username(): officer
        for officer in Officer.objects.filter(user__username__in=accounts).select_related(
            "user", "department"
        )
    }
    subjects = dict(
        SubjectAccount.objects.filter(user__username__in=accounts - officers.keys()).values_list(
            "user__username", "subject__name"
        )
    )
    for event in events:
        event.actor_name = _actor_name(event.actor, officers.get(event.actor), subjects)


def _actor_name(account: str, officer: Officer | None, subjects: dict[str, str]) -> str:
    if officer is not None:
        # A Chinese name is written family name first, with no space (王浩然).
        full_name = f"{officer.user.last_name}{officer.user.first_name}"
        if full_name:
            return f"{full_name}（{officer.department.name}）"
        if account.startswith(SYSTEM_ACCOUNT_PREFIX):
            return _("%(department)s (its system)") % {"department": officer.department.name}
        return account
    if account in subjects:
        return _("%(subject)s (its own account)") % {"subject": subjects[account]}
    return account


def _entry_or_404(request: HttpRequest, entry_id: int):
    try:
        return selectors.entry_for(request.user, entry_id)
    except XinyongError as refused:
        raise Http404(refused.message) from refused


@login_required(login_url=LOGIN_URL)
def entry_page(request: HttpRequest, entry_id: int) -> HttpResponse:
    return _entry_page(request, _entry_or_404(request, entry_id))


@require_POST
@login_required(login_url=LOGIN_URL)
def entry_action(request: HttpRequest, entry_id: int, action: str) -> HttpResponse:
    """Take the action; a refusal shows the page again with the form as typed and the reason."""
    if action not in FORMS:
        raise Http404(action)
    entry = _entry_or_404(request, entry_id)
    form = _form(action, entry, request.user, request.POST)
    if not form.is_valid():
        _flag_choice_not_open(form)
        return _entry_page(request, entry, failed=(action, form), status=422)
    try:
        _run(action, entry_id, request.user, dict(form.cleaned_data))
    except XinyongError as refused:
        entry = _entry_or_404(request, entry_id)  # as it is now, after the refusal
        # What was typed, against the entry as it is now: sent again, it is not refused for
        # a version that was already stale (someone else acted in between).
        typed = request.POST.copy()
        typed["version"] = str(entry.version)
        again = _form(action, entry, request.user, typed)
        again.is_valid()
        _flag_choice_not_open(again)
        return _entry_page(request, entry, failed=(action, again), error=refused.message,
                           status=refused.status)  # fmt: skip
    messages.success(request, _("Done."))
    return redirect("office:entry", entry_id=entry_id)


def _flag_choice_not_open(form) -> None:
    """A conclusion's form shown again for a choice no longer open (another officer decided
    that objection since the page was read) says so: it is shown with none preselected, and
    the officer chooses again, never given another in its place (R6)."""
    if getattr(form, "chosen_not_open", False):
        form.add_error(
            "objection",
            _("The objection chosen is no longer being verified: another officer may have "
              "decided it. Choose the objection this finding decides."),
        )  # fmt: skip
