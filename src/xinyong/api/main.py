"""The django-ninja API, version 1: assembly and the one place errors become HTTP answers."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import DataError
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as RequestInvalid

from xinyong.api import invalid
from xinyong.api.auth import API_AUTH
from xinyong.api.docs import OfflineSwagger
from xinyong.core.errors import XinyongError

api = NinjaAPI(
    title="Xinyong API",
    version="1",
    # Every group (an operation's tag) named as the docs show it, then what it holds.
    description="Public credit information platform, by group: listings (the listing "
    "procedure), checks (checks and feedback), changes (the change feed), screenings (batch "
    "screening), imports (credit-information imports), joint reward and punishment (its "
    "statistics), repairs (credit repair applications), reports (reports on red-list entries), "
    "record-objections (objections to credit records), submission-duties (submission-list "
    "updates), me (a credit subject's own record) and operations (health).",
    urls_namespace="api-v1",
    docs_url="/docs",
    docs=OfflineSwagger(),
    auth=API_AUTH,
)


@api.get("/health", auth=None, tags=["operations"])
def health(request: HttpRequest) -> dict[str, str]:
    """For load balancers and monitoring: the process answers (no database round trip)."""
    return {"status": "ok"}


@api.exception_handler(XinyongError)
def refused(request: HttpRequest, exc: XinyongError) -> HttpResponse:
    """A rule said no: the stable code, the Chinese message, the HTTP status it carries."""
    response = api.create_response(request, exc.as_dict(), status=exc.status)
    if "retry_after" in exc.details:
        response["Retry-After"] = str(exc.details["retry_after"])
    return response


@api.exception_handler(RequestInvalid)
def request_invalid(request: HttpRequest, exc: RequestInvalid) -> HttpResponse:
    """The schemas refused the request: answered like a refusal, in Chinese, field by field."""
    return api.create_response(request, invalid.as_refusal(exc.errors), status=422)


@api.exception_handler(HttpError)
def framework_refused(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """The framework said no (an unreadable body, missing credentials): the same shape."""
    response = api.create_response(
        request, invalid.http_refusal(exc.status_code), status=exc.status_code
    )
    if exc.status_code == 401:
        response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(MultiPartParserError)
def multipart_unreadable(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    """An upload whose multipart body cannot be parsed: refused as JSON, not Django's page."""
    code, message = invalid.MULTIPART_UNREADABLE
    return api.create_response(request, {"code": code, "message": message}, status=400)


@api.exception_handler(TooManyFieldsSent)
@api.exception_handler(TooManyFilesSent)
def too_many_parts(request: HttpRequest, exc: Exception) -> HttpResponse:
    code, message = invalid.TOO_MANY_PARTS
    return api.create_response(request, {"code": code, "message": message}, status=400)


@api.exception_handler(RequestDataTooBig)
def fields_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    """Form fields past Django's limit inside an upload the size limit let through: 413, like
    any body too large (README: ``upload-too-large``)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return api.create_response(request, invalid.body_too_large(limit), status=413)


@api.exception_handler(DataError)
def unstorable(request: HttpRequest, exc: DataError) -> HttpResponse:
    """A value the database cannot hold (a NUL character in text, a number out of range): the
    caller's input, refused as such; its transaction has rolled back, so nothing is half-written.
    """
    return api.create_response(
        request,
        {
            "code": "unstorable-value",
            "message": "提交的内容含有无法保存的值（如空字符或超出范围的数字）",
        },
        status=422,
    )


def _mount() -> None:
    from xinyong.access.api import router as me
    from xinyong.catalog.api import router as imports
    from xinyong.listings.api import router as listings
    from xinyong.measures.api import changes_router
    from xinyong.measures.api import router as checks
    from xinyong.measures.screening_api import router as screenings
    from xinyong.measures.statistics_api import router as joint
    from xinyong.remedies.record_objection_api import router as record_objections
    from xinyong.remedies.repair_api import router as repairs
    from xinyong.reports.api import router as reports
    from xinyong.submissions.api import router as submission_duties

    # Each mount prefixes its operations' URL names, so that a route name in the authorization
    # matrix (``api-v1:<url name>``, access/matrix.csv) names one operation only. Checks come
    # first: Django tries URL patterns in order, and checks are most of the calls.
    api.add_router("/checks", checks, url_name_prefix="checks")
    api.add_router("/changes", changes_router, url_name_prefix="changes")
    api.add_router("/listings", listings, url_name_prefix="listings")
    api.add_router("/screenings", screenings, url_name_prefix="screenings")
    api.add_router("/imports", imports, url_name_prefix="imports")
    api.add_router("/joint", joint, url_name_prefix="joint")
    api.add_router("/repairs", repairs, url_name_prefix="repairs")
    api.add_router("/reports", reports, url_name_prefix="reports")
    api.add_router("/record-objections", record_objections, url_name_prefix="record_objections")
    api.add_router("/submission-duties", submission_duties, url_name_prefix="submission_duties")
    api.add_router("/me", me)


_mount()
