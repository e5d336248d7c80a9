"""The versioned REST API: /api/v1/, its OpenAPI schema at /api/v1/openapi.json, interactive docs at /api/v1/docs.

Each app contributes a router from its own api.py; errors are JSON {"code", "message", "fields"}.
Authentication, errors and pagination shared by every router are defined in eprovince.core.api."""

from __future__ import annotations

from ninja import Swagger

from eprovince.core import api as core_api
from eprovince.core import api_units
from eprovince.indicators import api as indicators_api
from eprovince.onestop import api as onestop_api
from eprovince.portal import api as portal_api
from eprovince.workcalendar import api as calendar_api

api = core_api.ProvinceAPI(
    title="e-Province API",
    version="1.0.0",
    description=(
        "API của nền tảng e-Province: đơn vị hành chính, cơ quan, tin bài và các dịch vụ công.\n\n"
        "**Xác thực.** Dữ liệu công khai đọc được không cần đăng nhập. Để gọi với tư cách một người dùng, gửi tiêu đề "
        "`Authorization: Bearer <khóa truy cập>` hoặc dùng phiên đăng nhập của trang web (thao tác ghi cần thêm "
        "tiêu đề `X-CSRFToken`). Thông tin xác thực sai, đã thu hồi hay hết hạn bị từ chối với mã 401.\n\n"
        '**Lỗi.** Mọi lỗi là JSON `{"code", "message", "fields"}`: `code` cố định cho máy đọc '
        "(`validation_error`, `unauthenticated`, `permission_denied`, `not_found`, `conflict`…), `message` cho người "
        "đọc, `fields` liệt kê lỗi theo từng trường.\n\n"
        '**Phân trang.** Danh sách nhận `page` (từ 1) và `page_size`, trả về `{"count", "items"}`.'
    ),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # Swagger UI is served from ninja's bundled static files; validatorUrl=None stops it calling validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None, "defaultModelsExpandDepth": 0}),
    auth=core_api.optional_auth(),
)
core_api.install_error_handlers(api)
api.add_router("/", core_api.router)
api.add_router("/units", api_units.router)
api.add_router("/news", portal_api.router)
api.add_router("/calendar", calendar_api.router)
api.add_router("/onestop", onestop_api.router)
api.add_router("/indicators", indicators_api.router)
