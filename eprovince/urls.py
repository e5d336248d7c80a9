from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.static import serve

from .api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("quan-tri/", admin.site.urls),
    path("", include("eprovince.core.urls")),
    path("", include("eprovince.portal.urls")),
    path("", include("eprovince.workcalendar.urls")),
    path("", include("eprovince.onestop.urls")),
    path("", include("eprovince.indicators.urls")),
]
if settings.SERVE_MEDIA:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

handler404 = "eprovince.core.views.page_not_found"
handler500 = "eprovince.core.views.server_error"
handler403 = "eprovince.core.views.permission_denied"
