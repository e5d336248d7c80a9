"""The site's URLs with the one-stop API at /api/v1/onestop, for the API tests.

The lead mounts the router in eprovince/api.py; until then (or if the mount is elsewhere) the tests mount it on an API
of their own, configured like the site's (same authentication and error handlers)."""

from __future__ import annotations

from django.urls import path

from eprovince import api as site_api
from eprovince import urls as site_urls
from eprovince.core import api as core_api
from eprovince.onestop.api import router

MOUNTED = any(r is router and prefix.strip("/") == "onestop" for prefix, r in site_api.api._routers)

if MOUNTED:
    urlpatterns = list(site_urls.urlpatterns)
else:
    test_api = core_api.ProvinceAPI(
        title="e-Province API (one-stop tests)", version="test", urls_namespace="onestop-test-api", auth=core_api.optional_auth()
    )
    core_api.install_error_handlers(test_api)
    test_api.add_router("/onestop", router)
    urlpatterns = [path("api/v1/", test_api.urls), *site_urls.urlpatterns]
