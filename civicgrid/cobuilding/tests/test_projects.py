"""项目清单: a problem becomes a project with an owner and milestones; units
pledge what is left of their resources; progress is noted with photos;
completion solves the problem and tells the appeals' residents; cancelling
gives the pledges back; residents evaluate what was completed."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.conf import settings
from PIL import Image

from civicgrid.appeals import actions as appeal_actions
from civicgrid.appeals.models import CaseEvent
from civicgrid.cobuilding import actions, selectors
from civicgrid.cobuilding.models import (
    Evaluation,
    ListEvent,
    Milestone,
    Pledge,
    Problem,
    ProgressNote,
    Project,
    Resource,
)
from civicgrid.core import clock
from civicgrid.core.errors import DomainError, PermissionDeniedError
from civicgrid.notifications.models import Notification
from civicgrid.partybuilding import actions as pb_actions

from .conftest import IN_E1, in_days, jpeg_with_gps, offer, raise_problem, start

pytestmark = pytest.mark.django_db


def refreshed(*objects):
    for obj in objects:
        obj.refresh_from_db()
    return objects


@pytest.fixture
def problem(cb, street):
    return raise_problem(cb["community_east"], street.east)


@pytest.fixture
def project(cb, problem):
    return start(problem, cb["community_east"], owner=cb["gridworker"])


# --- starting -------------------------------------------------------------------


def test_starting_a_project_makes_the_problem_a_project(cb, problem):
    project = start(
        problem,
        cb["community_east"],
        owner=cb["gridworker"],
        milestones=[("入户走访", in_days(7)), ("开餐", in_days(30))],
    )
    project.refresh_from_db()
    problem.refresh_from_db()
    assert problem.state == Problem.State.PROJECT
    assert project.state == Project.State.UNDERWAY
    assert (project.owner, project.started_on, project.due_on) == (
        cb["gridworker"],
        clock.today(),
        in_days(30),
    )
    assert list(project.milestones.values_list("title", "due_on", "done_on")) == [
        ("入户走访", in_days(7), None),
        ("开餐", in_days(30), None),
    ]
    event = problem.events.get(action="start")
    assert (event.project, event.from_state, event.to_state) == (
        project,
        "open",
        "project",
    )


@pytest.mark.parametrize("owner", ["community_east", "gridworker", "dispatcher"])
def test_staff_of_the_area_or_above_may_own_a_project(cb, problem, owner):
    project = start(problem, cb["dispatcher"], owner=cb[owner])
    assert project.owner == cb[owner]


@pytest.mark.parametrize(
    "owner",
    [
        "community_west",
        "gridworker_w1",
        "handler_cg",
        "unit_contact",
        "resident",
        "outsider",
    ],
)
def test_an_owner_who_is_not_staff_of_the_area_is_refused(cb, problem, owner):
    with pytest.raises(DomainError) as refused:
        start(problem, cb["dispatcher"], owner=cb[owner])
    assert refused.value.field == "owner"
    problem.refresh_from_db()
    assert problem.state == Problem.State.OPEN
    assert not Project.objects.exists()


@pytest.mark.parametrize("due_in", [-1, 31])
def test_a_milestone_outside_the_projects_dates_is_refused(cb, problem, due_in):
    with pytest.raises(DomainError) as refused:
        start(
            problem,
            cb["dispatcher"],
            milestones=[("入户走访", in_days(1)), ("开餐", in_days(due_in))],
            days=30,
        )
    assert refused.value.field == "milestones"
    assert "2" in refused.value.message
    problem.refresh_from_db()
    assert problem.state == Problem.State.OPEN
    assert not (Project.objects.exists() or Milestone.objects.exists())


def test_a_project_due_before_it_starts_or_starting_tomorrow_is_refused(cb, problem):
    for started_on, due_on, field in (
        (None, in_days(-1), "due_on"),
        (in_days(1), in_days(5), "started_on"),
    ):
        with pytest.raises(DomainError) as refused:
            actions.project_start(
                problem=problem,
                data=actions.ProjectInput(
                    title="助餐点",
                    owner=cb["dispatcher"],
                    due_on=due_on,
                    started_on=started_on,
                ),
                acting_user=cb["dispatcher"],
            )
        assert refused.value.field == field
    assert not Project.objects.exists()


def test_only_a_keeper_of_the_area_starts_a_project(cb, problem):
    with pytest.raises(PermissionDeniedError):
        start(problem, cb["gridworker"])
    assert not Project.objects.exists()


def test_a_problem_a_project_answers_takes_no_second_project(cb, project, problem):
    with pytest.raises(DomainError) as refused:
        start(problem, cb["dispatcher"])
    assert refused.value.field == "state"
    assert Project.objects.count() == 1


# --- pledges --------------------------------------------------------------------


def test_a_pledge_within_what_is_left_takes_it(cb, street, project):
    resource = offer(cb, cb["dispatcher"], street.east, quantity=10)
    row = actions.pledge(
        project=project,
        resource=resource,
        quantity=4,
        note="周三下午",
        acting_user=cb["dispatcher"],
    )
    resource.refresh_from_db()
    assert (resource.pledged, resource.remaining) == (4, 6)
    assert (row.project, row.resource, row.quantity, row.pledged_by) == (
        project,
        resource,
        4,
        cb["dispatcher"],
    )
    assert project.events.get(action="pledge").note == "活动室 × 4 次"


def test_a_pledge_larger_than_what_is_left_is_refused_naming_what_is_left(
    cb, street, project
):
    resource = offer(cb, cb["dispatcher"], street.east, quantity=10)
    actions.pledge(
        project=project, resource=resource, quantity=4, acting_user=cb["dispatcher"]
    )
    with pytest.raises(DomainError) as refused:
        actions.pledge(
            project=project,
            resource=resource,
            quantity=7,
            acting_user=cb["dispatcher"],
        )
    assert refused.value.field == "quantity"
    assert refused.value.message == (
        "Only 6 次 of “活动室” are left; pledge at most that."
    )
    resource.refresh_from_db()
    assert resource.pledged == 4
    assert Pledge.objects.count() == 1
    assert project.events.filter(action="pledge").count() == 1


def test_all_that_is_left_may_be_pledged_and_then_nothing_more(cb, street, project):
    resource = offer(cb, cb["dispatcher"], street.street, quantity=3)
    actions.pledge(
        project=project, resource=resource, quantity=3, acting_user=cb["dispatcher"]
    )
    resource.refresh_from_db()
    assert resource.remaining == 0
    with pytest.raises(DomainError) as refused:
        actions.pledge(
            project=project,
            resource=resource,
            quantity=1,
            acting_user=cb["dispatcher"],
        )
    assert "Only 0 次" in refused.value.message
    resource.refresh_from_db()
    assert resource.pledged == 3


@pytest.mark.parametrize("quantity", [0, None])
def test_a_pledge_of_nothing_is_refused(cb, street, project, quantity):
    resource = offer(cb, cb["dispatcher"], street.east)
    with pytest.raises(DomainError) as refused:
        actions.pledge(
            project=project,
            resource=resource,
            quantity=quantity,
            acting_user=cb["dispatcher"],
        )
    assert refused.value.field == "quantity"
    assert not Pledge.objects.exists()


def test_a_resource_of_another_community_is_refused(cb, street, project):
    theirs = offer(cb, cb["dispatcher"], street.west)
    with pytest.raises(DomainError) as refused:
        actions.pledge(
            project=project, resource=theirs, quantity=1, acting_user=cb["dispatcher"]
        )
    assert refused.value.field == "resource"
    assert street.west.name in refused.value.message
    theirs.refresh_from_db()
    assert theirs.pledged == 0
    assert not Pledge.objects.exists()


def test_a_resource_no_longer_available_is_refused(cb, street, project):
    expired = offer(
        cb,
        cb["dispatcher"],
        street.east,
        available_from=in_days(-30),
        available_until=in_days(-1),
    )
    with pytest.raises(DomainError) as refused:
        actions.pledge(
            project=project, resource=expired, quantity=1, acting_user=cb["dispatcher"]
        )
    assert refused.value.field == "resource"
    assert in_days(-1).isoformat() in refused.value.message
    expired.refresh_from_db()
    assert expired.pledged == 0
    assert not Pledge.objects.exists()


def test_a_resource_not_yet_available_is_refused(cb, street, project):
    later = offer(cb, cb["dispatcher"], street.east, available_from=in_days(7))
    with pytest.raises(DomainError) as refused:
        actions.pledge(
            project=project, resource=later, quantity=1, acting_user=cb["dispatcher"]
        )
    assert refused.value.field == "resource"
    assert in_days(7).isoformat() in refused.value.message
    later.refresh_from_db()
    assert later.pledged == 0
    assert not Pledge.objects.exists()


def test_a_resource_available_until_today_may_be_pledged(cb, street, project):
    resource = offer(
        cb,
        cb["dispatcher"],
        street.east,
        available_from=in_days(-30),
        available_until=in_days(0),
    )
    actions.pledge(
        project=project, resource=resource, quantity=1, acting_user=cb["dispatcher"]
    )
    resource.refresh_from_db()
    assert resource.pledged == 1


def test_a_units_contact_pledges_their_own_units_resource_only(cb, street, project):
    mine = offer(cb, cb["unit_contact"], street.east, provider="unit")
    theirs = offer(cb, cb["dispatcher"], street.east)
    actions.pledge(
        project=project, resource=mine, quantity=2, acting_user=cb["unit_contact"]
    )
    with pytest.raises(PermissionDeniedError):
        actions.pledge(
            project=project, resource=theirs, quantity=2, acting_user=cb["unit_contact"]
        )
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.pledged, theirs.pledged) == (2, 0)


def test_a_project_no_longer_underway_takes_no_pledge(cb, street, project):
    resource = offer(cb, cb["dispatcher"], street.east)
    actions.project_cancel(
        project=project, acting_user=cb["dispatcher"], reason="改由区里统一建设"
    )
    with pytest.raises(DomainError) as refused:
        actions.pledge(
            project=project, resource=resource, quantity=1, acting_user=cb["dispatcher"]
        )
    assert refused.value.field == "state"
    resource.refresh_from_db()
    assert resource.pledged == 0


# --- milestones and progress ----------------------------------------------------


def test_a_milestone_is_done_once(cb, problem):
    project = start(
        problem,
        cb["community_east"],
        owner=cb["gridworker"],
        milestones=[("入户走访", in_days(7))],
    )
    milestone = project.milestones.get()
    actions.milestone_done(milestone=milestone, acting_user=cb["gridworker"])
    milestone.refresh_from_db()
    assert (milestone.done_on, milestone.done_by) == (clock.today(), cb["gridworker"])
    with pytest.raises(DomainError) as again:
        actions.milestone_done(
            milestone=Milestone.objects.get(pk=milestone.pk),
            acting_user=cb["community_east"],
        )
    assert again.value.message == "“入户走访” is done already."
    milestone.refresh_from_db()
    assert milestone.done_by == cb["gridworker"]
    assert project.events.filter(action="milestone").count() == 1


def test_a_milestone_is_not_done_tomorrow_or_before_the_project_started(cb, problem):
    project = start(problem, cb["community_east"], milestones=[("开餐", in_days(7))])
    milestone = project.milestones.get()
    for on in (in_days(1), in_days(-1)):
        with pytest.raises(DomainError) as refused:
            actions.milestone_done(
                milestone=milestone, acting_user=cb["community_east"], on=on
            )
        assert refused.value.field == "on"
    milestone.refresh_from_db()
    assert milestone.done_on is None


@pytest.mark.parametrize("who", ["gridworker_w1", "unit_contact", "outsider"])
def test_only_the_owner_and_the_keepers_report_on_a_project(cb, problem, who):
    project = start(
        problem,
        cb["community_east"],
        owner=cb["gridworker"],
        milestones=[("开餐", in_days(7))],
    )
    with pytest.raises(PermissionDeniedError):
        actions.milestone_done(milestone=project.milestones.get(), acting_user=cb[who])
    with pytest.raises(PermissionDeniedError):
        actions.progress_note(project=project, acting_user=cb[who], text="去看过了")
    assert not ProgressNote.objects.exists()
    assert not project.milestones.filter(done_on__isnull=False).exists()


def test_a_progress_note_keeps_a_clean_copy_of_its_photo(cb, project, media):
    upload = jpeg_with_gps("site.jpg")
    assert Image.open(io.BytesIO(upload.getvalue())).getexif()  # it has EXIF
    note = actions.progress_note(
        project=project,
        acting_user=cb["gridworker"],
        text="助餐点装修完成一半",
        photos=[upload],
    )
    note = ProgressNote.objects.get(pk=note.pk)
    assert (note.text, note.author) == ("助餐点装修完成一半", cb["gridworker"])
    [photo] = note.photos
    assert photo["content_type"] == "image/jpeg"
    assert (photo["width"], photo["height"]) == (320, 240)
    assert photo["original_name"] == "site.jpg"
    assert photo["file"].startswith(f"projects/{project.pk}/{note.pk}-1")
    stored = (media / photo["file"]).read_bytes()
    assert photo["size"] == len(stored)
    assert photo["sha256"] == hashlib.sha256(stored).hexdigest()
    image = Image.open(io.BytesIO(stored))
    assert (image.format, image.size) == ("JPEG", (320, 240))
    assert not image.getexif()  # no camera, no GPS left
    thumbnail = Image.open(media / photo["thumbnail"])
    assert thumbnail.format == "JPEG"
    assert project.events.filter(action="progress").count() == 1


def test_a_file_that_is_no_photo_is_refused_and_no_note_is_written(cb, project, media):
    fake = io.BytesIO(b"%PDF-1.4 not a photo")
    fake.name = "minutes.jpg"
    with pytest.raises(DomainError) as refused:
        actions.progress_note(
            project=project,
            acting_user=cb["gridworker"],
            text="会议纪要",
            photos=[fake],
        )
    assert refused.value.field == "photos"
    assert not ProgressNote.objects.exists()
    assert not project.events.filter(action="progress").exists()


def test_more_than_six_photos_a_note_are_refused(cb, project, media):
    with pytest.raises(DomainError) as refused:
        actions.progress_note(
            project=project,
            acting_user=cb["gridworker"],
            text="很多照片",
            photos=[jpeg_with_gps(f"{n}.jpg") for n in range(actions.MAX_PHOTOS + 1)],
        )
    assert refused.value.field == "photos"
    assert not ProgressNote.objects.exists()


# --- completion -----------------------------------------------------------------


def test_completion_waits_for_every_milestone_naming_those_undone(cb, problem):
    project = start(
        problem,
        cb["community_east"],
        milestones=[
            ("入户走访", in_days(3)),
            ("选定场地", in_days(10)),
            ("开餐", in_days(20)),
        ],
    )
    actions.milestone_done(
        milestone=project.milestones.get(title="选定场地"),
        acting_user=cb["community_east"],
    )
    with pytest.raises(DomainError) as refused:
        actions.project_complete(
            project=project, acting_user=cb["community_east"], summary="开餐了"
        )
    assert refused.value.field == "milestones"
    message = refused.value.message
    assert message.startswith("Milestones not done yet: ")
    assert "入户走访" in message
    assert "开餐" in message
    assert "选定场地" not in message
    project.refresh_from_db()
    problem.refresh_from_db()
    assert (project.state, problem.state) == ("underway", "project")


def test_completion_solves_the_problem_and_tells_each_appeals_resident(
    cb, street, submit
):
    first = submit(**IN_E1)
    second = submit(description="老人吃饭不方便。", phone="13900001111", **IN_E1)
    unnamed = submit(
        description="没人做饭。", anonymous=True, name="", phone="", **IN_E1
    )
    other = submit(description="别的事", **IN_E1)  # of no problem
    problem = raise_problem(
        cb["dispatcher"], street.east, appeals=[first, second, unnamed]
    )
    project = start(problem, cb["dispatcher"])
    before = Notification.objects.filter(event="appeal.project_done").count()
    told = actions.project_complete(
        project=project, acting_user=cb["dispatcher"], summary="社区助餐点开餐"
    )
    assert told == 3
    project.refresh_from_db()
    problem.refresh_from_db()
    assert problem.state == Problem.State.SOLVED
    assert project.state == Project.State.COMPLETED
    assert project.completed_on == clock.today()
    assert project.summary == "社区助餐点开餐"
    assert project.residents_told_at is not None
    for appeal in (first, second, unnamed):
        event = CaseEvent.objects.get(appeal=appeal, action="project_done")
        assert event.public
        assert event.data == {"project": project.title}
        assert event.actor == cb["dispatcher"]
    assert not CaseEvent.objects.filter(appeal=other, action="project_done").exists()
    sent = Notification.objects.filter(
        event="appeal.project_done", channel=settings.CIVICGRID_NOTIFY_SMS_CHANNEL
    )
    assert sent.count() - before == 2
    assert sorted((n.subject_ref, n.recipient) for n in sent) == sorted(
        [(f"appeal:{first.pk}", "13812345678"), (f"appeal:{second.pk}", "13900001111")]
    )
    assert project.events.get(action="complete").to_state == "completed"


def test_a_project_of_no_appeal_tells_nobody(cb, project):
    told = actions.project_complete(
        project=project, acting_user=cb["community_east"], summary="完成"
    )
    assert told == 0
    assert not CaseEvent.objects.filter(action="project_done").exists()
    assert not Notification.objects.filter(event="appeal.project_done").exists()


def test_the_main_appeal_of_a_merged_source_is_told_too(cb, street, submit):
    main = submit(**IN_E1)
    duplicate = submit(description="同一盏路灯", **IN_E1)
    appeal_actions.appeal_merge(
        appeal=duplicate, into=main, acting_user=cb["dispatcher"]
    )
    problem = raise_problem(cb["dispatcher"], street.east, appeals=[duplicate])
    project = start(problem, cb["dispatcher"])
    told = actions.project_complete(
        project=project, acting_user=cb["dispatcher"], summary="换了路灯"
    )
    assert told == 2
    assert CaseEvent.objects.filter(appeal=duplicate, action="project_done").exists()
    assert CaseEvent.objects.filter(appeal=main, action="project_done").exists()


def test_the_owner_who_is_no_keeper_may_not_complete(cb, project):
    with pytest.raises(PermissionDeniedError):
        actions.project_complete(
            project=project, acting_user=cb["gridworker"], summary="完成"
        )
    project.refresh_from_db()
    assert project.state == Project.State.UNDERWAY


def test_completion_needs_a_summary_and_a_date_not_in_the_future(cb, project):
    with pytest.raises(DomainError) as no_summary:
        actions.project_complete(
            project=project, acting_user=cb["community_east"], summary=" "
        )
    assert no_summary.value.field == "summary"
    with pytest.raises(DomainError) as tomorrow:
        actions.project_complete(
            project=project,
            acting_user=cb["community_east"],
            summary="完成",
            on=in_days(1),
        )
    assert tomorrow.value.field == "on"
    project.refresh_from_db()
    assert project.state == Project.State.UNDERWAY


def test_a_completed_project_is_not_completed_or_cancelled_again(cb, project):
    actions.project_complete(
        project=project, acting_user=cb["community_east"], summary="完成"
    )
    for step, extra in (
        (actions.project_complete, {"summary": "再完成一次"}),
        (actions.project_cancel, {"reason": "不做了"}),
    ):
        with pytest.raises(DomainError) as refused:
            step(project=project, acting_user=cb["community_east"], **extra)  # type: ignore[arg-type]
        assert refused.value.field == "state"
    project.refresh_from_db()
    assert project.state == Project.State.COMPLETED
    assert project.events.filter(action="complete").count() == 1


# --- cancelling -----------------------------------------------------------------


def test_cancelling_gives_the_pledges_back_and_the_problem_back_to_the_list(
    cb, street, problem, project
):
    room = offer(cb, cb["dispatcher"], street.east, quantity=10)
    car = offer(cb, cb["dispatcher"], street.street, quantity=4, title="车辆")
    elsewhere = start(
        raise_problem(cb["dispatcher"], street.east, title="楼道照明"),
        cb["dispatcher"],
    )
    for target, resource, quantity in (
        (project, room, 3),
        (project, room, 2),
        (project, car, 1),
        (elsewhere, room, 4),  # another project's pledge stays
    ):
        actions.pledge(
            project=target,
            resource=resource,
            quantity=quantity,
            acting_user=cb["dispatcher"],
        )
    actions.project_cancel(
        project=project, acting_user=cb["community_east"], reason="场地另有安排"
    )
    refreshed(room, car, project, problem)
    assert (room.pledged, car.pledged) == (4, 0)
    assert (project.state, project.reason) == ("cancelled", "场地另有安排")
    assert problem.state == Problem.State.OPEN
    assert Pledge.objects.filter(project=project).count() == 3  # kept, not deleted
    assert project.events.get(action="cancel").note == "场地另有安排"
    again = start(problem, cb["community_east"])
    problem.refresh_from_db()
    assert problem.state == Problem.State.PROJECT
    assert selectors.live_project(problem) == again


def test_cancelling_needs_a_reason_and_a_keeper(cb, project):
    with pytest.raises(DomainError) as refused:
        actions.project_cancel(
            project=project, acting_user=cb["community_east"], reason=""
        )
    assert refused.value.field == "reason"
    with pytest.raises(PermissionDeniedError):
        actions.project_cancel(
            project=project, acting_user=cb["gridworker"], reason="不做了"
        )
    project.refresh_from_db()
    assert project.state == Project.State.UNDERWAY


# --- evaluation -----------------------------------------------------------------


def test_residents_evaluate_a_project_only_once_it_is_completed(cb, project):
    with pytest.raises(DomainError) as early:
        actions.evaluation_record(
            project=project,
            acting_user=cb["gridworker"],
            verdict="satisfied",
            heard="callback",
        )
    assert early.value.field == "state"
    assert not Evaluation.objects.exists()
    actions.project_complete(
        project=project, acting_user=cb["community_east"], summary="开餐了"
    )
    actions.evaluation_record(
        project=project,
        acting_user=cb["gridworker"],
        verdict="satisfied",
        heard="meeting",
        residents=12,
        comment="饭菜可口",
    )
    actions.evaluation_record(
        project=project,
        acting_user=cb["community_east"],
        verdict="basic",
        heard="survey",
        residents=5,
    )
    actions.evaluation_record(
        project=project,
        acting_user=cb["community_east"],
        verdict="satisfied",
        heard="callback",
    )
    assert selectors.satisfaction(project) == {"satisfied": 13, "basic": 5}
    assert project.events.filter(action="evaluate").count() == 3


def test_a_cancelled_project_is_not_evaluated(cb, project):
    actions.project_cancel(
        project=project, acting_user=cb["community_east"], reason="不做了"
    )
    with pytest.raises(DomainError) as refused:
        actions.evaluation_record(
            project=project,
            acting_user=cb["community_east"],
            verdict="dissatisfied",
            heard="callback",
        )
    assert refused.value.field == "state"


@pytest.mark.parametrize(
    ("verdict", "heard", "residents", "field"),
    [
        ("great", "callback", 1, "verdict"),
        ("satisfied", "rumour", 1, "heard"),
        ("satisfied", "callback", 0, "residents"),
        ("satisfied", "callback", 10_001, "residents"),
    ],
)
def test_an_evaluation_names_a_verdict_where_it_was_heard_and_by_whom(
    cb, project, verdict, heard, residents, field
):
    actions.project_complete(
        project=project, acting_user=cb["community_east"], summary="完成"
    )
    with pytest.raises(DomainError) as refused:
        actions.evaluation_record(
            project=project,
            acting_user=cb["community_east"],
            verdict=verdict,
            heard=heard,
            residents=residents,
        )
    assert refused.value.field == field
    assert not Evaluation.objects.exists()


def test_only_the_owner_and_the_keepers_record_an_evaluation(cb, project):
    actions.project_complete(
        project=project, acting_user=cb["community_east"], summary="完成"
    )
    with pytest.raises(PermissionDeniedError):
        actions.evaluation_record(
            project=project,
            acting_user=cb["unit_contact"],
            verdict="satisfied",
            heard="callback",
        )
    assert not Evaluation.objects.exists()


# --- provenance -----------------------------------------------------------------


def test_the_appeals_a_project_answers_are_those_its_problem_came_from(
    cb, street, submit
):
    first, second, later, other = (
        submit(description=f"第{n}次反映助餐", **IN_E1) for n in range(4)
    )
    problem = raise_problem(cb["dispatcher"], street.east, appeals=[first, second])
    actions.problem_add_source(
        problem=problem,
        acting_user=cb["dispatcher"],
        appeals=[later],
        meeting="居民议事会",
    )
    raise_problem(cb["dispatcher"], street.east, title="别的问题", appeals=[other])
    project = start(problem, cb["dispatcher"])
    answered = set(selectors.appeals_answered_by(project))
    from_sources = {s.appeal for s in problem.sources.filter(appeal__isnull=False)}
    assert answered == from_sources == {first, second, later}


def test_a_source_appeal_is_linked_only_for_who_may_open_it(cb, street, submit):
    appeal = submit(**IN_E1)
    problem = raise_problem(
        cb["dispatcher"], street.east, appeals=[appeal], meeting="联席会"
    )
    for who, visible in (("dispatcher", True), ("unit_contact", False)):
        views = selectors.sources_for(cb[who], problem)
        assert [(v.source.kind, v.appeal_visible) for v in views] == [
            ("appeal", visible),
            ("meeting", False),
        ]


def test_every_step_of_a_project_is_on_its_problems_record(cb, street, problem):
    resource = offer(cb, cb["dispatcher"], street.east)
    project = start(problem, cb["community_east"], milestones=[("开餐", in_days(5))])
    actions.pledge(
        project=project, resource=resource, quantity=1, acting_user=cb["dispatcher"]
    )
    actions.milestone_done(
        milestone=project.milestones.get(), acting_user=cb["community_east"]
    )
    actions.progress_note(
        project=project, acting_user=cb["community_east"], text="做饭"
    )
    actions.project_complete(
        project=project, acting_user=cb["community_east"], summary="完成"
    )
    actions.evaluation_record(
        project=project,
        acting_user=cb["community_east"],
        verdict="satisfied",
        heard="callback",
    )
    assert list(
        ListEvent.objects.filter(problem=problem).values_list("action", flat=True)
    ) == ["raise", "start", "pledge", "milestone", "progress", "complete", "evaluate"]
    assert Resource.objects.get(pk=resource.pk).pledged == 1


def test_an_appeal_added_while_the_project_is_underway_is_told_too(
    cb, street, submit, problem, project
):
    later = submit(description="助餐点什么时候开？", **IN_E1)
    actions.problem_add_source(
        problem=problem, acting_user=cb["community_east"], appeals=[later]
    )
    told = actions.project_complete(
        project=project, acting_user=cb["community_east"], summary="开餐了"
    )
    assert told == 1
    assert CaseEvent.objects.filter(appeal=later, action="project_done").exists()
    assert list(selectors.appeals_answered_by(project)) == [later]


def test_a_project_no_longer_underway_takes_no_progress(cb, project):
    actions.project_complete(
        project=project, acting_user=cb["community_east"], summary="完成"
    )
    with pytest.raises(DomainError) as refused:
        actions.progress_note(
            project=project, acting_user=cb["gridworker"], text="还在做"
        )
    assert refused.value.field == "state"
    assert not ProgressNote.objects.exists()


def test_the_contact_of_a_unit_whose_registration_ended_pledges_no_more(
    cb, street, project
):
    resource = offer(cb, cb["unit_contact"], street.east, provider="unit")
    pb_actions.registration_end(
        registration=cb["unit"], reason="单位撤销", acting_user=cb["unit_contact"]
    )
    with pytest.raises(PermissionDeniedError):
        actions.pledge(
            project=project,
            resource=resource,
            quantity=1,
            acting_user=cb["unit_contact"],
        )
    resource.refresh_from_db()
    assert resource.pledged == 0
