from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    """两图一沙盘一本账: the grid ledger of people, places, things, events,
    situations and organisations, and the maps drawn over it."""

    name = "civicgrid.ledger"
    label = "ledger"
    verbose_name = _("Grid ledger")
