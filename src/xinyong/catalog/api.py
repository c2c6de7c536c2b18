"""Imports over HTTP: upload a file, follow its job, download its report (R9, R13).

A department's system (bearer token) or officer (session) imports for its own department and
sees only its own jobs. An upload larger than ``XINYONG_IMPORT_MAX_UPLOAD_BYTES`` is refused
with 413 before it is read. The import runs within the request; its job answers at the end.
"""

# No postponed annotations here: the paginated operation's signature is read where ninja's
# pagination lives, which knows no ``ImportStatus``.
import datetime as dt
from typing import Any

from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from xinyong.api.refusals import BODY, PARAMETERS, csv_download, refusals
from xinyong.api.types import Day, Pagination, RowId
from xinyong.audit.registrations import register_import_report
from xinyong.calendars.selectors import work_calendar
from xinyong.catalog import reports, selectors, services
from xinyong.catalog.models import ImportJob, ImportKind, ImportStatus
from xinyong.catalog.publication import late_count_is_provisional
from xinyong.core.errors import XinyongError
from xinyong.security.middleware import declared_length

router = Router(tags=["imports"])


class LimitedUpload(FileUploadHandler):
    """Stops reading an upload once it passes this operation's limit, which may be below the
    one every upload's declared length is held to (``security.middleware``). A body that
    declares no length (sent in chunks) never gets here: the API refuses it with 411."""

    def __init__(self, request: HttpRequest | None = None, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            raise services.upload_too_large(self.limit)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class ImportJobOut(Schema):
    id: int
    kind: str
    status: str
    department: str
    catalog_item: str | None
    file_name: str
    file_format: str
    encoding: str
    edition: str
    business_date: dt.date
    last_collected_on: dt.date | None = Field(
        description="the business day the last chunk was stored on: records are public from the "
        "day they are stored, later than the business date for a job resumed days later"
    )
    rows: int
    accepted: int
    inserted: int
    already_recorded: int
    quarantined: int
    quarantined_by_reason: dict[str, int]
    subjects_created: int
    identifiers_for_review: int
    published_late: int
    published_late_provisional: bool = Field(
        description="逾期公开数为暂定：所涉年份的放假安排尚未发布，发布后重新计算"
    )
    warnings: list[dict[str, str]]
    error_code: str
    error_message: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    report_url: str

    @staticmethod
    def resolve_department(job: ImportJob) -> str:
        return job.department.code

    @staticmethod
    def resolve_catalog_item(job: ImportJob) -> str | None:
        return job.catalog_item.code if job.catalog_item else None

    @staticmethod
    def resolve_rows(job: ImportJob) -> int:
        return job.rows_done

    @staticmethod
    def resolve_published_late(job: ImportJob) -> int:
        return job.late

    @staticmethod
    def resolve_published_late_provisional(job: ImportJob) -> bool:
        return late_count_is_provisional(work_calendar(), *job.collected_between)

    @staticmethod
    def resolve_report_url(job: ImportJob, context: dict[str, Any]) -> str:
        match = context["request"].resolver_match
        prefix = f"{match.namespace}:" if match and match.namespace else ""
        return reverse(f"{prefix}import-report", kwargs={"job_id": job.pk})


class TimelinessOut(Schema):
    department: str
    department_name: str
    month: str
    total: int
    on_time: int
    late: int = Field(
        description="not public by the due day: collected after it, or never public because "
        "the record's publication period had ended when it was collected"
    )
    share_on_time: float | None
    provisional: bool = Field(
        False,
        description="a due day of the month is counted over a year whose holiday notice is not "
        "loaded yet: it, and which records were on time, may change when it is",
    )


UPLOAD_BODY = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["kind", "file"],
                    "properties": {
                        "kind": {"type": "string", "enum": list(ImportKind.values)},
                        "item": {"type": "string", "description": "catalog item code"},
                        "file": {"type": "string", "format": "binary"},
                    },
                }
            }
        },
        "required": True,
    }
}


@router.post(
    "",
    # 409 while another process imports the same file.
    response={200: ImportJobOut, 201: ImportJobOut, **refusals(BODY, 409)},
    openapi_extra=UPLOAD_BODY,
)
def upload(request: HttpRequest):
    """Import a CSV, Excel or JSON file of licences, penalties or other catalog information.

    201 with the new job; 200 with the earlier job when the same file was imported before and
    that job quarantined nothing, or is still running (it resumes). The same file whose last job
    quarantined rows is checked again as a new job (201): the rows recorded before count as
    already recorded.
    """
    department = selectors.department_of(request.auth)
    limit = services.max_upload_bytes()
    if declared_length(request) > limit:  # a length that is no number: 400
        raise services.upload_too_large(limit)
    if not hasattr(request, "_files"):  # the body is not parsed yet: bound its reading
        request.upload_handlers.insert(0, LimitedUpload(request, limit=limit))
    uploaded = request.FILES.get("file")
    kind = request.POST.get("kind", "")
    if uploaded is None:
        raise XinyongError("file-required", "请上传文件（字段名 file）", status=422)
    if kind not in ImportKind.values:
        raise XinyongError("import-kind", "导入类别应为 licences、penalties 或 records", status=422)
    if uploaded.size > limit:
        raise services.upload_too_large(limit)
    before = set(selectors.jobs_for(request.auth).values_list("pk", flat=True))
    job = services.import_upload(
        chunks=uploaded.chunks(), name=uploaded.name or "upload", actor=request.auth, kind=kind,
        department=department, item_code=request.POST.get("item") or None,
    )  # fmt: skip
    if job.pk in before:  # the same file was imported before, or is resumed
        return Status(200, job)
    return Status(201, job)


@router.get("", response={200: list[ImportJobOut], **refusals(PARAMETERS)})
@paginate(Pagination)
def list_jobs(request: HttpRequest, status: ImportStatus | None = None):
    """The caller's department's import jobs, newest first; ``status``: only those in it (a
    status that is none of the jobs' is refused, as every list refuses an unknown state)."""
    jobs = selectors.jobs_for(request.auth).select_related("department")
    return jobs.filter(status=status) if status else jobs


@router.get("/timeliness", response={200: list[TimelinessOut], **refusals(PARAMETERS)})
def timeliness(request: HttpRequest, since: Day | None = None):
    """Records due for publication and the share public within 7 working days, by month of
    decision (R9).

    The credit office sees every department; a department sees its own. `since` is rounded
    down to the first of its month: each row is a whole month, so `since=2026-11-10` counts
    every decision of November 2026 and later.
    """
    department = selectors.department_of(request.auth)
    return selectors.timeliness_seen_by(department, since=since)


@router.get("/{job_id}", response={200: ImportJobOut, **refusals(PARAMETERS, 404)})
def get_job(request: HttpRequest, job_id: RowId):
    return selectors.job_for(request.auth, job_id)


@router.get(
    "/{job_id}/report",
    url_name="import-report",
    response={200: None, **refusals(PARAMETERS, 404)},
    openapi_extra=csv_download("the rows the import named, with their reasons"),
)
def report(request: HttpRequest, job_id: RowId) -> StreamingHttpResponse:
    """The rows the import named, with their reasons, as CSV (UTF-8 with a BOM, for Excel)."""
    job = selectors.job_for(request.auth, job_id)
    register_import_report(request, job)
    return reports.report_response(job)
