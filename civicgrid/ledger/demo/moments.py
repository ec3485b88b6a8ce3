"""When the demo's grid workers were at work: a moment in working hours on a
given day, so that no visit or patrol happens at four in the morning."""

from __future__ import annotations

import random
from datetime import datetime, time

from django.utils import timezone


def working_moment(day: datetime, rng: random.Random) -> datetime:
    """A moment between 9 and 17 o'clock (out of the lunch break) on ``day``'s
    local date."""
    local = timezone.localtime(day).date()
    hour = rng.choice([9, 10, 11, 14, 15, 16])
    moment = datetime.combine(local, time(hour, rng.randrange(60)))
    return timezone.make_aware(moment)
