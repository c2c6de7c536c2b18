"""Response headers and request limits that every page and operation gets (R14, issue 6 §6).

Django's own middleware sets HSTS, nosniff, the referrer policy, COOP and X-Frame-Options, and
django-csp the Content-Security-Policy; this module adds what neither does.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from xinyong.core.errors import XinyongError
from xinyong.security.views import upload_too_large

# No page of the platform uses a camera, a microphone, a location or payment.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)


API_PREFIX = "/api/"
# A subject's own pages take only objection evidence: their bound, not the imports'.
SUBJECT_PAGES_PREFIX = "/my/"


def _upload_limit(path: str) -> int:
    if path.startswith(SUBJECT_PAGES_PREFIX):
        from xinyong.remedies.evidence import MAX_REQUEST_BYTES

        return min(MAX_REQUEST_BYTES, settings.XINYONG_MAX_UPLOAD_BYTES)
    return settings.XINYONG_MAX_UPLOAD_BYTES


def _static_prefix() -> str:
    return "/" + settings.STATIC_URL.lstrip("/")


class SecureResponseMiddleware:
    """Permissions-Policy on every answer; ``no-store`` on every answer to a signed-in caller.

    Pages an officer or a subject sees hold personal data: no browser or proxy cache may keep
    them (a shared office computer, a caching proxy of an intranet).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        signed_in = (user is not None and user.is_authenticated) or (
            "HTTP_AUTHORIZATION" in request.META
        )
        if signed_in and not request.path.startswith(_static_prefix()):
            response.headers["Cache-Control"] = "no-store"
        return response


# A body without a declared length (Transfer-Encoding: chunked): Django reads no more of a
# body than its Content-Length, so it would reach an operation as no body at all.
LENGTH_REQUIRED = {
    "code": "length-required",
    "message": "请求体须注明长度（Content-Length）：不接受分块传输（Transfer-Encoding: chunked）"
    "的请求体，请一次发送完整内容",
}


_BYTE_COUNT = re.compile(r"[0-9]+")  # RFC 9110 §8.6: Content-Length = 1*DIGIT


def declared_length(request: HttpRequest) -> int:
    """The body's length as the request declares it (Content-Length), 0 when it declares none.

    A header that is no count of bytes (``abc``, ``-1``, ``1e6``) is refused with 400
    (``content-length-invalid``): Django would read such a body as empty, and ``int`` of it
    raised where an operation compared it with its limit, a server error. Surrounding spaces
    are allowed, as Django's own reading allows them."""
    text = (request.META.get("CONTENT_LENGTH") or "").strip()
    if not text:
        return 0
    if not _BYTE_COUNT.fullmatch(text):
        raise XinyongError(
            "content-length-invalid",
            "请求头 Content-Length 无效：应为请求体的字节数（非负整数），请按实际发送的内容填写",
            status=400,
        )
    return int(text)


class UploadLimitMiddleware:
    """Refuse an oversized request body with 413 before any of it is read, on every route.

    A file upload (multipart) may declare up to ``XINYONG_MAX_UPLOAD_BYTES`` (the import and
    screening operations then bound what they actually read, as a client may send more than
    it declares), and to a subject's own pages only what an objection's evidence may weigh;
    any other body up to ``DATA_UPLOAD_MAX_MEMORY_SIZE``, which Django would otherwise meet
    only when a view reads it, as an unexplained 400. An API call is answered
    with the API's JSON error; a page's form with a page in the platform's layout.

    An API call whose body declares no length (sent in chunks) is refused with 411 and the
    API's JSON error, before any of it is read. Django reads a body only up to its declared
    length, so the operation would see an empty one ("请求体必须提供", "请上传文件"); and
    reading it here instead would take a sync worker for as long as the client sends, with no
    length to check against the limits first. Every client can send the length.

    It sits after the middleware that sets the pages' headers, the language and the signed-in
    account (none of which reads the body), so that its page is like any other.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            "HTTP_TRANSFER_ENCODING" in request.META
            and not request.META.get("CONTENT_LENGTH")
            and request.path_info.startswith(API_PREFIX)
        ):
            return JsonResponse(
                LENGTH_REQUIRED, status=411, json_dumps_params={"ensure_ascii": False}
            )
        multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/")
        limit = (
            _upload_limit(request.path_info) if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        )
        try:
            declared = declared_length(request)
        except XinyongError:  # the operation that reads the body refuses it (400)
            declared = 0
        if declared > limit and not request.path_info.startswith(API_PREFIX):
            # A browser's form: a page it can show, not the API's JSON.
            return upload_too_large(request, declared=declared, limit=limit)
        if declared > limit:
            return JsonResponse(
                {
                    "code": "upload-too-large",
                    "message": f"上传内容过大：{declared} 字节，上限为 {limit} 字节。",
                    "limit": limit,
                },
                status=413,
                json_dumps_params={"ensure_ascii": False},
            )
        return self.get_response(request)
