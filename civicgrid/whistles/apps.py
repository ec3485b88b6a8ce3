from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WhistlesConfig(AppConfig):
    name = "civicgrid.whistles"
    label = "whistles"
    verbose_name = _("Whistles")

    def ready(self) -> None:
        from civicgrid.appeals import permissions as appeal_permissions

        from . import permissions

        # An appeal's page offers the whistle to whoever may blow it on it now.
        appeal_permissions.offer("whistle", permissions.may_blow_on_appeal)
