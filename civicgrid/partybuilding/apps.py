from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartybuildingConfig(AppConfig):
    """党建引领: 双报到, the service ledger and 微心愿."""

    name = "civicgrid.partybuilding"
    label = "partybuilding"
    verbose_name = _("Party building")
