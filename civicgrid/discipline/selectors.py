"""Scoped reads of the discipline channel. Every read of a report goes through
here (or ``actions.report_open``); an object the user may not see is None,
which the views turn into 404."""

from __future__ import annotations

import datetime as dt
from collections import Counter as Tally
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from civicgrid.core import clock

from . import permissions
from .models import Alert, Attachment, Body, Grant, IdentityRequest, Post, Report, Step

K = Post.Kind


def bodies_for(user: Any, kinds: tuple[str, ...]) -> QuerySet[Body]:
    return Body.objects.filter(pk__in=permissions.body_ids(user, kinds))


def granted_reports(user: Any) -> QuerySet[Report]:
    """The reports assigned to the user, in the bodies they handle for."""
    return (
        Report.objects.filter(
            body__in=permissions.body_ids(user, permissions.HANDLERS),
            grants__officer=user,
            grants__revoked_at__isnull=True,
        )
        .exclude(permissions.excluded_q(user))
        .select_related("body")
        .distinct()
    )


def report_for(user: Any, number: str) -> Report | None:
    """A report the user holds, by its number."""
    return granted_reports(user).filter(number=number).first()


def docket(user: Any, body: Body) -> QuerySet[Report]:
    """A head's docket of the body's reports: numbers, channels, dates and
    timers, never their words (the template is given no content)."""
    if not permissions.may_keep_docket(user, body):
        return Report.objects.none()
    return (
        Report.objects.filter(body=body)
        .exclude(permissions.excluded_q(user))
        .select_related("body")
        .order_by("-real_name", "decide_due_at", "-pk")
    )


def docket_entry(user: Any, number: str) -> Report | None:
    """A report on a docket the user keeps."""
    return (
        Report.objects.filter(
            number=number, body__in=permissions.body_ids(user, (K.HEAD,))
        )
        .exclude(permissions.excluded_q(user))
        .select_related("body")
        .first()
    )


def active_grants(report: Report) -> QuerySet[Grant]:
    return report.grants.filter(revoked_at__isnull=True).select_related("officer")


def grantable_officers(report: Report) -> list[Any]:
    """Who in the report's body may be assigned it (the principal rule
    applied)."""
    holders = {
        post.user
        for post in Post.objects.filter(
            body=report.body, kind__in=permissions.HANDLERS, ended_at__isnull=True
        ).select_related("user")
    }
    return sorted(
        (user for user in holders if permissions.may_be_granted(user, report)),
        key=lambda user: user.username,
    )


def steps_for_officer(report: Report) -> QuerySet[Step]:
    return report.steps.select_related("actor")


def steps_for_reporter(report: Report) -> QuerySet[Step]:
    return report.steps.filter(shown_to_reporter=True)


def attachments(report: Report) -> QuerySet[Attachment]:
    return report.attachments.all()


def attachment_for(report: Report, uid: str) -> Attachment | None:
    try:
        return report.attachments.filter(uid=uid).first()
    except (ValueError, TypeError):
        return None


def identity_requests_for_custodian(user: Any) -> QuerySet[IdentityRequest]:
    return (
        IdentityRequest.objects.filter(
            report__body__in=permissions.body_ids(user, (K.CUSTODIAN,))
        )
        .exclude(permissions.excluded_q(user, "report__"))
        .exclude(officer=user)
        .select_related("report", "report__body", "officer", "custodian")
    )


def identity_request_for_custodian(user: Any, pk: int) -> IdentityRequest | None:
    return identity_requests_for_custodian(user).filter(pk=pk).first()


def my_identity_requests(user: Any, report: Report) -> QuerySet[IdentityRequest]:
    return report.identity_requests.filter(officer=user)


def alerts_for(user: Any) -> QuerySet[Alert]:
    """Open alerts of the bodies whose office the user heads."""
    return (
        Alert.objects.filter(
            body__in=permissions.body_ids(user, (K.HEAD,)), cleared_at__isnull=True
        )
        .exclude(permissions.excluded_q(user, "report__"))
        .select_related("report")
    )


@dataclass(frozen=True)
class Timer:
    """One deadline of a report as the case page shows it."""

    kind: str
    label: str
    due_at: dt.datetime
    done_at: dt.datetime | None

    @property
    def overdue(self) -> bool:
        moment = self.done_at or clock.now()
        return moment > self.due_at


def timers(report: Report) -> list[Timer]:
    from django.utils.translation import gettext as _

    shown = []
    # Whether a report is for the level above is decided when it is
    # registered: the timer runs (and alerts) while it is only received.
    if report.refer_due_at and report.state == Report.State.RECEIVED:
        shown.append(Timer("refer", _("Send up a level by"), report.refer_due_at, None))
    if report.decide_due_at:
        shown.append(
            Timer(
                "decide",
                _("Decide acceptance by"),
                report.decide_due_at,
                report.decided_at,
            )
        )
    if report.feedback_due_at:
        shown.append(
            Timer(
                "feedback",
                _("Give the result by"),
                report.feedback_due_at,
                report.fed_back_at,
            )
        )
    return shown


def quarter_bounds(year: int, quarter: int) -> tuple[dt.datetime, dt.datetime]:
    from django.utils import timezone

    start = dt.date(year, 3 * (quarter - 1) + 1, 1)
    end = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end, dt.time.min, tzinfo=tz),
    )


@dataclass
class Rollup:
    """A quarter's counts for a body (季度统计)."""

    total: int = 0
    by_channel: Tally = field(default_factory=Tally)
    by_matter: Tally = field(default_factory=Tally)
    by_disposal: Tally = field(default_factory=Tally)
    by_state: Tally = field(default_factory=Tally)
    real_name: int = 0


def rollup(user: Any, body: Body, year: int, quarter: int) -> Rollup:
    """What came in to ``body`` in the quarter, counted; for its head."""
    result = Rollup()
    if not permissions.may_keep_docket(user, body):
        return result
    start, end = quarter_bounds(year, quarter)
    rows = Report.objects.filter(
        Q(body=body), received_at__gte=start, received_at__lt=end
    ).values_list("channel", "matter", "disposal", "state", "real_name")
    for channel, matter, disposal, state, real in rows:
        result.total += 1
        result.by_channel[channel] += 1
        result.by_matter[matter] += 1
        if disposal:
            result.by_disposal[disposal] += 1
        result.by_state[state] += 1
        result.real_name += bool(real)
    return result
