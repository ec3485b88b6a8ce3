"""The current second-factor code of a demo login of the discipline channel,
for trying the demo without setting up an authenticator app.

Only a device on the demo key (``demo.reports.DEMO_TOTP_KEY``, printed in the
README and so no secret) is answered: whatever the settings say, a real
user's code is never printed. A code signs in once; the next one comes with
the next 30 seconds."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from civicgrid.discipline.demo.reports import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "Print the current TOTP code of a discipline demo login (demo key only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        device = TOTPDevice.objects.filter(user=user, key=DEMO_TOTP_KEY).first()
        if device is None:
            raise CommandError(
                f"{username} has no authenticator on the demo key; only the demo "
                "logins' codes are printed."
            )
        code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{code.token():0{device.digits}d}")
