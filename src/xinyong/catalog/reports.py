"""The import report as a CSV download, streamed whatever its length (UTF-8 with a BOM, so that
Excel opens the Chinese text right)."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.http import StreamingHttpResponse

from xinyong.catalog import selectors
from xinyong.catalog.models import ImportJob
from xinyong.core.tables import spreadsheet_safe


class _Echo:
    def write(self, value: str) -> str:
        return value


def report_response(job: ImportJob) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"
        for line in selectors.report_lines(job):
            yield writer.writerow(spreadsheet_safe(line))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-report.csv"'
    return response
