"""The joint reward and punishment statistics page (联合奖惩统计, R11, 003 §七), and its CSV.

Aggregates only: the page names no subject, so it is not a query of personal data. The credit
office sees the platform, any other department its own part (``statistics.scope_of``).
"""

from __future__ import annotations

import csv
import io
from decimal import ROUND_DOWN, Decimal

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from xinyong.core.tables import spreadsheet_safe
from xinyong.measures import statistics
from xinyong.office.forms import PeriodForm

LOGIN_URL = "office:login"
FIGURES = [
    ("reports", _("Reports naming a measure")),
    ("measures", _("Measures reported")),
    ("applied", _("Applied")),
    ("not_applied", _("Not applied")),
    ("mandatory_not_applied", _("Mandatory, not applied")),
    ("cases", _("Cases")),
]


class StatisticsForm(PeriodForm):
    by = forms.ChoiceField(
        label=_("Group by"), required=False, choices=list(statistics.GROUPING_LABELS.items())
    )

    def asked(self) -> tuple[statistics.Period, str]:
        """The period (the year to date unless given) and the grouping asked for."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        period = statistics.Period.asked(data.get("since"), data.get("until"))
        return period, data.get("by") or "implementing_department"


@login_required(login_url=LOGIN_URL)
def joint_statistics(request: HttpRequest) -> HttpResponse:
    form = StatisticsForm(request.GET or None)
    wants_csv = request.GET.get("format") == "csv"
    if form.is_bound and not form.is_valid():
        # Said, and no figures: figures for another period than the one asked would mislead.
        if wants_csv:
            return HttpResponse(_("The period asked for is not valid."), status=422,
                                content_type="text/plain; charset=utf-8")  # fmt: skip
        return render(request, "office/joint.html", {"form": form, "figures": FIGURES})
    period, grouping = form.asked()
    if not form.is_bound:  # show the period the figures are for
        form = StatisticsForm(initial={"since": period.since, "until": period.until})
    department = statistics.scope_of(request.user)
    groups = statistics.by_group(department, period, grouping)
    share = statistics.case_share(department, period)
    if wants_csv:
        return _csv(period, grouping, groups, share)
    for row in groups:
        row["cells"] = [row[key] for key, _label in FIGURES]
    filters = request.GET.copy()
    filters["format"] = "csv"
    context = {
        "form": form,
        "period": period,
        "grouping_label": statistics.GROUPING_LABELS[grouping],
        "department": department,
        "groups": groups,
        "figures": FIGURES,
        "share": share,
        "share_percent": percent(share["share"]),
        "csv_query": filters.urlencode(),
    }
    return render(request, "office/joint.html", context)


def percent(share: Decimal | None) -> str | None:
    """0.0999 → 9.9%: rounded down, as the share is, so a figure below the target never shows
    as the target. Every share the back office shows is written so (R9's timeliness too)."""
    return None if share is None else f"{(share * 100).quantize(Decimal('0.1'), ROUND_DOWN)}%"


def _csv(period: statistics.Period, grouping: str, groups: list[dict], share: dict) -> HttpResponse:
    """The table as shown, then the share, as CSV with a BOM so that Excel reads the Chinese;
    the period is in the file name and in the last lines."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    by_measure = grouping == "measure"
    head = [statistics.GROUPING_LABELS[grouping], *(label for _, label in FIGURES)]
    writer.writerow(head[:1] + ([_("Type")] if by_measure else []) + head[1:])
    for row in groups:
        kind = [row["type_label"]] if by_measure else []
        writer.writerow(
            spreadsheet_safe([row["name"], *kind, *(row[key] for key, _label in FIGURES)])
        )
    writer.writerow([])
    writer.writerow([_("From"), period.since.isoformat(), _("To"), period.until.isoformat()])
    writer.writerow([_("Cases of red and black lists"), share["cases"]])
    writer.writerow([_("Red and black entries in force in the period"), share["listed_red_black"]])
    writer.writerow([_("Share"), percent(share["share"]) or "", _("Target"), "10%"])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"joint-statistics-{period.since:%Y%m%d}-{period.until:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
