from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "eprovince.indicators"
    label = "indicators"
    verbose_name = _("Chỉ tiêu, báo cáo và chỉ số")

    def ready(self) -> None:
        from eprovince.core import modules

        from .constants import CATALOGUE_ROLES, READER_ROLES, REPORTER_ROLES

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
        modules.register(
            modules.Module(
                key="indicators_dashboard",
                label=_("Bảng điều hành chỉ tiêu ngành"),
                description=_(
                    "Chỉ tiêu chủ yếu so với kế hoạch, diễn biến qua các năm, xếp hạng chỉ số, tiến độ nộp báo cáo; "
                    "bảng tổng hợp đa chiều tải về Excel."
                ),
                url_name="indicators:dashboard",
                roles=READER_ROLES,
                order=30,
            )
        )
        modules.register(
            modules.Module(
                key="indicators_catalogue",
                label=_("Danh mục chỉ tiêu, biểu mẫu báo cáo"),
                description=_(
                    "Chỉ tiêu dữ liệu, cách phân tổ, chỉ số và công thức, biểu mẫu báo cáo với quy tắc kiểm tra, "
                    "chỉ tiêu kế hoạch hằng năm."
                ),
                url_name="indicators:catalogue_elements",
                roles=CATALOGUE_ROLES,
                order=31,
                platform_only=True,
            )
        )
