"""Print the demo accounts, one per role, with their password."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import translation

from civicgrid.accounts.models import Role
from civicgrid.core.demo import DEMO_PASSWORD
from civicgrid.org.demo import DEMO_USERS, area_members, department_handlers


class Command(BaseCommand):
    help = "List the demo accounts and their password."

    def handle(self, *args: object, **options: object) -> None:
        with translation.override("zh-hans"):
            self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD})")
            for user in DEMO_USERS:
                role = str(Role(user.role).label) if user.role else "superuser"
                self.stdout.write(f"  {user.username:<14} {role} · {user.full_name}")
            codes = ", ".join(
                f"handler_{code}" for code, _name in department_handlers()
            )
            self.stdout.write(f"  and a handler for every other department: {codes}")
            names = ", ".join(username for username, *_rest in area_members())
            self.stdout.write(
                f"  and the staff of every other grid and community: {names}"
            )
