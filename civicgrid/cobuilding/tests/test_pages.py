"""The three lists' pages call the actions and say what they did: a
dispatcher lifts two appeals into the problem list, starts a project, pledges
a unit's resource from the problem's matches in one click, notes progress
with a photo and completes it — the appeals' residents read it on their
page. An outsider gets 404 on every page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from civicgrid.appeals.models import CaseEvent
from civicgrid.appeals.tests.conftest import catalogue as catalogue
from civicgrid.appeals.tests.conftest import submit as submit
from civicgrid.cobuilding import actions
from civicgrid.cobuilding.models import Problem, Project, Resource
from civicgrid.core import clock
from civicgrid.ledger.tests.conftest import ledger_people as ledger_people
from civicgrid.notifications.models import Notification
from civicgrid.partybuilding.tests.conftest import jpeg
from civicgrid.partybuilding.tests.conftest import media as media
from civicgrid.partybuilding.tests.conftest import pb as pb

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def lamps(submit):
    return [submit(), submit(description="路灯又不亮了，小巷里很黑。")]


def _unit_resource(pb, street, **extra) -> Resource:
    return actions.resource_add(
        data=actions.ResourceInput(
            title="电工志愿服务",
            kind=Resource.Kind.HOURS,
            field="facilities",
            quantity=extra.pop("quantity", 20),
            measure="小时/月",
            area=street.east,
            provider_kind=Resource.Provider.UNIT,
            unit=pb["unit"],
            **extra,
        ),
        acting_user=pb["staff"],
    )


def test_a_dispatcher_carries_two_appeals_to_a_completed_project(
    client, pb, street, lamps, media
):
    dispatcher = pb["dispatcher"]
    client.force_login(dispatcher)
    codes = " ".join(a.tracking_code for a in lamps)
    form = client.get(reverse("cobuilding:problem_new") + f"?appeal={codes[:12]}")
    assert lamps[0].tracking_code in form.content.decode()
    missing = client.post(
        reverse("cobuilding:problem_new"),
        {"title": "背街小巷路灯不亮", "description": "两条小巷", "field": "facilities"},
    )
    assert missing.status_code == 400 and not Problem.objects.exists()
    done = client.post(
        reverse("cobuilding:problem_new"),
        {
            "title": "背街小巷路灯不亮",
            "description": "同一条小巷三个月里反复反映路灯不亮。",
            "field": "facilities",
            "area": street.east.pk,
            "appeals": codes,
        },
        follow=True,
    )
    problem = Problem.objects.get()
    assert done.redirect_chain[-1][0] == reverse(
        "cobuilding:problem", args=[problem.pk]
    )
    assert "is on the problem list" in " ".join(_messages(done))
    assert problem.sources.count() == 2

    resource = _unit_resource(pb, street, quantity=5)
    started = client.post(
        reverse("cobuilding:problem_step", args=[problem.pk, "start"]),
        {
            "title": "背街小巷路灯改造",
            "owner": pb["staff"].pk,
            "due_on": (clock.today() + dt.timedelta(days=30)).isoformat(),
            "milestones": f"{clock.today().isoformat()} 排查线路",
        },
        follow=True,
    )
    project = Project.objects.get()
    assert started.redirect_chain[-1][0] == reverse(
        "cobuilding:project", args=[project.pk]
    )

    page = client.get(reverse("cobuilding:problem", args=[problem.pk])).content.decode()
    assert resource.title in page and "pledge" in page
    too_many = client.post(
        reverse("cobuilding:project_step", args=[project.pk, "pledge"]),
        {"resource": resource.pk, "quantity": 6, "back": problem.pk},
    )
    assert too_many.status_code == 400
    assert "Only 5" in too_many.content.decode()
    pledged = client.post(
        reverse("cobuilding:project_step", args=[project.pk, "pledge"]),
        {"resource": resource.pk, "quantity": 3, "back": problem.pk},
        follow=True,
    )
    assert pledged.redirect_chain[-1][0] == reverse(
        "cobuilding:problem", args=[problem.pk]
    )
    resource.refresh_from_db()
    assert resource.pledged == 3

    client.post(
        reverse("cobuilding:project_step", args=[project.pk, "progress"]),
        {"text": "已更换灯头12个。", "photos": [jpeg()]},
    )
    note = project.notes.get()
    assert len(note.photos) == 1
    thumb = client.get(
        reverse("cobuilding:note_photo", args=[project.pk, note.pk, 1, "thumb"])
    )
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"

    early = client.post(
        reverse("cobuilding:project_step", args=[project.pk, "complete"]),
        {"summary": "路灯全部修好"},
    )
    assert early.status_code == 400 and "排查线路" in early.content.decode()
    client.post(
        reverse("cobuilding:project_step", args=[project.pk, "milestone"]),
        {"milestone": project.milestones.get().pk},
    )
    completed = client.post(
        reverse("cobuilding:project_step", args=[project.pk, "complete"]),
        {"summary": "两条小巷的路灯全部修好。"},
        follow=True,
    )
    assert "the residents of 2 appeals were told" in " ".join(_messages(completed))
    project.refresh_from_db()
    assert project.state == Project.State.COMPLETED
    assert CaseEvent.objects.filter(action="project_done", public=True).count() == 2
    assert Notification.objects.filter(event="appeal.project_done").count() == 2

    evaluated = client.post(
        reverse("cobuilding:project_step", args=[project.pk, "evaluate"]),
        {"verdict": "satisfied", "heard": "meeting", "residents": 12},
        follow=True,
    )
    assert "12 satisfied" in evaluated.content.decode()


def test_the_lists_print_with_their_counters(client, pb, street, lamps):
    actions.problem_raise(
        data=actions.ProblemInput(
            title="老年人理发难",
            description="独居老人出门理发不便。",
            field="elderly",
            area=street.east,
            survey="2026年居民需求调查",
        ),
        acting_user=pb["staff"],
    )
    _unit_resource(pb, street)
    client.force_login(pb["leader"])
    for name in ("cobuilding:problems", "cobuilding:resources", "cobuilding:projects"):
        page = client.get(reverse(name))
        assert page.status_code == 200
        text = page.content.decode()
        assert "window.print()" in text and "The three lists: 2 items" in text


def test_an_outsider_gets_404_on_every_page(client, pb, street, lamps, media):
    problem = actions.problem_raise(
        data=actions.ProblemInput(
            title="背街小巷路灯不亮",
            description="反复反映",
            field="facilities",
            area=street.east,
            appeals=lamps,
        ),
        acting_user=pb["dispatcher"],
    )
    resource = _unit_resource(pb, street)
    project = actions.project_start(
        problem=problem,
        data=actions.ProjectInput(
            title="改造", owner=pb["staff"], due_on=clock.today()
        ),
        acting_user=pb["dispatcher"],
    )
    note = actions.progress_note(
        project=project, acting_user=pb["staff"], text="开工", photos=[jpeg()]
    )
    client.force_login(pb["outsider"])
    urls = [
        reverse("cobuilding:index"),
        reverse("cobuilding:problems"),
        reverse("cobuilding:problem_new"),
        reverse("cobuilding:problem", args=[problem.pk]),
        reverse("cobuilding:resources"),
        reverse("cobuilding:resource_new"),
        reverse("cobuilding:resource", args=[resource.pk]),
        reverse("cobuilding:projects"),
        reverse("cobuilding:project", args=[project.pk]),
        reverse("cobuilding:note_photo", args=[project.pk, note.pk, 1, "full"]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("cobuilding:problem_step", args=[problem.pk, "close"]),
        reverse("cobuilding:project_step", args=[project.pk, "cancel"]),
        reverse("cobuilding:resource_withdraw", args=[resource.pk]),
    ]
    for url in posts:
        assert client.post(url, {"reason": "x"}).status_code == 404, url
    problem.refresh_from_db()
    assert problem.state == Problem.State.PROJECT


def test_a_unit_contact_reads_its_communitys_lists_and_pledges_its_own(
    client, pb, street, lamps
):
    problem = actions.problem_raise(
        data=actions.ProblemInput(
            title="背街小巷路灯不亮",
            description="反复反映",
            field="facilities",
            area=street.east,
            appeals=lamps,
        ),
        acting_user=pb["dispatcher"],
    )
    resource = _unit_resource(pb, street)
    project = actions.project_start(
        problem=problem,
        data=actions.ProjectInput(
            title="改造", owner=pb["staff"], due_on=clock.today()
        ),
        acting_user=pb["dispatcher"],
    )
    client.force_login(pb["unit_contact"])
    page = client.get(reverse("cobuilding:project", args=[project.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "step-pledge" in text and "step-complete" not in text
    # A unit reads that the project answers two appeals, never their codes
    # (a code opens its resident's tracking page).
    assert lamps[0].tracking_code not in text
    assert text.count("An appeal") == 2
    client.post(
        reverse("cobuilding:project_step", args=[project.pk, "pledge"]),
        {"resource": resource.pk, "quantity": 2},
    )
    assert project.pledges.get().quantity == 2


def test_the_street_admin_gives_a_leader_a_community_and_the_leader_sees_it(
    client, pb, street, lamps
):
    leader, admin = pb["leader"], pb["admin"]
    client.force_login(pb["outsider"])
    assert client.get(reverse("cobuilding:leaders")).status_code == 404
    client.force_login(admin)
    done = client.post(
        reverse("cobuilding:contract_assign"),
        {"leader": leader.pk, "area": street.east.pk},
        follow=True,
    )
    assert f"takes {street.east.name}" in " ".join(_messages(done))
    again = client.post(
        reverse("cobuilding:contract_assign"),
        {"leader": leader.pk, "area": street.east.pk},
        follow=True,
    )
    assert "already" in " ".join(_messages(again))
    client.force_login(leader)
    page = client.get(reverse("cobuilding:leaders"))
    assert page.status_code == 200
    mine = page.context["mine"]
    assert [c.area for c, _open in mine] == [street.east]
    # Both lamp appeals lie in grid e1 of the east community and are open.
    assert mine[0][1]["appeals"] == 2
    # Only the street's administrator assigns: a leader's post changes nothing.
    client.post(
        reverse("cobuilding:contract_assign"),
        {"leader": leader.pk, "area": street.west.pk},
    )
    assert [
        c.area for c, _open in client.get(reverse("cobuilding:leaders")).context["mine"]
    ] == [street.east]


def test_a_joint_meeting_records_who_came_and_a_decision_on_a_problem(
    client, pb, street, lamps
):
    problem = actions.problem_raise(
        data=actions.ProblemInput(
            title="背街小巷路灯不亮",
            description="反复反映",
            field="facilities",
            area=street.east,
            appeals=lamps,
        ),
        acting_user=pb["dispatcher"],
    )
    client.force_login(pb["dispatcher"])
    future = client.post(
        reverse("cobuilding:meeting_new"),
        {
            "kind": "joint",
            "title": "第三季度联席会",
            "held_at": (clock.now() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "area": street.street.pk,
        },
    )
    assert future.status_code == 400 and "once it is held" in future.content.decode()
    done = client.post(
        reverse("cobuilding:meeting_new"),
        {
            "kind": "joint",
            "title": "第三季度联席会",
            "held_at": clock.now().strftime("%Y-%m-%dT%H:%M"),
            "area": street.street.pk,
            "chair": pb["leader"].pk,
            "attendees": [pb["staff"].pk, pb["dispatcher"].pk],
            "minutes": "研究背街小巷路灯问题。",
        },
        follow=True,
    )
    meeting = done.context["meeting"]
    assert set(meeting.attendees.all()) == {pb["staff"], pb["dispatcher"]}
    client.post(
        reverse("cobuilding:meeting", args=[meeting.pk]),
        {"text": "立项改造路灯", "problem": problem.pk, "owner": pb["staff"].pk},
    )
    decision = meeting.decisions.get()
    assert decision.problem == problem
    assert problem.events.filter(action="decide").exists()
    client.force_login(pb["outsider"])
    assert (
        client.get(reverse("cobuilding:meeting", args=[meeting.pk])).status_code == 404
    )


def test_a_riders_festival_counts_the_riders_served(client, pb, street):
    from civicgrid.ledger.models import Place

    station = Place.objects.create(
        kind=Place.Kind.SERVICE_STATION,
        name="龙行侠微e站",
        grid=street.grids["e1"],
        lon=91.005,
        lat=29.605,
        services=["water", "charging"],
    )
    client.force_login(pb["dispatcher"])
    url = reverse("cobuilding:outreach_new")
    refused = client.post(
        url,
        {
            "title": "717骑士节",
            "held_on": (clock.today() + dt.timedelta(days=1)).isoformat(),
            "area": street.east.pk,
            "group": "delivery",
            "served": 126,
            "services": "免费体检、理发",
        },
    )
    assert refused.status_code == 400 and "once it is held" in refused.content.decode()
    for served in (126, 30):
        client.post(
            url,
            {
                "title": "717骑士节",
                "held_on": clock.today().isoformat(),
                "area": street.east.pk,
                "station": station.pk,
                "group": "delivery",
                "served": served,
                "services": "免费体检、理发、饮水、充电",
            },
        )
    page = client.get(reverse("cobuilding:new_employment"))
    assert page.context["served"]["delivery"] == 156
    assert "Convenient services for 156 delivery riders" in page.content.decode()
    client.force_login(pb["outsider"])
    for name in (
        "cobuilding:new_employment",
        "cobuilding:outreach_new",
        "cobuilding:alliance",
    ):
        assert client.get(reverse(name)).status_code == 404


def test_the_alliance_page_lists_its_merchants_and_their_offers(client, pb, street):
    from civicgrid.ledger.models import Organisation, OrganisationMember

    alliance = Organisation.objects.create(
        kind=Organisation.Kind.ALLIANCE, name="东嘎居商联盟", area=street.street
    )
    barber = OrganisationMember.objects.create(
        organisation=alliance, title="格桑理发店", pledge="每月为老人免费理发"
    )
    actions.resource_add(
        data=actions.ResourceInput(
            title="老年人免费理发",
            kind=Resource.Kind.SERVICE,
            field="elderly",
            quantity=30,
            measure="次/月",
            area=street.east,
            provider_kind=Resource.Provider.MERCHANT,
            merchant=barber,
        ),
        acting_user=pb["staff"],
    )
    client.force_login(pb["staff"])
    page = client.get(reverse("cobuilding:alliance"))
    text = page.content.decode()
    assert "格桑理发店" in text and "老年人免费理发" in text
    assert [m.offers for m in page.context["merchants"]] == [1]


def test_an_appeals_page_links_to_the_problem_list_and_back(client, pb, lamps):
    appeal = lamps[0]
    client.force_login(pb["dispatcher"])
    url = reverse("appeals:detail", args=[appeal.pk])
    page = client.get(url).content.decode()
    new = reverse("cobuilding:problem_new") + f"?appeal={appeal.tracking_code}"
    assert new in page
    problem = actions.problem_raise(
        data=actions.ProblemInput(
            title="背街小巷路灯不亮",
            description="反复反映",
            field="facilities",
            area=appeal.grid,
            appeals=[appeal],
        ),
        acting_user=pb["dispatcher"],
    )
    page = client.get(url).content.decode()
    assert reverse("cobuilding:problem", args=[problem.pk]) in page
