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
                platform_only=True,
            )
        )
        for link in (
            modules.PublicLink("home", _("Trang chủ"), "portal:home", 10, ("portal:home",)),
            modules.PublicLink(
                "news",
                _("Tin tức"),
                "portal:news",
                20,
                ("portal:news", "portal:news_category", "portal:article", "portal:article_short"),
            ),
            modules.PublicLink("search", _("Tìm kiếm"), "portal:search", 90, ("portal:search",)),
        ):
            modules.register_public_link(link)
