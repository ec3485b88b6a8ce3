"""Leaders' 分包, meetings and the services for new employment groups,
through the actions: who may assign, what a leader's page counts (equal to a
direct count), decisions kept to the meeting's area, stations kept to the
service's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Sum

from civicgrid.appeals.models import Appeal
from civicgrid.appeals.tests.conftest import catalogue as catalogue
from civicgrid.appeals.tests.conftest import submit as submit
from civicgrid.appeals.workflow import OPEN_STATES
from civicgrid.cobuilding import actions, selectors
from civicgrid.cobuilding.models import Contract, Decision, Meeting, Outreach
from civicgrid.core import clock
from civicgrid.core.errors import DomainError, PermissionDeniedError
from civicgrid.ledger.models import Place
from civicgrid.ledger.tests.conftest import ledger_people as ledger_people
from civicgrid.partybuilding.tests.conftest import pb as pb

pytestmark = pytest.mark.django_db


def test_only_the_streets_administrator_assigns_a_leader_an_area(pb, street):
    with pytest.raises(PermissionDeniedError):
        actions.contract_assign(
            leader=pb["leader"], area=street.east, acting_user=pb["dispatcher"]
        )
    with pytest.raises(DomainError) as refused:
        actions.contract_assign(
            leader=pb["dispatcher"], area=street.east, acting_user=pb["admin"]
        )
    assert refused.value.field == "leader"
    with pytest.raises(DomainError) as street_level:
        actions.contract_assign(
            leader=pb["leader"], area=street.street, acting_user=pb["admin"]
        )
    assert street_level.value.field == "area"
    assert not Contract.objects.exists()
    contract = actions.contract_assign(
        leader=pb["leader"], area=street.east, acting_user=pb["admin"]
    )
    with pytest.raises(DomainError):
        actions.contract_assign(
            leader=pb["leader"], area=street.east, acting_user=pb["admin"]
        )
    actions.contract_end(contract=contract, acting_user=pb["admin"])
    with pytest.raises(DomainError):
        actions.contract_end(contract=contract, acting_user=pb["admin"])
    # Handed back, it may be taken again.
    actions.contract_assign(
        leader=pb["leader"], area=street.east, acting_user=pb["admin"]
    )
    assert list(selectors.contracts_of(pb["leader"])) != [contract]


def test_what_is_open_in_a_leaders_area_equals_a_direct_count(pb, street, submit):
    submit()
    submit()
    west = submit(latitude=29.605, longitude=90.995)
    east = street.east
    figures = selectors.open_in(east)
    direct = Appeal.objects.filter(
        grid__path__startswith=east.path, state__in=list(OPEN_STATES)
    ).count()
    assert figures["appeals"] == direct
    assert direct >= 2 and (
        west.grid is None or not west.grid.path.startswith(east.path)
    )
    assert figures["overdue"] == 0
    with clock.at(clock.now() + dt.timedelta(days=30)):
        assert selectors.open_in(east)["overdue"] == direct


def test_a_decision_decides_a_problem_of_the_meetings_area_only(pb, street):
    west_problem = actions.problem_raise(
        data=actions.ProblemInput(
            title="西区停车难",
            description="晚上没有车位",
            field="facilities",
            area=street.west,
            survey="2026年居民需求调查",
        ),
        acting_user=pb["dispatcher"],
    )
    meeting = actions.meeting_record(
        data=actions.MeetingInput(
            kind=Meeting.Kind.JUDGEMENT,
            title="东区研判会",
            held_at=clock.now(),
            area=street.east,
            attendees=[pb["staff"]],
        ),
        acting_user=pb["staff"],
    )
    with pytest.raises(DomainError) as refused:
        actions.decision_add(
            meeting=meeting,
            acting_user=pb["staff"],
            text="立项",
            problem=west_problem,
        )
    assert refused.value.field == "problem"
    assert not Decision.objects.exists()
    with pytest.raises(PermissionDeniedError):
        actions.meeting_record(
            data=actions.MeetingInput(
                kind=Meeting.Kind.JOINT,
                title="街道联席会",
                held_at=clock.now(),
                area=street.street,
            ),
            acting_user=pb["staff"],  # a community's staff keep no street lists
        )


def test_a_service_at_a_station_of_another_community_is_refused(pb, street):
    west_station = Place.objects.create(
        kind=Place.Kind.SERVICE_STATION,
        name="西区驿站",
        grid=street.grids["w1"],
        lon=90.995,
        lat=29.605,
    )
    data = actions.OutreachInput(
        title="717骑士节",
        held_on=clock.today(),
        area=street.east,
        group=Outreach.Group.DELIVERY,
        served=126,
        services="免费体检",
        station=west_station,
    )
    with pytest.raises(DomainError) as refused:
        actions.outreach_record(data=data, acting_user=pb["dispatcher"])
    assert refused.value.field == "station"
    data.station = None
    actions.outreach_record(data=data, acting_user=pb["dispatcher"])
    data.group, data.served = Outreach.Group.COURIER, 40
    actions.outreach_record(data=data, acting_user=pb["dispatcher"])
    served = selectors.served_by_group(pb["dispatcher"])
    assert (
        served["delivery"]
        == Outreach.objects.filter(group="delivery").aggregate(n=Sum("served"))["n"]
    )
    assert served == {"delivery": 126, "courier": 40, "ride_hailing": 0, "truck": 0}
    assert selectors.served_by_group(pb["outsider"]) == dict.fromkeys(
        Outreach.Group.values, 0
    )
