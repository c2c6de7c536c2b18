"""Back-office pages for imports: upload, the department's jobs, a job's report, timeliness.

Views read through selectors and write through services; a refusal shows its Chinese message.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from xinyong.audit.registrations import register_import_report
from xinyong.calendars.selectors import work_calendar
from xinyong.catalog import reports, selectors, services
from xinyong.catalog.forms import ImportForm
from xinyong.catalog.importers.reasons import reason_label
from xinyong.catalog.models import ImportJob
from xinyong.catalog.publication import late_count_is_provisional
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.office.joint import percent

LOGIN_URL = "office:login"
JOBS_SHOWN = 50
REPORT_ROWS_SHOWN = 100


def _refused(request: HttpRequest, error: XinyongError) -> HttpResponse:
    return render(request, "office/refused.html", {"error": error}, status=error.status)


def _late_marked(jobs: list[ImportJob]) -> list[ImportJob]:
    """The jobs, each told whether its count of records published late is provisional (R15)."""
    calendar = work_calendar()
    for job in jobs:
        job.late_provisional = late_count_is_provisional(calendar, *job.collected_between)
    return jobs


def _timeliness_since(today: dt.date) -> dt.date:
    """The first decision day the page counts: the first of this month a year ago, so the oldest
    month is whole (R9). Calendar arithmetic, not 365 days: a 29 February in the span would
    start the count on the second of that month (R15)."""
    first = today.replace(day=1)
    return first.replace(year=first.year - 1)  # day 1 exists in every month of every year


def _share_shown(rows: list[dict]) -> list[dict]:
    """Each month with its share on time as shown: rounded down, as every share the back
    office shows (``office.joint.percent``), so that 199 on time of 200 never reads 100% (R9)."""
    for row in rows:
        row["share_shown"] = percent(Decimal(row["on_time"]) / row["total"])
    return rows


@login_required(login_url=LOGIN_URL)
def imports(request: HttpRequest) -> HttpResponse:
    try:
        department = selectors.department_of(request.user)
    except XinyongError as refused:
        return _refused(request, refused)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            if uploaded.size > services.max_upload_bytes():
                raise services.upload_too_large(services.max_upload_bytes())
            job = services.import_upload(
                chunks=uploaded.chunks(), name=uploaded.name, actor=request.user,
                kind=form.cleaned_data["kind"], department=department,
                item_code=form.cleaned_data["item"] or None,
            )  # fmt: skip
        except XinyongError as refused:
            messages.error(request, refused.message)
            return redirect("office:imports:list")
        messages.success(request, _("Imported: %(accepted)s of %(rows)s rows accepted.")
                         % {"accepted": job.accepted, "rows": job.rows_done})  # fmt: skip
        return redirect("office:imports:job", job_id=job.pk)
    since = _timeliness_since(clock.today())
    context = {
        "form": form,
        "department": department,
        "jobs": _late_marked(list(selectors.jobs_listed(request.user)[:JOBS_SHOWN])),
        "timeliness": _share_shown(selectors.timeliness_seen_by(department, since=since)),
        "every_department": department.is_credit_office,
    }
    return render(request, "catalog/imports.html", context)


def _without_codes(line: list[str]) -> list[str]:
    codes = selectors.REPORT_HEADER.index("错误代码")
    return line[:codes] + line[codes + 1 :]


@login_required(login_url=LOGIN_URL)
@transaction.atomic
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """A job's summary and the first rows of its report. The rows may name natural persons,
    so the page is read, registered and rendered in one transaction: none without its
    registration (R14)."""
    try:
        job = selectors.job_for(request.user, job_id)
    except XinyongError as refused:
        raise Http404(refused.message) from refused
    # The page leaves out the column of error codes: an officer reads the reasons beside them,
    # and the downloaded report keeps the codes for whoever processes it by program.
    lines = (_without_codes(line) for line in selectors.report_lines(job))
    header = next(lines)
    rows = [line for _, line in zip(range(REPORT_ROWS_SHOWN), lines, strict=False)]
    register_import_report(request, job, shown={int(line[0]) for line in rows})
    context = {
        "job": _late_marked([job])[0],
        "summary": services.describe(job),
        "reasons": [
            {"code": code, "label": reason_label(code), "count": count}
            for code, count in job.quarantined_by_reason.items()
        ],
        "header": header,
        "rows": rows,
        "more": job.report_rows.count() > REPORT_ROWS_SHOWN,
    }
    return render(request, "catalog/import_job.html", context)


@login_required(login_url=LOGIN_URL)
def import_report(request: HttpRequest, job_id: int) -> HttpResponse:
    try:
        job = selectors.job_for(request.user, job_id)
    except XinyongError as refused:
        raise Http404(refused.message) from refused
    register_import_report(request, job)
    return reports.report_response(job)
