"""A test-only middleware: every HTML answer the suite receives carries the secure headers.

It sits outermost, so it sees each response as the client does; a page without them fails the
test that asked for it (R14, issue 6 §6: "secure headers and cookies on every HTML response").
"""

from __future__ import annotations

REQUIRED = {
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=()",
}


def problems(request, response) -> list[str]:
    found = []
    if "text/html" not in response.get("Content-Type", ""):
        return found
    for header, part in REQUIRED.items():
        if part not in response.get(header, ""):
            found.append(f"{header} lacks {part!r}: {response.get(header)!r}")
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and response.get("Cache-Control") != "no-store":
        found.append(f"signed-in page may be cached: {response.get('Cache-Control')!r}")
    for name, morsel in response.cookies.items():
        if not morsel.value:
            continue  # a deletion
        if name != "csrftoken" and not morsel["httponly"]:
            found.append(f"cookie {name} is not HttpOnly")
        if morsel["samesite"] not in ("Lax", "Strict"):
            found.append(f"cookie {name} has SameSite {morsel['samesite']!r}")
    return found


class HeaderGuardMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        found = problems(request, response)
        if found:
            raise AssertionError(f"{request.method} {request.path}: " + "; ".join(found))
        return response
