"""Batch screening as an API job, for uploads too large for one request (item 6).

``POST /screenings`` (multipart: ``file``, ``scenario``) stores the upload under
``VAR_DIR/screenings`` and answers 202 with the job (a workbook with data past its first sheet
is refused first, 422 ``excel-several-sheets``: only the first is screened); the job runs in a
background thread once the upload has committed, and ``xinyong screen --run-pending`` picks up
any job a dead process left.
``GET /screenings/{id}`` tells its status and counters; ``GET /screenings/{id}/result`` returns
the result file once done, for ``XINYONG_SCREENING_RESULT_DAYS`` after the day it finished
(then 410 ``screening-result-expired``: ``screening_retention``); the upload itself is deleted
as soon as the job has ended. Only the implementing department that uploaded a job sees it, and
only with a token naming the scenario may it upload (as for checks, R14).
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.http import FileResponse, HttpRequest
from ninja import Router, Schema, Status

from xinyong.api.auth import TokenAuth
from xinyong.api.refusals import BODY, PARAMETERS, csv_download, refusals
from xinyong.audit.registrations import register_screening_result
from xinyong.catalog.importers import excel
from xinyong.core.errors import XinyongError
from xinyong.core.tables import EXCEL_SUFFIXES, refuse_several_sheets
from xinyong.measures import checks, screening_jobs, screening_retention
from xinyong.measures.models import ScreeningJob
from xinyong.security.middleware import declared_length

router = Router(tags=["screenings"], auth=TokenAuth())

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
SUFFIXES = frozenset({".csv", ".txt", *EXCEL_SUFFIXES})
_MULTIPART = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "scenario"],
                    "properties": {
                        "file": {"type": "string", "format": "binary",
                                 "description": "CSV (UTF-8 or GB18030) or Excel"},
                        "scenario": {"type": "string"},
                    },
                }
            }
        }
    }
}  # fmt: skip


_RESULT_DESCRIPTION = (
    "The screened file: each row as sent, then status (ok, matched_by_name, ambiguous, "
    "unknown, invalid), reason_code and reason, subject_code, subject_name (a person's masked), "
    "score, entries, measures and result. reason_code says why a row is invalid, or warns "
    "beside its answer, several codes joined by ';' (the reasons by '；'); an invalid row's "
    "name is refused as a check by name refuses it (name-empty, name-too-long, name-too-short, "
    "name-control-character, name-is-an-identifier). Warnings: "
    "check-character-mismatch (an unknown code whose check character fails: likely mistyped); "
    "name-mismatch (the row is answered by its code, but its name names another organisation "
    "than the code's; the reason gives the name the platform holds, a person's masked); "
    "code-unknown-answered-by-name (no subject has the well-formed code, and the row is "
    "answered by its name as a row of names is); name-undetermined and name-may-be-a-person "
    "(a name that decides nothing on its own: result undetermined)."
)


class ScreeningJobOut(Schema):
    id: uuid.UUID
    status: str
    scenario: str
    rows: int
    ok: int
    invalid: int
    unknown: int
    ambiguous: int
    error: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    result: str | None
    # Until when the result is handed over, and whether that time has passed (its files then
    # deleted by the daily job): ``XINYONG_SCREENING_RESULT_DAYS`` after the day it finished.
    result_expires_at: dt.datetime | None
    result_expired: bool


def _out(job: ScreeningJob) -> dict:
    expired = screening_retention.expired(job)
    done = job.status == ScreeningJob.Status.DONE and not expired
    return {
        "id": job.pk, "status": job.status, "scenario": job.scenario.code, "rows": job.rows,
        "ok": job.ok, "invalid": job.invalid, "unknown": job.unknown, "ambiguous": job.ambiguous,
        "error": job.error, "created_at": job.created_at, "started_at": job.started_at,
        "finished_at": job.finished_at,
        "result": f"/api/v1/screenings/{job.pk}/result" if done else None,
        "result_expires_at": screening_retention.expires_at(job), "result_expired": expired,
    }  # fmt: skip


def max_upload_bytes() -> int:
    default = getattr(settings, "XINYONG_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES)
    return int(getattr(settings, "XINYONG_SCREENING_MAX_UPLOAD", default))


@router.post("", response={202: ScreeningJobOut, **refusals(BODY)}, openapi_extra=_MULTIPART)
def upload(request: HttpRequest):
    """Upload a file to screen in a scenario; 202 with the job, which then runs on its own."""
    limit = max_upload_bytes()
    too_large = XinyongError(
        "upload-too-large", f"文件过大：上限为 {limit // (1024 * 1024)} MB", status=413
    )
    # Refused before the body is read, when the client says how long it is.
    if declared_length(request) > limit + 64 * 1024:  # a length that is no number: 400
        raise too_large
    scenario = (request.POST.get("scenario") or "").strip()
    sent = request.FILES.get("file")
    if sent is None or not scenario:
        raise XinyongError("upload-incomplete", "须上传文件（file）并指明业务场景（scenario）",
                           status=422)  # fmt: skip
    if sent.size > limit:
        raise too_large
    suffix = Path(sent.name or "").suffix.lower()
    if suffix not in SUFFIXES:
        raise XinyongError("upload-format", "仅接受 CSV 或 Excel 文件", status=422)
    token = getattr(request, "api_token", None)
    department = checks._caller(request.auth, token, scenario)
    screening_jobs.checked_scenario(scenario)
    stored = screening_jobs.screenings_dir() / f"{uuid.uuid4()}.input{suffix}"
    with stored.open("wb") as target:
        for part in sent.chunks():
            target.write(part)
    if suffix in EXCEL_SUFFIXES:
        # The job reads a workbook whole: one whose sheets would not fit in memory is refused
        # here, rather than abort the process that runs the job (R11); so is one with data
        # past its first sheet, which the job would refuse (``tables.refuse_other_sheets``).
        try:
            excel.refuse_too_large(stored, stored.stat().st_size)
            refuse_several_sheets(stored)
        except XinyongError:
            stored.unlink(missing_ok=True)
            raise
    with transaction.atomic():
        job = screening_jobs.register(
            user=request.auth, department=department, scenario=scenario, input_path=stored,
            token=token,  # which of the department's tokens screened (R14)
        )  # fmt: skip
        screening_jobs.start_after_commit(job)
    return Status(202, _out(job))


def _own_job(request: HttpRequest, job_id: uuid.UUID) -> ScreeningJob:
    officer = getattr(request.auth, "officer", None)
    job = ScreeningJob.objects.select_related("scenario").filter(pk=job_id).first()
    if (
        job is None or officer is None or job.department_id != officer.department_id
        or not checks.token_reaches(getattr(request, "api_token", None), job.scenario.code)
    ):  # fmt: skip
        raise XinyongError("screening-not-found", "核查任务不存在", status=404)
    return job


@router.get("/{job_id}", response={200: ScreeningJobOut, **refusals(PARAMETERS, 404)})
def job_status(request: HttpRequest, job_id: uuid.UUID):
    """The job's status and counters."""
    return _out(_own_job(request, job_id))


@router.get(
    "/{job_id}/result",
    # 409 while the job has not finished; 410 once its result is past its days
    # (``screening-result-expired``) or its file is otherwise gone.
    response={200: None, **refusals(PARAMETERS, 404, 409, 410)},
    openapi_extra=csv_download(_RESULT_DESCRIPTION),
)
def result(request: HttpRequest, job_id: uuid.UUID):
    """The result file (CSV, UTF-8 with BOM) once the job is done."""
    job = _own_job(request, job_id)
    if job.status != ScreeningJob.Status.DONE:
        raise XinyongError("screening-not-done", f"核查任务尚未完成（{job.status}）", status=409)
    if screening_retention.expired(job):
        raise screening_retention.expired_error(job)
    try:  # opened first: the daily job may delete it meanwhile, and an open file stays readable
        response = _download(job)
    except OSError:
        raise XinyongError("screening-result-missing", "结果文件已不存在", status=410) from None
    try:
        register_screening_result(request, job, screening_jobs.persons_found(job))
    except BaseException:
        response.close()
        raise
    return response


def _download(job: ScreeningJob) -> FileResponse:
    return FileResponse(
        Path(job.output_path).open("rb"), as_attachment=True,
        filename=f"screening-{job.pk}.csv", content_type="text/csv; charset=utf-8",
    )  # fmt: skip
