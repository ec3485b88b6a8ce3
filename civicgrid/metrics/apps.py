from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    name = "civicgrid.metrics"
    label = "metrics"
    verbose_name = _("Three rates")

    def ready(self) -> None:
        from civicgrid.appeals import listeners, selectors

        from . import facts, permissions

        # The rates count the timeline as it is written, in its transaction.
        listeners.register(
            listeners.Listener(
                name="metrics.facts",
                event_written=facts.on_event,
                appeals_registered=facts.on_intake,
                shares_dispatched=facts.on_dispatch,
            )
        )

        # The console's 待审批（核减） queue: the appeals with a request waiting
        # for this user's decision.
        selectors.offer_queue("pending_exclusion", permissions.pending_exclusions_q)
