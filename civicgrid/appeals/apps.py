from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class AppealsConfig(AppConfig):
    name = "civicgrid.appeals"
    label = "appeals"
    verbose_name = pgettext_lazy("application", "Appeals")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from civicgrid.core.refcache import clear_on_commit

        from . import models

        # Intake caches these rows for a few seconds; a change here shows at once.
        for model in (models.Category, models.CategoryQuestion, models.CategoryVersion):
            post_save.connect(
                clear_on_commit, sender=model, dispatch_uid=f"refcache.{model.__name__}"
            )
            post_delete.connect(
                clear_on_commit,
                sender=model,
                dispatch_uid=f"refcache-del.{model.__name__}",
            )
