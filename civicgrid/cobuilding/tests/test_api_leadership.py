"""Leaders' areas, meetings and riders' services over the API: recorded and
read through the same actions and selectors as the pages; an outsider reads
nothing and gets 404 on a meeting."""

from __future__ import annotations

import pytest

from civicgrid.api.testing import api_client as api
from civicgrid.appeals.tests.conftest import catalogue as catalogue
from civicgrid.appeals.tests.conftest import submit as submit
from civicgrid.cobuilding import actions
from civicgrid.cobuilding.models import Decision, Meeting, Outreach
from civicgrid.core import clock
from civicgrid.ledger.tests.conftest import ledger_people as ledger_people
from civicgrid.partybuilding.tests.conftest import pb as pb

pytestmark = pytest.mark.django_db

ROOT = "/api/cobuilding/"


def test_a_meeting_is_recorded_and_decides_a_problem(pb, street):
    problem = actions.problem_raise(
        data=actions.ProblemInput(
            title="背街小巷路灯不亮",
            description="反复反映",
            field="facilities",
            area=street.east,
            survey="2026年居民需求调查",
        ),
        acting_user=pb["dispatcher"],
    )
    dispatcher = api(pb["dispatcher"])
    refused = dispatcher.post(
        f"{ROOT}meetings/",
        {
            "kind": "joint",
            "title": "联席会",
            "held_at": clock.now().isoformat(),
            "area": street.grids["e1"].pk,
        },
        format="json",
    )
    assert refused.status_code == 400 and "area" in refused.json()["error"]["fields"]
    assert not Meeting.objects.exists()
    made = dispatcher.post(
        f"{ROOT}meetings/",
        {
            "kind": "joint",
            "title": "第三季度联席会",
            "held_at": clock.now().isoformat(),
            "area": street.street.pk,
            "chair": pb["leader"].pk,
            "present": [pb["staff"].pk, pb["dispatcher"].pk],
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    meeting = made.json()
    assert len(meeting["present"]) == 2
    decided = dispatcher.post(
        f"{ROOT}meetings/{meeting['id']}/decisions/",
        {"text": "立项改造路灯", "problem": problem.pk},
        format="json",
    )
    assert decided.status_code == 201
    assert decided.json()["decisions"][0]["problem"] == problem.pk
    assert Decision.objects.get().problem == problem

    outsider = api(pb["outsider"])
    assert outsider.get(f"{ROOT}meetings/").json()["results"] == []
    assert outsider.get(f"{ROOT}meetings/{meeting['id']}/").status_code == 404
    assert (
        outsider.post(
            f"{ROOT}meetings/{meeting['id']}/decisions/",
            {"text": "x"},
            format="json",
        ).status_code
        == 404
    )


def test_riders_services_are_recorded_and_counted(pb, street):
    dispatcher = api(pb["dispatcher"])
    made = dispatcher.post(
        f"{ROOT}new-employment/",
        {
            "title": "717骑士节",
            "held_on": clock.today().isoformat(),
            "area": street.east.pk,
            "group": "delivery",
            "served": 126,
            "services": "免费体检、理发、饮水、充电",
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    assert Outreach.objects.get().served == 126
    served = dispatcher.get(f"{ROOT}new-employment/served/").json()
    assert served["delivery"] == 126 and served["courier"] == 0
    assert api(pb["outsider"]).get(f"{ROOT}new-employment/served/").json() == {
        "delivery": 0,
        "courier": 0,
        "ride_hailing": 0,
        "truck": 0,
    }


def test_a_leader_reads_what_is_open_in_their_areas(pb, street, submit):
    submit()
    actions.contract_assign(
        leader=pb["leader"], area=street.east, acting_user=pb["admin"]
    )
    answer = api(pb["leader"]).get(f"{ROOT}leaders/").json()
    assert [c["area"] for c in answer["mine"]] == [street.east.pk]
    assert answer["mine"][0]["open"]["appeals"] == 1
    assert api(pb["outsider"]).get(f"{ROOT}leaders/").json() == {
        "mine": [],
        "street": [],
    }
