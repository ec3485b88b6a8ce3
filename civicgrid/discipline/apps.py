from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    """纪检监察信访举报: the sealed discipline-report channel."""

    name = "civicgrid.discipline"
    label = "discipline"
    verbose_name = _("Discipline reports")

    def ready(self) -> None:
        from . import checks  # noqa: F401
