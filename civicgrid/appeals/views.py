"""Pages of the appeal loop: the resident's (no account, a tracking code) and the
staff console's (scoped by the selectors; an outsider gets 404)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicgrid.accounts import access
from civicgrid.core import pending, ratelimit
from civicgrid.core.errors import DomainError, PermissionDeniedError
from civicgrid.core.ratelimit import rate_limited
from civicgrid.org.models import Area, Department
from civicgrid.org.selectors import departments_for_user

from . import actions, forms, permissions, places, selectors
from .access import follow_token, followed_pk, resident_key_valid, resident_link
from .actions import IdempotencyMismatch
from .clocks import appeal_clocks
from .models import Appeal, Assignment, Channel
from .permissions import ACTION_ORDER, available_actions
from .photos import attachment_response, voice_response
from .steps import STEPS, describe, disposed_on_site
from .workflow import ACTION_STATES

# --- residents --------------------------------------------------------------------


def _default_street(code: str | None) -> Area:
    """The street a resident's page serves: named in the address, configured, or
    the only one."""
    street = selectors.default_street(code)
    if street is None:
        raise Http404(_("Choose a street."))
    return street


def _status_for(exc: DomainError) -> int:
    return 422 if isinstance(exc, IdempotencyMismatch) else exc.status


@require_http_methods(["GET", "POST"])
def report(
    request: HttpRequest,
    street_code: str | None = None,
    place: places.ScannedPlace | None = None,
) -> HttpResponse:
    """The resident's page: describe, pin, photos, contact or anonymous. It
    serves the street in its address, the configured one or the only one; with
    several streets and none of those, the resident picks the street from a
    list or the pin decides it. Opened from a place's code (:func:`report_at`)
    it serves that place's street, the pin at the place. Posting is limited
    per address (and per signed-in resident) before any photo is decoded; the
    API's intake counts in the same buckets."""
    if place is not None:
        street: Area | None = place.street
    else:
        street = (
            _default_street(street_code)
            if street_code
            else selectors.default_street(None)
        )
    streets = [] if street is not None else selectors.public_streets()
    if street is None and not streets:
        raise Http404(_("Choose a street."))
    if request.method == "POST":
        wait = ratelimit.intake_over_limit(request, request.user)
        if wait:
            return ratelimit.refused(request, wait)
    form = forms.ResidentAppealForm(
        request.POST or None,
        request.FILES or None,
        photo_owner=lambda: pending.owner_of(request),
        place=place,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            to = street or selectors.street_for_point(
                data["latitude"], data["longitude"]
            )
            if to is None:
                form.add_error(
                    "latitude",
                    _(
                        "Choose your street above, or pin the place on the map "
                        "inside one of the streets."
                    ),
                )
                status = 400
            else:
                try:
                    submission, _created = actions.appeal_receive(
                        data=form.appeal_input(
                            street=to,
                            channel=Channel.WEB,
                            consent=data["consent"],
                            language=translation.get_language() or "zh-hans",
                        ),
                        acting_user=None,
                        photos=form.all_photos(),
                        idempotency_key=data["idempotency_key"],
                    )
                except DomainError as exc:
                    forms.attach_domain_error(form, exc)
                    status = _status_for(exc)
                else:
                    form.sent()
                    code = submission.tracking_code
                    # The key rides in the session, never in a URL the server logs.
                    _remember_resident(request, code)
                    return redirect("appeals:report_done", code=code)
        else:
            status = 400
        # Browsers never refill a file input: the photos wait for the next try.
        form.keep_photos()
    return render(
        request,
        "appeals/report.html",
        {
            "form": form,
            "street": street,
            "streets": streets,
            "outline": street.boundary
            if street is not None
            else [s.boundary for s in streets if s.boundary],
            "categories": selectors.leaf_categories().prefetch_related("questions"),
            "place": place,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def report_at(request: HttpRequest, token: str) -> HttpResponse:
    """扫码报事: the report form opened from a place's QR code, the place
    filled in. A code that is forged, altered or names a place no longer in
    use opens a plain page that says so, with the way to report without it."""
    place = places.place_from_token(token)
    if place is None:
        return render(request, "appeals/place_unknown.html", status=404)
    return report(request, place=place)


@login_required
@require_GET
def place_code(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """A place's code as a card to print and post (扫码报事): the QR code, the
    place and its street, and what to do in Chinese and Tibetan, with the
    image to download for a printing shop. Only staff who see the place."""
    place = places.printable_place(request.user, kind, pk)
    if place is None:
        raise Http404
    link = places.link(kind, pk)
    return render(
        request,
        "appeals/place_code.html",
        {
            "place": place,
            "link": link,
            "image": places.qr.image(link, scale=8),
            "card_languages": ("zh-hans", "bo"),
        },
    )


@login_required
@require_GET
def place_code_file(request: HttpRequest, kind: str, pk: int, fmt: str) -> HttpResponse:
    """The place's QR code as PNG or SVG, named by kind and number only."""
    place = places.printable_place(request.user, kind, pk)
    if place is None or fmt not in ("png", "svg"):
        raise Http404
    link = places.link(kind, pk)
    if fmt == "png":
        response = HttpResponse(places.qr.png(link), content_type="image/png")
    else:
        response = HttpResponse(
            places.qr.svg(link, title=place.name), content_type="image/svg+xml"
        )
    response["Content-Disposition"] = (
        f'attachment; filename="report-code-{kind}-{pk}.{fmt}"'
    )
    return response


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "appeals/privacy.html")


RESIDENT_CODES = "appeals.resident_codes"
REMEMBERED_CODES = 20


def _remember_resident(request: HttpRequest, code: str) -> None:
    """This browser is the resident of ``code`` for as long as its session lasts."""
    codes = [c for c in request.session.get(RESIDENT_CODES, []) if c != code]
    request.session[RESIDENT_CODES] = [code, *codes][:REMEMBERED_CODES]


def _is_remembered_resident(request: HttpRequest, code: str) -> bool:
    return code in request.session.get(RESIDENT_CODES, [])


@require_GET
def report_done(request: HttpRequest, code: str) -> HttpResponse:
    received = selectors.received_by_code(code)
    if not _is_remembered_resident(request, received.tracking_code):
        raise Http404
    return render(
        request,
        "appeals/report_done.html",
        {"appeal": received, "resident_link": resident_link(received.tracking_code)},
    )


@rate_limited("nearby", per_minute="CIVICGRID_NEARBY_PER_MINUTE", methods=("POST",))
@require_POST
def nearby(request: HttpRequest) -> HttpResponse:
    """Before submitting: open appeals of the same category close to the pin.
    The pin comes by POST, so that no access log keeps where a resident is."""
    try:
        latitude = float(request.POST["latitude"])
        longitude = float(request.POST["longitude"])
    except (KeyError, ValueError):
        return HttpResponse("")
    category = None
    if request.POST.get("category", "").isdigit():
        category = (
            selectors.leaf_categories().filter(pk=int(request.POST["category"])).first()
        )
    found = selectors.nearby_for_resident(
        latitude=latitude, longitude=longitude, category=category
    )
    follow = [(name, band, follow_token(pk)) for name, band, pk in found]
    return render(request, "appeals/_nearby.html", {"follow": follow})


@require_GET
def follow(request: HttpRequest, token: str) -> HttpResponse:
    """Someone else's report of the same problem: its progress without their words,
    photos or contact."""
    try:
        pk = followed_pk(token)
    except signing.BadSignature as exc:
        raise Http404 from exc
    appeal = get_object_or_404(Appeal, pk=pk)
    events = appeal.events.filter(
        public=True,
        action__in=["submit", "accept", "dispatch", "sign", "reply", "rehandle"],
    )
    return render(request, "appeals/follow.html", {"appeal": appeal, "events": events})


@rate_limited("track-lookup", per_minute=30)
@require_http_methods(["GET", "POST"])
def track_lookup(request: HttpRequest) -> HttpResponse:
    """The code is taken by POST only, so it does not land in access logs."""
    form = forms.TrackForm(request.POST or None)
    if form.is_bound and form.is_valid():
        code = (
            form.cleaned_data["code"].strip().upper().replace("-", "").replace(" ", "")
        )
        if selectors.code_exists(code):
            return redirect("appeals:track", code=code)
        form.add_error(
            "code", _("No appeal has this tracking code. Check it and try again.")
        )
    return render(request, "appeals/track_lookup.html", {"form": form})


def _speak_residents_language(request: HttpRequest, appeal: Appeal) -> None:
    """The resident's own page speaks the language they reported in, until they
    choose another on the page (the language cookie)."""
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate(appeal.language)
        request.LANGUAGE_CODE = appeal.language


@rate_limited("track", per_minute="CIVICGRID_TRACK_PER_MINUTE", methods=("GET", "POST"))
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest, code: str, key: str | None = None) -> HttpResponse:
    """With the code, anyone follows the appeal read-only; with the resident's
    key as well, the resident adds information and answers the callback."""
    received = selectors.received_by_code(code)
    code = received.tracking_code
    resident = key is not None and resident_key_valid(code, key)
    if key is not None and not resident:
        raise Http404
    here = request.path
    if request.method == "POST" and "claim-key" in request.POST:
        # The key from the link's fragment, handed over by the page's script.
        if not resident_key_valid(code, request.POST["claim-key"].strip()):
            raise Http404
        _remember_resident(request, code)
        anchor = "#callback" if request.POST.get("claim-anchor") == "callback" else ""
        return redirect(reverse("appeals:track", args=[code]) + anchor)
    if resident:
        _remember_resident(request, code)
    elif key is None and _is_remembered_resident(request, code):
        resident = True
    if not isinstance(received, Appeal):  # received, not yet registered
        if request.method == "POST":
            raise Http404
        return render(
            request,
            "appeals/track_pending.html",
            {"submission": received, "resident": resident},
        )
    appeal = received
    if request.method == "POST" and not resident:
        raise Http404
    if resident:
        _speak_residents_language(request, appeal)
    info_form = forms.AddInformationForm(prefix="info")
    callback_form = forms.CallbackForm(prefix="callback")
    status = 200
    if request.method == "POST":
        rating = "callback-resolved" in request.POST
        try:
            if rating:
                callback_form = forms.CallbackForm(request.POST, prefix="callback")
                if callback_form.is_valid():
                    data = callback_form.cleaned_data
                    actions.appeal_callback(
                        appeal=appeal,
                        acting_user=None,
                        resolved=data["resolved"],
                        satisfaction=data["satisfaction"],
                        comment=data["comment"],
                    )
                    messages.success(request, _("Thank you for your answer."))
                    return redirect(here)
                status = 400
            else:
                info_form = forms.AddInformationForm(
                    request.POST, request.FILES, prefix="info"
                )
                if info_form.is_valid():
                    actions.appeal_add_information(
                        appeal=appeal,
                        acting_user=None,
                        text=info_form.cleaned_data["text"],
                        photos=info_form.cleaned_data["photos"],
                    )
                    messages.success(request, _("Your information was added."))
                    return redirect(here)
                status = 400
        except DomainError as exc:
            forms.attach_domain_error(callback_form if rating else info_form, exc)
            status = _status_for(exc)
    timeline = list(selectors.public_timeline(appeal))
    follow_main = None
    if appeal.merged_into_id:
        follow_main = follow_token(appeal.merged_into_id)
    return render(
        request,
        "appeals/track.html",
        {
            "appeal": appeal,
            "timeline": timeline,
            "latest_reply": selectors.latest_reply(timeline),
            "resident": resident,
            "info_form": info_form,
            "callback_form": callback_form,
            "follow_main": follow_main,
            "can_add": resident and appeal.state in ACTION_STATES["add_information"],
            "can_rate": resident and appeal.state in ACTION_STATES["callback"],
            "public_note_actions": selectors.PUBLIC_NOTE_ACTIONS,
        },
        status=status,
    )


@require_GET
def track_photo(request: HttpRequest, code: str, pk: int, variant: str) -> FileResponse:
    appeal = selectors.appeal_get_by_code(code)
    attachment = get_object_or_404(appeal.attachments, pk=pk, public=True)
    return attachment_response(attachment, variant)


@require_GET
def track_voice(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    """The resident's own voice message, to the browser that is the resident's
    (their key opened the page in it): the code alone plays no one's voice."""
    appeal = selectors.appeal_get_by_code(code)
    if not _is_remembered_resident(request, appeal.tracking_code):
        raise Http404
    voice = get_object_or_404(appeal.voice_messages, pk=pk)
    return voice_response(voice, request.headers.get("Range", ""))


# --- staff console ----------------------------------------------------------------


def console_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.is_staff_member(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _filtered(
    request: HttpRequest, appeals: QuerySet[Appeal]
) -> tuple[QuerySet[Appeal], Any]:
    user = request.user
    grids = Area.objects.filter(level=Area.Level.GRID, pk__in=appeals.values("grid_id"))
    departments = (
        departments_for_user(user)
        if not user.is_superuser
        else Department.objects.all()
    )
    form = forms.FilterForm(request.GET or None, grids=grids, departments=departments)
    if form.is_bound and form.is_valid():
        appeals = selectors.appeals_filtered(appeals, form.cleaned_data)
    return appeals, form


# Lazy: read in the language of each request, not of the process's start.
QUEUE_LABELS = {
    "new": gettext_lazy("New"),
    "to_dispatch": gettext_lazy("To dispatch"),
    "returned": gettext_lazy("Returned"),
    "to_sign": gettext_lazy("To sign for"),
    "handling": gettext_lazy("Handling"),
    "due_soon": gettext_lazy("Due soon"),
    "overdue": gettext_lazy("Overdue"),
    "awaiting_callback": gettext_lazy("Awaiting callback"),
    "pending_extension": gettext_lazy("Awaiting approval (extension)"),
    "pending_exclusion": gettext_lazy("Awaiting approval (exclusion)"),
    "to_verify": gettext_lazy("To verify"),
    "my_grids": gettext_lazy("My grids"),
    "all": gettext_lazy("All"),
}


@console_required
@require_GET
def console(request: HttpRequest, queue: str = "all") -> HttpResponse:
    if queue not in selectors.QUEUES:
        raise Http404
    appeals, filter_form = _filtered(request, selectors.queue(request.user, queue))
    page = Paginator(appeals.order_by(*selectors.queue_ordering(queue)), 25).get_page(
        request.GET.get("page")
    )
    dispatchable = [
        a
        for a in page
        if a.state == Appeal.State.ACCEPTED
        and permissions.is_dispatcher_for(request.user, a)
    ]
    bulk_form = None
    if dispatchable:
        bulk_form = forms.DispatchForm(street=dispatchable[0].street, prefix="bulk")
    shown = selectors.queues_for(request.user)
    if queue not in shown:
        raise Http404
    counts: dict[str, int] = {
        name: selectors.queue(request.user, name).count()
        for name in (
            "new",
            "to_dispatch",
            "to_sign",
            "due_soon",
            "overdue",
            "awaiting_callback",
            *selectors.APPROVAL_QUEUES,
            "to_verify",
        )
        if name in shown
    }
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "appeals/console.html",
        {
            "queue": queue,
            "queues": [(name, QUEUE_LABELS[name], counts.get(name)) for name in shown],
            "page": page,
            "filter_form": filter_form,
            "bulk_form": bulk_form,
            "dispatchable": {a.pk for a in dispatchable},
            "query": query.urlencode(),
        },
    )


@console_required
@require_POST
def bulk_dispatch(request: HttpRequest) -> HttpResponse:
    ids = [int(v) for v in request.POST.getlist("appeal") if v.isdigit()]
    appeals = list(selectors.appeal_list_for_user(request.user).filter(pk__in=ids))
    if not appeals:
        messages.error(request, _("Choose the appeals to dispatch."))
        return redirect("appeals:console_queue", queue="to_dispatch")
    done, failed = [], []
    for appeal in appeals:
        form = forms.DispatchForm(request.POST, street=appeal.street, prefix="bulk")
        if not form.is_valid():
            failed.append(f"{appeal.tracking_code}: {_('choose a lead unit')}")
            continue
        try:
            result = STEPS["dispatch"](request.user, appeal, form.cleaned_data)
            done.append(
                f"{appeal.tracking_code}: {describe('dispatch', appeal, result)}"
            )
        except DomainError as exc:
            failed.append(f"{appeal.tracking_code}: {exc.message}")
    for line in done:
        messages.success(request, line)
    for line in failed:
        messages.error(request, line)
    return redirect("appeals:console_queue", queue="to_dispatch")


def _action_forms(
    request: HttpRequest, appeal: Appeal, allowed: set[str]
) -> dict[str, Any]:
    categorise_initial = {
        "category": appeal.category_id,
        "kind": appeal.kind,
        "priority": appeal.priority,
        "grid": appeal.grid_id,
    }
    pending = selectors.pending_extension(appeal)
    unsigned = _unsigned_shares(appeal)
    builders: dict[str, Callable[[], Any]] = {
        "accept": lambda: forms.NoteForm(prefix="accept"),
        "categorise": lambda: forms.CategoriseForm(
            prefix="categorise", initial=categorise_initial, street=appeal.street
        ),
        "reject": lambda: forms.RejectForm(prefix="reject"),
        "merge": lambda: forms.MergeForm(prefix="merge"),
        "dispatch": lambda: forms.DispatchForm(
            prefix="dispatch",
            street=appeal.street,
            initial={"lead": forms.suggested_unit(appeal)},
        ),
        "sign": lambda: None,
        "return": lambda: forms.ReturnForm(prefix="return"),
        "recall": lambda: forms.RecallForm(prefix="recall", shares=unsigned),
        "reassign": lambda: forms.ReassignForm(
            prefix="reassign", shares=unsigned, street=appeal.street
        ),
        "complete_share": lambda: forms.CompleteShareForm(prefix="complete_share"),
        "close_share": lambda: forms.CloseShareForm(
            prefix="close_share", shares=_open_co_shares(appeal)
        ),
        "progress": lambda: forms.ProgressForm(prefix="progress"),
        "reply": lambda: forms.ReplyForm(prefix="reply", appeal=appeal),
        "request_extension": lambda: forms.ExtensionRequestForm(
            prefix="request_extension"
        ),
        "decide_extension": lambda: forms.ExtensionDecisionForm(
            prefix="decide_extension",
            initial={"request_id": pending.pk if pending else None},
        ),
        "urge": lambda: forms.NoteForm(prefix="urge"),
        "supervise": lambda: forms.NoteForm(prefix="supervise"),
        "callback": lambda: forms.OperatorCallbackForm(prefix="callback"),
        "request_verification": lambda: forms.VerificationRequestForm(
            prefix="request_verification", grid_workers=_grid_workers(appeal)
        ),
        "verify": lambda: forms.VerifyForm(prefix="verify"),
        "transcribe": lambda: forms.TranscribeForm(
            prefix="transcribe", voices=appeal.voice_messages.all()
        ),
        "reveal_contact": lambda: None,
    }
    # The next step first: a handler on a phone sees "sign for it" on top.
    result = {
        name: builders[name]()
        for name in sorted(allowed, key=ACTION_ORDER.index)
        if name in builders
    }
    result["_pending_extension"] = pending
    return result


def _open_co_shares(appeal: Appeal) -> list[Assignment]:
    return [
        share
        for share in appeal.assignments.select_related("area", "department")
        if permissions.is_open_co_share(share)
    ]


def _all_shares(appeal: Appeal) -> Any:
    return appeal.assignments.select_related("area", "department")


def _unsigned_shares(appeal: Appeal) -> Any:
    return appeal.assignments.filter(state=Assignment.State.DISPATCHED).select_related(
        "area", "department"
    )


def _grid_workers(appeal: Appeal) -> Any:
    return permissions.grid_workers_of(appeal.grid)


def _detail_context(
    request: HttpRequest, appeal: Appeal, **extra: Any
) -> dict[str, Any]:
    allowed = available_actions(request.user, appeal)
    action_forms = _action_forms(request, appeal, allowed)
    pending = action_forms.pop("_pending_extension")
    action_forms.update(extra.pop("bound_forms", {}))
    nearby = []
    # The dispatcher decides merges: only they see nearby appeals, and only ones
    # they may open themselves.
    if (
        appeal.latitude is not None
        and appeal.longitude is not None
        and appeal.is_open
        and "merge" in allowed
    ):
        candidates = selectors.nearby_open_appeals(
            latitude=appeal.latitude,
            longitude=appeal.longitude,
            category=appeal.category,
            exclude=appeal,
        )
        visible = set(
            selectors.appeal_list_for_user(request.user)
            .filter(pk__in=[c.pk for c in candidates])
            .values_list("pk", flat=True)
        )
        nearby = [c for c in candidates if c.pk in visible]
    return {
        "appeal": appeal,
        "allowed": allowed,
        "action_forms": action_forms,
        "pending_extension": pending,
        "assignments": appeal.assignments.select_related("area", "department").order_by(
            "id"
        ),
        "timeline": selectors.staff_timeline(appeal),
        "clocks": appeal_clocks(appeal),  # 紧急: the urgent ones
        # The appeal's own photos; those of a reply, a check or added
        # information are on their events in the timeline.
        "attachments": appeal.attachments.filter(event__action="submit"),
        # 语音留言: played beside the description, written down by an operator.
        "voice_messages": appeal.voice_messages.all(),
        "nearby": nearby,
        "suggested_unit": forms.suggested_unit(appeal),
        "may_blow": "whistle" in permissions.offered(request.user, appeal),
        # The lead's reply waits for these co-handlers (协办).
        "waiting_co": _open_co_shares(appeal) if "close_share" in allowed else [],
        "verification": (
            permissions.pending_verification(appeal)
            if appeal.state == Appeal.State.REPLIED
            else None
        ),
        # A grid worker reads the appeals of their grids; they act only on
        # what is dispatched to their grid (or on the check asked of them).
        "read_only_in_my_grid": not allowed
        and appeal.grid is not None
        and permissions.is_grid_worker_of(request.user, appeal.grid),
        # The user's own shares: their unit may ask that one not count (核减).
        "my_shares": [
            share
            for share in appeal.assignments.select_related("area", "department")
            .prefetch_related("exclusions")
            .exclude(state=Assignment.State.WITHDRAWN)
            if permissions.acts_for(request.user, share)
        ],
        "reply_templates": {
            str(t.pk): t.body
            for t in (
                action_forms["reply"].fields["template"].queryset
                if "reply" in action_forms and action_forms["reply"] is not None
                else []
            )
        },
        **extra,
    }


def _show_in_full(context: dict[str, Any], texts: dict[str, str]) -> None:
    """The page after a recorded reveal: the sealed texts whole, in place (on
    the objects of this one rendering, never saved)."""
    appeal = context["appeal"]
    for name, text in texts.items():
        if ":" not in name:
            setattr(appeal, name, text)
    events = list(context["timeline"])
    for event in events:
        if f"event:{event.pk}" in texts:
            event.note = texts[f"event:{event.pk}"]
        for key in selectors.SEALED_DATA_KEYS:
            if f"event:{event.pk}:{key}" in texts:
                event.data = {**event.data, key: texts[f"event:{event.pk}:{key}"]}
    context["timeline"] = events
    assignments = list(context["assignments"])
    for share in assignments:
        for name in ("return_reason", "recall_reason"):
            if f"assignment:{share.pk}:{name}" in texts:
                setattr(share, name, texts[f"assignment:{share.pk}:{name}"])
    context["assignments"] = assignments


@console_required
@never_cache
@require_GET
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = selectors.appeal_get_for_user(request.user, pk)
    return render(request, "appeals/detail.html", _detail_context(request, appeal))


# action → its form, given the POST, FILES and appeal (None: the step takes no
# input); the step itself is in steps.STEPS, shared with the API.
FORMS: dict[str, Callable[[Any, Any, Appeal], Any] | None] = {
    "accept": lambda post, files, appeal: forms.NoteForm(post, prefix="accept"),
    "categorise": lambda post, files, appeal: forms.CategoriseForm(
        post, prefix="categorise", street=appeal.street
    ),
    "reject": lambda post, files, appeal: forms.RejectForm(post, prefix="reject"),
    "merge": lambda post, files, appeal: forms.MergeForm(post, prefix="merge"),
    "dispatch": lambda post, files, appeal: forms.DispatchForm(
        post, prefix="dispatch", street=appeal.street
    ),
    "sign": None,
    "return": lambda post, files, appeal: forms.ReturnForm(post, prefix="return"),
    # Any share of the appeal parses: one signed for meanwhile is the action's
    # to refuse, in words, not the form's "not a choice".
    "recall": lambda post, files, appeal: forms.RecallForm(
        post, prefix="recall", shares=_all_shares(appeal)
    ),
    "reassign": lambda post, files, appeal: forms.ReassignForm(
        post, prefix="reassign", shares=_all_shares(appeal), street=appeal.street
    ),
    "complete_share": lambda post, files, appeal: forms.CompleteShareForm(
        post, prefix="complete_share"
    ),
    "close_share": lambda post, files, appeal: forms.CloseShareForm(
        post, prefix="close_share", shares=_all_shares(appeal)
    ),
    "progress": lambda post, files, appeal: forms.ProgressForm(post, prefix="progress"),
    "reply": lambda post, files, appeal: forms.ReplyForm(
        post, files, prefix="reply", appeal=appeal
    ),
    "request_extension": lambda post, files, appeal: forms.ExtensionRequestForm(
        post, prefix="request_extension"
    ),
    "decide_extension": lambda post, files, appeal: forms.ExtensionDecisionForm(
        post, prefix="decide_extension"
    ),
    "urge": lambda post, files, appeal: forms.NoteForm(post, prefix="urge"),
    "supervise": lambda post, files, appeal: forms.NoteForm(post, prefix="supervise"),
    "callback": lambda post, files, appeal: forms.OperatorCallbackForm(
        post, prefix="callback"
    ),
    "request_verification": lambda post, files, appeal: forms.VerificationRequestForm(
        post, prefix="request_verification", grid_workers=_grid_workers(appeal)
    ),
    "verify": lambda post, files, appeal: forms.VerifyForm(
        post, files, prefix="verify"
    ),
    "transcribe": lambda post, files, appeal: forms.TranscribeForm(
        post, prefix="transcribe", voices=appeal.voice_messages.all()
    ),
}


@console_required
@never_cache
@require_POST
def appeal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One endpoint per action; the form is validated here, the action decides."""
    appeal = selectors.appeal_get_for_user(request.user, pk)
    if action == "reveal_contact":
        try:
            contact = actions.appeal_reveal_contact(
                appeal=appeal, acting_user=request.user
            )
        except PermissionDeniedError as exc:
            messages.error(request, exc.message)
            return redirect("appeals:detail", pk=appeal.pk)
        context = _detail_context(request, appeal, contact=contact)
        _show_in_full(context, contact["texts"])
        return render(request, "appeals/detail.html", context)
    if action not in FORMS:
        raise Http404
    make_form = FORMS[action]
    form = make_form(request.POST, request.FILES, appeal) if make_form else None
    status = 400
    done = ""
    try:
        if form is None or form.is_valid():
            result = STEPS[action](
                request.user, appeal, form.cleaned_data if form else {}
            )
            done = describe(action, appeal, result)
    except PermissionDeniedError as exc:
        messages.error(request, exc.message)
        return redirect("appeals:detail", pk=appeal.pk)
    except DomainError as exc:
        appeal.refresh_from_db()
        if form is None:
            messages.error(request, exc.message)
            return redirect("appeals:detail", pk=appeal.pk)
        forms.attach_domain_error(form, exc)
        status = _status_for(exc)
    if form is not None and form.errors:
        return render(
            request,
            "appeals/detail.html",
            _detail_context(
                request, appeal, bound_forms={action: form}, failed_action=action
            ),
            status=status,
        )
    messages.success(request, done)
    return redirect("appeals:detail", pk=appeal.pk)


@console_required
@require_http_methods(["GET", "POST"])
def staff_new(request: HttpRequest) -> HttpResponse:
    """Entry of a hotline call, letter, visit or patrol finding."""
    user = request.user
    streets = selectors.streets_for_staff_entry(user)
    if not streets.exists():
        raise Http404
    form = forms.StaffAppealForm(
        request.POST or None,
        request.FILES or None,
        streets=streets,
        channel=permissions.default_entry_channel(user),
        photo_owner=lambda: pending.owner_of(request),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                appeal, _created = actions.appeal_submit(
                    data=form.appeal_input(
                        street=data["street"],
                        channel=data["channel"],
                        received_at=data["received_at"],
                        priority=data["priority"],
                        language=data["language"],
                    ),
                    acting_user=user,
                    photos=form.all_photos(),
                    idempotency_key=data["idempotency_key"],
                )
            except DomainError as exc:
                forms.attach_domain_error(form, exc)
                status = _status_for(exc)
            else:
                form.sent()
                messages.success(
                    request,
                    _("Appeal %(code)s received.") % {"code": appeal.tracking_code},
                )
                if selectors.appeal_list_for_user(user).filter(pk=appeal.pk).exists():
                    return redirect("appeals:detail", pk=appeal.pk)
                return redirect("appeals:staff_new")
        else:
            status = 400
        form.keep_photos()
    return render(
        request,
        "appeals/staff_new.html",
        {
            "form": form,
            "may_dispose_on_site": selectors.grids_of_grid_worker(user).exists(),
            "categories": selectors.leaf_categories().prefetch_related("questions"),
        },
        status=status,
    )


@console_required
@require_http_methods(["GET", "POST"])
def on_site(request: HttpRequest) -> HttpResponse:
    """发现并已就地处置: a grid worker's finding on patrol, dealt with on the
    spot, with photos before and after; it is closed for their grid at once."""
    user = request.user
    grids = selectors.grids_of_grid_worker(user)
    if not grids.exists():
        raise Http404
    form = forms.OnSiteForm(
        request.POST or None,
        request.FILES or None,
        grids=grids,
        photo_owner=lambda: pending.owner_of(request),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                appeal, _created = actions.appeal_dispose_on_site(
                    acting_user=user, **form.action_input()
                )
            except DomainError as exc:
                forms.attach_domain_error(form, exc)
                status = _status_for(exc)
            else:
                form.sent()
                messages.success(request, disposed_on_site(appeal))
                return redirect("appeals:detail", pk=appeal.pk)
        else:
            status = 400
        form.keep_photos()
    return render(
        request,
        "appeals/on_site.html",
        {
            "form": form,
            "grid_outline": {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "geometry": grid.boundary, "properties": {}}
                    for grid in grids
                    if grid.boundary
                ],
            },
            "categories": selectors.leaf_categories().prefetch_related("questions"),
        },
        status=status,
    )


@console_required
@require_GET
def staff_photo(request: HttpRequest, pk: int, variant: str) -> FileResponse:
    attachment = selectors.attachment_get_for_user(request.user, pk)
    return attachment_response(attachment, variant)


@console_required
@require_GET
def staff_voice(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A voice message of an appeal the user may see (404 for any other)."""
    voice = selectors.voice_get_for_user(request.user, pk)
    return voice_response(voice, request.headers.get("Range", ""))


def console_home(request: HttpRequest) -> HttpResponse:
    return redirect(reverse("appeals:console_queue", kwargs={"queue": "all"}))
