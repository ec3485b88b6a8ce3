"""Exclusion reviews (核减), formula versions and published periods."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from civicgrid.appeals import actions as appeal_actions
from civicgrid.core import clock
from civicgrid.core.errors import ConflictError, DomainError, PermissionDeniedError
from civicgrid.metrics import actions, selectors
from civicgrid.metrics.models import Exclusion, Fact
from civicgrid.metrics.tests.test_engine import summed_as_counted

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate(clock.now())


def department_counts(street, department):
    found = selectors.facts(
        street=street.street, start=today(), end=today(), department=department.pk
    )
    (figures,) = selectors.figures(found).values()
    return figures


def test_an_approved_exclusion_leaves_the_reviewed_figures_only(
    bring, staff, street, departments
):
    appeal = bring("closed")
    bring("closed")
    share = appeal.assignments.get(role="lead")
    before = department_counts(street, departments["cg"])
    assert before.raw == before.reviewed and before.raw.callbacks == 2
    request = actions.exclusion_request(
        assignment=share,
        acting_user=staff["handler_cg"],
        reason="诉求人反复投诉同一事项",
    )
    assert department_counts(street, departments["cg"]).reviewed.callbacks == 2
    actions.exclusion_decide(
        exclusion=request, acting_user=staff["dispatcher"], approve=True
    )
    after = department_counts(street, departments["cg"])
    assert after.raw == before.raw  # the raw figure keeps it
    assert after.reviewed.callbacks == 1
    assert after.reviewed.responses == before.reviewed.responses - 1
    # dispatch, response, completion and callback
    assert Fact.objects.filter(assignment=share, excluded=True).count() == 4
    summed_as_counted(street, today(), today())


def test_only_the_unit_asks_and_only_the_dispatcher_decides(bring, staff, departments):
    share = bring("closed").assignments.get(role="lead")
    with pytest.raises(PermissionDeniedError):
        actions.exclusion_request(
            assignment=share, acting_user=staff["handler_zj"], reason="x"
        )
    with pytest.raises(DomainError) as no_reason:
        actions.exclusion_request(
            assignment=share, acting_user=staff["handler_cg"], reason="  "
        )
    assert no_reason.value.field == "reason"
    request = actions.exclusion_request(
        assignment=share, acting_user=staff["handler_cg"], reason="恶意诉求"
    )
    with pytest.raises(ConflictError):  # one live request per share
        actions.exclusion_request(
            assignment=share, acting_user=staff["handler_cg"], reason="again"
        )
    with pytest.raises(PermissionDeniedError):
        actions.exclusion_decide(
            exclusion=request, acting_user=staff["handler_cg"], approve=True
        )
    with pytest.raises(DomainError) as unexplained:
        actions.exclusion_decide(
            exclusion=request, acting_user=staff["dispatcher"], approve=False
        )
    assert unexplained.value.field == "note"
    refused = actions.exclusion_decide(
        exclusion=request,
        acting_user=staff["dispatcher"],
        approve=False,
        note="属正常诉求",
    )
    assert refused.state == Exclusion.State.REFUSED
    assert not Fact.objects.filter(excluded=True).exists()
    with pytest.raises(ConflictError):  # decided already
        actions.exclusion_decide(
            exclusion=request, acting_user=staff["dispatcher"], approve=True
        )
    # After a refusal the unit may ask again, with more to say.
    actions.exclusion_request(
        assignment=share, acting_user=staff["handler_cg"], reason="补充证据"
    )


def test_a_published_period_keeps_its_formula(
    bring, staff, street, departments, time_machine
):
    bring("closed")
    appeal = bring("replied")
    appeal_actions.appeal_callback(
        appeal=appeal, acting_user=None, resolved=False, satisfaction="unsatisfied"
    )
    day = today()
    time_machine.move_to(clock.now() + timedelta(days=1))
    published = actions.period_publish(
        street=street.street, start=day, end=day, acting_user=staff["dispatcher"]
    )
    first = published.figures["department"][0]["reviewed"]["score"]
    assert published.formula.number == 1
    newer = actions.formula_create(
        acting_user=staff["dispatcher"],
        w_response=Decimal("1"),
        w_resolution=Decimal("0"),
        w_satisfaction=Decimal("0"),
        w_on_time=Decimal("0"),
        w_no_return=Decimal("0"),
        w_no_rehandle=Decimal("0"),
        red_at_least=Decimal("95"),
        black_below=Decimal("60"),
        note="只看响应率",
    )
    assert newer.number == 2 and selectors.current_formula() == newer
    now_scored = selectors.ranking(
        street=street.street, start=day, end=day, by="department", formula=newer
    )[0]["reviewed"]["score"]
    assert now_scored == pytest.approx(100.0) != pytest.approx(first)
    published.refresh_from_db()
    assert published.figures["department"][0]["reviewed"]["score"] == first
    assert published.formula.number == 1
    with pytest.raises(ConflictError):
        actions.period_publish(
            street=street.street, start=day, end=day, acting_user=staff["dispatcher"]
        )
    with pytest.raises(DomainError):  # not over yet
        actions.period_publish(
            street=street.street,
            start=today(),
            end=today(),
            acting_user=staff["dispatcher"],
        )
    with pytest.raises(PermissionDeniedError):
        actions.period_publish(
            street=street.street, start=day, end=day, acting_user=staff["handler_cg"]
        )
