"""The identity custodian (身份保管人): an officer holding a real-name report
asks to see who the reporter is; a custodian of the report's body — never the
one asking — approves or refuses, with a reason; the officer sees the
identity only after approval and while they still hold the report, every
time recorded. The custodian never sees it."""

from __future__ import annotations

import pytest

from civicgrid.core.errors import ConflictError, DomainError, PermissionDeniedError
from civicgrid.discipline import actions, permissions, selectors
from civicgrid.discipline.models import AuditEntry, Grant, IdentityRequest, Post

from .conftest import granted, real_name, submit, trail, valid_id_number

IDENTITY = {
    "name": "张三",
    "phone": "13800000000",
    "id_number": valid_id_number(),
    "address": "东嘎社区3号",
}


@pytest.fixture
def named(sealed):
    """A real-name report of the district, held by the officer."""
    return granted(sealed, submit(sealed.district, **real_name()).report)


def ask(sealed, report, who="officer", reason="需当面核实"):
    return actions.identity_request(
        report=report, reason=reason, acting_user=sealed[who]
    )


def decide(sealed, request, approve=True, who="custodian", reason="确有必要"):
    return actions.identity_decide(
        request=request, approve=approve, reason=reason, acting_user=sealed[who]
    )


def test_an_officer_holding_a_real_name_report_asks_with_a_reason(sealed, named):
    request = ask(sealed, named, reason=" 需当面核实 ")
    assert request.state == IdentityRequest.State.PENDING
    assert (request.officer, request.reason) == (sealed["officer"], "需当面核实")
    assert list(selectors.identity_requests_for_custodian(sealed["custodian"])) == [
        request
    ]
    assert list(selectors.my_identity_requests(sealed["officer"], named)) == [request]
    entry = AuditEntry.objects.get(action="identity.requested")
    assert entry.actor == sealed["officer"]
    assert entry.detail == {"request": request.pk}


def test_a_request_needs_a_reason(sealed, named):
    with pytest.raises(DomainError) as refused:
        ask(sealed, named, reason="")
    assert refused.value.field == "reason"


def test_an_anonymous_report_has_no_identity_to_ask_for(sealed):
    report = granted(sealed, submit(sealed.district).report)
    with pytest.raises(DomainError) as refused:
        ask(sealed, report)
    assert refused.value.field == "reason"
    assert not IdentityRequest.objects.exists()


@pytest.mark.parametrize(
    "who", ["officer2", "head", "custodian", "city_officer", "superuser"]
)
def test_only_an_officer_holding_the_report_asks(sealed, named, who):
    with pytest.raises(PermissionDeniedError):
        ask(sealed, named, who=who)
    assert not IdentityRequest.objects.exists()


def test_one_request_waits_per_officer(sealed, named):
    first = ask(sealed, named)
    with pytest.raises(ConflictError):
        ask(sealed, named)
    # Another officer holding it asks for themselves.
    granted(sealed, named, "officer2")
    ask(sealed, named, who="officer2")
    # Once decided, the officer may ask again.
    decide(sealed, first, approve=False)
    ask(sealed, named)
    assert IdentityRequest.objects.filter(officer=sealed["officer"]).count() == 2


def test_the_custodian_of_the_body_decides_with_a_reason(sealed, named):
    request = ask(sealed, named)
    decided = decide(sealed, request, reason=" 线索核查需要 ")
    assert decided.state == IdentityRequest.State.APPROVED
    assert decided.custodian == sealed["custodian"]
    assert decided.decision_reason == "线索核查需要"
    assert decided.decided_at is not None
    entry = AuditEntry.objects.get(action="identity.approved")
    assert entry.actor == sealed["custodian"]
    assert entry.detail == {"request": request.pk, "officer": sealed["officer"].pk}


def test_a_decision_needs_a_reason(sealed, named):
    request = ask(sealed, named)
    with pytest.raises(DomainError) as refused:
        decide(sealed, request, reason=" ")
    assert refused.value.field == "decision_reason"
    request.refresh_from_db()
    assert request.state == IdentityRequest.State.PENDING


@pytest.mark.parametrize(
    "who", ["officer2", "head", "city_custodian", "principal", "superuser"]
)
def test_only_a_custodian_of_the_report_s_body_decides(sealed, named, who):
    request = ask(sealed, named)
    with pytest.raises(PermissionDeniedError):
        decide(sealed, request, who=who)
    request.refresh_from_db()
    assert request.state == IdentityRequest.State.PENDING
    assert selectors.identity_request_for_custodian(sealed[who], request.pk) is None


def test_nobody_decides_their_own_request(sealed, named):
    officer2 = sealed["officer2"]
    actions.post_add(body=sealed.district, user=officer2, kind=Post.Kind.CUSTODIAN)
    granted(sealed, named, "officer2")
    request = ask(sealed, named, who="officer2")
    assert list(selectors.identity_requests_for_custodian(officer2)) == []
    with pytest.raises(PermissionDeniedError):
        decide(sealed, request, who="officer2")
    # The other custodian may.
    decide(sealed, request)


def test_a_request_is_decided_once(sealed, named):
    request = ask(sealed, named)
    stale = IdentityRequest.objects.get(pk=request.pk)
    decide(sealed, request, approve=False, reason="理由不足")
    with pytest.raises(ConflictError):
        decide(sealed, stale, approve=True)
    request.refresh_from_db()
    assert request.state == IdentityRequest.State.REFUSED


def test_the_officer_sees_the_identity_only_after_approval(sealed, named):
    officer = sealed["officer"]
    with pytest.raises(PermissionDeniedError):
        actions.identity_reveal(report=named, acting_user=officer)
    request = ask(sealed, named)
    with pytest.raises(PermissionDeniedError):
        actions.identity_reveal(report=named, acting_user=officer)
    decide(sealed, request)
    assert actions.identity_reveal(report=named, acting_user=officer) == IDENTITY
    assert not AuditEntry.objects.filter(
        action="identity.viewed", actor=sealed["custodian"]
    ).exists()


def test_a_refused_request_shows_nothing(sealed, named):
    decide(sealed, ask(sealed, named), approve=False, reason="理由不足")
    assert AuditEntry.objects.filter(action="identity.refused").count() == 1
    with pytest.raises(PermissionDeniedError):
        actions.identity_reveal(report=named, acting_user=sealed["officer"])


def test_every_view_of_the_identity_is_recorded(sealed, named):
    decide(sealed, ask(sealed, named))
    for _ in range(3):
        actions.identity_reveal(report=named, acting_user=sealed["officer"])
    viewed = AuditEntry.objects.filter(action="identity.viewed")
    assert viewed.count() == 3
    assert {(e.actor_id, e.report_id, str(e.detail)) for e in viewed} == {
        (sealed["officer"].pk, named.pk, "{}")
    }
    assert trail(named)[-3:] == ["identity.viewed"] * 3


def test_approval_is_for_the_officer_who_asked(sealed, named):
    granted(sealed, named, "officer2")
    decide(sealed, ask(sealed, named))
    with pytest.raises(PermissionDeniedError):
        actions.identity_reveal(report=named, acting_user=sealed["officer2"])


def test_the_identity_closes_when_the_grant_ends(sealed, named):
    decide(sealed, ask(sealed, named))
    grant = Grant.objects.get(report=named, officer=sealed["officer"])
    actions.grant_revoke(grant=grant, acting_user=sealed["head"])
    with pytest.raises(PermissionDeniedError):
        actions.identity_reveal(report=named, acting_user=sealed["officer"])
    assert not AuditEntry.objects.filter(action="identity.viewed").exists()


def test_the_identity_closes_when_the_report_goes_up(sealed, named):
    decide(sealed, ask(sealed, named))
    actions.report_refer(report=named, reason="属上级", acting_user=sealed["officer"])
    named.refresh_from_db()
    with pytest.raises(PermissionDeniedError):
        actions.identity_reveal(report=named, acting_user=sealed["officer"])


def test_a_custodian_can_never_see_the_identity(sealed, named):
    decide(sealed, ask(sealed, named))
    custodian = sealed["custodian"]
    with pytest.raises(PermissionDeniedError):
        actions.identity_reveal(report=named, acting_user=custodian)
    # Not with a grant row of their own, nor with an approved request of their own.
    Grant.objects.create(
        report=named,
        officer=custodian,
        granted_by=sealed["head"],
        reason="误操作",
        granted_at=named.received_at,
    )
    IdentityRequest.objects.create(
        report=named,
        officer=custodian,
        reason="误操作",
        requested_at=named.received_at,
        state=IdentityRequest.State.APPROVED,
        custodian=sealed["custodian"],
    )
    assert not permissions.may_see_identity(custodian, named)
    with pytest.raises(PermissionDeniedError):
        actions.identity_reveal(report=named, acting_user=custodian)
    with pytest.raises(PermissionDeniedError):
        actions.report_open(report=named, acting_user=custodian)


def test_the_custodian_s_queue_shows_only_their_body_s_requests(sealed, named):
    request = ask(sealed, named)
    city = granted(sealed, submit(sealed.city, **real_name()).report, "city_officer")
    city_request = ask(sealed, city, who="city_officer")
    assert list(selectors.identity_requests_for_custodian(sealed["custodian"])) == [
        request
    ]
    assert list(
        selectors.identity_requests_for_custodian(sealed["city_custodian"])
    ) == [city_request]
    for who in ("officer", "head", "city_head", "principal"):
        assert list(selectors.identity_requests_for_custodian(sealed[who])) == []
