"""E-mail through Django's configured backend (SMTP in production)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail

from civicgrid.notifications.models import Notification


def send(notification: Notification) -> None:
    send_mail(
        notification.subject,
        notification.body,
        settings.DEFAULT_FROM_EMAIL,
        [notification.recipient],
        fail_silently=False,
    )
