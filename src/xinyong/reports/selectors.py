"""Reads of reports on red-list entries (R7): the department's queue, the reporter's look-up,
and what the reported subject is told. None of them shows the reporter's identity."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, QuerySet, Value, When

from xinyong.core.errors import XinyongError
from xinyong.listings.services.transitions import officer_of
from xinyong.reports import services
from xinyong.reports.models import RedListReport, ReportState

# Undecided first, by the state rather than by the empty decision date: databases put NULL at
# opposite ends (first on SQLite, last on PostgreSQL), so the list must not depend on it.
UNDECIDED_FIRST = Case(When(state=ReportState.RECEIVED, then=Value(0)), default=Value(1))


def reports_for(user: Any) -> QuerySet[RedListReport]:
    """Reports on the entries of lists the officer's department keeps: the undecided ones
    first, the department's work to do (R7), then each group newest received first."""
    officer = officer_of(user)
    return (
        RedListReport.objects.filter(entry__list__recognizing_department_id=officer.department_id)
        .select_related("entry__subject", "entry__list")
        .order_by(UNDECIDED_FIRST, "-received_on", "-id")
    )


def reports_on(user: Any, entry: Any) -> QuerySet[RedListReport]:
    """The reports against one entry of the department's, newest first (R7)."""
    return reports_for(user).filter(entry=entry).order_by("-received_on", "-id")


def report_for(user: Any, report_id: int) -> RedListReport:
    """One of the department's reports; any other is not found (R14)."""
    report = reports_for(user).filter(pk=report_id).first()
    if report is None:
        raise XinyongError("report-not-found", "举报记录不存在", status=404)
    return report


def look_up(number: str, code: str) -> RedListReport | None:
    """The report with this receipt number and code; nothing at all for a wrong pair."""
    report = (
        RedListReport.objects.filter(number=number.strip().upper())
        .select_related("entry__list__recognizing_department")
        .first()
    )
    if report is None:
        services.code_digest(number, code)  # as long as a wrong code: no hint the number exists
        return None
    return report if services.codes_match(report, code) else None


def verified_reports_on(entries) -> list[RedListReport]:
    """Reports verified on a subject's own entries, founded or not: the result and reasons,
    never who reported (R7: the department tells the reporter and the subject). A report
    closed because the entry had already ended was not verified, and is not shown."""
    return list(
        RedListReport.objects.filter(
            entry__in=list(entries), state__in=[ReportState.FOUNDED, ReportState.UNFOUNDED]
        )
        .select_related("entry__list")
        .order_by("-decided_on", "-id")
    )
