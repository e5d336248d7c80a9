"""The versioned REST API: /api/v1/, its OpenAPI schema at /api/v1/openapi.json, interactive docs at /api/v1/docs.

Each app contributes a router from its own api.py; errors are JSON {"code", "message", "fields"}."""

from __future__ import annotations

from ninja import NinjaAPI

from eprovince.core import api as core_api
from eprovince.core import api_units
from eprovince.portal import api as portal_api

api = NinjaAPI(
    title="e-Province API",
    version="1.0.0",
    description="API của nền tảng e-Province: đơn vị hành chính, cơ quan, tin bài và các dịch vụ công.",
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=core_api.optional_auth(),
)
core_api.install_error_handlers(api)
api.add_router("/", core_api.router)
api.add_router("/units", api_units.router)
api.add_router("/news", portal_api.router)
