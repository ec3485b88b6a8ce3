from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CobuildingConfig(AppConfig):
    """共建共治: the three lists (三项清单) — problems, resources, projects."""

    name = "civicgrid.cobuilding"
    label = "cobuilding"
    verbose_name = _("Co-building: the three lists")
