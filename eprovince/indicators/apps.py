from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "eprovince.indicators"
    label = "indicators"
    verbose_name = _("Chỉ tiêu, báo cáo và chỉ số")

    def ready(self) -> None:
        from eprovince.core import modules

        from .constants import READER_ROLES, REPORTER_ROLES

        modules.register(
            modules.Module(
                key="indicators",
                label=_("Báo cáo số liệu, chỉ tiêu"),
                description=_(
                    "Nhập và nộp báo cáo định kỳ của đơn vị; theo dõi, phê duyệt các đợt báo cáo; kết quả so với "
                    "kế hoạch và xếp hạng chỉ số."
                ),
                url_name="indicators:home",
                roles=(*REPORTER_ROLES, *READER_ROLES),
                order=30,
            )
        )
