"""The transition table of the 2020 rules and the compare-and-set that moves a
report along it; and, for every state, that each step not open to it is
refused without a trace."""

from __future__ import annotations

import pytest

from civicgrid.core.errors import ConflictError, DomainError, PermissionDeniedError
from civicgrid.discipline import actions, steps, workflow
from civicgrid.discipline.models import Disposal, Report

from .conftest import bring, granted, submit

S = Report.State


def test_the_table_names_only_states():
    assert set(workflow.TRANSITIONS) <= set(S.values)
    for targets in workflow.TRANSITIONS.values():
        assert targets <= set(S.values)
    # Every state is reached and (but for none) left.
    reached = set().union(*workflow.TRANSITIONS.values())
    assert reached == set(S.values)
    assert set(workflow.TRANSITIONS) == set(S.values)
    assert set(workflow.REFERABLE) <= set(workflow.OPEN)


def test_move_writes_the_fields_and_returns_the_old_state(sealed):
    report = submit(sealed.district).report
    old = workflow.move(report, S.REGISTERED, matter="other")
    assert old == S.RECEIVED
    assert (report.state, report.matter) == (S.REGISTERED, "other")
    report.refresh_from_db()
    assert (report.state, report.matter) == (S.REGISTERED, "other")


def test_an_illegal_move_is_a_domain_error_on_the_state(sealed):
    report = submit(sealed.district).report
    with pytest.raises(DomainError) as refused:
        workflow.move(report, S.CONCLUDED)
    assert refused.value.field == "state"
    assert not isinstance(refused.value, ConflictError)
    report.refresh_from_db()
    assert report.state == S.RECEIVED


def test_a_lost_race_is_a_conflict_not_an_overwrite(sealed):
    report = submit(sealed.district).report
    stale = Report.objects.get(pk=report.pk)
    workflow.move(report, S.REGISTERED, matter="other")
    # The stale copy still says "received", from which registering is legal.
    with pytest.raises(ConflictError):
        workflow.move(stale, S.REGISTERED, matter="criticism")
    report.refresh_from_db()
    assert report.matter == "other"


def test_a_report_sent_up_meanwhile_is_a_conflict_for_a_stale_copy(sealed):
    report = submit(sealed.district).report
    stale = Report.objects.get(pk=report.pk)
    workflow.move(report, S.RECEIVED, body=sealed.city)
    with pytest.raises(ConflictError):
        workflow.move(stale, S.REGISTERED)
    report.refresh_from_db()
    assert (report.body, report.state) == (sealed.city, S.RECEIVED)


def test_an_action_on_a_stale_copy_reads_the_report_afresh(sealed):
    report = granted(sealed, submit(sealed.district).report)
    stale = Report.objects.get(pk=report.pk)
    officer = sealed["officer"]
    actions.report_register(report=report, matter=report.matter, acting_user=officer)
    with pytest.raises(DomainError):
        actions.report_register(report=stale, matter="other", acting_user=officer)
    report.refresh_from_db()
    assert report.matter == "duty_violation"
    assert report.steps.filter(kind="registered").count() == 1


# --- every step, from every state ------------------------------------------------


def _run(name, report, user):
    if name == "register":
        actions.report_register(report=report, matter="other", acting_user=user)
    elif name == "accept":
        actions.report_accept(report=report, notice="受理", acting_user=user)
    elif name == "not_accept":
        actions.report_not_accept(
            report=report, reason="不属受理范围", go_to="review", acting_user=user
        )
    elif name == "refer":
        actions.report_refer(report=report, reason="属上级管辖", acting_user=user)
    elif name == "dispose":
        actions.report_dispose(report=report, disposal=Disposal.TALK, acting_user=user)
    elif name == "conclude":
        actions.report_conclude(report=report, result="办结", acting_user=user)
    elif name == "feed_back":
        actions.report_feed_back(report=report, result="反馈", acting_user=user)
    elif name == "reopen":
        actions.report_reopen(report=report, reason="新证据", acting_user=user)
    elif name == "uphold":
        actions.objection_uphold(report=report, answer="维持", acting_user=user)
    elif name == "object":
        actions.reporter_object(report=report, text="不服")
    else:  # pragma: no cover
        raise AssertionError(name)


OPEN_FROM = {
    "register": {S.RECEIVED},
    "accept": {S.REGISTERED},
    "not_accept": {S.REGISTERED},
    "refer": {S.RECEIVED, S.REGISTERED},
    "dispose": {S.ACCEPTED},  # and a report held for later: test_handling
    "conclude": {S.DISPOSED},
    "feed_back": {S.CONCLUDED},
    "reopen": {S.OBJECTED},
    "uphold": {S.OBJECTED},
    "object": {S.FED_BACK, S.NOT_ACCEPTED},
}
STATES = [
    S.RECEIVED,
    S.REGISTERED,
    S.ACCEPTED,
    S.NOT_ACCEPTED,
    S.DISPOSED,
    S.CONCLUDED,
    S.FED_BACK,
    S.OBJECTED,
    "objected_not_accepted",
]
CLOSED = [
    (name, state)
    for name, states in OPEN_FROM.items()
    for state in STATES
    if (S.OBJECTED if state == "objected_not_accepted" else state) not in states
]


@pytest.mark.parametrize(("name", "state"), CLOSED)
def test_a_step_not_open_to_the_state_is_refused_and_leaves_no_trace(
    sealed, name, state
):
    report = bring(sealed, state)
    before = Report.objects.values().get(pk=report.pk)
    steps_before = report.steps.count()
    with pytest.raises(DomainError) as refused:
        _run(name, report, sealed["officer"])
    assert not isinstance(refused.value, (ConflictError, PermissionDeniedError))
    assert Report.objects.values().get(pk=report.pk) == before
    assert report.steps.count() == steps_before


OPEN = [
    (name, state)
    for name, states in OPEN_FROM.items()
    for state in STATES
    if (S.OBJECTED if state == "objected_not_accepted" else state) in states
]


@pytest.mark.parametrize(("name", "state"), OPEN)
def test_a_step_open_to_the_state_is_taken(sealed, name, state):
    report = bring(sealed, state)
    _run(name, report, sealed["officer"])
    report.refresh_from_db()
    assert report.state != (S.OBJECTED if "objected" in state else state) or (
        name == "refer"
    )


@pytest.mark.parametrize("state", STATES)
def test_the_case_page_offers_exactly_the_steps_the_actions_take(sealed, state):
    """steps.open_steps (what the page shows) agrees with the actions."""
    report = bring(sealed, state)
    offered = {step.slug for step in steps.open_steps(report)} - {"message"}
    plain = S.OBJECTED if state == "objected_not_accepted" else state
    expected = {
        name.replace("_", "-")
        for name, states in OPEN_FROM.items()
        if plain in states and name != "object"
    }
    assert offered == expected
