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
                key="onestop_catalogue",
                label=_("Danh mục thủ tục hành chính"),
                description=_("Thủ tục, thành phần hồ sơ, tờ khai, quy trình xử lý và cách đánh mã hồ sơ."),
                url_name="onestop:procedure_admin_list",
                roles=(Role.ADMIN,),
                order=800,
            )
        )
        modules.register_public_link(
            modules.PublicLink("procedures", _("Thủ tục hành chính"), "onestop:catalogue", 30, ("onestop:catalogue", "onestop:procedure"))
        )
        modules.register_public_link(modules.PublicLink("tracking", _("Tra cứu hồ sơ"), "onestop:tracking", 40, ("onestop:tracking",)))
