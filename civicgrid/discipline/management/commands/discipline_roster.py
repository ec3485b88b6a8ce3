"""The roster of the channel's bodies, kept by the deployment's operator:
list the posts, give one, end one, and enrol a user's authenticator (the key
is printed once, to be handed over in person). Every change is in the
channel's audit log. The Django admin has no part in it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from civicgrid.core.errors import DomainError
from civicgrid.discipline import actions
from civicgrid.discipline.models import Body, Post


class Command(BaseCommand):
    help = "List, give and end posts in the discipline channel; enrol TOTP."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        sub.add_parser("list")
        add = sub.add_parser("add")
        add.add_argument("body", help="the body's code")
        add.add_argument("username")
        add.add_argument("kind", choices=Post.Kind.values)
        end = sub.add_parser("end")
        end.add_argument("body")
        end.add_argument("username")
        end.add_argument("kind", choices=Post.Kind.values)
        enrol = sub.add_parser("enrol", help="a new TOTP device for the user")
        enrol.add_argument("username")

    def _user(self, username: str) -> Any:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        return user

    def _body(self, code: str) -> Body:
        body = Body.objects.filter(code=code).first()
        if body is None:
            raise CommandError(f"No body {code!r}.")
        return body

    def handle(self, *args: Any, what: str, **options: Any) -> None:
        try:
            getattr(self, f"do_{what}")(**options)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc

    def do_list(self, **options: Any) -> None:
        for post in Post.objects.filter(ended_at__isnull=True).select_related(
            "body", "user"
        ):
            self.stdout.write(f"{post.body.code}\t{post.user.username}\t{post.kind}")

    def do_add(self, *, body: str, username: str, kind: str, **options: Any) -> None:
        actions.post_add(body=self._body(body), user=self._user(username), kind=kind)
        self.stdout.write(f"{username} is now {kind} of {body}.")

    def do_end(self, *, body: str, username: str, kind: str, **options: Any) -> None:
        post = Post.objects.filter(
            body=self._body(body),
            user=self._user(username),
            kind=kind,
            ended_at__isnull=True,
        ).first()
        if post is None:
            raise CommandError("No such post.")
        actions.post_end(post=post)
        self.stdout.write(f"{username} is no longer {kind} of {body}.")

    def do_enrol(self, *, username: str, **options: Any) -> None:
        user = self._user(username)
        device = TOTPDevice.objects.create(
            user=user, name="discipline", confirmed=False
        )
        self.stdout.write(
            "Hand this over in person; it is not shown again. Add it to an "
            "authenticator app; the first code entered confirms it:"
        )
        self.stdout.write(device.config_url)
