"""The django-ninja API, version 1: assembly and the one place errors become HTTP answers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from xinyong.api.auth import API_AUTH
from xinyong.core.errors import XinyongError

api = NinjaAPI(
    title="Xinyong API",
    version="1",
    description="Public credit information platform: listings, checks and feedback.",
    urls_namespace="api-v1",
    docs_url="/docs",
    auth=API_AUTH,
)


@api.get("/health", auth=None, tags=["operations"])
def health(request: HttpRequest) -> dict[str, str]:
    """For load balancers and monitoring: the process answers (no database round trip)."""
    return {"status": "ok"}


@api.exception_handler(XinyongError)
def refused(request: HttpRequest, exc: XinyongError) -> HttpResponse:
    """A rule said no: the stable code, the Chinese message, the HTTP status it carries."""
    return api.create_response(request, exc.as_dict(), status=exc.status)


def _mount() -> None:
    from xinyong.catalog.api import router as imports
    from xinyong.listings.api import router as listings
    from xinyong.measures.api import changes_router
    from xinyong.measures.api import router as checks
    from xinyong.measures.screening_api import router as screenings

    api.add_router("/listings", listings)
    api.add_router("/checks", checks)
    api.add_router("/changes", changes_router)
    api.add_router("/screenings", screenings)
    api.add_router("/imports", imports)


_mount()
