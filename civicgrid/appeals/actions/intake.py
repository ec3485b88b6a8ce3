"""Intake (接诉): an appeal received from a resident, an operator or another
system, and registered as an appeal by the worker (or at once)."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import uuid
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.core.validators import validate_email
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.accounts import access
from civicgrid.accounts.models import Role
from civicgrid.core import clock
from civicgrid.core.audio import ProcessedAudio, store_audio
from civicgrid.core.crypto import blind_index, encrypt
from civicgrid.core.db import limit_lock_wait, lock_timed_out, restore_lock_wait
from civicgrid.core.errors import ConflictError, DomainError, IdempotencyMismatch
from civicgrid.core.images import MAX_PHOTOS_PER_APPEAL, ProcessedImage, store_image
from civicgrid.notifications.actions import notify_staff
from civicgrid.org.models import Area
from civicgrid.org.selectors import grids_and_streets_for_points

from .. import listeners, notify, permissions
from ..clocks import deadlines_from_receipt
from ..models import (
    Appeal,
    Attachment,
    CaseEvent,
    Category,
    CategoryQuestion,
    CategoryVersion,
    Channel,
    Kind,
    Submission,
    VoiceMessage,
)
from . import timeline
from .timeline import _text

TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
MAX_DESCRIPTION = 4000
# Channels only the street's staff enter (a call, a letter, a visit, a patrol):
# entered at once, the resident's consent asked by whoever enters it.
STAFF_CHANNELS = (Channel.PHONE, Channel.LETTER, Channel.VISIT, Channel.PATROL)


def new_tracking_code() -> str:
    """Ten characters without 0/O, 1/I/L: easy to read out over the phone, and
    31¹⁰ ≈ 8 × 10¹⁴ of them, so a code cannot be guessed. One draw from the
    system's randomness, written in base 31."""
    number = secrets.randbelow(len(TRACKING_ALPHABET) ** 10)
    digits = []
    for _position in range(10):
        number, digit = divmod(number, len(TRACKING_ALPHABET))
        digits.append(TRACKING_ALPHABET[digit])
    return "".join(digits)


@dataclass
class AppealInput:
    """What a resident, an operator or another system submits."""

    description: str
    street: Area
    channel: str = Channel.WEB
    kind: str = ""
    category: Category | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    latitude: float | None = None
    longitude: float | None = None
    address: str = ""
    anonymous: bool = False
    name: str = ""
    phone: str = ""
    email: str = ""
    consent: bool = False
    received_at: datetime | None = None
    priority: str = Appeal.Priority.NORMAL
    # The language the resident speaks (the page's, or what the operator heard):
    # their messages go out in it.
    language: str = "zh-hans"
    # Where another system's appeal came from: its name, the resident's account
    # and device there, a link to its photo. Kept on the "submit" event.
    source: dict[str, str] = field(default_factory=dict)
    # A voice message (语音留言) instead of, or besides, the description:
    # checked by ``audio.process_audio``, stored and registered like a photo.
    voice: ProcessedAudio | None = None

    def fingerprint(self, photos: Sequence[ProcessedImage]) -> str:
        """A hash of the payload: the same idempotency key with another payload
        is refused."""
        payload = {
            "description": self.description.strip(),
            "street": self.street.pk,
            "channel": self.channel,
            "kind": self.kind,
            "category": self.category.pk if self.category else None,
            "answers": self.answers,
            "lat": self.latitude,
            "lon": self.longitude,
            "address": self.address.strip(),
            "anonymous": self.anonymous,
            "name": self.name.strip(),
            "phone": self.phone.strip(),
            "email": self.email.strip(),
            "source": self.source,
            "received_at": self.received_at.isoformat() if self.received_at else None,
            "priority": self.priority,
            "language": self.language,
            "photos": [p.sha256 for p in photos],
        }
        if self.voice is not None:  # absent otherwise: earlier hashes still match
            payload["voice"] = self.voice.sha256
        encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(encoded.encode()).hexdigest()


def _clean_answers(
    category: Category | None, answers: dict[str, Any]
) -> list[dict[str, Any]]:
    if category is None:
        return []
    cleaned = []
    for question in category.questions.all():
        raw = answers.get(question.code)
        field_name = f"answers.{question.code}"
        empty = raw in (None, "", [])
        if empty:
            if question.required:
                raise DomainError(
                    _("Please answer: %(question)s") % {"question": question.label},
                    field=field_name,
                )
            continue
        value: Any = raw
        kind = question.datatype
        try:
            if kind == CategoryQuestion.Datatype.NUMBER:
                number = Decimal(str(raw))
                if not number.is_finite():  # NaN and Infinity are not JSON
                    raise ValueError
                value = float(number)
            elif kind == CategoryQuestion.Datatype.DATE:
                value = date.fromisoformat(str(raw)).isoformat()
            elif kind == CategoryQuestion.Datatype.DATETIME:
                moment = datetime.fromisoformat(str(raw))
                if timezone.is_naive(moment):  # a form's datetime-local: local time
                    moment = timezone.make_aware(moment)
                value = moment.isoformat()
            elif kind == CategoryQuestion.Datatype.SINGLE:
                if raw not in question.choices:
                    raise ValueError
            elif kind == CategoryQuestion.Datatype.MULTIPLE:
                value = list(raw) if isinstance(raw, list | tuple) else [raw]
                if not value or any(v not in question.choices for v in value):
                    raise ValueError
            else:
                value = _text(
                    str(raw),
                    field=field_name,
                    label=question.label,
                    limit=200 if kind == CategoryQuestion.Datatype.STRING else 2000,
                )
        except (ValueError, ArithmeticError) as exc:
            raise DomainError(
                _("The answer to “%(question)s” is not valid.")
                % {"question": question.label},
                field=field_name,
            ) from exc
        cleaned.append({"code": question.code, "label": question.label, "value": value})
    return cleaned


def _validate_input(
    data: AppealInput, photos: Sequence[ProcessedImage]
) -> dict[str, Any]:
    # A voice message may stand for the description; the operator writes it
    # down (voice_transcribe) and the transcript becomes the description.
    description = _text(
        data.description,
        field="description",
        label=_("The description"),
        required=False,
        limit=MAX_DESCRIPTION,
    )
    if not description and data.voice is None:
        raise DomainError(
            _("Say in a few words what happened, or record a voice message."),
            field="description",
        )
    if data.kind and data.kind not in Kind.values:
        raise DomainError(_("Choose a kind of appeal."), field="kind")
    if data.channel not in Channel.values:
        raise DomainError(_("Unknown channel."), field="channel")
    if data.language not in dict(settings.LANGUAGES):
        raise DomainError(_("Choose a language from the list."), field="language")
    category = data.category
    if category is not None and (
        not category.is_active or category.current_version_id is None
    ):
        raise DomainError(_("Choose a category from the list."), field="category")
    if (data.latitude is None) != (data.longitude is None):
        raise DomainError(_("Give both latitude and longitude."), field="location")
    if data.latitude is not None and not (
        -90 <= data.latitude <= 90 and -180 <= float(data.longitude or 0) <= 180
    ):
        raise DomainError(_("The location is not a valid position."), field="location")
    address = _text(
        data.address, field="address", label=_("The address"), required=False, limit=200
    )
    if data.latitude is None and not address:
        raise DomainError(
            _("Place a pin on the map or give an address."), field="location"
        )
    name = _text(data.name, field="name", label=_("The name"), required=False, limit=50)
    phone = re.sub(r"[\s]", "", data.phone or "")
    email = _text(
        data.email, field="email", label=_("The e-mail"), required=False, limit=254
    )
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise DomainError(
                _("The e-mail address is not valid."), field="email"
            ) from exc
    # Another system keeps its own contact with the resident (its account, an
    # e-mail) and follows up through its updates: it need not give a number. A
    # patrol finding (巡查) has no appellant: the grid worker who enters it is its
    # source (``entered_by``), so it needs no number and is not anonymous either.
    if (
        not data.anonymous
        and not phone
        and data.channel not in (Channel.API, Channel.PATROL)
    ):
        raise DomainError(
            _("Give a phone number for the callback, or choose to stay anonymous."),
            field="phone",
        )
    if phone and not PHONE_RE.match(phone):
        raise DomainError(_("The phone number is not valid."), field="phone")
    if data.channel == Channel.WEB and not data.consent:
        raise DomainError(_("Please accept the privacy notice."), field="consent")
    if len(photos) > MAX_PHOTOS_PER_APPEAL:
        raise DomainError(
            _("At most %(n)d photos.") % {"n": MAX_PHOTOS_PER_APPEAL}, field="photos"
        )
    now = clock.now()
    received_at = data.received_at or now
    if received_at > now + timedelta(minutes=5):
        raise DomainError(_("The time received is in the future."), field="received_at")
    kind = data.kind or (
        category.current_version.kind if category and category.current_version else ""
    )
    return {
        "description": description,
        "address": address,
        "name": name,
        "phone": phone,
        "email": email,
        "received_at": received_at,
        "kind": kind or Kind.HELP,
        "answers": _clean_answers(category, data.answers),
        # Staff asked on the phone, at the desk or on the spot.
        "consent": data.consent or data.channel in STAFF_CHANNELS,
    }


def _check_channel(data: AppealInput, acting_user: Any) -> None:
    if data.channel in STAFF_CHANNELS and not permissions.may_enter_for(
        acting_user, data.street, data.channel
    ):
        raise DomainError(
            _("Only the street's staff enter appeals for this channel."),
            field="channel",
        )
    if data.channel == Channel.API and not permissions.is_client_system(acting_user):
        raise DomainError(
            _("Only another system, with its client key, files through the API."),
            field="channel",
        )


def appeal_receive(
    *,
    data: AppealInput,
    acting_user: Any = None,
    photos: Sequence[ProcessedImage] = (),
    idempotency_key: str | None = None,
) -> tuple[Submission, bool]:
    """Receive an appeal (接诉) and answer at once: one insert, whose tracking code
    the client gets now; the worker registers it as an appeal within moments
    (:func:`submission_register`). Returns the submission and whether it was
    received now (False for a retry with the same idempotency key)."""
    _check_channel(data, acting_user)
    cleaned = _validate_input(data, photos)
    return _insert_submission(data, cleaned, photos, acting_user, idempotency_key)


def appeal_file(
    *,
    data: AppealInput,
    acting_user: Any = None,
    photos: Sequence[ProcessedImage] = (),
    idempotency_key: str | None = None,
) -> tuple[Appeal | Submission, bool]:
    """File an appeal on any channel: what the street's staff enter (a call, a
    letter, a visit, a patrol) is registered at once and answers with the
    appeal (:func:`appeal_submit`); anything else is received and answers with
    the submission (:func:`appeal_receive`). The second value says whether it
    was made now (False for a retry with the same idempotency key)."""
    if data.channel in STAFF_CHANNELS:
        return appeal_submit(
            data=data,
            acting_user=acting_user,
            photos=photos,
            idempotency_key=idempotency_key,
        )
    return appeal_receive(
        data=data,
        acting_user=acting_user,
        photos=photos,
        idempotency_key=idempotency_key,
    )


def appeal_submit(
    *,
    data: AppealInput,
    acting_user: Any = None,
    photos: Sequence[ProcessedImage] = (),
    idempotency_key: str | None = None,
) -> tuple[Appeal, bool]:
    """Receive and register in one transaction, for callers who need the appeal
    itself at once (an operator entering a call). Returns the appeal and whether
    it was created now (False for a retry with the same idempotency key)."""
    _check_channel(data, acting_user)
    cleaned = _validate_input(data, photos)
    with transaction.atomic():
        limit_lock_wait()
        submission, created = _insert_submission(
            data, cleaned, photos, acting_user, idempotency_key
        )
        restore_lock_wait()
        if submission.state == Submission.State.REGISTERED and submission.appeal:
            return submission.appeal, False
        try:
            appeal = submission_register(submission)
        except BaseException:
            if created:  # rolled back with the row: nothing will refer to them
                _delete_stored(json.loads(submission.payload))
            raise
    if appeal is None:  # a worker is registering it at this moment
        raise ConflictError(
            _("The same submission is still being processed; try again in a moment.")
        )
    return appeal, created


def _insert_submission(
    data: AppealInput,
    cleaned: dict[str, Any],
    photos: Sequence[ProcessedImage],
    acting_user: Any,
    idempotency_key: str | None,
) -> tuple[Submission, bool]:
    """One insert; a key seen before answers with what it made (or 422 when the
    payload differs)."""
    fingerprint = data.fingerprint(photos)
    key = (idempotency_key or "").strip()[:100] or f"auto-{uuid.uuid4().hex}"
    received_at = cleaned["received_at"]
    category = data.category
    for _attempt in range(3):
        code = new_tracking_code()
        stored = _store_photos(photos, code, received_at)
        voice = _store_voice(data.voice, code, received_at)
        payload = {
            "description": cleaned["description"],
            "kind": cleaned["kind"],
            "category": category.pk if category else None,
            "category_version": category.current_version_id if category else None,
            "answers": cleaned["answers"],
            "address": cleaned["address"],
            "latitude": data.latitude,
            "longitude": data.longitude,
            # A patrol finding is the grid worker's own, never anonymous; ticked
            # there it only means the resident met on the spot is not recorded.
            "anonymous": data.anonymous and data.channel != Channel.PATROL,
            # Anonymous means anonymous: neither name nor number is kept.
            "name": "" if data.anonymous else cleaned["name"],
            "phone": "" if data.anonymous else cleaned["phone"],
            "email": "" if data.anonymous else cleaned["email"],
            "source": data.source,
            "consent": cleaned["consent"],
            "priority": data.priority,
            "language": data.language,
            "photos": stored,
        }
        if voice is not None:
            payload["voice"] = voice
        submission = Submission(
            key=key,
            request_hash=fingerprint,
            tracking_code=code,
            street=data.street,
            channel=data.channel,
            payload=json.dumps(payload, ensure_ascii=False),
            entered_by=acting_user if getattr(acting_user, "pk", None) else None,
            received_at=received_at,
        )
        try:
            # Alone, the insert is its own transaction; inside the caller's, a
            # savepoint keeps a duplicate key from spoiling it.
            with transaction.atomic() if connection.in_atomic_block else nullcontext():
                _insert_row(submission)
            return submission, True
        except IntegrityError:
            _delete_stored(payload)  # refused: nothing refers to the photos
        except OperationalError as exc:
            if lock_timed_out(exc):  # rolled back to the savepoint: not written
                _delete_stored(payload)
                raise ConflictError(
                    _("The same submission is still being processed; try again.")
                ) from exc
            # The connection went away: the row may have been committed and its
            # retry will find it, so its photos stay.
            raise
        existing = Submission.objects.filter(key=key).select_related("appeal").first()
        if existing is None:
            continue  # the tracking code clashed (31¹⁰ codes): draw another
        if existing.request_hash != fingerprint:
            raise IdempotencyMismatch(
                _("This idempotency key was used for a different submission."),
                field="idempotency_key",
            )
        return existing, False
    raise ConflictError(_("The appeal could not be received; try again."))


# The columns intake writes; the others are empty until the worker registers it.
INSERT_COLUMNS = (
    "key",
    "request_hash",
    "tracking_code",
    "state",
    "street_id",
    "channel",
    "payload",
    "entered_by_id",
    "received_at",
    "attempts",
    "last_error",
    "created_at",
)


def _insert_row(submission: Submission) -> None:
    """Intake's one write, as one plain INSERT: compiling it through the ORM
    (column by column, every time) would cost as much again as the rest of
    the request. The values are what the model's fields would write."""
    ops = connection.ops
    now = ops.adapt_datetimefield_value(clock.now())
    values: list[Any] = [
        submission.key,
        submission.request_hash,
        submission.tracking_code,
        Submission.State.PENDING.value,
        submission.street_id,
        submission.channel,
        encrypt(submission.payload),
        submission.entered_by_id,
        ops.adapt_datetimefield_value(submission.received_at),
        0,
        "",
        now,
    ]
    table = ops.quote_name(Submission._meta.db_table)
    columns = ", ".join(ops.quote_name(c) for c in INSERT_COLUMNS)
    marks = ", ".join(["%s"] * len(INSERT_COLUMNS))
    # Names from the model, values as parameters.
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        submission.pk = cursor.fetchone()[0]
    submission._state.adding = False


def _photo_storage() -> Storage:
    return Attachment._meta.get_field("file").storage


def _store_photos(
    photos: Sequence[ProcessedImage], code: str, received_at: datetime
) -> list[dict[str, Any]]:
    """Photos are written before the submission row, under its code; the worker
    makes them attachments of the appeal without copying them."""
    storage = _photo_storage()
    return [
        store_image(
            photo, storage, f"intake/{received_at:%Y/%m}/{code}/{photo.sha256[:16]}-{n}"
        )
        for n, photo in enumerate(photos)
    ]


def _store_voice(
    voice: ProcessedAudio | None, code: str, received_at: datetime
) -> dict[str, Any] | None:
    """The voice message, written beside the photos (see :func:`_store_photos`)."""
    if voice is None:
        return None
    return store_audio(
        voice,
        _photo_storage(),
        f"intake/{received_at:%Y/%m}/{code}/{voice.sha256[:16]}-voice",
    )


def _delete_stored(payload: dict[str, Any]) -> None:
    """The files a submission's payload names, when its row is not written."""
    storage = _photo_storage()
    for photo in payload["photos"]:
        storage.delete(photo["file"])
        storage.delete(photo["thumbnail"])
    if payload.get("voice"):
        storage.delete(payload["voice"]["file"])


def _claimable() -> QuerySet[Submission]:
    # A row lock, not a compare-and-set: the claim must last the whole
    # registration, which writes the appeal before the row's state changes.
    # PostgreSQL: a row another worker holds is skipped, not waited for.
    # SQLite: writers take turns, so the state filter alone decides.
    return (
        Submission.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(state=Submission.State.PENDING)
        .select_related("entered_by")
    )


def submission_register(submission: Submission) -> Appeal | None:
    """Register one received submission as an appeal, with its timeline event,
    its photos and the resident's notice (the worker's half of intake). Returns
    None when it is registered already or another worker is registering it now."""
    with transaction.atomic():
        locked = list(_claimable().filter(pk=submission.pk))
        if not locked:
            return None
        (appeal,) = _register(locked)
    submission.state, submission.appeal = Submission.State.REGISTERED, appeal
    return appeal


def due_submissions(
    pending: QuerySet[Submission] | None = None,
) -> QuerySet[Submission]:
    """Pending submissions (or those of ``pending``) whose next registration
    attempt is due, oldest first."""
    if pending is None:
        pending = Submission.objects.filter(state=Submission.State.PENDING)
    return pending.filter(
        Q(retry_at__isnull=True) | Q(retry_at__lte=clock.now())
    ).order_by("pk")


def submissions_register_pending(*, limit: int) -> int:
    """Register up to ``limit`` pending submissions that are due, oldest first,
    in one transaction; returns how many. Several workers at once each take
    different rows (PostgreSQL) or take turns (SQLite)."""
    with transaction.atomic():
        batch = list(due_submissions(_claimable())[:limit])
        if batch:
            _register(batch)
    return len(batch)


def submission_registration_failed(submission: Submission, error: str) -> None:
    """Leave the submission pending and try again later, backing off up to an
    hour; the error stays on the row for whoever looks at it in the admin. After
    ``CIVICGRID_INTAKE_ALERT_ATTEMPTS`` failures the street's dispatchers are
    told, once: a resident is waiting."""
    attempts = submission.attempts + 1
    delay = min(3600, 5 * 2 ** min(attempts, 10))
    with transaction.atomic():
        updated = Submission.objects.filter(
            pk=submission.pk, state=Submission.State.PENDING, attempts=attempts - 1
        ).update(
            attempts=attempts,
            last_error=error[-4000:],
            retry_at=clock.now() + timedelta(seconds=delay),
        )
        if (
            updated
            and attempts == settings.CIVICGRID_INTAKE_ALERT_ATTEMPTS
            and submission.street is not None
        ):
            for dispatcher in access.holders_over(
                submission.street, (Role.DISPATCHER,)
            ):
                notify_staff(
                    dispatcher,
                    event="appeal.registration_stuck",
                    context={
                        "tracking_code": submission.tracking_code,
                        "attempts": attempts,
                    },
                    subject_ref=f"submission:{submission.pk}",
                )


def _register(batch: list[Submission]) -> list[Appeal]:
    """The appeals of locked, pending submissions: rows written in bulk, the
    grids found in one pass over the index, one notice each."""
    payloads = [json.loads(s.payload) for s in batch]
    pinned = [i for i, data in enumerate(payloads) if data["latitude"] is not None]
    located: dict[int, tuple[int, int | None] | None] = dict(
        zip(
            pinned,
            grids_and_streets_for_points(
                [(payloads[i]["longitude"], payloads[i]["latitude"]) for i in pinned]
            ),
            strict=True,
        )
    )
    categories = Category.objects.in_bulk(
        {data["category"] for data in payloads if data["category"]}
    )
    versions = CategoryVersion.objects.in_bulk(
        {data["category_version"] for data in payloads if data["category_version"]}
    )
    appeals = []
    for i, (submission, data) in enumerate(zip(batch, payloads, strict=True)):
        grid_id, street_id = located.get(i) or (None, None)
        phone = data["phone"]
        appeals.append(
            Appeal(
                tracking_code=submission.tracking_code,
                kind=data["kind"],
                channel=submission.channel,
                priority=data["priority"],
                # Submissions queued before languages were kept are in Chinese.
                language=data.get("language", "zh-hans"),
                street_id=street_id or submission.street_id,
                grid_id=grid_id,
                category=categories.get(data["category"]),
                # The clocks it was received with, even if the catalogue moved.
                category_version=versions.get(data["category_version"]),
                description=data["description"],
                answers=data["answers"],
                address=data["address"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                anonymous=data["anonymous"],
                appellant_name=data["name"],
                appellant_phone=phone,
                appellant_phone_index=blind_index(phone) if phone else "",
                appellant_email=data.get("email", ""),
                consented_at=submission.received_at if data["consent"] else None,
                received_at=submission.received_at,
                entered_by=submission.entered_by,
            )
        )
    for appeal in appeals:  # its deadlines run from receipt until it is dispatched
        if (due := deadlines_from_receipt(appeal)) is not None:
            appeal.due_at = due["due_at"]
    Appeal.objects.bulk_create(appeals)
    listeners.appeals_registered(appeals)
    events = CaseEvent.objects.bulk_create(
        timeline.row(
            appeal,
            "submit",
            actor=submission.entered_by,
            actor_role="resident" if submission.entered_by is None else "",
            to_state=Appeal.State.RECEIVED,
            public=True,
            data={**data.get("source", {}), "channel": submission.channel},
        )
        for appeal, submission, data in zip(appeals, batch, payloads, strict=True)
    )
    Attachment.objects.bulk_create(
        Attachment(
            appeal=appeal,
            event=event,
            file=photo["file"],
            thumbnail=photo["thumbnail"],
            content_type=photo["content_type"],
            size=photo["size"],
            width=photo["width"],
            height=photo["height"],
            sha256=photo["sha256"],
            original_name=photo["original_name"],
            public=True,
            uploaded_by=appeal.entered_by,
        )
        for appeal, event, data in zip(appeals, events, payloads, strict=True)
        for photo in data["photos"]
    )
    VoiceMessage.objects.bulk_create(
        VoiceMessage(
            appeal=appeal,
            event=event,
            file=voice["file"],
            content_type=voice["content_type"],
            size=voice["size"],
            duration=voice["duration"],
            sha256=voice["sha256"],
            original_name=voice["original_name"],
            uploaded_by=appeal.entered_by,
        )
        for appeal, event, data in zip(appeals, events, payloads, strict=True)
        if (voice := data.get("voice"))
    )
    for appeal in appeals:
        notify.resident(appeal, "appeal.received")
    now = clock.now()
    for submission, appeal in zip(batch, appeals, strict=True):
        submission.state = Submission.State.REGISTERED
        submission.appeal = appeal
        submission.registered_at = now
        submission.retry_at = None
        # The appeal holds the input now; a second copy of the name and phone
        # number would outlive it. A retry needs only the key and the hash.
        submission.payload = ""
    Submission.objects.bulk_update(
        batch, ["state", "appeal", "registered_at", "retry_at", "payload"]
    )
    return appeals
