from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "eprovince.indicators"
    label = "indicators"
    verbose_name = _("Chỉ tiêu, báo cáo và chỉ số")
