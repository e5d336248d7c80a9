from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkCalendarConfig(AppConfig):
    name = "eprovince.workcalendar"
    label = "workcalendar"
    verbose_name = _("Lịch làm việc")

    def ready(self) -> None:
        from eprovince.core import modules
        from eprovince.core.constants import Role

        modules.register(
            modules.Module(
                key="calendar",
                label=_("Lịch làm việc"),
                description=_("Ngày nghỉ lễ, tết, ngày làm bù, giờ làm việc và quy tắc tính thời hạn giải quyết hồ sơ."),
                url_name="workcalendar:admin_year_current",
                roles=(Role.ADMIN,),
                platform_only=True,
                order=800,
            )
        )
