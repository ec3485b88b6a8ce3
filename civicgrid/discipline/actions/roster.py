"""The roster of a body's reports office: who holds which post."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from civicgrid.core import clock
from civicgrid.core.errors import ConflictError, DomainError, PermissionDeniedError

from .. import audit, permissions
from ..models import Body, Grant, Post


def post_add(*, body: Body, user: Any, kind: str, acting_user: Any = None) -> Post:
    """Give ``user`` a post in ``body`` (from the roster command: the
    deployment's operator, ``acting_user`` None, or a head adding officers)."""
    if kind not in Post.Kind.values:
        raise DomainError(_("Choose a post."), field="kind")
    if acting_user is not None and not (
        kind == Post.Kind.OFFICER and permissions.may_keep_docket(acting_user, body)
    ):
        raise PermissionDeniedError(_("Only the head of the office adds officers."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                post = Post.objects.create(body=body, user=user, kind=kind)
        except IntegrityError as exc:
            raise ConflictError(
                _("%(user)s already holds this post.") % {"user": user}
            ) from exc
        audit.record(
            "post.added", actor=acting_user, body=body.pk, user=user.pk, kind=kind
        )
    permissions.forget_posts(user)
    return post


def post_end(*, post: Post, acting_user: Any = None) -> None:
    """End a post (the operator, ``acting_user`` None, or the head ending an
    officer's post of their body, as :func:`post_add` allows)."""
    if acting_user is not None and not (
        post.kind == Post.Kind.OFFICER
        and permissions.may_keep_docket(acting_user, post.body)
    ):
        raise PermissionDeniedError(
            _("Only the head of the office ends officers' posts.")
        )
    with transaction.atomic():
        ended = Post.objects.filter(pk=post.pk, ended_at__isnull=True).update(
            ended_at=clock.now()
        )
        if not ended:
            raise ConflictError(_("This post has already ended."))
        # Whoever no longer handles the body's reports holds none of them.
        grants_ended = 0
        if not Post.objects.filter(
            body=post.body_id,
            user=post.user_id,
            kind__in=permissions.HANDLERS,
            ended_at__isnull=True,
        ).exists():
            grants_ended = Grant.objects.filter(
                report__body=post.body_id,
                officer=post.user_id,
                revoked_at__isnull=True,
            ).update(revoked_at=clock.now(), revoked_by=acting_user)
        audit.record(
            "post.ended",
            actor=acting_user,
            body=post.body_id,
            user=post.user_id,
            kind=post.kind,
            grants_ended=grants_ended,
        )
    permissions.forget_posts(post.user)
