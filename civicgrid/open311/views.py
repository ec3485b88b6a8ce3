"""Open311 GeoReport v2 at /open311/v2/, on the same actions and selectors as
the pages and the REST API.

Who sees what: the catalogue (discovery, services) is public. A request is
shown to anyone who names its id — the id is the appeal's tracking code, which
already lets its holder follow it on the tracking page. A token gives the id
of the request it was issued for, to anyone holding it. Listing requests
without a key gives the public record (:func:`records.public_record`, of the
kinds :func:`selectors.appeals_in_public_record` admits); with a client's key
— ``api_key``, ``X-Api-Key`` or ``Authorization: Api-Key``, as the REST API —
the requests the client's user may see, in full. Listing updates, filing and
updating need a key. Errors are GeoReport's: 400, 403 or 404 with a list of
``code`` and ``description``, in the format asked for.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from shapely.geometry import shape

from civicgrid.api.clients import KeyRefused, admit, key_from_headers
from civicgrid.api.models import ApiClient
from civicgrid.appeals import actions, permissions, selectors
from civicgrid.appeals.actions import AppealInput
from civicgrid.appeals.models import (
    Appeal,
    Assignment,
    CaseEvent,
    Category,
    CategoryQuestion,
    Channel,
    ReplyOutcome,
    Submission,
)
from civicgrid.appeals.steps import STEPS
from civicgrid.core import clock
from civicgrid.core.errors import (
    ConflictError,
    DomainError,
    IdempotencyMismatch,
    PermissionDeniedError,
)
from civicgrid.core.images import process_images
from civicgrid.core.ratelimit import over_limit, seconds_to_next_window
from civicgrid.org.models import Area
from civicgrid.org.selectors import grid_and_street_for_point

from . import records
from .formats import FORMATS, error, respond
from .models import ClientUpdate, RequestToken

MAX_SPAN = timedelta(days=90)
MAX_PAGE_SIZE = 1000  # "the first 1000 requests", as the specification says
ATTRIBUTE = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")
# Our field names → the parameter a client sent.
PARAMETERS = {
    "description": "description",
    "location": "lat/long",
    "address": "address_string",
    "name": "first_name",
    "phone": "phone",
    "email": "email",
    "photos": "media",
    "category": "service_code",
    "text": "description",
    "note": "description",
    "public_reply": "description",
    "reason": "description",
    "idempotency_key": "Idempotency-Key",
}


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _parameter(field: str) -> str:
    if field.startswith("answers."):
        return f"attribute[{field.removeprefix('answers.')}]"
    return PARAMETERS.get(field, field)


def _domain_status(exc: DomainError) -> int:
    if isinstance(exc, PermissionDeniedError):
        return 403
    if isinstance(exc, ConflictError | IdempotencyMismatch):
        return exc.status
    return 400


View = Callable[..., HttpResponse]


def endpoint(*methods: str) -> Callable[[View], View]:
    """The format from the address (``.xml``/``.json``; XML without one), the
    jurisdiction checked, and every refusal as a GeoReport error."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapped(
            request: HttpRequest, fmt: str | None = None, **kwargs: Any
        ) -> HttpResponse:
            fmt = (fmt or request.GET.get("format") or "xml").lower()
            if fmt not in FORMATS:
                return error("xml", 400, _("Unknown format: use .xml or .json."))
            if request.method not in methods:
                response = error(
                    fmt,
                    405,
                    _("%(method)s is not allowed here.") % {"method": request.method},
                )
                response["Allow"] = ", ".join(methods)
                return response
            # A key is checked, logged and held to its client's rate wherever
            # it comes; requests without one count against their address.
            key = _param(request, "api_key") or key_from_headers(request)
            try:
                request.open311_client = admit(request, key) if key else None  # type: ignore[attr-defined]
            except KeyRefused as refused:
                return _too_many(fmt, refused.message, refused.status)
            if not key and _over_limit(request):
                return _too_many(fmt, _("Too many requests; wait a minute."))
            try:
                street_code = _jurisdiction(request)
                return view(request, fmt, street_code, **kwargs)
            except Open311Error as exc:
                return error(fmt, exc.status, exc.description)
            except DomainError as exc:
                text = exc.message
                if exc.field:
                    text = f"{_parameter(exc.field)}: {text}"
                return error(fmt, _domain_status(exc), text)

        return wrapped

    return decorate


def _over_limit(request: HttpRequest, cost: int = 1) -> bool:
    return over_limit(
        request, "open311", settings.CIVICGRID_OPEN311_ANONYMOUS_PER_MINUTE, cost=cost
    )


def _too_many(fmt: str, message: str, status: int = 429) -> HttpResponse:
    response = error(fmt, status, message)
    if status == 429:
        response["Retry-After"] = str(seconds_to_next_window())
    return response


def _param(request: HttpRequest, name: str) -> str:
    """A parameter from the body of a POST or the query string; empty and
    absent are the same, as the specification says."""
    value = request.POST.get(name) if request.method == "POST" else None
    return (value or request.GET.get(name) or "").strip()


def _jurisdiction(request: HttpRequest) -> str:
    """The street code of the jurisdiction asked for ("" = the default street)."""
    known: dict[str, str] = settings.CIVICGRID_OPEN311_JURISDICTIONS
    given = _param(request, "jurisdiction_id")
    if not given:
        if len(known) == 1:
            return next(iter(known.values()))
        raise Open311Error(
            400, _("jurisdiction_id is required: this server serves several.")
        )
    if given not in known:
        raise Open311Error(404, _("jurisdiction_id not found."))
    return known[given]


def _client(request: HttpRequest) -> ApiClient:
    """The client whose key came with the request (``api_key`` in the query
    or body, or the REST API's headers), admitted by :func:`endpoint`."""
    client: ApiClient | None = getattr(request, "open311_client", None)
    if client is None:
        raise Open311Error(403, _("api_key is required."))
    return client


def _category(code: str) -> Category:
    found = selectors.leaf_categories().filter(code=code).values_list("pk", flat=True)
    category = selectors.category_for_intake(found[0]) if found else None
    if category is None:
        raise Open311Error(404, _("service_code not found: %(code)s") % {"code": code})
    return category


def _moment(request: HttpRequest, name: str) -> datetime | None:
    raw = _param(request, name)
    if not raw:
        return None
    try:
        # Python 3.11 reads "Z" and offsets; a time without one is local time.
        moment = datetime.fromisoformat(raw.replace(" ", "+"))
    except ValueError:
        raise Open311Error(
            400, _("%(name)s is not an ISO 8601 date and time.") % {"name": name}
        ) from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _span(request: HttpRequest, default: timedelta) -> tuple[datetime, datetime]:
    start, end = _moment(request, "start_date"), _moment(request, "end_date")
    if start is None:
        end = end or clock.now()
        start = end - default
    elif end is None:  # from then until now, as far as a span may reach
        end = max(start, min(clock.now(), start + MAX_SPAN))
    if end < start:
        raise Open311Error(400, _("end_date is before start_date."))
    if end - start > MAX_SPAN:
        raise Open311Error(400, _("start_date to end_date may span at most 90 days."))
    return start, end


def _page(request: HttpRequest, items: QuerySet[Any]) -> list[Any]:
    try:
        number = int(_param(request, "page") or 1)
        size = int(_param(request, "page_size") or MAX_PAGE_SIZE)
    except ValueError:
        raise Open311Error(400, _("page and page_size are whole numbers.")) from None
    if number < 1 or not 1 <= size <= MAX_PAGE_SIZE:
        raise Open311Error(
            400,
            _("page starts at 1; page_size is 1 to %(n)d.") % {"n": MAX_PAGE_SIZE},
        )
    try:
        return list(Paginator(items, size).page(number))
    except EmptyPage:
        return []


def _codes(value: str) -> list[str]:
    return [v.strip().upper() for v in value.split(",") if v.strip()][:MAX_PAGE_SIZE]


# --- the catalogue ------------------------------------------------------------------


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str, street_code: str) -> HttpResponse:
    changed = Category.objects.aggregate(at=Max("updated_at"))["at"]
    changeset = records.when(changed or clock.now())
    return respond(
        fmt,
        "discovery",
        {
            "changeset": changeset,
            "contact": str(settings.CIVICGRID_OPEN311_CONTACT),
            "key_service": _("Keys are issued by the platform's administrator."),
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    # Without the trailing slash: clients add "/services.xml".
                    "url": request.build_absolute_uri(reverse("open311:root")).rstrip(
                        "/"
                    ),
                    "changeset": changeset,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


@endpoint("GET")
def services(request: HttpRequest, fmt: str, street_code: str) -> HttpResponse:
    leaves = selectors.leaf_categories().prefetch_related("questions")
    return respond(fmt, "services", [records.service(c) for c in leaves])


@endpoint("GET")
def service_definition(
    request: HttpRequest, fmt: str, street_code: str, code: str
) -> HttpResponse:
    category = _category(code)
    return respond(fmt, "service_definition", records.service_definition(category))


# --- requests -----------------------------------------------------------------------


@endpoint("GET", "POST")
def service_requests(request: HttpRequest, fmt: str, street_code: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt, street_code)
    ids = _codes(_param(request, "service_request_id"))
    if ids:  # "overrides all other arguments"
        if getattr(request, "open311_client", None) is None and _over_limit(
            request, cost=len(ids) - 1
        ):  # each code is a guess to whoever has none: each one counts
            return _too_many(fmt, _("Too many requests; wait a minute."))
        found = _received(ids)
        return respond(
            fmt,
            "service_requests",
            [_record(request, found[code]) for code in ids if code in found],
        )
    client: ApiClient | None = getattr(request, "open311_client", None)
    if client is not None:
        appeals = selectors.appeals_followed_by(client.user)
        record = records.request_record
    elif selectors.public_record_kinds():
        appeals = selectors.appeals_in_public_record(
            selectors.default_street(street_code)
        )
        record = records.public_record
    else:
        raise Open311Error(403, _("api_key is required."))
    service_codes = [c.strip() for c in _param(request, "service_code").split(",")]
    if any(service_codes):
        appeals = appeals.filter(category__code__in=[c for c in service_codes if c])
    start, end = _span(request, MAX_SPAN)
    appeals = appeals.filter(received_at__gte=start, received_at__lte=end)
    statuses = {s.strip().lower() for s in _param(request, "status").split(",") if s}
    if statuses - {"open", "closed"}:
        raise Open311Error(400, _("status is open or closed."))
    if statuses == {"open"}:
        appeals = appeals.exclude(state__in=records.CLOSED_STATES)
    elif statuses == {"closed"}:
        appeals = appeals.filter(state__in=records.CLOSED_STATES)
    page = _page(request, records.with_record_data(appeals.order_by("-received_at")))
    return respond(fmt, "service_requests", [record(request, a) for a in page])


def _received(codes: list[str]) -> dict[str, Appeal | Submission]:
    return selectors.received_by_codes(
        codes,
        appeals=records.with_record_data(Appeal.objects.all()),
        pending=Submission.objects.select_related("street"),
    )


def _record(request: HttpRequest, found: Appeal | Submission) -> dict[str, Any]:
    if isinstance(found, Submission):
        return records.pending_record(found)
    return records.request_record(request, found)


@endpoint("GET")
def request_detail(
    request: HttpRequest, fmt: str, street_code: str, code: str
) -> HttpResponse:
    code = code.strip().upper()
    found = _received([code]).get(code)
    if found is None:
        raise Open311Error(404, _("service_request_id not found."))
    return respond(fmt, "service_requests", [_record(request, found)])


def _idempotency_key(client: ApiClient, given: str) -> str:
    """The submission's idempotency key: the client's own, and within 100
    characters (a long key is hashed, never cut: two must not meet)."""
    key = f"open311:{client.pk}:{given}"
    if len(key) > 100:
        key = f"open311:{client.pk}:#{hashlib.sha256(given.encode()).hexdigest()}"
    return key


@endpoint("GET")
def token(request: HttpRequest, fmt: str, street_code: str, value: str) -> HttpResponse:
    """The id of the request a token was issued for, to anyone holding the
    token, with or without a key (null while it is being registered)."""
    found = (
        RequestToken.objects.filter(token=value).select_related("submission").first()
    )
    if found is None:
        raise Open311Error(404, _("token not found."))
    submission = found.submission
    registered = submission.state == Submission.State.REGISTERED
    return respond(
        fmt,
        "service_requests",
        [
            {
                "service_request_id": submission.tracking_code if registered else None,
                "token": value,
            }
        ],
    )


def _answers(request: HttpRequest, category: Category) -> dict[str, Any]:
    """attribute[code]=v, and attribute[code][]=v for each of several values;
    attributes the service does not ask for are let through unread."""
    questions = {q.code: q for q in category.questions.all()}
    answers: dict[str, Any] = {}
    for name in request.POST:
        match = ATTRIBUTE.match(name)
        if not match or match.group(1) not in questions:
            continue
        question = questions[match.group(1)]
        values = [v.strip() for v in request.POST.getlist(name) if v.strip()]
        if question.datatype == CategoryQuestion.Datatype.MULTIPLE:
            answers.setdefault(question.code, []).extend(values)
        elif values:
            value = values[-1]
            if question.datatype == CategoryQuestion.Datatype.DATE and "T" in value:
                moment = datetime.fromisoformat(value) if _iso(value) else None
                if moment is not None:  # GeoReport speaks datetimes; we keep a day
                    aware = moment if moment.tzinfo else timezone.make_aware(moment)
                    value = timezone.localdate(aware).isoformat()
            answers[question.code] = value
    return answers


def _iso(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _location(
    request: HttpRequest,
) -> tuple[float | None, float | None, str]:
    """lat+long, address_string or address_id (a grid's code: the request is
    placed inside that grid)."""
    lat, lon = _param(request, "lat"), _param(request, "long")
    address = _param(request, "address_string")
    address_id = _param(request, "address_id")
    if lat or lon:
        try:
            return float(lat), float(lon), address
        except ValueError:
            raise Open311Error(
                400, _("lat and long are both needed, as decimal degrees.")
            ) from None
    if address_id:
        grid = Area.objects.filter(
            code=address_id, level=Area.Level.GRID, is_active=True
        ).first()
        if grid is None or not grid.boundary:
            raise Open311Error(
                400, _("address_id: no grid has this code: %(id)s") % {"id": address_id}
            )
        point = shape(grid.boundary).representative_point()
        return point.y, point.x, address or grid.name
    if not address:
        raise Open311Error(
            400,
            _("A location is required: lat and long, address_string or address_id."),
        )
    return None, None, address


def _phone(value: str) -> str:
    """+86 138 0000 0000 → 13800000000: what our callback operators dial."""
    digits = re.sub(r"[\s()]", "", value)
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
    return digits.lstrip("-")


def _name(first: str, last: str) -> str:
    """A Chinese name comes whole in first_name, or family name last: 王 + 芳 →
    王芳; a Latin one reads first then last."""
    if not last or not first:
        return first or last
    if re.search(r"[\u3400-\u9fff]", first + last):
        return last + first
    return f"{first} {last}"


def _media_url(request: HttpRequest) -> str:
    url = _param(request, "media_url")
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise Open311Error(400, _("media_url is not a web address.")) from None
        if len(url) > 500:
            raise Open311Error(400, _("media_url is longer than 500 characters."))
    return url


def _photos(request: HttpRequest) -> list[Any]:
    return process_images(request.FILES.getlist("media")[:10], field="photos")


def _street_for(street_code: str, lat: float | None, lon: float | None) -> Area:
    """The jurisdiction's street; where the jurisdiction spans several, the
    street the point lies in."""
    street = selectors.default_street(street_code)
    if street is None and lat is not None and lon is not None:
        found = grid_and_street_for_point(lon, lat)
        if found and found[1]:
            street = Area.objects.filter(pk=found[1]).first()
    if street is None:
        raise Open311Error(
            400, _("lat/long: this place is not in a street this server serves.")
        )
    return street


def _create(request: HttpRequest, fmt: str, street_code: str) -> HttpResponse:
    client = _client(request)
    code = _param(request, "service_code")
    if not code:
        raise Open311Error(400, _("service_code is required."))
    category = _category(code)
    lat, lon, address = _location(request)
    account_id = _param(request, "account_id")[:100]
    phone = _phone(_param(request, "phone"))
    email = _param(request, "email")
    name = _name(_param(request, "first_name"), _param(request, "last_name"))
    # The resident's account and device in the client's system are echoed
    # back, not kept: the client knows them, and we need not.
    source = {"client": client.name, "media_url": _media_url(request)}
    given = request.headers.get("Idempotency-Key", "").strip() or uuid.uuid4().hex
    submission, _created = actions.appeal_receive(
        data=AppealInput(
            description=_param(request, "description"),
            street=_street_for(street_code, lat, lon),
            channel=Channel.API,
            category=category,
            answers=_answers(request, category),
            latitude=lat,
            longitude=lon,
            address=address,
            anonymous=not (name or phone or email),
            name=name,
            phone=phone,
            email=email,
            source={k: v for k, v in source.items() if v},
        ),
        acting_user=client.user,
        photos=_photos(request),
        idempotency_key=_idempotency_key(client, given),
    )
    version = category.current_version
    answer: dict[str, Any] = {
        "service_notice": version.public_notice if version else None,
        "account_id": account_id or None,
    }
    if category.service_type == Category.ServiceType.REALTIME:
        answer = {"service_request_id": submission.tracking_code, **answer}
    elif category.service_type == Category.ServiceType.BATCH:
        # A retry under the same Idempotency-Key gets the same token.
        issued, _new = RequestToken.objects.get_or_create(submission=submission)
        answer = {"token": issued.token, **answer}
    return respond(fmt, "service_requests", [answer])


# --- the updates extension (FixMyStreet) ------------------------------------------


@endpoint("GET", "POST")
def updates(request: HttpRequest, fmt: str, street_code: str) -> HttpResponse:
    client = _client(request)
    if request.method == "POST":
        return _post_update(request, fmt, client)
    visible = selectors.appeals_followed_by(client.user).values("pk")
    start, end = _span(request, timedelta(days=1))
    events = (
        CaseEvent.objects.filter(
            public=True,
            appeal__in=visible,
            created_at__gte=start,
            created_at__lte=end,
        )
        .select_related("appeal")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )
    ids = _codes(_param(request, "service_request_id"))
    if ids:
        events = events.filter(appeal__tracking_code__in=ids)
    return respond(
        fmt,
        "service_request_updates",
        [records.update_record(request, e) for e in _page(request, events)],
    )


def _post_update(request: HttpRequest, fmt: str, client: ApiClient) -> HttpResponse:
    """An update from the client system on a request: from a department's own
    case system, a step of its share (sign, progress, reply, return); from the
    system that filed it, the resident's added information (or their word that
    they withdraw it: the street decides). The same ``update_id`` from the same
    client again is the same update: answered with what it was recorded as."""
    code = _param(request, "service_request_id").upper()
    if not code:
        raise Open311Error(400, _("service_request_id is required."))
    update_id = _param(request, "update_id")
    if len(update_id) > 100:
        raise Open311Error(400, _("update_id is longer than 100 characters."))
    event = _earlier_update(client, update_id, code) if update_id else None
    if event is None:
        try:
            event = _record_update(request, client, code, update_id)
        except IntegrityError:
            # The same update, recorded meanwhile by a request that raced this.
            event = _earlier_update(client, update_id, code) if update_id else None
            if event is None:
                raise
    return respond(fmt, "service_request_updates", [{"update_id": str(event.pk)}])


def _earlier_update(client: ApiClient, update_id: str, code: str) -> CaseEvent | None:
    earlier = (
        ClientUpdate.objects.filter(client=client, update_id=update_id)
        .select_related("event__appeal")
        .first()
    )
    if earlier is None:
        return None
    if earlier.event.appeal.tracking_code != code:
        raise Open311Error(
            400, _("update_id: this client gave it to an update of another request.")
        )
    return earlier.event


def _record_update(
    request: HttpRequest, client: ApiClient, code: str, update_id: str
) -> CaseEvent:
    user = client.user
    appeal = selectors.appeals_followed_by(user).filter(tracking_code=code).first()
    if appeal is None:
        raise Open311Error(404, _("service_request_id not found."))
    status = _param(request, "status").upper() or "OPEN"
    if status not in records.EXTENDED_STATUSES:
        raise Open311Error(
            400,
            _("status is one of %(statuses)s.")
            % {"statuses": ", ".join(records.EXTENDED_STATUSES)},
        )
    description = _param(request, "description")
    photos = _photos(request)
    shares = [
        a
        for a in permissions.my_assignments(user, appeal)
        if a.state in Assignment.ACTIVE_STATES
    ]
    with transaction.atomic():
        before = appeal.events.aggregate(last=Max("pk"))["last"] or 0
        if shares:
            _unit_update(request, user, appeal, shares, status, description, photos)
        elif appeal.entered_by_id == user.pk:
            if status not in ("OPEN", "REOPEN", "CANCELLED"):
                raise Open311Error(
                    400,
                    _(
                        "status: the system that filed a request adds information "
                        "(OPEN) or says the resident withdraws it (CANCELLED); the "
                        "street decides the rest."
                    ),
                )
            if status == "CANCELLED":  # the street decides whether to close it
                description = (
                    _("The resident withdraws this request: %(text)s")
                    % {"text": description}
                    if description
                    else _("The resident withdraws this request.")
                )
            actions.appeal_add_information(
                appeal=appeal, acting_user=user, text=description, photos=photos
            )
        else:
            raise Open311Error(403, _("This client may not update this request."))
        event = appeal.events.filter(pk__gt=before, actor=user).order_by("-pk").first()
        if event is None:
            raise Open311Error(
                400,
                _(
                    "Nothing to record: give a description, or a status that moves "
                    "the request on."
                ),
            )
        if update_id:
            ClientUpdate.objects.create(client=client, update_id=update_id, event=event)
    return event


def _unit_update(
    request: HttpRequest,
    user: Any,
    appeal: Appeal,
    shares: list[Assignment],
    status: str,
    description: str,
    photos: list[Any],
) -> None:
    """The update as the console's steps (:mod:`civicgrid.appeals.steps`)."""

    def step(name: str, **data: Any) -> None:
        STEPS[name](user, appeal, data)

    lead_handling = any(
        a.role == Assignment.Role.LEAD and a.state == Assignment.State.HANDLING
        for a in shares
    )
    if status == "INTERNAL_REFERRAL" or (
        status == "NOT_COUNCILS_RESPONSIBILITY" and not lead_handling
    ):
        step("return", reason=description)
        return
    if status in ("DUPLICATE", "REOPEN", "FOR_TRIAGE"):
        raise Open311Error(
            400, _("status %(status)s is the street's to decide.") % {"status": status}
        )
    states = {a.state for a in shares}
    if (
        Assignment.State.DISPATCHED in states
        and Assignment.State.HANDLING not in states
    ):
        step("sign")
        appeal.refresh_from_db()
    lead = any(a.role == Assignment.Role.LEAD for a in shares)
    replying = lead and status in REPLY_OUTCOMES
    if photos and not replying:
        raise Open311Error(
            400, _("media: photos come with the lead unit's FIXED or CLOSED update.")
        )
    if replying:
        outcome, reason = _reply_outcome(request, status, description)
        step(
            "reply",
            outcome=outcome,
            outcome_reason=reason,
            public_reply=description,
            photos=photos,
        )
    elif description:
        step("progress", note=description, public=True)


# The lead's closing statuses → the reply's outcome (办理结果). FixMyStreet's
# CLOSED is "closed, not as fixed" (CANCELLED too): it does not say what came
# of it, so it needs the outcome parameter.
REPLY_OUTCOMES: dict[str, str | None] = {
    "FIXED": ReplyOutcome.RESOLVED,
    "NO_FURTHER_ACTION": ReplyOutcome.NOT_RESOLVED,
    "NOT_COUNCILS_RESPONSIBILITY": ReplyOutcome.OUTSIDE_REMIT,
    "CLOSED": None,
    "CANCELLED": None,
}


def _reply_outcome(
    request: HttpRequest, status: str, description: str
) -> tuple[str, str]:
    """The outcome the status says, or the ``outcome`` parameter (our extension:
    resolved, partly_resolved, not_resolved, outside_remit) where it says none;
    the reason is ``outcome_reason``, else for a "not resolved" the update's
    description (an "unable to fix" update explains itself)."""
    said = REPLY_OUTCOMES[status]
    given = _param(request, "outcome").lower()
    if given and said and given != said:
        raise Open311Error(
            400,
            _("outcome: status %(status)s already says %(outcome)s.")
            % {"status": status, "outcome": said},
        )
    outcome = said or given
    if not outcome:
        raise Open311Error(
            400,
            _(
                "outcome: status %(status)s does not say what came of it; give "
                "outcome (%(outcomes)s)."
            )
            % {"status": status, "outcomes": ", ".join(ReplyOutcome.values)},
        )
    reason = _param(request, "outcome_reason")
    if not reason and outcome == ReplyOutcome.NOT_RESOLVED:
        reason = description
    return outcome, reason


@csrf_exempt
def unknown(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other address under /open311/v2/: a GeoReport 404, in JSON when the
    address asks for JSON (clients parse whatever comes back in its format)."""
    fmt = "json" if rest.lower().endswith(".json") else "xml"
    return error(fmt, 404, _("No such resource: see discovery."))
