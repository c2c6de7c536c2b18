"""The credit office reviewer's page of query registrations, and its CSV export (R14).

Registrations and checks are read together (``xinyong.audit.query_review``); accounts that
looked up more natural persons than the limit within a window are flagged. The subject filter
takes a code or citizen ID, looks it up through its keyed hash and filters by the subject found;
what was typed is not kept. An export is itself registered.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinyong.audit import purposes, query_review, unusual
from xinyong.audit.models import QueryKind, QueryPurpose
from xinyong.audit.registrations import register_request
from xinyong.core import clock
from xinyong.core.tables import spreadsheet_safe
from xinyong.office.forms import PeriodForm
from xinyong.subjects.models import Department, Subject

LOGIN_URL = "office:login"
PER_PAGE = 50
DEFAULT_DAYS = 30


def default_last_day() -> dt.date:
    """The last day of the default window: the business date, or today in China if later.

    Registrations and checks are stamped with the real time (R14): with the business date
    set back (a demo's ``XINYONG_TODAY``), a window ending on it would hide what was just done.
    """
    return max(clock.today(), timezone.localdate())


class QueryFilterForm(PeriodForm):
    department = forms.ChoiceField(label=_("Department"), required=False)
    account = forms.CharField(label=_("Account"), required=False, max_length=150)
    purpose = forms.ChoiceField(label=_("Purpose of the query"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *QueryKind.choices]
    )
    subject = forms.CharField(
        label=_("Subject (code or citizen ID)"), required=False, max_length=40
    )
    unusual = forms.BooleanField(label=_("Flagged accounts only"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        departments = Department.objects.order_by("code").values_list("code", "name")
        self.fields["department"].choices = [("", _("All")), *departments]
        purposes_list = QueryPurpose.objects.values_list("code", "name")
        self.fields["purpose"].choices = [("", _("All")), *purposes_list]

    def query_filter(self) -> query_review.QueryFilter:
        """The filter asked for; the last 30 days when no date is given."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        since, until = data.get("since"), data.get("until")
        if since is None and until is None:
            until = default_last_day()
            since = until - dt.timedelta(days=DEFAULT_DAYS - 1)
        subject_id = None
        if data.get("subject"):
            found = Subject.objects.identified_by(data["subject"]).values_list("pk", flat=True)
            subject_id = found.first() or 0  # an unknown subject matches nothing
        return query_review.QueryFilter(
            since=since, until=until, department=data.get("department") or "",
            account=(data.get("account") or "").strip(), purpose=data.get("purpose") or "",
            kind=data.get("kind") or "", subject_id=subject_id,
            unusual_only=bool(data.get("unusual")),
        )  # fmt: skip

    def showing(self, wanted: query_review.QueryFilter) -> QueryFilterForm:
        """The form with the period the rows are for in its date fields when neither date was
        given (the last 30 days): the fields say what the heading says."""
        if not self.is_bound:
            return QueryFilterForm(initial={"since": wanted.since, "until": wanted.until})
        if self.data.get("since") or self.data.get("until"):
            return self
        data = self.data.copy()
        data["since"], data["until"] = wanted.since, wanted.until
        return QueryFilterForm(data)


@login_required(login_url=LOGIN_URL)
def queries(request: HttpRequest) -> HttpResponse:
    form = QueryFilterForm(request.GET or None)
    wanted = form.query_filter()
    form = form.showing(wanted)
    flagged = unusual.flagged_accounts(wanted.since, wanted.until)
    rows = query_review.QueryRows(wanted, flagged)  # one page read, not the period sorted
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    context = {
        "form": form,
        "wanted": wanted,
        "page": page,
        "rows": query_review.shaped(list(page.object_list), flagged),
        "flagged": list(flagged.values()),
        "limit": unusual.limit(),
        "system_limit": unusual.system_limit(),
        "window_hours": int(unusual.window().total_seconds() // 3600),
        "query_string": filters.urlencode(),
    }
    return render(request, "office/queries.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required(login_url=LOGIN_URL)
def export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered rows as CSV (UTF-8 with a BOM, for Excel); the export is registered first."""
    wanted = QueryFilterForm(request.GET or None).query_filter()
    register_request(
        request, purpose=purposes.QUERY_REVIEW, kind=QueryKind.EXPORT,
        natural_persons=query_review.persons_in(wanted), rows=query_review.count_rows(wanted),
        purpose_detail=describe(wanted), only_with_persons=False,
    )  # fmt: skip
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"
        for line in query_review.csv_lines(wanted):
            yield writer.writerow(spreadsheet_safe(line))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="query-registrations.csv"'
    return response


# The filter's fields as the reviewer's form names them: the registration keeps the text in the
# site's language, as every stored text is, not the code's attribute names.
FILTER_LABELS = {
    "since": "起始日期", "until": "截止日期", "department": "部门", "account": "账号",
    "purpose": "查询事由", "kind": "查询类型", "subject_id": "主体编号",
    "unusual_only": "仅看异常使用账号",
}  # fmt: skip


def describe(wanted: query_review.QueryFilter) -> str:
    """The filter of an export, for its own registration (the subject by its number only)."""
    parts = []
    for name, value in wanted.__dict__.items():
        if value in ("", None, False):
            continue
        label = FILTER_LABELS.get(name, name)
        parts.append(label if value is True else f"{label} {value}")
    return "，".join(parts)
