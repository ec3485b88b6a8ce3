"""Every step, by everyone, on every share, at every stage of a whistle: the step
succeeds exactly when ``permissions.available_actions`` offers it (the page's
forms and what the API allows are the same answer), and a refused step changes
nothing — through the real steps, as the page and the API take them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from civicgrid.accounts.actions import membership_add
from civicgrid.accounts.models import Role
from civicgrid.core.errors import DomainError
from civicgrid.org.models import Department
from civicgrid.whistles import actions
from civicgrid.whistles.models import Summons, Whistle, WhistleType
from civicgrid.whistles.permissions import available_actions
from civicgrid.whistles.steps import STEPS
from civicgrid.whistles.workflow import (
    ACTION_STATES,
    SHARE_STATES,
    SHARE_TRANSITIONS,
    WHISTLE_TRANSITIONS,
)
from conftest import make_user

STAGES = ["summoned", "reported", "done", "scored", "finished", "closed"]


def _input(step: str, summons: Summons | None) -> dict[str, Any]:
    inputs: dict[str, dict[str, Any]] = {
        "check_in": {"attendees": "", "latitude": None, "longitude": None},
        "task": {"task": "清淤", "days": None},
        "share_done": {"note": "完成"},
        "score": {"report_in": 5, "handling": 4, "comment": ""},
        "feedback": {"justified": True, "well_run": 4, "comment": ""},
        "meeting": {
            "held_at": timezone.now(),
            "attendees": "各部门",
            "decisions": "周三前完成",
        },
        "progress": {"note": "进展"},
        "reply": {"reply": "汇总"},
        "close": {"reply": "已处置"},
    }
    share = {"summons": summons.pk} if summons is not None else {}
    return {**inputs[step], **share}


@pytest.fixture
def cast(street, departments, people) -> dict[str, Any]:
    police = Department.objects.create(
        code="paichusuo", name="派出所", area=street.street
    )
    officer = make_user("officer", "警官")
    membership_add(
        user=officer, role=Role.DEPARTMENT_HANDLER, department=police, acting_user=None
    )
    leader = make_user("leader", "王建国")
    membership_add(user=leader, role=Role.LEADER, area=street.street, acting_user=None)
    return {
        "street": street.street,
        "users": {
            "dispatcher": people["dispatcher"],
            "lead": people["handler_cg"],
            "other": people["handler_zj"],
            "officer": officer,
            "leader": leader,
            "superuser": make_user("boss", is_superuser=True),
        },
        "departments": [departments["cg"], departments["zj"], police],
    }


def _whistle_at(stage: str, cast: dict[str, Any]) -> Whistle:
    """A whistle on 城管 (lead), 住建 and 派出所: 城管's share at ``stage``, then
    every share done ("finished"), then the whistle closed."""
    users = cast["users"]
    kind = WhistleType.objects.create(
        code="emergency", name="应急", report_in_minutes=30
    )
    whistle = actions.whistle_blow(
        street=cast["street"],
        whistle_type=kind,
        title="河道淤堵",
        reason="需联合处置",
        departments=cast["departments"],
        lead=cast["departments"][0],
        acting_user=users["dispatcher"],
    )
    lead = whistle.summonses.get(is_lead=True)
    if stage == "summoned":
        return whistle
    actions.summons_check_in(summons=lead, acting_user=users["lead"])
    if stage == "reported":
        return whistle
    actions.summons_complete(summons=lead, acting_user=users["lead"], note="已清运")
    if stage == "done":
        return whistle
    actions.street_score(
        summons=lead, acting_user=users["dispatcher"], report_in=5, handling=5
    )
    actions.department_feedback(
        summons=lead, acting_user=users["lead"], justified=True, well_run=5
    )
    if stage == "scored":
        return whistle
    others = whistle.summonses.exclude(pk=lead.pk).order_by("pk")
    for summons, who in zip(others, ("other", "officer"), strict=True):
        actions.summons_check_in(summons=summons, acting_user=users[who])
        actions.summons_complete(summons=summons, acting_user=users[who], note="完成")
    if stage == "finished":
        return whistle
    actions.whistle_close(whistle=whistle, acting_user=users["dispatcher"], reply="完")
    return whistle


def _fresh(pk: int) -> Whistle:
    return Whistle.objects.select_related("street", "type", "appeal").get(pk=pk)


def _rows(whistle: Whistle) -> list[tuple[Any, ...]]:
    return [
        (s.state, s.checked_in_at, s.task, s.done_note)
        for s in whistle.summonses.order_by("pk")
    ] + [(whistle.state, whistle.consolidated_reply, whistle.events.count())]


@pytest.mark.parametrize("stage", STAGES)
def test_a_step_succeeds_exactly_when_it_is_offered(stage, cast):
    whistle = _whistle_at(stage, cast)
    disagreements = []
    for name, user in cast["users"].items():
        offered = available_actions(user, _fresh(whistle.pk))
        for step in ACTION_STATES:
            targets = (
                list(whistle.summonses.order_by("pk"))
                if step in SHARE_STATES
                else [None]
            )
            for summons in targets:
                expected = (
                    step in offered.on_share(summons)
                    if summons is not None
                    else step in offered.steps
                )
                # 事不完、人不撤: the page offers to close while shares are open,
                # and closing tells the street which they are.
                if step == "close" and stage not in ("finished", "closed"):
                    expected = False
                current = _fresh(whistle.pk)
                before = _rows(current)
                with transaction.atomic():
                    try:
                        STEPS[step](user, current, _input(step, summons))
                        outcome = True
                    except DomainError:
                        outcome = False
                        assert _rows(_fresh(whistle.pk)) == before, (name, step)
                    transaction.set_rollback(True)
                if outcome != expected:
                    where = summons.department.code if summons else "whistle"
                    disagreements.append(
                        f"{name} {step} on {where}: "
                        f"{'took' if outcome else 'refused'}, offered={expected}"
                    )
    assert not disagreements, "\n".join(disagreements)


def test_an_outsider_is_offered_nothing(cast, people):
    whistle = _whistle_at("reported", cast)
    offered = available_actions(people["outsider"], whistle)
    assert not offered.steps and not any(offered.shares.values())


def test_the_tables_have_every_state_and_only_known_targets():
    whistle_states = {s.value for s in Whistle.State}
    share_states = {s.value for s in Summons.State}
    assert set(WHISTLE_TRANSITIONS) == whistle_states
    assert set(SHARE_TRANSITIONS) == share_states
    for targets in WHISTLE_TRANSITIONS.values():
        assert targets <= whistle_states
    for targets in SHARE_TRANSITIONS.values():
        assert targets <= share_states
    assert not WHISTLE_TRANSITIONS["closed"] and not SHARE_TRANSITIONS["done"]
    assert set(SHARE_STATES) <= set(ACTION_STATES)
    assert set(STEPS) == set(ACTION_STATES)
