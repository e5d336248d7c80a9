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
                order=900,
            )
        )
        modules.register(
            modules.Module(
                key="admin",
                label=_("Quản trị người dùng và cơ quan"),
                description=_("Tài khoản, phân quyền, cơ quan, đơn vị hành chính."),
                url_name="admin:index",
                roles=(Role.ADMIN,),
                order=910,
            )
        )
