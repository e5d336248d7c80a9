from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "eprovince.portal"
    label = "portal"
    verbose_name = _("Cổng thông tin")

    def ready(self) -> None:
        from eprovince.core import modules
        from eprovince.core.constants import Role

        modules.register(
            modules.Module(
                key="portal",
                label=_("Tin bài cổng thông tin"),
                description=_("Viết bài, gửi duyệt, duyệt và xuất bản tin bài trên cổng thông tin điện tử."),
                url_name="portal:editor_list",
                roles=(Role.EDITOR, Role.CHIEF_EDITOR, Role.ADMIN),
                order=50,
            )
        )
