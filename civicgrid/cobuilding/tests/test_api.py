"""The three lists' API (三项清单): a problem raised from appeals, made a
project, pledged, reported on, completed and evaluated through the same steps
and actions as the pages — a pledge beyond what is left refused naming it, an
appeal shown by its code and never its resident, a unit's contact reading
their community's lists only, an outsider's 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicgrid.api.models import IdempotentRequest
from civicgrid.api.testing import api_client as api
from civicgrid.api.testing import jpeg_upload
from civicgrid.appeals.tests.conftest import (  # noqa: F401 — fixtures
    PHONE,
    catalogue,
    submit,
)
from civicgrid.cobuilding import actions
from civicgrid.cobuilding.models import Pledge, Problem, Project, Resource
from civicgrid.cobuilding.steps import PROBLEM_STEPS, PROJECT_STEPS, describe
from civicgrid.core import clock
from civicgrid.ledger.models import Opinion
from civicgrid.ledger.tests.conftest import make_opinion
from civicgrid.partybuilding.tests.conftest import (  # noqa: F401 — fixtures
    ledger_people,
    pb,
)

pytestmark = pytest.mark.django_db

ROOT = "/api/cobuilding/"
PROBLEMS = f"{ROOT}problems/"
RESOURCES = f"{ROOT}resources/"
PROJECTS = f"{ROOT}projects/"
COUNTERS = f"{ROOT}counters/"
NOBODY = ["outsider", "resident", "handler_cg"]


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def in_days(n: int) -> str:
    return (clock.today() + dt.timedelta(days=n)).isoformat()


def raised(pb, area, title="楼道照明不足", field="facilities", **sources):  # noqa: F811
    return actions.problem_raise(
        data=actions.ProblemInput(
            title=title,
            description="多栋楼楼道灯坏，老人夜间出行不便。",
            field=field,
            area=area,
            meeting=sources.pop("meeting", "2026年3月联席会"),
            **sources,
        ),
        acting_user=pb["dispatcher"],
    )


def offered(pb, area=None, quantity=10, **extra):  # noqa: F811
    """A resource of the east community's registered unit."""
    return actions.resource_add(
        data=actions.ResourceInput(
            title=extra.pop("title", "志愿服务"),
            kind=extra.pop("kind", Resource.Kind.HOURS),
            field=extra.pop("field", "facilities"),
            quantity=quantity,
            measure="小时",
            area=area or pb["unit"].community,
            provider_kind=Resource.Provider.UNIT,
            unit=pb["unit"],
            **extra,
        ),
        acting_user=pb["unit_contact"],
    )


def started(pb, problem, milestones=()):  # noqa: F811
    return actions.project_start(
        problem=problem,
        data=actions.ProjectInput(
            title=problem.title,
            owner=pb["community_east"],
            due_on=clock.today() + dt.timedelta(days=30),
            milestones=list(milestones),
        ),
        acting_user=pb["dispatcher"],
    )


def test_a_problem_from_appeals_is_made_a_project_and_completed(
    pb,  # noqa: F811
    street,
    submit,  # noqa: F811
    media,
):
    appeal = submit()
    # The owner is the grid's worker: they report, the keepers complete.
    dispatcher, owner, contact = (
        api(pb[who]) for who in ("dispatcher", "gridworker", "unit_contact")
    )

    made = dispatcher.post(
        PROBLEMS,
        {
            "title": "楼道照明不足",
            "description": "多栋楼楼道灯坏，老人夜间出行不便。",
            "field": "facilities",
            "area": street.east.pk,
            "appeals": [appeal.tracking_code.lower()],
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["state"] == "open" and body["area_name"] == "东嘎社区"
    assert body["message"] == "“楼道照明不足” is on the problem list."
    assert set(body["steps"]) == set(PROBLEM_STEPS)
    assert [(s["kind"], s["appeal"]) for s in body["sources"]] == [
        ("appeal", appeal.tracking_code)
    ]
    assert body["sources"][0]["appeal_visible"] is True
    # The appeal by its code; never its resident.
    assert "卓玛" not in made.content.decode()
    assert PHONE not in made.content.decode()
    url = f"{PROBLEMS}{body['id']}/"

    more = dispatcher.post(
        f"{url}add-source/", {"meeting": "2026年3月联席会"}, format="json"
    )
    assert more.status_code == 200, more.json()
    problem = Problem.objects.get(pk=body["id"])
    assert more.json()["message"] == describe("add_source", problem)
    assert [s["kind"] for s in more.json()["sources"]] == ["appeal", "meeting"]
    assert more.json()["source_count"] == 2

    resource = offered(pb)
    matches = dispatcher.get(f"{url}matches/").json()["results"]
    assert [(m["resource"]["id"], m["same_field"]) for m in matches] == [
        (resource.pk, True)
    ]
    assert matches[0]["resource"]["remaining"] == 10

    made_project = dispatcher.post(
        f"{url}start/",
        {
            "owner": pb["gridworker"].pk,
            "due_on": in_days(30),
            "milestones": [{"title": "更换灯具", "due_on": in_days(10)}],
        },
        format="json",
    )
    assert made_project.status_code == 200, made_project.json()
    assert made_project.json()["state"] == "project"
    assert made_project.json()["message"] == (
        "“楼道照明不足” is a project now; pledge resources to it."
    )
    project_url = f"{PROJECTS}{made_project.json()['project']}/"

    project = owner.get(project_url).json()
    assert project["title"] == "楼道照明不足" and project["state"] == "underway"
    assert project["appeals"] == [appeal.tracking_code]
    # The owner (a grid worker) reports; the unit's contact pledges.
    assert project["steps"] == ["milestone", "progress"]
    assert contact.get(project_url).json()["steps"] == ["pledge"]
    milestone = project["milestones"][0]
    assert (milestone["title"], milestone["done_on"]) == ("更换灯具", None)

    pledged = contact.post(
        f"{project_url}pledge/",
        {"resource": resource.pk, "quantity": 4, "note": "周末两天"},
        format="json",
    )
    assert pledged.status_code == 200, pledged.json()
    assert (
        pledged.json()["message"] == "Pledged 4 小时 of “志愿服务” to “楼道照明不足”."
    )
    assert [(p["resource"], p["quantity"]) for p in pledged.json()["pledges"]] == [
        (resource.pk, 4)
    ]
    left = contact.get(f"{RESOURCES}{resource.pk}/").json()
    assert (left["pledged"], left["remaining"]) == (4, 6)

    done = owner.post(
        f"{project_url}milestone/", {"milestone": milestone["id"]}, format="json"
    )
    assert done.status_code == 200, done.json()
    assert done.json()["milestones_done"] == 1

    noted = owner.post(
        f"{project_url}progress/",
        {"text": "已更换12盏灯", "photos": [jpeg_upload()]},
        format="multipart",
    )
    assert noted.status_code == 200, noted.json()
    note = noted.json()["notes"][0]
    assert note["text"] == "已更换12盏灯"
    assert [(p["n"], p["content_type"]) for p in note["photos"]] == [(1, "image/jpeg")]
    assert "projects/" not in noted.content.decode()  # no storage path
    text_only = owner.post(f"{project_url}progress/", {"text": "验收中"}, format="json")
    assert text_only.status_code == 200, text_only.json()

    completed = dispatcher.post(
        f"{project_url}complete/", {"summary": "全部更换完毕"}, format="json"
    )
    assert completed.status_code == 200, completed.json()
    assert completed.json()["state"] == "completed"
    assert completed.json()["message"] == (
        "“楼道照明不足” is completed; the residents of 1 appeals were told."
    )
    # The residents' word is recorded by the owner or a keeper.
    assert completed.json()["steps"] == ["evaluate"]
    assert owner.get(project_url).json()["steps"] == ["evaluate"]
    assert contact.get(project_url).json()["steps"] == []

    evaluated = owner.post(
        f"{project_url}evaluate/",
        {"verdict": "satisfied", "heard": "meeting", "residents": 12},
        format="json",
    )
    assert evaluated.status_code == 200, evaluated.json()
    assert evaluated.json()["satisfaction"] == {
        "satisfied": 12,
        "basic": 0,
        "dissatisfied": 0,
    }
    assert [e["action"] for e in evaluated.json()["events"]] == [
        "start",
        "pledge",
        "milestone",
        "progress",
        "progress",
        "complete",
        "evaluate",
    ]
    assert dispatcher.get(url).json()["state"] == "solved"
    assert dispatcher.get(COUNTERS).json() == {
        "problems": 1,
        "resources": 1,
        "projects": 1,
        "completed": 1,
        "total": 3,
    }


def test_pledging_more_than_is_left_is_refused_naming_what_is_left(pb, street):  # noqa: F811
    project = started(pb, raised(pb, street.east))
    resource = offered(pb, quantity=3)
    contact = api(pb["unit_contact"])
    url = f"{PROJECTS}{project.pk}/pledge/"
    first = contact.post(url, {"resource": resource.pk, "quantity": 2}, format="json")
    assert first.status_code == 200, first.json()

    refused = contact.post(url, {"resource": resource.pk, "quantity": 2}, format="json")
    assert refused.status_code == 400
    error = refused.json()["error"]
    message = "Only 1 小时 of “志愿服务” are left; pledge at most that."
    assert error["message"] == message
    assert error["fields"] == {"quantity": [message]}
    resource.refresh_from_db()
    assert resource.pledged == 2 and Pledge.objects.count() == 1


@pytest.mark.parametrize(
    ("cells", "field"),
    [
        ({"resource": 10**6}, "resource"),
        ({"quantity": 0}, "quantity"),
        ({"quantity": 10**9}, "quantity"),
        ({"note": "注" * 201}, "note"),
    ],
)
def test_a_pledge_with_bad_input_names_the_field(pb, street, cells, field):  # noqa: F811
    project = started(pb, raised(pb, street.east))
    resource = offered(pb)
    refused = api(pb["unit_contact"]).post(
        f"{PROJECTS}{project.pk}/pledge/",
        {"resource": resource.pk, "quantity": 1, **cells},
        format="json",
    )
    assert refused.status_code == 400
    assert field in refused.json()["error"]["fields"]
    assert not Pledge.objects.exists()


def test_a_resource_the_contact_does_not_provide_is_not_theirs_to_pledge(
    pb,  # noqa: F811
    street,
    departments,
):
    project = started(pb, raised(pb, street.east))
    theirs = actions.resource_add(
        data=actions.ResourceInput(
            title="法律咨询",
            kind=Resource.Kind.SERVICE,
            quantity=5,
            measure="次",
            area=street.street,
            provider_kind=Resource.Provider.DEPARTMENT,
            department=departments["zj"],
        ),
        acting_user=pb["dispatcher"],
    )
    refused = api(pb["unit_contact"]).post(
        f"{PROJECTS}{project.pk}/pledge/",
        {"resource": theirs.pk, "quantity": 1},
        format="json",
    )
    assert refused.status_code == 403
    assert not Pledge.objects.exists()


@pytest.mark.parametrize(
    ("cells", "field"),
    [
        ({"appeals": ["NOSUCHCODE"]}, "appeals"),
        ({"opinions": [10**6]}, "opinions"),
        ({"appeals": [], "meeting": ""}, "appeals"),  # no source at all
        ({"field": "weather"}, "field"),
        ({"area": 10**6}, "area"),
        ({"title": "题" * 101}, "title"),
    ],
)
def test_a_problem_with_bad_input_names_the_field_and_nothing_is_written(
    pb,  # noqa: F811
    street,
    cells,
    field,
):
    body = {
        "title": "楼道照明不足",
        "description": "楼道灯坏",
        "field": "facilities",
        "area": street.east.pk,
        "meeting": "联席会",
        **cells,
    }
    refused = api(pb["dispatcher"]).post(
        PROBLEMS, body, format="json", headers={"Idempotency-Key": "raise-1"}
    )
    assert refused.status_code == 400, refused.json()
    assert field in refused.json()["error"]["fields"]
    assert not Problem.objects.exists()
    assert not IdempotentRequest.objects.exists()


def test_a_public_opinion_item_raised_leaves_its_queue(pb, street):  # noqa: F811
    opinion = make_opinion(street.grids["e1"], pb["gridworker"])
    made = api(pb["dispatcher"]).post(
        PROBLEMS,
        {
            "title": "楼道照明不足",
            "description": "楼道灯坏",
            "field": "facilities",
            "area": street.east.pk,
            "opinions": [opinion.pk],
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    assert [(s["kind"], s["opinion"]) for s in made.json()["sources"]] == [
        ("opinion", opinion.pk)
    ]
    opinion.refresh_from_db()
    assert opinion.state == Opinion.State.PROBLEM


def test_a_problem_sent_twice_with_its_key_is_raised_once(pb, street):  # noqa: F811
    body = {
        "title": "楼道照明不足",
        "description": "楼道灯坏",
        "field": "facilities",
        "area": street.east.pk,
        "survey": "2026年春季问卷",
    }
    dispatcher = api(pb["dispatcher"])
    key = {"Idempotency-Key": "problem-7"}
    first = dispatcher.post(PROBLEMS, body, format="json", headers=key)
    again = dispatcher.post(PROBLEMS, body, format="json", headers=key)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Problem.objects.count() == 1


def test_starting_closing_and_cancelling_take_the_pages_steps(pb, street):  # noqa: F811
    dispatcher = api(pb["dispatcher"])
    problem = raised(pb, street.east)
    url = f"{PROBLEMS}{problem.pk}/"
    late = dispatcher.post(
        f"{url}start/",
        {
            "owner": pb["community_east"].pk,
            "due_on": in_days(5),
            "milestones": [{"title": "验收", "due_on": in_days(9)}],
        },
        format="json",
    )
    assert late.status_code == 400
    assert "milestones" in late.json()["error"]["fields"]
    no_owner = dispatcher.post(
        f"{url}start/", {"owner": pb["outsider"].pk, "due_on": in_days(5)}
    )
    assert no_owner.status_code == 400
    assert "owner" in no_owner.json()["error"]["fields"]
    # A unit's contact reads the problem but does not keep the lists.
    contact = api(pb["unit_contact"])
    assert contact.get(url).json()["steps"] == []
    assert (
        contact.post(
            f"{url}start/", {"owner": pb["community_east"].pk, "due_on": in_days(5)}
        ).status_code
        == 403
    )

    project = started(pb, problem)
    resource = offered(pb)
    actions.pledge(
        project=project, resource=resource, quantity=4, acting_user=pb["unit_contact"]
    )
    cancelled = dispatcher.post(
        f"{PROJECTS}{project.pk}/cancel/", {"reason": "另行解决"}, format="json"
    )
    assert cancelled.status_code == 200, cancelled.json()
    assert cancelled.json()["state"] == "cancelled"
    assert cancelled.json()["message"] == describe("cancel", project)
    resource.refresh_from_db()
    assert resource.pledged == 0
    reopened = dispatcher.get(url).json()
    assert reopened["state"] == "open" and reopened["project"] is None

    closed = dispatcher.post(f"{url}close/", {"reason": "已由物业解决"})
    assert closed.status_code == 200
    assert closed.json()["state"] == "closed" and closed.json()["steps"] == []
    again = dispatcher.post(f"{url}close/", {"reason": "再次"})
    assert again.status_code == 400 and "state" in again.json()["error"]["fields"]


def test_a_resource_is_offered_and_withdrawn(pb, street, departments):  # noqa: F811
    contact = api(pb["unit_contact"])
    made = contact.post(
        RESOURCES,
        {
            "title": "志愿服务",
            "kind": "hours",
            "field": "elderly",
            "quantity": 20,
            "measure": "小时/月",
            "area": street.east.pk,
            "provider_kind": "unit",
            "unit": pb["unit"].pk,
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["provider"] == "区住建局机关党支部" and body["remaining"] == 20
    assert body["steps"] == ["withdraw"]
    assert body["message"] == "“志愿服务” is on the resource list."
    # Another provider is not the contact's to name.
    someone_elses = contact.post(
        RESOURCES,
        {
            **{k: body[k] for k in ("title", "kind", "quantity", "measure")},
            "area": street.east.pk,
            "provider_kind": "department",
            "department": departments["zj"].pk,
        },
        format="json",
    )
    assert someone_elses.status_code == 403
    no_department = api(pb["dispatcher"]).post(
        RESOURCES,
        {
            **{k: body[k] for k in ("title", "kind", "quantity", "measure")},
            "area": street.street.pk,
            "provider_kind": "department",
            "department": 10**6,
        },
        format="json",
    )
    assert no_department.status_code == 400
    assert "department" in no_department.json()["error"]["fields"]

    url = f"{RESOURCES}{body['id']}/"
    assert api(pb["gridworker"]).get(url).json()["steps"] == []
    withdrawn = contact.post(f"{url}withdraw/")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["offered"] is False and withdrawn.json()["steps"] == []
    assert contact.get(RESOURCES).json()["count"] == 0
    everything = contact.get(RESOURCES, {"offered": "false"}).json()
    assert [r["id"] for r in everything["results"]] == [body["id"]]
    again = contact.post(f"{url}withdraw/")
    assert again.status_code == 400


def test_the_lists_filter_and_refuse_an_unknown_filter(pb, street, departments):  # noqa: F811
    raised(pb, street.east)
    closed = raised(pb, street.west, title="垃圾分类", field="environment")
    actions.problem_close(problem=closed, acting_user=pb["dispatcher"], reason="重复")
    offered(pb, field="elderly")
    dispatcher = api(pb["dispatcher"])
    newest_first = dispatcher.get(PROBLEMS).json()["results"]
    assert [p["title"] for p in newest_first] == ["垃圾分类", "楼道照明不足"]
    open_only = dispatcher.get(PROBLEMS, {"state": "open"}).json()["results"]
    assert [p["title"] for p in open_only] == ["楼道照明不足"]
    assert open_only[0]["steps"] is None and open_only[0]["sources"] is None
    assert dispatcher.get(PROBLEMS, {"field": "environment"}).json()["count"] == 1
    assert dispatcher.get(RESOURCES, {"field": "health"}).json()["count"] == 0
    assert dispatcher.get(RESOURCES, {"provider_kind": "unit"}).json()["count"] == 1
    for listing, query in (
        (PROBLEMS, {"state": "lost"}),
        (PROBLEMS, {"field": "weather"}),
        (RESOURCES, {"provider_kind": "bank"}),
        (PROJECTS, {"state": "paused"}),
    ):
        bad = dispatcher.get(listing, query)
        assert bad.status_code == 400, (listing, query)
        assert set(query) <= set(bad.json()["error"]["fields"])


def test_a_units_contact_reads_the_lists_of_their_community_only(
    pb,  # noqa: F811
    street,
    departments,
):
    east = raised(pb, street.east)
    west = raised(pb, street.west, title="林堆停车难")
    east_project = started(pb, east)
    west_project = actions.project_start(
        problem=west,
        data=actions.ProjectInput(
            title=west.title, owner=pb["dispatcher"], due_on=clock.today()
        ),
        acting_user=pb["dispatcher"],
    )
    mine = offered(pb)
    west_resource = actions.resource_add(
        data=actions.ResourceInput(
            title="停车场",
            kind=Resource.Kind.VENUE,
            quantity=1,
            measure="处",
            area=street.west,
            provider_kind=Resource.Provider.DEPARTMENT,
            department=departments["zj"],
        ),
        acting_user=pb["dispatcher"],
    )
    contact = api(pb["unit_contact"])
    listed = {
        PROBLEMS: [east.pk],
        PROJECTS: [east_project.pk],
        RESOURCES: [mine.pk],
    }
    for listing, ids in listed.items():
        assert [row["id"] for row in contact.get(listing).json()["results"]] == ids
    for url in (
        f"{PROBLEMS}{west.pk}/",
        f"{PROJECTS}{west_project.pk}/",
        f"{RESOURCES}{west_resource.pk}/",
    ):
        assert contact.get(url).status_code == 404, url
    assert contact.get(f"{PROBLEMS}{east.pk}/").status_code == 200
    assert contact.get(COUNTERS).json()["total"] == 3
    # The street's dispatcher reads both communities' lists.
    assert api(pb["dispatcher"]).get(COUNTERS).json()["total"] == 6


def test_an_outsider_gets_404_on_every_detail_and_step(pb, street, media):  # noqa: F811
    problem = raised(pb, street.east)
    project = started(pb, problem)
    resource = offered(pb)
    details = [
        f"{PROBLEMS}{problem.pk}/",
        f"{PROBLEMS}{problem.pk}/matches/",
        f"{PROJECTS}{project.pk}/",
        f"{RESOURCES}{resource.pk}/",
    ]
    posts = [
        f"{PROBLEMS}{problem.pk}/{step.replace('_', '-')}/" for step in PROBLEM_STEPS
    ]
    posts += [f"{PROJECTS}{project.pk}/{step}/" for step in PROJECT_STEPS]
    posts.append(f"{RESOURCES}{resource.pk}/withdraw/")
    body = {"reason": "x", "resource": resource.pk, "quantity": 1, "text": "x"}
    for who in NOBODY:
        client = api(pb[who])
        for url in details:
            assert client.get(url).status_code == 404, (who, url)
        for url in posts:
            assert client.post(url, body).status_code == 404, (who, url)
        for listing in (PROBLEMS, PROJECTS, RESOURCES):
            assert client.get(listing).json()["results"] == [], (who, listing)
        assert set(client.get(COUNTERS).json().values()) == {0}
    assert Problem.objects.get(pk=problem.pk).state == "project"
    assert Project.objects.get(pk=project.pk).state == "underway"
    assert not Pledge.objects.exists()


@pytest.mark.parametrize("listing", [PROBLEMS, PROJECTS, RESOURCES])
def test_the_lists_ask_the_same_queries_for_one_row_or_many(pb, street, listing):  # noqa: F811
    def add() -> None:
        started(pb, raised(pb, street.east))
        offered(pb)

    add()
    client = api(pb["dispatcher"])
    client.get(listing)  # the token's first use is written down

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(listing).status_code == 200
        return len(captured)

    one = queries()
    add()
    add()
    assert queries() == one


def test_the_schema_documents_the_three_lists(pb):  # noqa: F811
    schema = api(pb["outsider"]).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/cobuilding/problems/",
        "/api/cobuilding/problems/{id}/add-source/",
        "/api/cobuilding/problems/{id}/matches/",
        "/api/cobuilding/projects/{id}/pledge/",
        "/api/cobuilding/projects/{id}/progress/",
        "/api/cobuilding/resources/{id}/withdraw/",
        "/api/cobuilding/counters/",
    ):
        assert path in paths, path
        for operation in paths[path].values():
            assert operation["tags"] == ["cobuilding"]
    components = schema.json()["components"]["schemas"]
    assert components["ProblemStateEnum"]["enum"] == [
        "open",
        "project",
        "solved",
        "closed",
    ]


def test_a_start_with_too_many_milestones_is_refused(pb, street):  # noqa: F811
    problem = raised(pb, street.east)
    many = [{"title": f"第{n}步", "due_on": in_days(1)} for n in range(51)]
    refused = api(pb["dispatcher"]).post(
        f"{PROBLEMS}{problem.pk}/start/",
        {"owner": pb["gridworker"].pk, "due_on": in_days(5), "milestones": many},
        format="json",
    )
    assert refused.status_code == 400
    assert "milestones" in refused.json()["error"]["fields"]
    assert not Project.objects.exists()
