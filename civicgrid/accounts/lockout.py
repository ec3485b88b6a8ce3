"""django-axes, which keeps the lock-out's records, under a name the admin can
translate (the package calls its app "Axes")."""

from axes.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AppConfig):
    verbose_name = _("Login lock-out")
