from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    name = "civicgrid.metrics"
    label = "metrics"
    verbose_name = _("Three rates (三率)")
