"""Grants (承办): the head of the report's body assigns an officer of that body,
with a reason; one active grant per officer; withdrawing it ends the access.
Nobody without a post — the superuser and every persona of the house
included — sees anything of the channel through any selector."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from civicgrid.accounts.models import User
from civicgrid.core.errors import ConflictError, DomainError, PermissionDeniedError
from civicgrid.discipline import actions, permissions, selectors
from civicgrid.discipline.models import AuditEntry, Grant, Post, Step

from .conftest import granted, last_step, real_name, submit, trail, words


def give(sealed, report, officer, by="head", reason="承办"):
    return actions.grant_give(
        report=report, officer=sealed[officer], reason=reason, acting_user=sealed[by]
    )


def test_the_head_assigns_an_officer_with_a_reason(sealed):
    report = submit(sealed.district).report
    grant = give(sealed, report, "officer", reason=" 熟悉该单位 ")
    assert (grant.officer, grant.granted_by, grant.reason) == (
        sealed["officer"],
        sealed["head"],
        "熟悉该单位",
    )
    assert grant.revoked_at is None
    step = last_step(report)
    assert (step.kind, step.actor) == (Step.Kind.GRANTED, sealed["head"])
    assert not step.shown_to_reporter
    assert words(report, step) == {
        "officer": sealed["officer"].pk,
        "reason": "熟悉该单位",
    }
    assert trail(report)[-2:] == ["grant.given", "step.granted"]
    given = AuditEntry.objects.get(action="grant.given")
    assert given.detail == {"officer": sealed["officer"].pk, "grant": grant.pk}
    assert selectors.report_for(sealed["officer"], report.number) == report
    assert list(selectors.granted_reports(sealed["officer"])) == [report]
    assert list(selectors.active_grants(report)) == [grant]
    assert permissions.may_read(sealed["officer"], report)


def test_a_grant_needs_a_reason(sealed):
    report = submit(sealed.district).report
    with pytest.raises(DomainError) as refused:
        give(sealed, report, "officer", reason="  ")
    assert refused.value.field == "reason"
    assert not Grant.objects.exists()


def test_the_head_may_take_a_report_themselves(sealed):
    report = submit(sealed.district).report
    assert not permissions.may_read(sealed["head"], report)
    give(sealed, report, "head")
    assert permissions.may_read(sealed["head"], report)


@pytest.mark.parametrize(
    "by",
    [
        "officer",
        "officer2",
        "custodian",
        "principal",
        "office",
        "city_head",
        "street_head",
        "superuser",
    ],
)
def test_only_the_head_of_the_report_s_body_assigns(sealed, by):
    report = submit(sealed.district).report
    with pytest.raises(PermissionDeniedError):
        give(sealed, report, "officer", by=by)
    assert not Grant.objects.exists()


@pytest.mark.parametrize(
    "officer",
    [
        "custodian",
        "principal",
        "office",
        "city_officer",
        "city_head",
        "street_officer",
        "superuser",
    ],
)
def test_only_officers_and_heads_of_the_body_are_assigned(sealed, officer):
    report = submit(sealed.district).report
    with pytest.raises(DomainError) as refused:
        give(sealed, report, officer)
    assert refused.value.field == "officer"
    assert not Grant.objects.exists()
    assert sealed[officer] not in selectors.grantable_officers(report)


def test_the_people_of_the_house_are_not_assigned(sealed, people):
    report = submit(sealed.district).report
    for user in people.values():
        with pytest.raises(DomainError):
            actions.grant_give(
                report=report, officer=user, reason="承办", acting_user=sealed["head"]
            )
    assert not Grant.objects.exists()


def test_who_may_be_assigned_is_the_body_s_officers_and_head(sealed):
    report = submit(sealed.district).report
    assert selectors.grantable_officers(report) == sorted(
        [sealed["head"], sealed["officer"], sealed["officer2"]],
        key=lambda user: user.username,
    )


def test_an_inactive_officer_is_not_assigned(sealed):
    report = submit(sealed.district).report
    officer = sealed["officer"]
    officer.is_active = False
    officer.save()
    with pytest.raises(DomainError):
        give(sealed, report, "officer")


def test_an_officer_holds_a_report_once_at_a_time(sealed):
    report = granted(sealed, submit(sealed.district).report)
    with pytest.raises(ConflictError):
        give(sealed, report, "officer")
    assert Grant.objects.filter(report=report).count() == 1
    # Two officers may hold it side by side.
    give(sealed, report, "officer2")
    assert selectors.active_grants(report).count() == 2


def test_withdrawing_a_grant_ends_the_access(sealed):
    report = submit(sealed.district).report
    grant = give(sealed, report, "officer")
    officer = sealed["officer"]
    actions.grant_revoke(grant=grant, acting_user=sealed["head"])
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoked_by == sealed["head"]
    assert not permissions.may_read(officer, report)
    assert selectors.report_for(officer, report.number) is None
    assert list(selectors.granted_reports(officer)) == []
    with pytest.raises(PermissionDeniedError):
        actions.report_open(report=report, acting_user=officer)
    with pytest.raises(PermissionDeniedError):
        actions.report_register(
            report=report, matter=report.matter, acting_user=officer
        )
    step = last_step(report)
    assert step.kind == Step.Kind.REVOKED and step.actor == sealed["head"]
    assert words(report, step) == {"officer": officer.pk}
    assert trail(report)[-2:] == ["grant.revoked", "step.revoked"]


def test_a_grant_is_withdrawn_once(sealed):
    report = submit(sealed.district).report
    grant = give(sealed, report, "officer")
    actions.grant_revoke(grant=grant, acting_user=sealed["head"])
    with pytest.raises(ConflictError):
        actions.grant_revoke(grant=grant, acting_user=sealed["head"])


@pytest.mark.parametrize("by", ["officer", "officer2", "custodian", "city_head"])
def test_only_the_head_withdraws_a_grant(sealed, by):
    report = submit(sealed.district).report
    grant = give(sealed, report, "officer")
    with pytest.raises(PermissionDeniedError):
        actions.grant_revoke(grant=grant, acting_user=sealed[by])
    assert permissions.may_read(sealed["officer"], report)


def test_a_withdrawn_officer_may_be_assigned_again(sealed):
    report = submit(sealed.district).report
    grant = give(sealed, report, "officer")
    actions.grant_revoke(grant=grant, acting_user=sealed["head"])
    give(sealed, report, "officer")
    assert permissions.may_read(sealed["officer"], report)
    assert Grant.objects.filter(report=report).count() == 2


def test_an_ended_post_ends_the_access_its_grants_gave(sealed):
    report = granted(sealed, submit(sealed.district).report)
    post = Post.objects.get(user=sealed["officer"], kind=Post.Kind.OFFICER)
    actions.post_end(post=post)
    officer = User.objects.get(pk=sealed["officer"].pk)  # the next request's user
    assert not permissions.may_read(officer, report)
    assert list(selectors.granted_reports(officer)) == []
    assert officer not in selectors.grantable_officers(report)


def test_officers_see_only_the_reports_granted_to_them(sealed):
    mine = granted(sealed, submit(sealed.district).report)
    other = granted(sealed, submit(sealed.district).report, "officer2")
    unassigned = submit(sealed.district).report
    assert list(selectors.granted_reports(sealed["officer"])) == [mine]
    assert list(selectors.granted_reports(sealed["officer2"])) == [other]
    assert selectors.report_for(sealed["officer"], other.number) is None
    assert selectors.report_for(sealed["officer"], unassigned.number) is None
    # The head keeps the docket of all three, and reads none of them.
    assert set(selectors.docket(sealed["head"], sealed.district)) == {
        mine,
        other,
        unassigned,
    }
    assert list(selectors.granted_reports(sealed["head"])) == []


def test_a_head_keeps_only_their_own_body_s_docket(sealed):
    report = submit(sealed.district).report
    assert selectors.docket_entry(sealed["head"], report.number) == report
    assert list(selectors.docket(sealed["city_head"], sealed.district)) == []
    assert list(selectors.docket(sealed["officer"], sealed.district)) == []
    assert selectors.docket_entry(sealed["city_head"], report.number) is None
    assert selectors.rollup(sealed["city_head"], sealed.district, 2026, 2).total == 0


@pytest.fixture
def a_busy_channel(sealed, time_machine):
    """Reports in every body, granted, with an identity request and an alert."""
    reports = [
        granted(sealed, submit(sealed.district, **real_name()).report),
        granted(sealed, submit(sealed.city).report, "city_officer"),
        granted(sealed, submit(sealed.street).report, "street_officer"),
        submit(sealed.district, about_principal=True).report,
    ]
    actions.identity_request(
        report=reports[0], reason="核实", acting_user=sealed["officer"]
    )
    time_machine.move_to(
        timezone.localtime(reports[0].decide_due_at) + timedelta(hours=1),
        tick=False,
    )
    assert actions.alerts_sweep() > 0
    return reports


def sees_nothing(user, sealed, reports):
    assert list(selectors.granted_reports(user)) == []
    assert list(selectors.alerts_for(user)) == []
    assert list(selectors.identity_requests_for_custodian(user)) == []
    for kinds in (permissions.HANDLERS, (Post.Kind.CUSTODIAN,), tuple(Post.Kind)):
        assert list(selectors.bodies_for(user, kinds)) == []
    for body in (sealed.city, sealed.district, sealed.street):
        assert list(selectors.docket(user, body)) == []
        assert selectors.rollup(user, body, 2026, 1).total == 0
    for report in reports:
        assert selectors.report_for(user, report.number) is None
        assert selectors.docket_entry(user, report.number) is None
        assert not permissions.may_read(user, report)
        assert not permissions.may_grant(user, report)
        with pytest.raises(PermissionDeniedError):
            actions.report_open(report=report, acting_user=user)
        with pytest.raises(PermissionDeniedError):
            actions.identity_reveal(report=report, acting_user=user)
    assert not permissions.in_channel(user)


def test_the_superuser_sees_nothing(sealed, a_busy_channel):
    superuser = sealed["superuser"]
    assert superuser.is_superuser
    sees_nothing(superuser, sealed, a_busy_channel)


def test_nobody_of_the_house_sees_anything(sealed, people, a_busy_channel):
    for user in people.values():
        sees_nothing(user, sealed, a_busy_channel)


def test_a_grant_row_opens_nothing_to_someone_without_a_post(
    sealed, people, a_busy_channel
):
    report = a_busy_channel[0]
    for user in [sealed["superuser"], *people.values()]:
        Grant.objects.create(
            report=report,
            officer=user,
            granted_by=sealed["head"],
            reason="误操作",
            granted_at=timezone.now(),
        )
        sees_nothing(user, sealed, a_busy_channel)
