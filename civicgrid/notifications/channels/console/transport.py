"""Console: log the message instead of sending it, so that demos and laptops work
without an SMS gateway or a mail server. The recipient is masked in the log."""

from __future__ import annotations

import logging

from civicgrid.notifications.masking import mask_recipient, mask_resident_keys
from civicgrid.notifications.models import Notification

log = logging.getLogger("civicgrid.notifications.console")


def send(notification: Notification) -> None:
    text = " ".join(f"{notification.subject} {notification.body}".split())
    text = mask_resident_keys(text)
    log.info(
        "notification %s %s to %s: %s",
        notification.pk,
        notification.event,
        mask_recipient(notification.recipient),
        text,
    )
