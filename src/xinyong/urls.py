from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from xinyong.api.main import api

admin.site.site_header = _("Public credit information platform — back office")
admin.site.site_title = _("Xinyong back office")
admin.site.index_title = _("Reference data")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("office/", include("xinyong.office.urls")),
    path("", include("xinyong.portal.urls")),
]
