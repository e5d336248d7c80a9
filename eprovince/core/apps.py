from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "eprovince.core"
    label = "core"
    verbose_name = _("Nền tảng chung")

    def ready(self) -> None:
        from . import modules
        from .constants import Role

        modules.register(
            modules.Module(
                key="audit",
                label=_("Nhật ký hệ thống"),
                description=_("Tra cứu ai đã làm gì, khi nào, với đối tượng nào."),
                url_name="core:audit_list",
                roles=(Role.ADMIN,),
                platform_only=True,
                order=900,
            )
        )
        staff_roles = tuple(r for r in Role if r not in (Role.CITIZEN, Role.BUSINESS))
        modules.register(
            modules.Module(
                key="directory",
                label=_("Cơ quan, đơn vị"),
                description=_("Danh bạ cơ quan, đơn vị và cán bộ trong phạm vi của bạn."),
                url_name="core:organisation_list",
                roles=staff_roles,
                order=700,
            )
        )
        modules.register(
            modules.Module(
                key="users",
                label=_("Người dùng và phân quyền"),
                description=_("Tài khoản, vai trò theo cơ quan, mở khóa tài khoản."),
                url_name="core:user_list",
                roles=(Role.ADMIN,),
                order=910,
            )
        )
