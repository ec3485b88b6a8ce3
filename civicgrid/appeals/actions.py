"""Use cases of the appeal loop (接诉即办). Every function takes keyword arguments
and an explicit ``acting_user`` (None for a resident using a tracking code, or for
the system), checks permission and state, moves by compare-and-set, writes the
timeline in the same transaction and leaves side effects to the outbox."""

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
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.validators import validate_email
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.accounts.models import Membership, Role
from civicgrid.core import clock
from civicgrid.core.crypto import blind_index, encrypt
from civicgrid.core.db import limit_lock_wait, lock_timed_out, restore_lock_wait
from civicgrid.core.errors import ConflictError, DomainError, IdempotencyMismatch
from civicgrid.core.images import MAX_PHOTOS_PER_APPEAL, ProcessedImage
from civicgrid.core.workcalendar import get_work_calendar
from civicgrid.metrics import facts
from civicgrid.notifications.actions import notify_staff
from civicgrid.org.models import Area, Department
from civicgrid.org.selectors import grids_and_streets_for_points

from . import notify, permissions
from .models import (
    Appeal,
    Assignment,
    Attachment,
    CaseEvent,
    Category,
    CategoryQuestion,
    CategoryVersion,
    Channel,
    ExtensionRequest,
    Kind,
    Submission,
)
from .workflow import (
    OPEN_SHARE_STATES,
    OPEN_STATES,
    hold,
    move,
    move_assignment,
    move_assignments,
    require_state,
)

TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
MAX_DESCRIPTION = 4000
# Control characters (but tab and line breaks): nobody types them, and XML and
# many terminals cannot show them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Channels only the street's staff enter (a call, a letter, a visit, a patrol).
STAFF_CHANNELS = (Channel.PHONE, Channel.LETTER, Channel.VISIT, Channel.PATROL)


# --- small pieces -----------------------------------------------------------------


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


def _event(
    appeal: Appeal,
    action: str,
    *,
    actor: Any = None,
    actor_role: str = "",
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    public: bool = False,
    assignment: Assignment | None = None,
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    event = _event_row(
        appeal,
        action,
        actor=actor,
        actor_role=actor_role,
        from_state=from_state,
        to_state=to_state,
        note=note,
        public=public,
        assignment=assignment,
        data=data,
    )
    event.save(force_insert=True)
    facts.on_event(event)  # the rates count it in this same transaction
    return event


def _event_row(
    appeal: Appeal,
    action: str,
    *,
    actor: Any = None,
    actor_role: str = "",
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    public: bool = False,
    assignment: Assignment | None = None,
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    """A timeline event, not yet saved."""
    return CaseEvent(
        appeal=appeal,
        assignment=assignment,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_role=actor_role or ("system" if actor is None else ""),
        from_state=from_state,
        to_state=to_state or appeal.state,
        note=note,
        public=public,
        data=data or {},
        created_at=clock.now(),
    )


def _text(
    value: str, *, field: str, label: str, required: bool = True, limit: int
) -> str:
    value = CONTROL_CHARACTERS.sub("", value or "").strip()
    if required and not value:
        raise DomainError(_("%(label)s is required.") % {"label": label}, field=field)
    if len(value) > limit:
        raise DomainError(
            _("%(label)s is longer than %(limit)d characters.")
            % {"label": label, "limit": limit},
            field=field,
        )
    return value


def _save_photos(
    appeal: Appeal,
    photos: Sequence[ProcessedImage],
    *,
    event: CaseEvent | None,
    uploaded_by: Any,
    public: bool,
) -> list[Attachment]:
    saved = []
    for n, photo in enumerate(photos):
        stem = f"{photo.sha256[:16]}-{n}"
        attachment = Attachment(
            appeal=appeal,
            event=event,
            content_type=photo.content_type,
            size=len(photo.content),
            width=photo.width,
            height=photo.height,
            sha256=photo.sha256,
            original_name=photo.original_name,
            public=public,
            uploaded_by=uploaded_by if getattr(uploaded_by, "pk", None) else None,
        )
        attachment.file.save(
            f"{stem}.{photo.extension}", ContentFile(photo.content), save=False
        )
        attachment.thumbnail.save(
            f"{stem}-thumb.jpg", ContentFile(photo.thumbnail), save=False
        )
        attachment.save()
        saved.append(attachment)
    return saved


def _clocks(version: CategoryVersion, start: datetime) -> dict[str, datetime]:
    """Sign-by, due and warn times in working time from ``start``."""
    calendar = get_work_calendar()
    response_due = calendar.add_working_hours(start, float(version.response_hours))
    total = float(version.handling_days) * calendar.seconds_per_day
    due = calendar.add_working_seconds(start, total)
    warn_before = float(settings.CIVICGRID_WARN_BEFORE_WORKING_HOURS) * 3600
    warn = calendar.add_working_seconds(start, max(0.0, total - warn_before))
    return {"response_due_at": response_due, "due_at": due, "warn_at": warn}


# --- intake -----------------------------------------------------------------------


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
    # Where another system's appeal came from: its name, the resident's account
    # and device there, a link to its photo. Kept on the "submit" event.
    source: dict[str, str] = field(default_factory=dict)

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
            "photos": [p.sha256 for p in photos],
        }
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
    description = _text(
        data.description,
        field="description",
        label=_("The description"),
        limit=MAX_DESCRIPTION,
    )
    if data.kind and data.kind not in Kind.values:
        raise DomainError(_("Choose a kind of appeal."), field="kind")
    if data.channel not in Channel.values:
        raise DomainError(_("Unknown channel."), field="channel")
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
    # e-mail) and follows up through its updates: it need not give a number.
    if not data.anonymous and not phone and data.channel != Channel.API:
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
                _delete_stored(json.loads(submission.payload)["photos"])
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
        payload = {
            "description": cleaned["description"],
            "kind": cleaned["kind"],
            "category": category.pk if category else None,
            "category_version": category.current_version_id if category else None,
            "answers": cleaned["answers"],
            "address": cleaned["address"],
            "latitude": data.latitude,
            "longitude": data.longitude,
            "anonymous": data.anonymous,
            # Anonymous means anonymous: neither name nor number is kept.
            "name": "" if data.anonymous else cleaned["name"],
            "phone": "" if data.anonymous else cleaned["phone"],
            "email": "" if data.anonymous else cleaned["email"],
            "source": data.source,
            "consent": data.consent,
            "priority": data.priority,
            "photos": stored,
        }
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
            _delete_stored(stored)  # refused: nothing refers to the photos
        except OperationalError as exc:
            if lock_timed_out(exc):  # rolled back to the savepoint: not written
                _delete_stored(stored)
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
    stored = []
    for n, photo in enumerate(photos):
        stem = f"intake/{received_at:%Y/%m}/{code}/{photo.sha256[:16]}-{n}"
        stored.append(
            {
                "file": storage.save(
                    f"{stem}.{photo.extension}", ContentFile(photo.content)
                ),
                "thumbnail": storage.save(
                    f"{stem}-thumb.jpg", ContentFile(photo.thumbnail)
                ),
                "content_type": photo.content_type,
                "size": len(photo.content),
                "width": photo.width,
                "height": photo.height,
                "sha256": photo.sha256,
                "original_name": photo.original_name,
            }
        )
    return stored


def _delete_stored(stored: list[dict[str, Any]]) -> None:
    storage = _photo_storage()
    for photo in stored:
        storage.delete(photo["file"])
        storage.delete(photo["thumbnail"])


def _claimable() -> QuerySet[Submission]:
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
        if updated and attempts == settings.CIVICGRID_INTAKE_ALERT_ATTEMPTS:
            for membership in Membership.objects.filter(
                role=Role.DISPATCHER, area_id=submission.street_id
            ).select_related("user"):
                notify_staff(
                    membership.user,
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
                street_id=street_id or submission.street_id,
                grid_id=grid_id,
                category=categories.get(data["category"]),
                # The clocks it was received with, even if the catalogue moved.
                category_version_id=data["category_version"],
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
    Appeal.objects.bulk_create(appeals)
    facts.on_intake(appeals)
    events = CaseEvent.objects.bulk_create(
        _event_row(
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


# --- routing (派) -----------------------------------------------------------------


def appeal_accept(*, appeal: Appeal, acting_user: Any, note: str = "") -> Appeal:
    require_state(appeal, "accept")
    permissions.require(permissions.is_dispatcher_for(acting_user, appeal))
    with transaction.atomic():
        from_state = move(appeal, Appeal.State.ACCEPTED, accepted_at=clock.now())
        _event(
            appeal,
            "accept",
            actor=acting_user,
            from_state=from_state,
            note=note,
            public=True,
        )
    return appeal


def appeal_categorise(
    *,
    appeal: Appeal,
    acting_user: Any,
    category: Category | None = None,
    kind: str | None = None,
    priority: str | None = None,
    grid: Area | None = None,
) -> Appeal:
    """The dispatcher corrects the category, kind, priority or grid before
    dispatch; a new category brings its current clocks."""
    require_state(appeal, "categorise")
    permissions.require(permissions.is_dispatcher_for(acting_user, appeal))
    changes: dict[str, Any] = {}
    if category is not None and category.pk != appeal.category_id:
        if not category.is_active or category.current_version_id is None:
            raise DomainError(_("Choose a category from the list."), field="category")
        changes["category"] = category
        changes["category_version"] = category.current_version
    if kind and kind != appeal.kind:
        if kind not in Kind.values:
            raise DomainError(_("Choose a kind of appeal."), field="kind")
        changes["kind"] = kind
    if priority and priority != appeal.priority:
        if priority not in Appeal.Priority.values:
            raise DomainError(_("Choose a priority."), field="priority")
        changes["priority"] = priority
    if grid is not None and grid.pk != appeal.grid_id:
        if grid.level != Area.Level.GRID or not grid.path.startswith(
            appeal.street.path
        ):
            raise DomainError(_("Choose a grid of this street."), field="grid")
        changes["grid"] = grid
    if not changes:
        return appeal
    with transaction.atomic():
        hold(appeal, **changes, updated_at=clock.now())
        _event(
            appeal,
            "categorise",
            actor=acting_user,
            data={name: str(value) for name, value in changes.items()},
        )
    return appeal


def appeal_reject(
    *, appeal: Appeal, acting_user: Any, reason: str, redirect_to: str = ""
) -> Appeal:
    """Out of scope (不予受理): the resident is told why and where to go instead."""
    require_state(appeal, "reject")
    permissions.require(permissions.is_dispatcher_for(acting_user, appeal))
    reason = _text(reason, field="reason", label=_("The reason"), limit=1000)
    redirect_to = _text(
        redirect_to,
        field="redirect_to",
        label=_("Where to go"),
        required=False,
        limit=200,
    )
    with transaction.atomic():
        now = clock.now()
        from_state = move(
            appeal,
            Appeal.State.REJECTED,
            reject_reason=reason,
            redirect_to=redirect_to,
            closed_at=now,
        )
        _event(
            appeal,
            "reject",
            actor=acting_user,
            from_state=from_state,
            note=reason,
            public=True,
            data={"redirect_to": redirect_to},
        )
        notify.resident(appeal, "appeal.rejected")
    return appeal


def appeal_merge(
    *, appeal: Appeal, into: Appeal, acting_user: Any, note: str = ""
) -> Appeal:
    """A duplicate joins the main appeal; its resident follows the main one."""
    require_state(appeal, "merge")
    permissions.require(permissions.is_dispatcher_for(acting_user, appeal))
    if into.pk == appeal.pk:
        raise DomainError(_("An appeal cannot be merged into itself."), field="into")
    if not into.is_open or into.state == Appeal.State.MERGED:
        raise DomainError(_("Merge into an appeal that is still open."), field="into")
    if into.street_id != appeal.street_id:
        raise DomainError(_("Merge into an appeal of the same street."), field="into")
    with transaction.atomic():
        # The main appeal must stay open while this one joins it.
        try:
            hold(into, states=OPEN_STATES)
        except ConflictError:
            raise ConflictError(
                _("Appeal %(code)s closed just now; merge into an open one.")
                % {"code": into.tracking_code}
            ) from None
        now = clock.now()
        from_state = move(appeal, Appeal.State.MERGED, merged_into=into, closed_at=now)
        _event(
            appeal,
            "merge",
            actor=acting_user,
            from_state=from_state,
            note=note,
            public=True,
            data={"into": into.tracking_code},
        )
        _event(
            into,
            "merged_in",
            actor=acting_user,
            note=note,
            data={"from": appeal.tracking_code},
        )
        notify.resident(appeal, "appeal.merged")
    return appeal


@dataclass(frozen=True)
class Unit:
    """A handling unit: a grid or community (an Area) or a department."""

    area: Area | None = None
    department: Department | None = None

    def __str__(self) -> str:
        return str(self.department or self.area)

    @property
    def key(self) -> str:
        if self.department is not None:
            return f"department:{self.department.pk}"
        if self.area is None:
            return "none"
        return f"{self.area.level}:{self.area.pk}"


def _check_unit(appeal: Appeal, unit: Unit, *, field: str = "lead") -> None:
    if (unit.area is None) == (unit.department is None):
        raise DomainError(_("Choose a grid, a community or a department."), field=field)
    if unit.department is not None:
        department = unit.department
        serves = department.area.path
        if not department.is_active or not (
            appeal.street.path.startswith(serves)
            or serves.startswith(appeal.street.path)
        ):
            raise DomainError(
                _("%(unit)s does not handle this street's appeals.")
                % {"unit": department},
                field=field,
            )
    elif (area := unit.area) is not None and (
        area.level not in (Area.Level.GRID, Area.Level.COMMUNITY)
        or not area.is_active
        or not area.path.startswith(appeal.street.path)
    ):
        raise DomainError(
            _("%(unit)s is not a grid or community of this street.") % {"unit": area},
            field=field,
        )


def appeal_dispatch(
    *,
    appeal: Appeal,
    acting_user: Any,
    lead: Unit,
    co_handlers: Sequence[Unit] = (),
    note: str = "",
) -> Appeal:
    """Send the appeal to one lead unit (主办) and any co-handlers (协办); each gets
    its clocks from the appeal's category version, in working time."""
    require_state(appeal, "dispatch")
    permissions.require(permissions.is_dispatcher_for(acting_user, appeal))
    if appeal.category_version is None:
        raise DomainError(
            _("Choose a category before dispatching: it sets the deadlines."),
            field="category",
        )
    _check_unit(appeal, lead)
    keys = {lead.key}
    for unit in co_handlers:
        _check_unit(appeal, unit, field="co_handlers")
        if unit.key in keys:
            raise DomainError(
                _("Each unit can be named only once."), field="co_handlers"
            )
        keys.add(unit.key)
    now = clock.now()
    clocks = _clocks(appeal.category_version, now)
    with transaction.atomic():
        from_state = move(
            appeal,
            Appeal.State.DISPATCHED,
            dispatched_at=appeal.dispatched_at or now,
            due_at=clocks["due_at"],
        )
        assignments = [
            Assignment.objects.create(
                appeal=appeal,
                role=role,
                area=unit.area,
                department=unit.department,
                dispatched_at=now,
                dispatched_by=acting_user,
                **clocks,
            )
            for role, unit in [(Assignment.Role.LEAD, lead)]
            + [(Assignment.Role.CO, u) for u in co_handlers]
        ]
        _event(
            appeal,
            "dispatch",
            actor=acting_user,
            from_state=from_state,
            note=note,
            public=True,
            data={
                "lead": str(lead),
                "co_handlers": [str(u) for u in co_handlers],
                "due_at": clocks["due_at"].isoformat(),
            },
        )
        facts.on_dispatch(appeal, assignments)
        for assignment in assignments:
            notify.unit(assignment, "appeal.dispatched")
    return appeal


# --- handling (办) ----------------------------------------------------------------


def _assignment_for(user: Any, assignment: Assignment, action: str) -> Appeal:
    appeal = assignment.appeal
    require_state(appeal, action)
    permissions.require(permissions.acts_for(user, assignment))
    return appeal


def assignment_sign(*, assignment: Assignment, acting_user: Any) -> Assignment:
    """签收: the unit takes the appeal on; the response clock stops."""
    appeal = _assignment_for(acting_user, assignment, "sign")
    if assignment.state != Assignment.State.DISPATCHED:
        raise DomainError(
            _("This assignment is not waiting to be signed for."), field="state"
        )
    now = clock.now()
    with transaction.atomic():
        move_assignment(
            assignment, Assignment.State.HANDLING, signed_at=now, signed_by=acting_user
        )
        from_state = appeal.state
        if (
            assignment.role == Assignment.Role.LEAD
            and appeal.state == Appeal.State.DISPATCHED
        ):
            move(appeal, Appeal.State.HANDLING)
        _event(
            appeal,
            "sign",
            actor=acting_user,
            assignment=assignment,
            from_state=from_state,
            public=assignment.role == Assignment.Role.LEAD,
            data={
                "unit": str(assignment.unit),
                "late": now > assignment.response_due_at,
            },
        )
    return assignment


def assignment_return(
    *, assignment: Assignment, acting_user: Any, reason: str
) -> Assignment:
    """退单: the unit says the appeal is not theirs. A returned lead sends the
    appeal back to the dispatcher; the return is counted against nobody but
    recorded for the return rate."""
    appeal = _assignment_for(acting_user, assignment, "return")
    if assignment.state != Assignment.State.DISPATCHED:
        raise DomainError(
            _("Only an assignment not yet signed for can be returned."), field="state"
        )
    reason = _text(reason, field="reason", label=_("The reason"), limit=1000)
    with transaction.atomic():
        move_assignment(
            assignment,
            Assignment.State.RETURNED,
            returned_at=clock.now(),
            return_reason=reason,
        )
        from_state = appeal.state
        if assignment.role == Assignment.Role.LEAD:
            # The co-handlers go back with it; the dispatcher re-dispatches all.
            move_assignments(appeal.assignments.all(), Assignment.State.WITHDRAWN)
            move(appeal, Appeal.State.ACCEPTED, return_count=F("return_count") + 1)
        # Time asked for a share that is gone is not time anyone can use.
        ExtensionRequest.objects.filter(
            assignment__appeal=appeal,
            assignment__state__in=[
                Assignment.State.RETURNED,
                Assignment.State.WITHDRAWN,
            ],
            state=ExtensionRequest.State.PENDING,
        ).update(
            state=ExtensionRequest.State.REFUSED,
            decided_at=clock.now(),
            decision_note=_("The share was returned."),
        )
        _event(
            appeal,
            "return",
            actor=acting_user,
            assignment=assignment,
            from_state=from_state,
            note=reason,
            data={"unit": str(assignment.unit)},
        )
    return assignment


def assignment_progress(
    *, assignment: Assignment, acting_user: Any, note: str, public: bool = False
) -> CaseEvent:
    appeal = _assignment_for(acting_user, assignment, "progress")
    note = _text(note, field="note", label=_("The note"), limit=2000)
    with transaction.atomic():
        hold(appeal)
        return _event(
            appeal,
            "progress",
            actor=acting_user,
            assignment=assignment,
            note=note,
            public=public,
        )


def appeal_reply(
    *,
    assignment: Assignment,
    acting_user: Any,
    public_reply: str,
    internal_note: str = "",
    photos: Sequence[ProcessedImage] = (),
) -> Appeal:
    """The lead unit answers (答复): a reply the resident reads, an internal note
    they do not, and photos of the result. The resident is asked for a callback."""
    appeal = _assignment_for(acting_user, assignment, "reply")
    if (
        assignment.role != Assignment.Role.LEAD
        or assignment.state != Assignment.State.HANDLING
    ):
        raise DomainError(
            _("Only the lead unit replies, after signing for the appeal."),
            field="state",
        )
    public_reply = _text(
        public_reply, field="public_reply", label=_("The reply"), limit=4000
    )
    internal_note = _text(
        internal_note,
        field="internal_note",
        label=_("The internal note"),
        required=False,
        limit=4000,
    )
    if len(photos) > MAX_PHOTOS_PER_APPEAL:
        raise DomainError(
            _("At most %(n)d photos.") % {"n": MAX_PHOTOS_PER_APPEAL}, field="photos"
        )
    return _record_reply(
        appeal,
        assignment,
        acting_user=acting_user,
        public_reply=public_reply,
        internal_note=internal_note,
        photos=photos,
    )


def appeal_whistle_reply(
    *, appeal: Appeal, acting_user: Any, public_reply: str, whistle_id: int
) -> Appeal:
    """A whistle on the appeal closed: the lead department's consolidated reply
    is the appeal's reply, and the resident is asked for the callback as usual."""
    require_state(appeal, "reply")
    permissions.require(permissions.is_dispatcher_for(acting_user, appeal))
    lead = appeal.assignments.filter(
        role=Assignment.Role.LEAD, state=Assignment.State.HANDLING
    ).first()
    if lead is None:
        raise DomainError(_("The appeal has no unit handling it."), field="state")
    public_reply = _text(
        public_reply, field="public_reply", label=_("The reply"), limit=4000
    )
    return _record_reply(
        appeal,
        lead,
        acting_user=acting_user,
        public_reply=public_reply,
        data={"whistle": whistle_id},
    )


def appeal_record_whistle(*, appeal: Appeal, acting_user: Any, title: str) -> None:
    """The street blew the whistle on this appeal: the resident sees that several
    departments now handle it together."""
    if not appeal.is_open:
        raise DomainError(_("Blow the whistle on an open appeal."), field="appeal")
    _event(appeal, "whistle", actor=acting_user, note=title, public=True)


def _record_reply(
    appeal: Appeal,
    assignment: Assignment,
    *,
    acting_user: Any,
    public_reply: str,
    internal_note: str = "",
    photos: Sequence[ProcessedImage] = (),
    data: dict[str, Any] | None = None,
) -> Appeal:
    now = clock.now()
    with transaction.atomic():
        move_assignment(assignment, Assignment.State.REPLIED, replied_at=now)
        from_state = move(appeal, Appeal.State.REPLIED, replied_at=now)
        # The lead's reply is the consolidated answer: the co-handlers' shares end
        # with it, so the sweep stops warning them.
        move_assignments(
            appeal.assignments.filter(role=Assignment.Role.CO), Assignment.State.DONE
        )
        # More time is moot once the answer is given (a re-handle starts a new clock).
        ExtensionRequest.objects.filter(
            assignment__appeal=appeal, state=ExtensionRequest.State.PENDING
        ).update(
            state=ExtensionRequest.State.REFUSED,
            decided_at=now,
            decision_note=_("The appeal was answered."),
        )
        event = _event(
            appeal,
            "reply",
            actor=acting_user,
            assignment=assignment,
            from_state=from_state,
            note=public_reply,
            public=True,
            data={"late": now > assignment.due_at, **(data or {})},
        )
        _save_photos(appeal, photos, event=event, uploaded_by=acting_user, public=True)
        if internal_note:
            _event(
                appeal,
                "internal_note",
                actor=acting_user,
                assignment=assignment,
                note=internal_note,
            )
        notify.resident(appeal, "appeal.replied")
    return appeal


def extension_request(
    *,
    assignment: Assignment,
    acting_user: Any,
    days: Decimal | float | str,
    reason: str,
) -> ExtensionRequest:
    appeal = _assignment_for(acting_user, assignment, "request_extension")
    if assignment.state not in OPEN_SHARE_STATES:
        raise DomainError(_("This assignment is not open."), field="state")
    try:
        amount = Decimal(str(days))
    except ArithmeticError as exc:
        raise DomainError(_("Give the number of working days."), field="days") from exc
    if not amount.is_finite() or not (Decimal("0.5") <= amount <= Decimal("30")):
        raise DomainError(_("Ask for between 0.5 and 30 working days."), field="days")
    reason = _text(reason, field="reason", label=_("The reason"), limit=1000)
    with transaction.atomic():
        hold(appeal)
        try:
            with transaction.atomic():
                request = ExtensionRequest.objects.create(
                    assignment=assignment,
                    requested_by=acting_user,
                    days=amount,
                    reason=reason,
                )
        except IntegrityError as exc:
            raise DomainError(
                _("An extension request is already waiting for a decision."),
                field="days",
            ) from exc
        _event(
            appeal,
            "request_extension",
            actor=acting_user,
            assignment=assignment,
            note=reason,
            data={"days": str(amount)},
        )
    return request


def extension_decide(
    *, request: ExtensionRequest, acting_user: Any, approve: bool, note: str = ""
) -> ExtensionRequest:
    assignment = request.assignment
    appeal = assignment.appeal
    require_state(appeal, "decide_extension")
    permissions.require(permissions.is_dispatcher_for(acting_user, appeal))
    note = _text(note, field="note", label=_("The note"), required=False, limit=1000)
    now = clock.now()
    with transaction.atomic():
        # As it stands now: more time counts from the due time it has now, and
        # the share is extended only if neither moved meanwhile (below).
        current = Assignment.objects.only("state", "due_at").get(pk=assignment.pk)
        if approve and current.state not in OPEN_SHARE_STATES:
            # Returned or withdrawn since it asked: more time for a share that no
            # longer runs would move the deadline of the unit now holding it.
            raise DomainError(
                _("This assignment is not open any more; refuse the request."),
                field="state",
            )
        assignment.due_at = current.due_at
        state = (
            ExtensionRequest.State.APPROVED
            if approve
            else ExtensionRequest.State.REFUSED
        )
        updated = ExtensionRequest.objects.filter(
            pk=request.pk, state=ExtensionRequest.State.PENDING
        ).update(
            state=state, decided_by=acting_user, decided_at=now, decision_note=note
        )
        if updated != 1:
            raise ConflictError(_("This extension request was decided already."))
        request.state = state
        data: dict[str, Any] = {"days": str(request.days)}
        if approve:
            calendar = get_work_calendar()
            extra = float(request.days) * calendar.seconds_per_day
            due = calendar.add_working_seconds(assignment.due_at, extra)
            warn_before = float(settings.CIVICGRID_WARN_BEFORE_WORKING_HOURS) * 3600
            left = calendar.working_seconds_between(now, due)
            warn = calendar.add_working_seconds(now, max(0.0, left - warn_before))
            extended = Assignment.objects.filter(
                pk=assignment.pk, state__in=OPEN_SHARE_STATES, due_at=current.due_at
            ).update(due_at=due, warn_at=warn, warned_at=None, overdue_at=None)
            if extended != 1:
                raise ConflictError(
                    _(
                        "Someone else acted on this assignment just now; reload "
                        "and try again."
                    )
                )
            assignment.due_at, assignment.warn_at = due, warn
            if assignment.role == Assignment.Role.LEAD:
                Appeal.objects.filter(pk=appeal.pk).update(due_at=due)
                appeal.due_at = due
            data["due_at"] = due.isoformat()
        _event(
            appeal,
            "extension_approved" if approve else "extension_refused",
            actor=acting_user,
            assignment=assignment,
            note=note,
            data=data,
        )
        notify.unit(assignment, "appeal.extension_decided", approved=approve)
    return request


def appeal_urge(*, appeal: Appeal, acting_user: Any, note: str = "") -> Appeal:
    """催办: the dispatcher presses the units before the deadline."""
    require_state(appeal, "urge")
    permissions.require(permissions.is_dispatcher_for(acting_user, appeal))
    with transaction.atomic():
        hold(appeal, urge_count=F("urge_count") + 1)
        _event(appeal, "urge", actor=acting_user, note=note)
        for assignment in appeal.assignments.filter(state__in=OPEN_SHARE_STATES):
            notify.unit(assignment, "appeal.urged")
    return appeal


def appeal_supervise(*, appeal: Appeal, acting_user: Any, note: str = "") -> Appeal:
    """督办: a leader takes the appeal under supervision."""
    require_state(appeal, "supervise")
    permissions.require(permissions.is_leader_for(acting_user, appeal))
    with transaction.atomic():
        hold(appeal)
        if not Appeal.objects.filter(pk=appeal.pk, supervised=False).update(
            supervised=True
        ):
            raise ConflictError(_("A leader supervises this appeal already."))
        appeal.supervised = True
        _event(appeal, "supervise", actor=acting_user, note=note)
    return appeal


# --- callback (评) ----------------------------------------------------------------


def appeal_callback(
    *,
    appeal: Appeal,
    acting_user: Any,
    resolved: bool,
    satisfaction: str,
    comment: str = "",
) -> Appeal:
    """回访: the resident (with the tracking code, acting_user None) or an operator
    on the phone records whether it was resolved and how satisfied they are.
    Not resolved or unsatisfied sends it back to the lead unit (重办)."""
    require_state(appeal, "callback")
    if acting_user is not None:
        permissions.require(permissions.is_operator_for(acting_user, appeal))
    if satisfaction not in Appeal.Satisfaction.values:
        raise DomainError(_("Choose how satisfied you are."), field="satisfaction")
    comment = _text(
        comment, field="comment", label=_("The comment"), required=False, limit=1000
    )
    now = clock.now()
    ok = resolved and satisfaction != Appeal.Satisfaction.UNSATISFIED
    with transaction.atomic():
        fields: dict[str, Any] = {
            "resolved": resolved,
            "satisfaction": satisfaction,
            "callback_comment": comment,
            "callback_at": now,
        }
        if ok:
            from_state = move(
                appeal,
                Appeal.State.CLOSED,
                closed_at=now,
                close_reason=Appeal.CloseReason.RATED,
                **fields,
            )
            move_assignments(appeal.assignments.all(), Assignment.State.DONE)
        else:
            lead = appeal.assignments.get(
                role=Assignment.Role.LEAD, state=Assignment.State.REPLIED
            )
            version = appeal.category_version or lead.appeal.category_version
            if version is None:
                raise DomainError(_("The appeal has no category."), field="category")
            clocks = _clocks(version, now)
            from_state = move(
                appeal,
                Appeal.State.HANDLING,
                rehandle_count=F("rehandle_count") + 1,
                due_at=clocks["due_at"],
                **fields,
            )
            move_assignment(  # the notice quotes the new due time
                lead,
                Assignment.State.HANDLING,
                due_at=clocks["due_at"],
                warn_at=clocks["warn_at"],
                warned_at=None,
                overdue_at=None,
            )
        _event(
            appeal,
            "callback",
            actor=acting_user,
            actor_role="resident" if acting_user is None else "",
            from_state=from_state,
            note=comment,
            public=True,
            data={"resolved": resolved, "satisfaction": satisfaction},
        )
        if not ok:
            _event(appeal, "rehandle", note=comment, public=True)
            notify.unit(lead, "appeal.rehandle")
        else:
            notify.resident(appeal, "appeal.closed")
    return appeal


def appeal_close_unanswered(*, appeal: Appeal) -> Appeal:
    """The resident did not answer the callback in time: closed, counted apart."""
    require_state(appeal, "close_unanswered")
    now = clock.now()
    with transaction.atomic():
        from_state = move(
            appeal,
            Appeal.State.CLOSED,
            closed_at=now,
            close_reason=Appeal.CloseReason.NO_ANSWER,
        )
        move_assignments(appeal.assignments.all(), Assignment.State.DONE)
        _event(appeal, "close_unanswered", from_state=from_state, public=True)
    return appeal


def appeal_add_information(
    *,
    appeal: Appeal,
    acting_user: Any,
    text: str,
    photos: Sequence[ProcessedImage] = (),
) -> CaseEvent:
    """The resident adds information or photos through the tracking page."""
    require_state(appeal, "add_information")
    text = _text(
        text, field="text", label=_("The information"), required=not photos, limit=2000
    )
    existing = appeal.attachments.count()
    if existing + len(photos) > MAX_PHOTOS_PER_APPEAL * 2:
        raise DomainError(
            _("This appeal has as many photos as it can take."), field="photos"
        )
    with transaction.atomic():
        hold(appeal)
        event = _event(
            appeal,
            "add_information",
            actor=acting_user,
            actor_role="resident" if acting_user is None else "",
            note=text,
            public=True,
        )
        _save_photos(appeal, photos, event=event, uploaded_by=acting_user, public=True)
    return event


def appeal_reveal_contact(*, appeal: Appeal, acting_user: Any) -> dict[str, str]:
    """Show the whole name and number to someone who must call back; the reveal
    is written to the timeline (who saw it, when)."""
    permissions.require(permissions.may_reveal_contact(acting_user, appeal))
    with transaction.atomic():
        _event(appeal, "reveal_contact", actor=acting_user)
    return {
        "name": appeal.appellant_name,
        "phone": appeal.appellant_phone,
        "email": appeal.appellant_email,
    }
