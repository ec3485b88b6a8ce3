"""The demo street after a year of work: behind the recent cases, which the
appeals' seed makes through the actions, a year of history written as
``seed-bulk`` writes it (appeals in every state, returns, late responses,
re-handles, callbacks, whistles and their facts), so the overview's trend has
twelve months and the digest real rates."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from civicgrid.appeals.models import Appeal
from civicgrid.core import clock
from civicgrid.core.demo import demo_seed

from .bulk import seed_bulk

# The appeals seed's cases are all younger than this; older means the year is there.
RECENT = timedelta(days=30)


@demo_seed(
    "synthetic.history",
    after=("appeals.appeals", "whistles.whistles", "api.clients", "org.street"),
)
def seed_history() -> str:
    appeals = settings.CIVICGRID_DEMO_HISTORY_APPEALS
    if (
        not appeals
        or Appeal.objects.filter(received_at__lt=clock.now() - RECENT).exists()
    ):
        return ""
    made = seed_bulk(appeals=appeals, months=12, seed=540103)
    return f"a year of history ({made['appeals']} appeals)"
