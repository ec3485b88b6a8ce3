from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WhistlesConfig(AppConfig):
    name = "civicgrid.whistles"
    label = "whistles"
    verbose_name = _("Whistles (吹哨报到)")
