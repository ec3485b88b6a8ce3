"""Receiving an appeal (接诉): where it lands, what is stored and how, what is
refused (always naming the field), staff channels, photos and idempotency."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from PIL import Image

from civicgrid.appeals import actions
from civicgrid.appeals.actions import AppealInput, IdempotencyMismatch
from civicgrid.appeals.jobs import register_submissions
from civicgrid.appeals.models import (
    Appeal,
    Attachment,
    Category,
    CategoryQuestion,
    Submission,
)
from civicgrid.core import clock
from civicgrid.core.crypto import blind_index
from civicgrid.core.errors import DomainError
from civicgrid.core.images import ProcessedImage, process_image
from civicgrid.notifications.models import Notification
from civicgrid.org.models import Area
from conftest import make_area

from .conftest import INSIDE_E1, PHONE

NAME = "卓玛"


def jpeg(color: tuple[int, int, int] = (200, 30, 30), size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


def photo(n: int = 0) -> ProcessedImage:
    return process_image(jpeg((10 * n % 256, 100, 200)), filename=f"lamp-{n}.jpg")


def payload(street, catalogue, **overrides: Any) -> AppealInput:
    fields: dict[str, Any] = {
        "description": "楼下路灯坏了三天，晚上很黑。",
        "street": street.street,
        "category": catalogue["lamp"],
        "name": NAME,
        "phone": PHONE,
        "consent": True,
        **INSIDE_E1,
    }
    fields.update(overrides)
    return AppealInput(**fields)


def received(appeal: Appeal) -> list[Notification]:
    return list(
        Notification.objects.filter(
            event="appeal.received", subject_ref=f"appeal:{appeal.pk}"
        ).exclude(channel=Notification.Channel.WEBHOOK)
    )


def refused(submit, **overrides: Any) -> DomainError:
    before = Appeal.objects.count()
    with pytest.raises(DomainError) as caught:
        submit(**overrides)
    assert Appeal.objects.count() == before
    return caught.value


@pytest.fixture
def photo_root(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def pet_category(catalogue) -> Category:
    """A leaf with a choice and an optional number, to test the answers."""
    from civicgrid.appeals.catalogue import category_set_terms

    pets = Category.objects.create(
        code="pets", name="犬只扰民", parent=catalogue["group"]
    )
    category_set_terms(
        category=pets,
        acting_user=None,
        kind="complaint",
        default_unit_type="grid",
        default_department=None,
        response_hours=4,
        handling_days=5,
    )
    CategoryQuestion.objects.create(
        category=pets,
        code="size",
        label="狗的大小",
        datatype="single",
        choices=["大", "小"],
        required=True,
    )
    CategoryQuestion.objects.create(
        category=pets, code="count", label="几只", datatype="number"
    )
    return pets


# --- where it lands and what is stored --------------------------------------------


def test_a_pin_sets_the_grid_and_the_street_of_that_grid(submit, street):
    appeal = submit()

    assert appeal.grid == street.grids["e1"]
    assert appeal.street == street.street
    assert appeal.state == Appeal.State.RECEIVED
    assert appeal.channel == "web"


def test_the_pin_decides_the_street_over_the_page_it_came_from(submit, street):
    other = make_area("540103002", "乃琼街道", Area.Level.STREET, street.district)

    appeal = submit(street=other)

    assert appeal.grid == street.grids["e1"]
    assert appeal.street == street.street


def test_an_address_without_a_pin_is_received_without_a_grid(submit, street):
    appeal = submit(latitude=None, longitude=None, address="东嘎社区3栋")

    assert appeal.grid is None
    assert appeal.street == street.street
    assert appeal.address == "东嘎社区3栋"


def test_the_category_brings_its_current_version_and_its_kind(submit, catalogue):
    appeal = submit(category=catalogue["lamp"])

    assert appeal.category == catalogue["lamp"]
    assert appeal.category_version == catalogue["lamp"].current_version
    assert appeal.kind == "help"


def test_a_kind_given_by_the_resident_wins_over_the_categorys(submit):
    assert submit(kind="complaint").kind == "complaint"


def test_the_received_event_is_public_and_says_the_channel(submit):
    appeal = submit()

    event = appeal.events.get()
    assert event.action == "submit"
    assert event.public is True
    assert event.to_state == Appeal.State.RECEIVED
    assert event.actor is None and event.actor_role == "resident"
    assert event.data == {"channel": "web"}


def test_name_and_phone_are_encrypted_at_rest_with_a_blind_index(submit):
    appeal = submit()

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT appellant_name, appellant_phone FROM appeals_appeal WHERE id = %s",
            [appeal.pk],
        )
        raw_name, raw_phone = cursor.fetchone()
    assert NAME not in raw_name and PHONE not in raw_phone
    assert raw_phone.startswith("gAAAA")  # a Fernet token
    appeal.refresh_from_db()
    assert (appeal.appellant_name, appeal.appellant_phone) == (NAME, PHONE)
    assert appeal.appellant_phone_index == blind_index(PHONE)


def test_spaces_in_the_phone_number_are_dropped(submit):
    appeal = submit(phone="138 1234 5678")

    appeal.refresh_from_db()
    assert appeal.appellant_phone == PHONE


def test_a_resident_with_a_phone_gets_a_received_notice(submit):
    appeal = submit()

    [notice] = received(appeal)
    assert notice.recipient == PHONE
    assert notice.state == Notification.State.PENDING
    assert appeal.tracking_code in notice.body


def test_an_anonymous_resident_without_a_phone_is_accepted_and_not_notified(submit):
    appeal = submit(anonymous=True, phone="", name="不留名")

    appeal.refresh_from_db()
    assert appeal.anonymous is True
    assert appeal.appellant_name == ""
    assert appeal.appellant_phone == "" and appeal.appellant_phone_index == ""
    assert received(appeal) == []


def test_the_privacy_consent_is_recorded(submit):
    appeal = submit()

    assert appeal.consented_at is not None


def test_staff_entering_an_appeal_asked_for_the_consent(submit, staff):
    appeal = submit(channel="phone", acting_user=staff["operator"], consent=False)

    assert appeal.consented_at is not None


def test_filing_registers_what_staff_enter_at_once_and_receives_the_rest(
    street, catalogue, staff
):
    entered, _created = actions.appeal_file(
        data=payload(street, catalogue, channel="letter", consent=False),
        acting_user=staff["operator"],
    )
    received_now, _created = actions.appeal_file(data=payload(street, catalogue))

    assert isinstance(entered, Appeal) and entered.consented_at is not None
    assert isinstance(received_now, Submission)
    assert received_now.state == Submission.State.PENDING


# --- refusals name their field ----------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": ""}, "description"),
        ({"description": "   "}, "description"),
        ({"description": "坏" * 4001}, "description"),
        ({"phone": "12345"}, "phone"),
        ({"phone": "1381234567x"}, "phone"),
        ({"phone": ""}, "phone"),
        ({"anonymous": True, "phone": "999"}, "phone"),
        ({"latitude": None, "longitude": None, "address": ""}, "location"),
        ({"latitude": 29.605, "longitude": None}, "location"),
        ({"latitude": None, "longitude": 91.005, "address": "x"}, "location"),
        ({"latitude": 95.0, "longitude": 91.0}, "location"),
        ({"consent": False}, "consent"),
        ({"kind": "gossip"}, "kind"),
        ({"channel": "pigeon"}, "channel"),
        ({"address": "路" * 201}, "address"),
        ({"name": "名" * 51}, "name"),
    ],
)
def test_an_invalid_submission_is_refused_naming_its_field(submit, overrides, field):
    assert refused(submit, **overrides).field == field


def test_a_description_of_exactly_4000_characters_is_accepted(submit):
    assert len(submit(description="坏" * 4000).description) == 4000


def test_a_non_leaf_category_is_refused(submit, catalogue):
    assert refused(submit, category=catalogue["group"]).field == "category"


def test_an_inactive_category_is_refused(submit, catalogue):
    lamp = catalogue["lamp"]
    lamp.is_active = False
    lamp.save(update_fields=["is_active"])

    assert refused(submit, category=lamp).field == "category"


def test_a_required_extra_question_must_be_answered(submit, catalogue):
    error = refused(submit, category=catalogue["dispute"], answers={})

    assert error.field == "answers.floor"
    assert "几楼" in error.message


@pytest.mark.parametrize("floor", ["three", "NaN", "Infinity", "-inf"])
def test_a_number_answer_that_is_not_a_number_is_refused(submit, catalogue, floor):
    error = refused(submit, category=catalogue["dispute"], answers={"floor": floor})

    assert error.field == "answers.floor"


def test_answers_are_stored_cleaned_with_their_labels(submit, catalogue):
    appeal = submit(category=catalogue["dispute"], answers={"floor": "3"})

    assert appeal.answers == [{"code": "floor", "label": "几楼", "value": 3.0}]


def test_a_choice_that_is_not_offered_is_refused(submit, pet_category):
    error = refused(submit, category=pet_category, answers={"size": "中"})

    assert error.field == "answers.size"


def test_an_offered_choice_and_an_optional_number_are_accepted(submit, pet_category):
    appeal = submit(category=pet_category, answers={"size": "大", "count": "2"})

    assert {a["code"]: a["value"] for a in appeal.answers} == {
        "size": "大",
        "count": 2.0,
    }
    assert appeal.kind == "complaint"


def test_more_than_nine_photos_are_refused(submit, photo_root):
    one = photo()

    assert refused(submit, photos=[one] * 10).field == "photos"
    assert not Attachment.objects.exists()


def test_a_received_at_in_the_future_is_refused(submit, staff):
    error = refused(
        submit,
        channel="phone",
        acting_user=staff["operator"],
        received_at=clock.now() + timedelta(hours=1),
    )

    assert error.field == "received_at"


# --- staff channels ---------------------------------------------------------------


@pytest.mark.parametrize("channel", ["phone", "letter", "visit", "patrol"])
def test_a_staff_channel_is_refused_without_a_signed_in_user(submit, channel):
    assert refused(submit, channel=channel).field == "channel"


@pytest.mark.parametrize("channel", ["phone", "letter", "visit", "patrol"])
def test_a_staff_channel_is_accepted_from_staff_who_are_recorded(
    submit, staff, channel
):
    an_hour_ago = clock.now() - timedelta(hours=1)

    appeal = submit(
        channel=channel,
        acting_user=staff["operator"],
        received_at=an_hour_ago,
        consent=False,
    )

    assert appeal.channel == channel
    assert appeal.entered_by == staff["operator"]
    assert appeal.received_at == an_hour_ago
    event = appeal.events.get()
    assert event.actor == staff["operator"]
    assert event.actor_role == ""


# --- photos -----------------------------------------------------------------------


def test_photos_are_stored_as_attachments_of_the_received_event(submit, photo_root):
    photos = [photo(1), photo(2)]

    appeal = submit(photos=photos)

    attachments = list(appeal.attachments.order_by("id"))
    assert len(attachments) == 2
    event = appeal.events.get(action="submit")
    for attachment, source in zip(attachments, photos, strict=True):
        assert attachment.event == event
        assert attachment.public is True
        assert attachment.content_type == "image/jpeg"
        assert attachment.sha256 == source.sha256
        assert attachment.size == len(source.content)
        assert (attachment.width, attachment.height) == (64, 48)
        assert attachment.original_name == source.original_name
        stored = Path(attachment.file.path)
        assert stored.is_file() and stored.is_relative_to(photo_root)
        assert stored.read_bytes() == source.content
        assert Path(attachment.thumbnail.path).is_file()
        assert attachment.file.name.startswith(
            f"intake/{appeal.received_at:%Y/%m}/{appeal.tracking_code}/"
        )


# --- idempotency ------------------------------------------------------------------


def test_the_same_key_and_payload_answers_with_the_first_appeal(street, catalogue):
    first, created = actions.appeal_submit(
        data=payload(street, catalogue), idempotency_key="k-1"
    )
    again, created_again = actions.appeal_submit(
        data=payload(street, catalogue), idempotency_key="k-1"
    )

    assert created is True and created_again is False
    assert again.pk == first.pk
    assert Appeal.objects.count() == 1
    submission = Submission.objects.get()
    assert submission.key == "k-1"
    assert submission.state == Submission.State.REGISTERED
    assert submission.appeal == first
    assert submission.tracking_code == first.tracking_code
    assert len(received(first)) == 1


def test_the_same_key_with_another_payload_is_refused_with_422(street, catalogue):
    actions.appeal_submit(data=payload(street, catalogue), idempotency_key="k-1")

    with pytest.raises(IdempotencyMismatch) as caught:
        actions.appeal_submit(
            data=payload(street, catalogue, description="另一件事"),
            idempotency_key="k-1",
        )

    assert caught.value.status == 422
    assert caught.value.field == "idempotency_key"
    assert Appeal.objects.count() == 1


def test_the_same_key_with_another_payload_is_refused_while_still_pending(
    street, catalogue
):
    actions.appeal_receive(data=payload(street, catalogue), idempotency_key="k-1")

    with pytest.raises(IdempotencyMismatch):
        actions.appeal_receive(
            data=payload(street, catalogue, description="另一件事"),
            idempotency_key="k-1",
        )
    assert Submission.objects.count() == 1


def test_the_same_key_with_another_priority_is_another_payload(
    street, catalogue, staff
):
    data = payload(street, catalogue, channel="phone")
    actions.appeal_submit(data=data, acting_user=staff["operator"], idempotency_key="k")

    with pytest.raises(IdempotencyMismatch):
        actions.appeal_submit(
            data=payload(street, catalogue, channel="phone", priority="urgent"),
            acting_user=staff["operator"],
            idempotency_key="k",
        )


def test_a_refused_first_attempt_does_not_bind_the_key_to_its_payload(
    street, catalogue
):
    with pytest.raises(DomainError):
        actions.appeal_submit(
            data=payload(street, catalogue, consent=False), idempotency_key="k-1"
        )
    assert not Submission.objects.exists()

    appeal, created = actions.appeal_submit(
        data=payload(street, catalogue), idempotency_key="k-1"
    )

    assert created is True
    assert Submission.objects.get().appeal == appeal


def test_a_first_attempt_that_fails_while_saving_leaves_nothing_behind(
    street, catalogue, monkeypatch, photo_root
):
    def broken(appeal: Appeal, event: str, **kwargs: Any) -> None:
        raise RuntimeError("outbox is down")

    monkeypatch.setattr(actions.notify, "resident", broken)
    with pytest.raises(RuntimeError):
        actions.appeal_submit(
            data=payload(street, catalogue),
            photos=[photo(1)],
            idempotency_key="k-1",
        )
    assert not Submission.objects.exists()
    assert not Appeal.objects.exists()
    assert not [p for p in photo_root.rglob("*") if p.is_file()]
    monkeypatch.undo()

    appeal, created = actions.appeal_submit(
        data=payload(street, catalogue), idempotency_key="k-1"
    )

    assert created is True
    assert Appeal.objects.get() == appeal


# --- receiving now, registering in the worker ----------------------------------------


def test_received_is_one_pending_submission_with_its_code_and_no_appeal_yet(
    street, catalogue
):
    submission, created = actions.appeal_receive(
        data=payload(street, catalogue), idempotency_key="k-1"
    )

    assert created is True
    assert submission.state == Submission.State.PENDING
    assert len(submission.tracking_code) == 10
    assert not Appeal.objects.exists()
    # Name and phone are in the payload, which is encrypted at rest.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT payload FROM appeals_submission WHERE id = %s", [submission.pk]
        )
        stored = cursor.fetchone()[0]
    assert PHONE not in stored and NAME not in stored and "路灯" not in stored


def test_intake_writes_every_column_that_needs_a_value():
    columns = {f.column for f in Submission._meta.concrete_fields}
    required = {
        f.column
        for f in Submission._meta.concrete_fields
        if not f.primary_key and not f.null
    }
    assert required <= set(actions.INSERT_COLUMNS) <= columns


def test_the_worker_registers_a_submission_as_its_appeal_once(street, catalogue):
    submission, _created = actions.appeal_receive(
        data=payload(street, catalogue), idempotency_key="k-1"
    )

    assert register_submissions() == 1
    assert register_submissions() == 0

    appeal = Appeal.objects.get()
    assert appeal.tracking_code == submission.tracking_code
    assert appeal.received_at == submission.received_at
    assert appeal.grid == street.grids["e1"]
    assert appeal.appellant_phone == PHONE and appeal.appellant_name == NAME
    assert appeal.appellant_phone_index == blind_index(PHONE)
    assert appeal.category_version == catalogue["lamp"].current_version
    assert appeal.events.get().action == "submit"
    assert len(received(appeal)) == 1
    submission.refresh_from_db()
    assert submission.state == Submission.State.REGISTERED
    assert submission.appeal == appeal and submission.registered_at is not None
    # The appeal holds the input now: no second copy of the name and number.
    assert submission.payload == ""


def test_a_retry_before_and_after_registration_answers_with_the_same_code(
    street, catalogue
):
    first, _ = actions.appeal_receive(
        data=payload(street, catalogue), idempotency_key="k-1"
    )
    before, created_before = actions.appeal_receive(
        data=payload(street, catalogue), idempotency_key="k-1"
    )
    register_submissions()
    after, created_after = actions.appeal_receive(
        data=payload(street, catalogue), idempotency_key="k-1"
    )

    assert (created_before, created_after) == (False, False)
    assert before.tracking_code == after.tracking_code == first.tracking_code
    assert Appeal.objects.count() == 1 and Submission.objects.count() == 1


def test_a_synchronous_retry_of_a_pending_submission_registers_it(street, catalogue):
    submission, _ = actions.appeal_receive(
        data=payload(street, catalogue), idempotency_key="k-1"
    )

    appeal, created = actions.appeal_submit(
        data=payload(street, catalogue), idempotency_key="k-1"
    )

    assert created is False
    assert appeal.tracking_code == submission.tracking_code
    assert register_submissions() == 0
    assert Appeal.objects.count() == 1


def test_an_appeal_keeps_the_clocks_it_was_received_with(street, catalogue):
    from civicgrid.appeals.catalogue import category_set_terms

    lamp = catalogue["lamp"]
    received_version = lamp.current_version
    actions.appeal_receive(data=payload(street, catalogue), idempotency_key="k-1")
    version = lamp.current_version
    category_set_terms(
        category=lamp,
        acting_user=None,
        kind=version.kind,
        default_unit_type=version.default_unit_type,
        default_department=version.default_department,
        response_hours=version.response_hours,
        handling_days=version.handling_days + 1,
        public_notice=version.public_notice,
    )

    register_submissions()

    lamp.refresh_from_db()
    assert lamp.current_version != received_version
    assert Appeal.objects.get().category_version == received_version


def test_a_registration_that_fails_stays_pending_and_is_tried_again(
    street, catalogue, monkeypatch, time_machine
):
    def broken(appeal: Appeal, event: str, **kwargs: Any) -> None:
        raise RuntimeError("outbox is down")

    time_machine.move_to(clock.now(), tick=False)
    submission, _ = actions.appeal_receive(
        data=payload(street, catalogue), idempotency_key="k-1"
    )
    monkeypatch.setattr(actions.notify, "resident", broken)

    assert register_submissions() == 0

    submission.refresh_from_db()
    assert submission.state == Submission.State.PENDING
    assert submission.attempts == 1
    assert "outbox is down" in submission.last_error
    assert submission.retry_at is not None and submission.retry_at > clock.now()
    assert not Appeal.objects.exists()
    monkeypatch.undo()
    assert register_submissions() == 0  # not before its time

    time_machine.move_to(submission.retry_at + timedelta(seconds=1), tick=False)
    assert register_submissions() == 1
    assert Appeal.objects.get().tracking_code == submission.tracking_code


def test_the_dispatchers_are_told_once_of_a_submission_that_keeps_failing(
    street, catalogue, staff, monkeypatch, time_machine, settings, client
):
    from django.urls import reverse

    from civicgrid.appeals.access import resident_key

    settings.CIVICGRID_INTAKE_ALERT_ATTEMPTS = 3

    def broken(appeal: Appeal, event: str, **kwargs: Any) -> None:
        raise RuntimeError("outbox is down")

    time_machine.move_to(clock.now(), tick=False)
    submission, _ = actions.appeal_receive(
        data=payload(street, catalogue), idempotency_key="k-1"
    )
    monkeypatch.setattr(actions.notify, "resident", broken)
    for _attempt in range(5):
        register_submissions()
        time_machine.shift(timedelta(hours=2))

    submission.refresh_from_db()
    assert submission.attempts == 5
    told = Notification.objects.filter(event="appeal.registration_stuck")
    assert list(told.values_list("recipient", flat=True)) == ["dispatcher"]
    assert submission.tracking_code in told.get().body
    assert NAME not in told.get().body and PHONE not in told.get().body
    code = submission.tracking_code
    page = client.get(
        reverse("appeals:track_resident", args=[code, resident_key(code)])
    )
    assert 'id="pending-slow"' in page.content.decode()


def test_one_bad_submission_does_not_hold_up_the_rest_of_its_batch(
    street, catalogue, monkeypatch
):
    received_now = [
        actions.appeal_receive(
            data=payload(street, catalogue, description=f"第{n}件"),
            idempotency_key=f"k-{n}",
        )[0]
        for n in range(3)
    ]
    bad = received_now[1].tracking_code
    tell = actions.notify.resident

    def broken_for_one(appeal: Appeal, event: str, **kwargs: Any) -> None:
        if appeal.tracking_code == bad:
            raise RuntimeError("cannot tell this one")
        tell(appeal, event, **kwargs)

    monkeypatch.setattr(actions.notify, "resident", broken_for_one)

    assert register_submissions() == 2

    assert set(Appeal.objects.values_list("tracking_code", flat=True)) == {
        received_now[0].tracking_code,
        received_now[2].tracking_code,
    }
    stuck = Submission.objects.get(tracking_code=bad)
    assert stuck.state == Submission.State.PENDING and stuck.attempts == 1


def test_photos_received_now_become_the_appeals_attachments(
    street, catalogue, photo_root
):
    photos = [photo(1), photo(2)]
    submission, _ = actions.appeal_receive(
        data=payload(street, catalogue), photos=photos, idempotency_key="k-1"
    )
    actions.appeal_receive(
        data=payload(street, catalogue), photos=photos, idempotency_key="k-1"
    )
    folder = photo_root / "intake"
    files = sorted(p.name for p in folder.rglob("*") if p.is_file())
    assert len(files) == 4  # two photos and two thumbnails; the retry left none

    register_submissions()

    appeal = Appeal.objects.get()
    attachments = list(appeal.attachments.order_by("id"))
    assert [a.sha256 for a in attachments] == [p.sha256 for p in photos]
    for attachment, source in zip(attachments, photos, strict=True):
        assert Path(attachment.file.path).read_bytes() == source.content
        assert attachment.event == appeal.events.get(action="submit")


def test_a_resident_account_cannot_enter_a_hotline_call(street, catalogue, staff):
    from civicgrid.appeals.actions import AppealInput, appeal_submit
    from civicgrid.core.errors import DomainError as Refused

    with pytest.raises(Refused) as caught:
        appeal_submit(
            data=AppealInput(
                description="冒充坐席",
                street=street.street,
                channel="phone",
                address="某处",
                anonymous=True,
            ),
            acting_user=staff["resident"],
        )
    assert caught.value.field == "channel"


def test_a_grid_worker_reports_from_patrol_but_takes_no_calls(street, catalogue, staff):
    from civicgrid.appeals.actions import AppealInput, appeal_submit
    from civicgrid.core.errors import DomainError as Refused

    data = {
        "description": "巡查发现井盖缺失",
        "street": street.street,
        "address": "2号路口",
        "anonymous": True,
    }
    appeal, _created = appeal_submit(
        data=AppealInput(channel="patrol", **data), acting_user=staff["gridworker"]
    )
    assert appeal.channel == "patrol"
    with pytest.raises(Refused):
        appeal_submit(
            data=AppealInput(channel="phone", **data), acting_user=staff["gridworker"]
        )


def test_the_lead_reply_waits_for_the_co_handler_share(bring, staff, departments):
    """A co-handler's share no longer ends silently with the lead's reply: the
    reply is refused, naming it, until the co-handler completes it."""
    from civicgrid.appeals import actions
    from civicgrid.appeals.actions import Unit

    appeal = bring("accepted")
    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(department=departments["cg"]),
        co_handlers=[Unit(department=departments["zj"])],
    )
    lead = appeal.assignments.get(role="lead")
    actions.assignment_sign(assignment=lead, acting_user=staff["handler_cg"])
    with pytest.raises(DomainError, match="住建局") as refused:
        actions.appeal_reply(
            outcome="resolved",
            assignment=lead,
            acting_user=staff["handler_cg"],
            public_reply="好了",
        )
    assert refused.value.field == "co_handlers"
    co = appeal.assignments.get(role="co")
    assert co.state == "dispatched"
    actions.assignment_sign(assignment=co, acting_user=staff["handler_zj"])
    actions.assignment_complete(
        assignment=co, acting_user=staff["handler_zj"], note="协办完成：已巡查"
    )
    actions.appeal_reply(
        outcome="resolved",
        assignment=lead,
        acting_user=staff["handler_cg"],
        public_reply="好了",
    )
    assert appeal.assignments.get(role="co").state == "done"


def test_intake_reads_the_catalogue_from_a_cache_that_forgets_each_change(
    settings,
    catalogue,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    from civicgrid.appeals.selectors import category_for_intake
    from civicgrid.core import refcache

    settings.CIVICGRID_REFERENCE_CACHE_SECONDS = 60
    refcache.clear()
    lamp = catalogue["lamp"]
    first = category_for_intake(lamp.pk)
    assert first is not None

    with django_assert_num_queries(0):
        again = category_for_intake(lamp.pk)
        assert again is not None and list(again.questions.all()) == []
    assert again is first

    with django_capture_on_commit_callbacks(execute=True):
        Category.objects.get(pk=lamp.pk).save(update_fields=["is_active"])
    assert category_for_intake(lamp.pk) is not first

    with django_capture_on_commit_callbacks(execute=True):
        lamp.is_active = False
        lamp.save(update_fields=["is_active"])
    assert category_for_intake(lamp.pk) is None
    refcache.clear()
