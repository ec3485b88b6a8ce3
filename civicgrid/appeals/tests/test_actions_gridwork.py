"""A grid worker's work on appeals: the shares dispatched to their grid (sign,
progress, reply), a problem found on patrol and dealt with on the spot
(就地处置), and the check on site a dispatcher asks of them (核查) — through
the actions and steps people use, scoped to the grids they hold."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.http import Http404

from civicgrid.accounts.actions import membership_add
from civicgrid.accounts.models import Role
from civicgrid.api.testing import jpeg_upload
from civicgrid.appeals import actions, selectors
from civicgrid.appeals.actions import Unit
from civicgrid.appeals.models import Appeal, Attachment, CaseEvent, Submission
from civicgrid.appeals.permissions import available_actions
from civicgrid.appeals.steps import STEPS, describe
from civicgrid.core import clock
from civicgrid.core.errors import DomainError, PermissionDeniedError
from civicgrid.core.images import process_image
from civicgrid.notifications.models import Notification
from conftest import make_user

from .conftest import INSIDE_E1

INSIDE_W1 = {"latitude": 29.615, "longitude": 91.005}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def take(name: str) -> Callable[..., Any]:
    """A step as the console and the API take it (what it answers, untyped)."""
    return STEPS[name]


def photo(color=(30, 120, 200)):
    return process_image(jpeg_upload(color=color).getvalue(), filename="p.jpg")


@pytest.fixture
def w1_worker(street):
    worker = make_user("gridworker_w1", "格桑")
    membership_add(
        user=worker, role=Role.GRID_WORKER, area=street.grids["w1"], acting_user=None
    )
    return worker


def to_grid(appeal, staff, street, grid="e1"):
    actions.appeal_accept(appeal=appeal, acting_user=staff["dispatcher"])
    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(area=street.grids[grid]),
    )
    return appeal


def replied_by_grid(submit, staff, street, **given):
    appeal = to_grid(submit(**given), staff, street)
    worker = staff["gridworker"]
    take("sign")(worker, appeal, {})
    take("reply")(
        worker, appeal, {"outcome": "resolved", "public_reply": "已调解，双方和好。"}
    )
    appeal.refresh_from_db()
    return appeal


def on_site(staff, street, **given):
    fields = {
        "acting_user": staff["gridworker"],
        "grid": street.grids["e1"],
        "description": "巡查发现井盖松动。",
        "note": "已重新固定井盖。",
        "before_photos": [photo()],
        "after_photos": [photo((200, 200, 40))],
        **INSIDE_E1,
        **given,
    }
    return actions.appeal_dispose_on_site(**fields)


# --- what is dispatched to the grid ---------------------------------------------


def test_an_appeal_in_the_grid_is_read_only_until_dispatched_to_the_grid(
    submit, staff, street
):
    worker = staff["gridworker"]
    appeal = submit()
    assert appeal.grid == street.grids["e1"]
    assert selectors.appeal_get_for_user(worker, appeal.pk) == appeal
    assert available_actions(worker, appeal) == set()
    to_grid(appeal, staff, street)
    assert available_actions(worker, appeal) == {
        "sign",
        "return",
        "progress",
        "request_extension",
    }


def test_the_grid_worker_signs_notes_progress_and_replies_for_their_grid(
    submit, staff, street
):
    worker = staff["gridworker"]
    appeal = to_grid(submit(), staff, street)
    signed = take("sign")(worker, appeal, {})
    assert describe("sign", appeal, signed).startswith("Signed for (东嘎一网格)")
    take("progress")(worker, appeal, {"note": "已上门了解情况", "public": True})
    appeal.refresh_from_db()
    assert "reply" in available_actions(worker, appeal)
    assert "reveal_contact" in available_actions(worker, appeal)  # 先联系后办理
    take("reply")(
        worker,
        appeal,
        {"outcome": "resolved", "public_reply": "已调解。", "photos": [photo()]},
    )
    appeal.refresh_from_db()
    assert appeal.state == "replied" and appeal.reply_outcome == "resolved"
    events = {e.action: e for e in appeal.events.select_related("actor")}
    assert {"sign", "progress", "reply"} <= events.keys()
    from civicgrid.appeals.labels import actor_label

    assert actor_label(events["reply"]) == "扎西 (东嘎一网格)"
    assert actor_label(events["reply"], public=True) == "东嘎一网格"


def test_a_grid_worker_of_another_grid_can_neither_see_nor_sign(
    submit, staff, street, w1_worker
):
    appeal = to_grid(submit(), staff, street)
    with pytest.raises(Http404):
        selectors.appeal_get_for_user(w1_worker, appeal.pk)
    with pytest.raises(PermissionDeniedError):
        actions.assignment_sign(
            assignment=appeal.assignments.get(), acting_user=w1_worker
        )
    assert appeal.assignments.get().state == "dispatched"


def test_the_my_grids_queue_holds_every_appeal_of_the_workers_grids_only(
    submit, staff, street, w1_worker
):
    in_e1 = submit()
    in_w1 = submit(**INSIDE_W1)

    def listed(user):
        return set(selectors.queue(user, "my_grids").values_list("pk", flat=True))

    assert listed(staff["gridworker"]) == {in_e1.pk}
    assert listed(w1_worker) == {in_w1.pk}
    assert listed(staff["handler_cg"]) == set()
    assert "my_grids" in selectors.queues_for(staff["gridworker"])
    assert "my_grids" not in selectors.queues_for(staff["handler_cg"])
    assert "my_grids" not in selectors.queues_for(staff["dispatcher"])


# --- 就地处置 ---------------------------------------------------------------------


def test_a_finding_dealt_with_on_the_spot_is_received_and_closed_for_the_grid(
    staff, street
):
    appeal, created = on_site(staff, street)
    assert created
    appeal.refresh_from_db()
    assert appeal.channel == "patrol" and appeal.entered_by == staff["gridworker"]
    assert appeal.grid == street.grids["e1"]
    assert appeal.state == "closed" and appeal.close_reason == "on_site"
    assert appeal.reply_outcome == "resolved"
    share = appeal.assignments.get()
    assert (share.role, share.state, share.area) == ("lead", "done", appeal.grid)
    assert share.signed_by == staff["gridworker"]
    submitted, done = appeal.events.order_by("id")
    assert (submitted.action, done.action) == ("submit", "dispose_on_site")
    assert (done.from_state, done.to_state, done.public) == ("received", "closed", True)
    assert done.note == "已重新固定井盖。" and done.assignment == share
    assert done.created_at == submitted.created_at or done.created_at >= (
        submitted.created_at
    )
    # Before on the finding, after on the disposal: both public.
    assert submitted.attachments.count() == 1 and done.attachments.count() == 1
    assert all(a.public for a in appeal.attachments.all())
    from civicgrid.appeals.labels import actor_label

    assert actor_label(done, public=True) == "东嘎一网格"


def test_an_address_only_finding_is_placed_in_the_grid_chosen(staff, street):
    appeal, _created = on_site(
        staff,
        street,
        latitude=None,
        longitude=None,
        address="东嘎社区2号路口",
        grid=street.grids["e2"],
    )
    appeal.refresh_from_db()
    assert appeal.grid == street.grids["e2"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"before_photos": []}, "before_photos"),
        ({"after_photos": []}, "after_photos"),
        ({"note": "  "}, "note"),
        ({"description": ""}, "description"),
        ({"grid": "w1"}, "grid"),
        (INSIDE_W1, "location"),  # the pin lies in another grid
        ({"latitude": None, "longitude": None}, "location"),  # nowhere at all
    ],
)
def test_a_disposal_missing_something_names_it_and_leaves_nothing(
    staff, street, settings, change, field
):
    if change.get("grid") == "w1":
        change = {"grid": street.grids["w1"]}
    with pytest.raises(DomainError) as refused:
        on_site(staff, street, **change)
    assert refused.value.field == field
    assert not Appeal.objects.exists() and not Submission.objects.exists()
    assert not Attachment.objects.exists()
    stored = settings.MEDIA_ROOT / "intake"
    assert not stored.exists() or not any(p.is_file() for p in stored.rglob("*"))


def test_only_a_grid_worker_of_the_grid_disposes_on_the_spot(staff, street):
    for who in ("dispatcher", "handler_cg", "operator"):
        with pytest.raises(DomainError) as refused:
            on_site(staff, street, acting_user=staff[who])
        assert refused.value.field == "grid"
    assert not Appeal.objects.exists()


def test_a_retry_with_the_same_key_answers_the_same_appeal(staff, street):
    first, created = on_site(staff, street, idempotency_key="onsite-1")
    again, created_again = on_site(staff, street, idempotency_key="onsite-1")
    assert created and not created_again
    assert again.pk == first.pk and Appeal.objects.count() == 1
    assert CaseEvent.objects.filter(action="dispose_on_site").count() == 1


# --- 核查 -------------------------------------------------------------------------


def test_a_dispatcher_asks_the_grid_worker_to_verify_and_the_callback_waits(
    submit, staff, street
):
    appeal = replied_by_grid(submit, staff, street)
    dispatcher, worker, operator = (
        staff["dispatcher"],
        staff["gridworker"],
        staff["operator"],
    )
    assert "request_verification" in available_actions(dispatcher, appeal)
    assert "request_verification" not in available_actions(operator, appeal)
    verification = take("request_verification")(
        dispatcher, appeal, {"grid_worker": worker.pk, "note": "看看是否真的和好"}
    )
    assert describe("request_verification", appeal, verification) == (
        "Asked 扎西 (东嘎一网格) to verify the reply on site; "
        "the callback waits for it."
    )
    assert verification.state == "pending" and verification.grid_worker == worker
    event = appeal.events.get(action="request_verification")
    assert not event.public and event.data["grid_worker"] == "扎西"
    told = Notification.objects.get(event="appeal.verification_requested")
    assert told.recipient == worker.username and appeal.tracking_code in told.body
    assert "verify" in available_actions(worker, appeal)
    assert "callback" not in available_actions(operator, appeal)
    assert "request_verification" not in available_actions(dispatcher, appeal)
    with pytest.raises(DomainError) as waits:
        actions.appeal_callback(
            appeal=appeal, acting_user=operator, resolved=True, satisfaction="satisfied"
        )
    assert waits.value.field == "state"
    queued = selectors.queue(worker, "to_verify").values_list("pk", flat=True)
    assert list(queued) == [appeal.pk]
    assert list(selectors.queue(dispatcher, "to_verify").values_list("pk", flat=True))
    assert not selectors.queue(staff["handler_cg"], "to_verify").exists()


def test_a_passed_check_on_a_residents_appeal_goes_on_to_the_callback(
    submit, staff, street
):
    appeal = replied_by_grid(submit, staff, street)
    take("request_verification")(
        staff["dispatcher"], appeal, {"grid_worker": staff["gridworker"]}
    )
    done = take("verify")(
        staff["gridworker"],
        appeal,
        {"passed": True, "note": "现场已恢复", "photos": [photo()]},
    )
    appeal.refresh_from_db()
    assert appeal.state == "replied" and done.state == "passed"
    assert describe("verify", appeal, done) == (
        "Verified on site; the resident's callback follows."
    )
    event = appeal.events.get(action="verify")
    assert event.data["passed"] is True and not event.public
    assert event.attachments.count() == 1 and not event.attachments.get().public
    assert "callback" in available_actions(staff["operator"], appeal)
    told = Notification.objects.get(event="appeal.verification_done")
    assert told.recipient == staff["dispatcher"].username
    assert "passed" in told.body
    actions.appeal_callback(
        appeal=appeal,
        acting_user=staff["operator"],
        resolved=True,
        satisfaction="satisfied",
    )
    appeal.refresh_from_db()
    assert appeal.state == "closed" and appeal.close_reason == "rated"


def test_a_check_that_does_not_pass_sends_it_back_to_the_lead_unit(
    submit, staff, street
):
    appeal = replied_by_grid(submit, staff, street)
    take("request_verification")(
        staff["dispatcher"], appeal, {"grid_worker": staff["gridworker"]}
    )
    with pytest.raises(DomainError) as no_reason:
        take("verify")(staff["gridworker"], appeal, {"passed": False, "note": ""})
    assert no_reason.value.field == "note"
    done = take("verify")(
        staff["gridworker"], appeal, {"passed": False, "note": "双方仍在争吵"}
    )
    appeal.refresh_from_db()
    assert done.state == "failed" and done.result_note == "双方仍在争吵"
    assert appeal.state == "handling" and appeal.rehandle_count == 1
    lead = appeal.assignments.get()
    assert lead.state == "handling" and lead.due_at > clock.now()
    assert describe("verify", appeal, done).startswith(
        "Not passed: sent back to 东嘎一网格 to handle again, answer by"
    )
    rehandle = appeal.events.get(action="rehandle")
    assert rehandle.public and rehandle.note == ""  # the reason is staff's words
    assert Notification.objects.filter(event="appeal.verification_failed").exists()
    assert "reply" in available_actions(staff["gridworker"], appeal)


def test_a_passed_check_closes_a_patrol_finding_nobody_is_called_back_on(
    submit, staff, street
):
    appeal = replied_by_grid(
        submit,
        staff,
        street,
        channel="patrol",
        name="",
        phone="",
        acting_user=staff["gridworker"],
    )
    take("request_verification")(
        staff["dispatcher"], appeal, {"grid_worker": staff["gridworker"]}
    )
    done = take("verify")(staff["gridworker"], appeal, {"passed": True})
    appeal.refresh_from_db()
    assert appeal.state == "closed" and appeal.close_reason == "verified"
    assert set(appeal.assignments.values_list("state", flat=True)) == {"done"}
    assert describe("verify", appeal, done) == (
        "Verified on site: the appeal is closed."
    )
    assert appeal.events.get(action="verify").public


def test_who_may_ask_and_whom(submit, staff, street, w1_worker):
    appeal = replied_by_grid(submit, staff, street)
    with pytest.raises(PermissionDeniedError):
        take("request_verification")(
            staff["operator"], appeal, {"grid_worker": staff["gridworker"]}
        )
    for nobody in (w1_worker.pk, staff["handler_cg"].pk, 999_999):
        with pytest.raises(DomainError) as refused:
            take("request_verification")(
                staff["dispatcher"], appeal, {"grid_worker": nobody}
            )
        assert refused.value.field == "grid_worker"
    take("request_verification")(
        staff["dispatcher"], appeal, {"grid_worker": staff["gridworker"]}
    )
    with pytest.raises(DomainError) as twice:
        take("request_verification")(
            staff["dispatcher"], appeal, {"grid_worker": staff["gridworker"]}
        )
    assert twice.value.field == "state" or twice.value.field == "grid_worker"
    # Another grid worker of the same grid was not asked.
    colleague = make_user("gridworker_e1b", "达瓦")
    membership_add(
        user=colleague,
        role=Role.GRID_WORKER,
        area=street.grids["e1"],
        acting_user=None,
    )
    assert "verify" not in available_actions(colleague, appeal)
    with pytest.raises(PermissionDeniedError):
        take("verify")(colleague, appeal, {"passed": True})
    appeal.refresh_from_db()
    assert appeal.state == "replied"


def test_a_resident_who_rates_first_withdraws_the_check(submit, staff, street):
    appeal = replied_by_grid(submit, staff, street)
    verification = take("request_verification")(
        staff["dispatcher"], appeal, {"grid_worker": staff["gridworker"]}
    )
    actions.appeal_callback(
        appeal=appeal, acting_user=None, resolved=True, satisfaction="satisfied"
    )
    verification.refresh_from_db()
    assert verification.state == "withdrawn"
    assert not selectors.queue(staff["gridworker"], "to_verify").exists()


def test_the_sweep_leaves_an_appeal_being_verified_open(
    submit, staff, street, settings, time_machine
):
    appeal = replied_by_grid(submit, staff, street)
    take("request_verification")(
        staff["dispatcher"], appeal, {"grid_worker": staff["gridworker"]}
    )
    time_machine.move_to(
        clock.now() + timedelta(days=settings.CIVICGRID_CALLBACK_DAYS + 1)
    )
    assert actions.callbacks_close_unanswered(limit=10) == 0
    appeal.refresh_from_db()
    assert appeal.state == "replied"
