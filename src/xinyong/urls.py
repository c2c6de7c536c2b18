from django.contrib import admin
from django.urls import include, path

admin.site.site_header = admin.site.site_title = "信用信息平台 管理后台"
admin.site.index_title = "参考数据维护"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("xinyong.portal.urls")),
]
