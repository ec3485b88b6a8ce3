"""The rules hold past the step that set them: the principal rule where a
report goes up, a request to see a reporter's identity and an approval that
end with the grant or the body they were made in, grants that end with their
post, a closed report that takes no more messages, and every receipt tried —
well-formed or not — written down."""

from __future__ import annotations

import pytest

from civicgrid.core.errors import DomainError, PermissionDeniedError
from civicgrid.discipline import actions, permissions, selectors
from civicgrid.discipline.models import AuditEntry, IdentityRequest, Post, Report

from .conftest import bring, granted, real_name, submit

S = Report.State


def test_a_street_report_naming_the_district_principal_passes_the_district_by(
    sealed,
):
    """Lodged with the street, it names the district's principal: sent up, it
    goes past the district to the city, and the principal's office never
    sees it."""
    report = granted(
        sealed,
        submit(sealed.street, accused_name="罗布次仁").report,
        "street_officer",
    )
    assert report.concerns_principal_of is None  # the street's principal it is not
    actions.report_refer(
        report=report, reason="属上级管辖", acting_user=sealed["street_officer"]
    )
    report.refresh_from_db()
    assert report.body == sealed.city
    assert report.concerns_principal_of == sealed.district
    for who in ("principal", "office", "head"):
        assert report not in selectors.docket(sealed[who], sealed.district)
    assert report in selectors.docket(sealed["city_head"], sealed.city)
    entry = AuditEntry.objects.get(report=report, action="report.referred")
    assert entry.detail["principal_of"] == str(sealed.district.pk)


def test_a_pending_identity_request_is_withdrawn_when_the_report_goes_up(sealed):
    report = bring(sealed, S.RECEIVED, **real_name())
    request = actions.identity_request(
        report=report, reason="需回访", acting_user=sealed["officer"]
    )
    actions.report_refer(
        report=report, reason="属上级管辖", acting_user=sealed["officer"]
    )
    request.refresh_from_db()
    assert request.state == IdentityRequest.State.WITHDRAWN
    assert request.custodian is None
    # Neither custodian queue offers it any more.
    for who in ("custodian", "city_custodian"):
        pending = selectors.identity_requests_for_custodian(sealed[who]).filter(
            state=IdentityRequest.State.PENDING
        )
        assert request not in pending


def test_an_approval_ends_with_the_grant_it_was_asked_under(sealed):
    report = bring(sealed, S.REGISTERED, **real_name())
    officer = sealed["officer"]
    request = actions.identity_request(
        report=report, reason="需回访", acting_user=officer
    )
    actions.identity_decide(
        request=request, approve=True, reason="同意", acting_user=sealed["custodian"]
    )
    assert permissions.may_see_identity(officer, report)
    grant = report.grants.get(officer=officer, revoked_at__isnull=True)
    actions.grant_revoke(grant=grant, acting_user=sealed["head"])
    granted(sealed, report)  # given back later
    assert not permissions.may_see_identity(officer, report)
    with pytest.raises(PermissionDeniedError):
        actions.identity_reveal(report=report, acting_user=officer)


def test_ending_the_last_handling_post_ends_the_grants_of_that_body(sealed):
    report = bring(sealed, S.REGISTERED)
    officer = sealed["officer"]
    post = Post.objects.get(user=officer, body=sealed.district, ended_at__isnull=True)
    actions.post_end(post=post)
    assert not report.grants.filter(officer=officer, revoked_at__isnull=True).exists()
    # Given the post again, the officer holds nothing until a head grants.
    actions.post_add(body=sealed.district, user=officer, kind=Post.Kind.OFFICER)
    assert not permissions.may_read(officer, report)
    entry = AuditEntry.objects.filter(action="post.ended").latest("seq")
    assert entry.detail["grants_ended"] == 1


@pytest.mark.parametrize("state", [S.FED_BACK, S.NOT_ACCEPTED])
def test_a_closed_report_takes_an_objection_not_a_message(sealed, state):
    report = bring(sealed, state)
    with pytest.raises(DomainError) as refused:
        actions.reporter_message(report=report, text="还有一事")
    assert refused.value.field == "text"
    actions.reporter_object(report=report, text="我不同意")


@pytest.mark.parametrize("typed", ["12345", "abcd efgh ijkl mnop", ""])
def test_a_malformed_receipt_is_written_down_too(sealed, typed):
    before = AuditEntry.objects.filter(action="receipt.refused").count()
    assert actions.receipt_open(receipt=typed) is None
    entry = AuditEntry.objects.filter(action="receipt.refused").latest("seq")
    assert AuditEntry.objects.filter(action="receipt.refused").count() == before + 1
    assert entry.detail == {} and entry.actor_label == "reporter"


def test_the_platform_sending_a_report_up_is_not_said_to_be_the_reporter(sealed):
    report = actions.report_submit(
        body=sealed.district,
        channel="letter",
        matter="duty_violation",
        accused_name="某某",
        accused_unit="某局",
        what="x",
        about_principal=True,
        acting_user=sealed["officer"],
    ).report
    entry = AuditEntry.objects.get(report=report, action="step.referred")
    assert entry.actor_label == "system"
