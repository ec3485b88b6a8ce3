"""Our appeals, categories and timeline in GeoReport v2's words.

Statuses: a request is ``open`` or ``closed``; the updates extension that
FixMyStreet reads speaks the finer, upper-case statuses (``IN_PROGRESS``,
``FIXED``, ``DUPLICATE`` …), taken from the state the appeal moved to.
"""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from civicgrid.appeals.models import (
    Appeal,
    Assignment,
    Attachment,
    CaseEvent,
    Category,
    CategoryQuestion,
    Submission,
)
from civicgrid.appeals.selectors import PUBLIC_NOTE_ACTIONS, RESIDENT_NOTE_ACTIONS
from civicgrid.core.pii import public_text

from .formats import when

DATATYPES = {
    CategoryQuestion.Datatype.STRING: "string",
    CategoryQuestion.Datatype.TEXT: "text",
    CategoryQuestion.Datatype.NUMBER: "number",
    CategoryQuestion.Datatype.DATE: "datetime",
    CategoryQuestion.Datatype.DATETIME: "datetime",
    CategoryQuestion.Datatype.SINGLE: "singlevaluelist",
    CategoryQuestion.Datatype.MULTIPLE: "multivaluelist",
}
LISTS = ("singlevaluelist", "multivaluelist")

CLOSED_STATES = (Appeal.State.CLOSED, Appeal.State.REJECTED, Appeal.State.MERGED)

# The state an event moved the appeal to → the extended status.
EXTENDED: dict[str, str] = {
    Appeal.State.RECEIVED: "OPEN",
    Appeal.State.ACCEPTED: "INVESTIGATING",
    Appeal.State.DISPATCHED: "ACTION_SCHEDULED",
    Appeal.State.HANDLING: "IN_PROGRESS",
    Appeal.State.REPLIED: "FIXED",
    Appeal.State.CLOSED: "CLOSED",
    Appeal.State.REJECTED: "NOT_COUNCILS_RESPONSIBILITY",
    Appeal.State.MERGED: "DUPLICATE",
}
EXTENDED_STATUSES = (
    "OPEN",
    "CLOSED",
    "FIXED",
    "IN_PROGRESS",
    "ACTION_SCHEDULED",
    "INVESTIGATING",
    "DUPLICATE",
    "NOT_COUNCILS_RESPONSIBILITY",
    "NO_FURTHER_ACTION",
    "INTERNAL_REFERRAL",
    "REOPEN",
    "FOR_TRIAGE",
    "CANCELLED",
)
# The street's and units' public words: the status notes and the updates'
# descriptions. The resident's own words stay on their tracking page.
STAFF_NOTE_ACTIONS = PUBLIC_NOTE_ACTIONS - RESIDENT_NOTE_ACTIONS


def service(category: Category) -> dict[str, Any]:
    version = category.current_version
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description
        or (version.public_notice if version else ""),
        "metadata": bool(category.questions.all()),
        "type": category.service_type,
        "keywords": category.keywords,
        "group": category.parent.name if category.parent else "",
    }


def _datatype_description(question: CategoryQuestion) -> str | None:
    if question.datatype == CategoryQuestion.Datatype.DATE:
        return _("A date; the time of day is ignored.")
    if question.datatype == CategoryQuestion.Datatype.STRING:
        return _("Up to 200 characters.")
    if question.datatype == CategoryQuestion.Datatype.TEXT:
        return _("Up to 2000 characters.")
    return None


def service_definition(category: Category) -> dict[str, Any]:
    attributes = []
    for order, question in enumerate(category.questions.all(), start=1):
        datatype = DATATYPES[CategoryQuestion.Datatype(question.datatype)]
        attribute: dict[str, Any] = {
            "variable": True,
            "code": question.code,
            "datatype": datatype,
            "required": question.required,
            "datatype_description": _datatype_description(question),
            "order": order,
            "description": question.label,
        }
        if datatype in LISTS:
            attribute["values"] = [
                {"key": choice, "name": choice} for choice in question.choices
            ]
        attributes.append(attribute)
    return {"service_code": category.code, "attributes": attributes}


def with_record_data(appeals: QuerySet[Appeal]) -> QuerySet[Appeal]:
    """What :func:`request_record` reads, in a fixed number of queries."""
    return appeals.select_related(
        "street", "grid", "category", "category_version"
    ).prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.filter(role=Assignment.Role.LEAD)
            .select_related("area", "department")
            .order_by("id"),
            to_attr="leads",
        ),
        Prefetch(
            "events",
            queryset=CaseEvent.objects.filter(public=True).order_by("created_at", "id"),
            to_attr="public_events",
        ),
        Prefetch(
            "attachments",
            queryset=Attachment.objects.filter(public=True).order_by("id"),
            to_attr="public_photos",
        ),
    )


def photo_url(request: HttpRequest, appeal_code: str, photo: Attachment) -> str:
    """The photo as the tracking page serves it: anyone with the code."""
    return request.build_absolute_uri(
        reverse("appeals:track_photo", args=[appeal_code, photo.pk, "full"])
    )


def _agency(appeal: Appeal) -> str:
    current = [
        a for a in getattr(appeal, "leads", []) if a.state in Assignment.ACTIVE_STATES
    ]
    unit = (current or getattr(appeal, "leads", []) or [None])[-1]
    return str(unit.unit) if unit is not None else appeal.street.name


def request_record(request: HttpRequest, appeal: Appeal) -> dict[str, Any]:
    events: list[CaseEvent] = getattr(appeal, "public_events", [])
    photos: list[Attachment] = getattr(appeal, "public_photos", [])
    notes = [
        public_text(e.note) for e in events if e.action in STAFF_NOTE_ACTIONS and e.note
    ]
    if appeal.state == Appeal.State.REJECTED:
        notes.append(public_text(appeal.reject_reason))
    elif appeal.state == Appeal.State.MERGED:
        notes.append(_("Joined another report of the same problem."))
    media_url = photo_url(request, appeal.tracking_code, photos[0]) if photos else None
    if media_url is None:  # a link the filing system gave us
        media_url = next(
            (e.data["media_url"] for e in events if e.data.get("media_url")), None
        )
    # What the requester can see changed last: the public timeline.
    updated = max([appeal.received_at, *(e.created_at for e in events)])
    version = appeal.category_version
    return {
        "service_request_id": appeal.tracking_code,
        "status": "closed" if appeal.state in CLOSED_STATES else "open",
        "status_notes": notes[-1] if notes else None,
        "service_name": appeal.category.name if appeal.category else None,
        "service_code": appeal.category.code if appeal.category else None,
        "description": public_text(appeal.description),
        "agency_responsible": _agency(appeal),
        "service_notice": version.public_notice if version else None,
        "requested_datetime": when(appeal.received_at),
        "updated_datetime": when(updated),
        "expected_datetime": when(appeal.due_at),
        "address": appeal.address or None,
        "address_id": appeal.grid.code if appeal.grid else None,
        "zipcode": None,
        "lat": appeal.latitude,
        "long": appeal.longitude,
        "media_url": media_url,
    }


# Three decimals of a degree: about 110 m north–south, 97 m east–west at Lhasa.
PUBLIC_DECIMALS = 3


def _coarse(degrees: float | None) -> float | None:
    return round(degrees, PUBLIC_DECIMALS) if degrees is not None else None


def public_record(request: HttpRequest, appeal: Appeal) -> dict[str, Any]:
    """A request as anyone without a key may list it: what its tracking page
    shows, less the resident's words (the description, the address, their
    photos) and contact, and the point rounded to about 100 m."""
    record = request_record(request, appeal)
    record.update(
        description=None,
        address=None,
        media_url=None,
        lat=_coarse(appeal.latitude),
        long=_coarse(appeal.longitude),
    )
    return record


def pending_record(submission: Submission) -> dict[str, Any]:
    """A request received a moment ago that the worker has not registered yet."""
    data = json.loads(submission.payload or "{}")
    category = (
        Category.objects.filter(pk=data.get("category")).first()
        if data.get("category")
        else None
    )
    return {
        "service_request_id": submission.tracking_code,
        "status": "open",
        "status_notes": _("Received; being registered."),
        "service_name": category.name if category else None,
        "service_code": category.code if category else None,
        "description": public_text(data.get("description") or "") or None,
        "agency_responsible": submission.street.name,
        "service_notice": None,
        "requested_datetime": when(submission.received_at),
        "updated_datetime": when(submission.received_at),
        "expected_datetime": None,
        "address": data.get("address") or None,
        "address_id": None,
        "zipcode": None,
        "lat": data.get("latitude"),
        "long": data.get("longitude"),
        "media_url": (data.get("source") or {}).get("media_url"),
    }


# Closes that say it was resolved with nobody to ask: dealt with on the spot
# (就地处置), a passed check on site (核查结案).
RESOLVED_ON_SITE = frozenset({"dispose_on_site", "verify"})


def update_status(event: CaseEvent) -> str:
    if event.action == "callback" and event.to_state == Appeal.State.CLOSED:
        return "FIXED" if event.data.get("resolved") else "CLOSED"
    if event.action in RESOLVED_ON_SITE and event.to_state == Appeal.State.CLOSED:
        return "FIXED"
    return EXTENDED.get(event.to_state, "OPEN")


def update_record(request: HttpRequest, event: CaseEvent) -> dict[str, Any]:
    code = event.appeal.tracking_code
    photos = list(event.attachments.all())
    return {
        "update_id": str(event.pk),
        "service_request_id": code,
        "status": update_status(event),
        "updated_datetime": when(event.created_at),
        "description": (
            public_text(event.note) if event.action in STAFF_NOTE_ACTIONS else ""
        ),
        "media_url": photo_url(request, code, photos[0]) if photos else None,
        "external_status_code": event.action,
    }
