"""Joint reward and punishment cases, and writing one up as typical (典型案例, R11, 003 §七).

The list shows the businesses reported with a measure applied; a case's page shows its facts
and, to the credit office's administrators, the typical case's form and the actions its state
allows. Nothing here names a person unmasked: the facts are the check's answer as registered.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from xinyong.access.roles import Role, role_of
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.measures import services, typical_cases
from xinyong.office.joint import StatisticsForm

LOGIN_URL = "office:login"
PER_PAGE = 50


class TypicalCaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Masked when saved: citizen IDs, and the names of the case's persons."),
    )  # fmt: skip


class PublishForm(forms.Form):
    """What the administrator confirms before a case goes public: the masking finds the case's
    own persons, citizen IDs and phone numbers, but not a name it does not know (a relative,
    a witness) written in the summary (R5, DOMAIN §4)."""

    checked = forms.BooleanField(
        label=_("I have read the title and summary as they will be published: they name no "
                "other person, nor anything else that identifies one."),
        error_messages={"required": _("Read the text as published and confirm it first.")},
    )  # fmt: skip


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason for withdrawal"),
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


@login_required(login_url=LOGIN_URL)
def case_list(request: HttpRequest) -> HttpResponse:
    form = StatisticsForm(request.GET or None)
    if form.is_bound and not form.is_valid():  # said, with no rows for another period
        return render(request, "office/joint_cases.html", {"form": form})
    period, _grouping = form.asked()
    rows = typical_cases.cases(period.since, period.until)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    shown = list(page.object_list)
    chosen = [f.typical_case.pk for f in shown if getattr(f, "typical_case", None)]
    context = {
        "form": form,
        "period": period,
        "page": page,
        "rows": [(feedback, typical_cases.facts_of(feedback)) for feedback in shown],
        "standing": typical_cases.standing_among(chosen, clock.today()),
        "query_string": filters.urlencode(),
    }
    return render(request, "office/joint_cases.html", context)


def _page(
    request, feedback, *, form=None, withdraw=None, publish=None, status: int = 200
) -> HttpResponse:
    case = getattr(feedback, "typical_case", None)
    may_write = role_of(request.user) is Role.CREDIT_ADMIN
    if form is None and case is not None:
        form = TypicalCaseForm(initial={"title": case.title, "summary": case.summary})
    history = typical_cases.reports_of_business(feedback)
    correction = history[-1] if history[-1].pk != feedback.pk else None
    context = {
        "feedback": feedback,
        "facts": typical_cases.facts_of(feedback),
        "history": history if len(history) > 1 else [],
        "correction": correction,
        "correction_is_case": correction is not None and any(correction.outcomes.all()),
        "case": case,
        "stands": case is not None and typical_cases.stands(case, clock.today()),
        "public_lists": typical_cases.rests_on_public_lists(feedback),
        "may_write": may_write,
        "actions": typical_cases.actions_from(case.state) if case is not None else ["draft"],
        "form": form or TypicalCaseForm(),
        "withdraw_form": withdraw or WithdrawForm(),
        "publish_form": publish or PublishForm(),
    }
    return render(request, "office/joint_case.html", context, status=status)


@login_required(login_url=LOGIN_URL)
def case_page(request: HttpRequest, feedback_id: int) -> HttpResponse:
    """GET: the case; POST (an administrator): draft, edit, publish or withdraw its write-up."""
    feedback = typical_cases.case_feedback(feedback_id)
    if feedback is None:
        raise Http404
    if request.method != "POST":
        return _page(request, feedback)
    action = request.POST.get("action", "")
    form, withdraw = TypicalCaseForm(request.POST), WithdrawForm(request.POST)
    publish = PublishForm(request.POST)
    case = getattr(feedback, "typical_case", None)
    try:
        if action in ("draft", "edit") and not form.is_valid():
            return _page(request, feedback, form=form, status=422)
        if action == "withdraw" and not withdraw.is_valid():
            return _page(request, feedback, withdraw=withdraw, status=422)
        if action == "publish" and not publish.is_valid():
            return _page(request, feedback, publish=publish, status=422)
        if action == "draft":
            services.draft_typical_case(
                actor=request.user, feedback_id=feedback.pk, title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
            )  # fmt: skip
        elif case is not None and action in typical_cases.ACTIONS:
            data = form.cleaned_data if action == "edit" else {}
            services.act_on_typical_case(
                actor=request.user, case_id=case.pk, action=action,
                title=data.get("title", ""), summary=data.get("summary", ""),
                reason=withdraw.cleaned_data["reason"] if action == "withdraw" else "",
            )  # fmt: skip
        else:
            raise XinyongError("typical-case-action-unknown", "未知操作", status=422)
    except XinyongError as refused:
        messages.error(request, refused.message)
        fresh = typical_cases.case_feedback(feedback.pk)
        return _page(request, fresh, form=form if action in ("draft", "edit") else None,
                     withdraw=withdraw if action == "withdraw" else None,
                     status=refused.status)  # fmt: skip
    messages.success(request, _("Done."))
    return redirect("office:joint-case", feedback_id=feedback.pk)
