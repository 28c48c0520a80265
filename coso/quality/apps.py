from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "coso.quality"
    label = "quality"
    verbose_name = _("Chất lượng dữ liệu")
