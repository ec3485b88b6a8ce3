"""Who may do what in the discipline channel: this app's own rules, on its
own roster (:class:`~civicgrid.discipline.models.Post`) and its grants.

No membership, no superuser flag and no role of ``accounts`` opens anything
here (``tests/test_layers.py`` holds that this module reads no memberships):

- the head of a body's reports office keeps its docket — numbers, channels,
  dates, timers, never the words — assigns officers to a report (a grant with
  a reason), edits the guide and the publicity ledger;
- an officer reads and handles only the reports granted to them;
- a custodian decides requests to see a reporter's identity, and sees neither
  the identity nor the report;
- a report about a body's principal is never shown to that principal nor to
  anyone in their office, whatever else they hold.

Every post needs a verified second factor (TOTP) on the request.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from .models import Grant, Post, Report

K = Post.Kind
HANDLERS = (K.HEAD, K.OFFICER)
EXCLUDED = (K.PRINCIPAL, K.PRINCIPAL_OFFICE)


def posts(user: Any) -> list[Post]:
    """The user's current posts, read once per user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cache = getattr(user, "_discipline_posts", None)
    if cache is None:
        cache = list(
            Post.objects.filter(user=user, ended_at__isnull=True).select_related("body")
        )
        user._discipline_posts = cache
    return cache


def forget_posts(user: Any) -> None:
    if hasattr(user, "_discipline_posts"):
        del user._discipline_posts


def body_ids(user: Any, kinds: tuple[str, ...]) -> set[int]:
    return {p.body_id for p in posts(user) if p.kind in kinds}


def holds(user: Any, body: Any, kinds: tuple[str, ...]) -> bool:
    return body is not None and body.pk in body_ids(user, kinds)


def in_channel(user: Any) -> bool:
    """The user holds a post in some body's channel."""
    return bool(posts(user))


def verified(request: Any) -> bool:
    """The request's sign-in passed the second factor (django-otp)."""
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def excluded_from(user: Any, report: Report) -> bool:
    """The principal rule: the principal whom the report is about, and their
    office, are kept out of it."""
    return report.concerns_principal_of_id is not None and holds(
        user, report.concerns_principal_of, EXCLUDED
    )


def excluded_q(user: Any, prefix: str = "") -> Q:
    """Reports that the principal rule keeps from ``user``."""
    ids = body_ids(user, EXCLUDED)
    return Q(**{f"{prefix}concerns_principal_of__in": ids}) if ids else Q(pk__in=[])


def has_grant(user: Any, report: Report) -> bool:
    return Grant.objects.filter(
        report=report, officer=user, revoked_at__isnull=True
    ).exists()


def may_read(user: Any, report: Report) -> bool:
    """An officer or head of the report's body, granted this report."""
    return (
        holds(user, report.body, HANDLERS)
        and not excluded_from(user, report)
        and has_grant(user, report)
    )


def may_keep_docket(user: Any, body: Any) -> bool:
    return holds(user, body, (K.HEAD,))


def may_grant(user: Any, report: Report) -> bool:
    return may_keep_docket(user, report.body) and not excluded_from(user, report)


def may_be_granted(user: Any, report: Report) -> bool:
    return (
        user.is_active
        and holds(user, report.body, HANDLERS)
        and not excluded_from(user, report)
    )


def may_decide_identity(user: Any, report: Report) -> bool:
    return holds(user, report.body, (K.CUSTODIAN,)) and not excluded_from(user, report)


def may_enter(user: Any, body: Any) -> bool:
    """Staff entry of a letter, a visit or a 12388 call."""
    return holds(user, body, HANDLERS)


def may_see_identity(user: Any, report: Report) -> bool:
    """An approved request of this officer, made while they hold the report
    now (an approval ends with the grant it was asked under)."""
    if not may_read(user, report):
        return False
    grant = (
        Grant.objects.filter(report=report, officer=user, revoked_at__isnull=True)
        .order_by("-granted_at")
        .first()
    )
    return (
        grant is not None
        and report.identity_requests.filter(
            officer=user, state="approved", requested_at__gte=grant.granted_at
        ).exists()
    )
