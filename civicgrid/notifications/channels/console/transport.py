"""Console: log the message instead of sending it, so that demos and laptops work
without an SMS gateway or a mail server. The recipient is masked in the log."""

from __future__ import annotations

import logging
import re

from civicgrid.notifications.masking import mask_recipient
from civicgrid.notifications.models import Notification

log = logging.getLogger("civicgrid.notifications.console")


# The resident's key in a link is theirs alone: logs keep the code, not the key.
RESIDENT_KEY_IN_LINK = re.compile(r"(/track/[0-9A-Z]+/)[0-9a-f]{24}/")


def send(notification: Notification) -> None:
    text = " ".join(f"{notification.subject} {notification.body}".split())
    text = RESIDENT_KEY_IN_LINK.sub(r"\1…/", text)
    log.info(
        "notification %s %s to %s: %s",
        notification.pk,
        notification.event,
        mask_recipient(notification.recipient),
        text,
    )
