from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    """两图一沙盘一本账: the grid ledger of people, places, things, events,
    situations and organisations, and the maps drawn over it."""

    name = "civicgrid.ledger"
    label = "ledger"
    verbose_name = _("Grid ledger")

    def ready(self) -> None:
        # Buildings' and components' codes open the report form at them.
        from .place_codes import register

        register()
