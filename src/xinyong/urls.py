from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views import defaults

from xinyong.access.session import session_alive
from xinyong.api.main import api
from xinyong.office import views as office_views

admin.autodiscover()  # here, not at start-up: see ``xinyong.access.admin_config``
admin.site.site_header = _("Public credit information platform — back office")
admin.site.site_title = _("Xinyong back office")
admin.site.index_title = _("Reference data")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("office/", include("xinyong.office.urls")),
    path("session/alive/", session_alive, name="session-alive"),
    path("", include("xinyong.portal.urls")),
]


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A page missing under /office/ is the back office's own, in its layout and with a way
    back into it; anywhere else the public portal's (``404.html``)."""
    if request.path_info.startswith("/office/"):
        return office_views.not_found(request, exception)
    return defaults.page_not_found(request, exception)


handler404 = page_not_found
