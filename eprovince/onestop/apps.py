from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OneStopConfig(AppConfig):
    name = "eprovince.onestop"
    label = "onestop"
    verbose_name = _("Một cửa điện tử và dịch vụ công trực tuyến")

    def ready(self) -> None:
        from eprovince.core import modules
        from eprovince.core.constants import Role

        from .constants import OFFICER_ROLES

        modules.register(
            modules.Module(
                key="onestop",
                label=_("Một cửa điện tử"),
                description=_("Tiếp nhận hồ sơ tại quầy, xử lý hồ sơ theo quy trình, theo dõi hạn giải quyết."),
                url_name="onestop:queue",
                roles=OFFICER_ROLES,
                order=20,
            )
        )
        modules.register(
            modules.Module(
                key="onestop_stats",
                label=_("Thống kê hồ sơ một cửa"),
                description=_("Tỷ lệ giải quyết đúng hạn theo thủ tục và cơ quan, sổ theo dõi hồ sơ, xuất Excel."),
                url_name="onestop:stats",
                roles=(Role.LEADER, Role.DIVISION_HEAD, Role.ADMIN),
                order=25,
            )
        )
        modules.register(
            modules.Module(
                key="onestop_catalogue",
                label=_("Danh mục thủ tục hành chính"),
                description=_("Thủ tục, thành phần hồ sơ, tờ khai, quy trình xử lý và cách đánh mã hồ sơ."),
                url_name="onestop:procedure_admin_list",
                roles=(Role.ADMIN,),
                order=800,
            )
        )
        modules.register(
            modules.Module(
                key="onestop_outbox",
                label=_("Đồng bộ Cổng dịch vụ công quốc gia"),
                description=_("Sự kiện trạng thái hồ sơ gửi Cổng dịch vụ công quốc gia: đã gửi, đang chờ, gửi lỗi; gửi lại."),
                url_name="onestop:outbox",
                roles=(Role.ADMIN,),
                platform_only=True,
                order=810,
            )
        )
        modules.register(
            modules.Module(
                key="onestop_applicant",
                label=_("Hồ sơ của tôi"),
                description=_("Nộp hồ sơ trực tuyến, làm tiếp bản nháp, theo dõi hồ sơ đã nộp, bổ sung và nhận kết quả."),
                url_name="onestop:my_dossiers",
                roles=(Role.CITIZEN, Role.BUSINESS),
                order=10,
            )
        )
        modules.register_public_link(
            modules.PublicLink(
                "procedures", _("Thủ tục hành chính"), "onestop:catalogue", 30, ("onestop:catalogue", "onestop:procedure")
            )
        )
        modules.register_public_link(
            modules.PublicLink("tracking", _("Tra cứu hồ sơ"), "onestop:tracking", 40, ("onestop:tracking",))
        )
        from eprovince.core import search

        from .catalogue_search import catalogue_url, site_group

        search.register_group(search.SearchGroup("procedures", _("Thủ tục hành chính"), 10, site_group, catalogue_url))
        applicant_views = tuple(
            f"onestop:{name}"
            for name in ("my_dossiers", "my_dossier", "submitted", "draft", "draft_applicant", "draft_answers", "draft_documents",
                         "draft_check", "apply_start", "signup", "signup_sent", "verify", "verify_resend")
        )  # fmt: skip
        modules.register_public_link(
            modules.PublicLink("my_dossiers", _("Hồ sơ của tôi"), "onestop:my_dossiers", 45, applicant_views)
        )
