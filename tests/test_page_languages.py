"""Every page, in English, Chinese and Tibetan, as each role sees it: no Chinese
left in the English pages, no English left in the Chinese ones, and neither in
the Tibetan ones.

The pages are found from the URL resolver, so a new page is covered the day it
lands: a pattern with arguments needs its arguments below (``ARGUMENTS``), or a
reason in ``NOT_PAGES`` — the test fails on a pattern that has neither, and on a
page that no one could open. The street's data is given English names and the
texts residents and staff wrote are in English too, so any Chinese on an
English page is the software's own. On a Chinese page the words the database
holds (names, codes, descriptions, permissions …) are taken out first; what
Latin words are left must be on the short ``LATIN_ALLOWED`` list.
"""

from __future__ import annotations

import html.parser
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from shapely.geometry import box

from civicgrid.accounts.actions import device_token_issue, membership_add
from civicgrid.accounts.models import Role, User
from civicgrid.api.models import ApiClient, ApiClientUse
from civicgrid.appeals import actions, places
from civicgrid.appeals.access import follow_token, resident_key
from civicgrid.appeals.actions import AppealInput, Unit
from civicgrid.appeals.catalogue import category_set_terms
from civicgrid.appeals.models import (
    Appeal,
    Category,
    CategoryQuestion,
    ResponseTemplate,
)
from civicgrid.appeals.selectors import QUEUES
from civicgrid.appeals.steps import STEPS as APPEAL_STEPS
from civicgrid.core import clock
from civicgrid.core.models import CalendarDay, JobSchedule, WorkerHeartbeat
from civicgrid.ledger.actions import opinion as opinion_actions
from civicgrid.ledger.actions import patrol as patrol_actions
from civicgrid.metrics.actions import exclusion_request, period_publish
from civicgrid.org.demo import STREET_ADMIN_PERMISSIONS
from civicgrid.org.geometry import to_geojson
from civicgrid.org.models import Area, Department
from civicgrid.whistles import actions as whistle_actions
from civicgrid.whistles.models import WhistleType
from civicgrid.whistles.steps import STEPS as WHISTLE_STEPS
from conftest import make_area, make_user, square

CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'’][A-Za-z0-9]+)*")
ADDRESSES = re.compile(r"(?:https?://|/)[^\s\"'<>，。]*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# What a Chinese page may show in Latin letters: names of standards, formats,
# units and products that Chinese offices write this way too.
LATIN_ALLOWED = {
    "API",
    "CSV",
    "Excel",
    "xlsx",
    "ID",
    "SMS",
    "Open311",
    "GeoReport",
    "GeoJSON",
    "JSON",
    "WGS-84",
    "GB",
    "URL",
    "QR",
    "km",
    "CivicGrid",
    "Api-Key",
    "Idempotency-Key",
    "Token",
    "REST",
    "OpenAPI",
    "IP",
    "GPS",
    "PNG",
    "SVG",
    "JPEG",
    "HEIC",
    "MB",
    "KB",
    "WebP",
    "MultiPolygon",
    "UTF-8",
    "HTTP",
    "GET",
    "POST",
    "Webhook",
    "md5",  # password hashers, named in the admin's password summary
    "argon2",
    "pbkdf2_sha256",
    "Control",  # keys, in Django's own "按住 Control 键或 Mac 上的 Command 键"
    "Command",
    "Mac",
    "LDAP",
    "English",  # the language switch names each language in its own words
}
# Django names the rows of its own many-to-many tables in English that no
# catalogue can reach ("Group-permission relationship: Group_permissions object
# (3)", on a delete page's summary).
DJANGO_THROUGH_ROWS = re.compile(
    r"[A-Z]\w*-\w+ relationships?|\b[A-Z][a-z]+_\w+ object \(\d+\)"
)
# What an English page may show in Chinese: the language switch, and the
# brackets that mark a response template's blanks (【 】), which staff type.
CJK_ALLOWED = {"简体中文", "【", "】"}
# Literal input (a CSV header, a code to type) is the same in every language.
LITERAL_TAGS = {"script", "style", "code", "kbd", "samp"}
MASKED = re.compile(r"[^\s,]*\*{2,}[^\s,]*")  # a masked name, phone or hash: user data


# --- the street, in English ------------------------------------------------------


@dataclass(repr=False)
class Site:
    users: dict[str, User]
    arguments: dict[str, list[dict[str, Any]]]
    known: list[str] = field(default_factory=list)  # every text the database holds


def build_site() -> Site:
    now = clock.now()
    city = make_area(
        "540100", "Lhasa", Area.Level.CITY, None, to_geojson(box(90, 29, 92, 30))
    )
    district = make_area("540103", "Doilungdeqen District", Area.Level.DISTRICT, city)
    street = make_area(
        "540103001",
        "Dongga Street",
        Area.Level.STREET,
        district,
        to_geojson(box(91.0, 29.6, 91.02, 29.62)),
    )
    east = make_area(
        "540103001001",
        "Dongga Community",
        Area.Level.COMMUNITY,
        street,
        to_geojson(box(91.0, 29.6, 91.02, 29.61)),
        community_kind=Area.CommunityKind.COMMUNITY,
    )
    village = make_area(
        "540103001002",
        "Nanga Village",
        Area.Level.COMMUNITY,
        street,
        to_geojson(box(91.0, 29.61, 91.02, 29.62)),
        community_kind=Area.CommunityKind.VILLAGE,
    )
    grid = make_area(
        "540103001001001", "Dongga Grid One", Area.Level.GRID, east, square(91.0, 29.6)
    )
    make_area(
        "540103001001002", "Dongga Grid Two", Area.Level.GRID, east, square(91.01, 29.6)
    )
    make_area(
        "540103001002001",
        "Nanga Grid One",
        Area.Level.GRID,
        village,
        square(91.0, 29.61),
    )
    cg = Department.objects.create(
        code="cg",
        name="City Management Bureau",
        short_name="City Management",
        area=district,
        phone="0891-1234567",
    )
    zj = Department.objects.create(
        code="zj", name="Housing Bureau", short_name="Housing", area=district
    )

    group = Category.objects.create(code="city", name="City environment")
    lamp = Category.objects.create(code="lamp", name="Street lamp out", parent=group)
    category_set_terms(
        category=lamp,
        acting_user=None,
        kind="help",
        default_unit_type="department",
        default_department=cg,
        response_hours=2,
        handling_days=3,
    )
    dispute = Category.objects.create(
        code="neighbours", name="Neighbour dispute", parent=group
    )
    category_set_terms(
        category=dispute,
        acting_user=None,
        kind="help",
        default_unit_type="grid",
        default_department=None,
        response_hours=4,
        handling_days=5,
    )
    CategoryQuestion.objects.create(
        category=dispute, code="floor", label="Which floor", datatype="number"
    )
    ResponseTemplate.objects.create(
        category=lamp, title="Lamp replaced", body="The lamp was replaced."
    )
    CalendarDay.objects.create(
        date=now.date() + timedelta(days=60),
        kind=CalendarDay.Kind.HOLIDAY,
        name="National Day",
    )
    JobSchedule.objects.get_or_create(
        name="appeals.sweep_deadlines", defaults={"next_run_at": now}
    )
    WorkerHeartbeat.objects.create(
        worker_id="host-1:42", started_at=now, last_seen_at=now
    )

    admins = Group.objects.create(name="Street administrators")
    for app_label, model, verbs in STREET_ADMIN_PERMISSIONS:
        admins.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label,
                content_type__model=model,
                codename__in=[f"{verb}_{model}" for verb in verbs],
            )
        )
    users = {
        "superuser": make_user("root", "Root Admin", is_staff=True, is_superuser=True),
        "street_admin": make_user("street_admin", "Kelsang Admin", is_staff=True),
        "dispatcher": make_user("dispatcher", "Tsering Dispatcher"),
        "operator": make_user("operator", "Yangchen Operator"),
        "leader": make_user("leader", "Wang Leader"),
        "community": make_user("community", "Dolma Community"),
        "gridworker": make_user("gridworker", "Tashi Gridworker"),
        "handler_cg": make_user("handler_cg", "Li Handler"),
        "handler_zj": make_user("handler_zj", "Lhakpa Handler"),
    }
    users["street_admin"].groups.add(admins)
    for name, role, area, department in [
        ("street_admin", Role.ADMIN, street, None),
        ("dispatcher", Role.DISPATCHER, street, None),
        ("operator", Role.OPERATOR, street, None),
        ("leader", Role.LEADER, street, None),
        ("community", Role.COMMUNITY_STAFF, east, None),
        ("gridworker", Role.GRID_WORKER, grid, None),
        ("handler_cg", Role.DEPARTMENT_HANDLER, None, cg),
        ("handler_zj", Role.DEPARTMENT_HANDLER, None, zj),
    ]:
        membership_add(
            user=users[name],
            role=role,
            area=area,
            department=department,
            acting_user=None,
        )
    dispatcher = users["dispatcher"]

    def submit(
        category: Category = lamp, by: User | None = None, **extra: Any
    ) -> Appeal:
        data = {
            "description": "The street lamp downstairs has been out for three days.",
            "street": street,
            "category": category,
            "name": "Dolkar Resident",
            "phone": "13812345678",
            "consent": True,
            "latitude": 29.605,
            "longitude": 91.005,
            "address": "Building 3, Dongga Road",
            **extra,
        }
        return actions.appeal_submit(data=AppealInput(**data), acting_user=by)[0]

    def dispatched(category: Category = lamp, **unit: Any) -> Appeal:
        appeal = submit(category)
        actions.appeal_accept(appeal=appeal, acting_user=dispatcher)
        actions.appeal_dispatch(
            appeal=appeal,
            acting_user=dispatcher,
            lead=Unit(**unit) if unit else Unit(department=cg),
            co_handlers=[Unit(department=zj)] if not unit else [],
            note="Please look at it today.",
        )
        return appeal

    received = submit()
    rejected = submit()
    actions.appeal_reject(
        appeal=rejected, acting_user=dispatcher, reason="Outside this street."
    )
    merged = submit()
    actions.appeal_merge(appeal=merged, into=received, acting_user=dispatcher)
    accepted = submit(kind="complaint", channel="phone", by=users["operator"])
    actions.appeal_accept(appeal=accepted, acting_user=dispatcher)
    waiting = dispatched()
    handling = dispatched()
    lead = handling.assignments.get(role="lead")
    actions.assignment_sign(assignment=lead, acting_user=users["handler_cg"])
    actions.assignment_progress(
        assignment=lead, acting_user=users["handler_cg"], note="A worker is on the way."
    )
    actions.extension_request(
        assignment=lead,
        acting_user=users["handler_cg"],
        days=Decimal("2"),
        reason="The part has to be ordered.",
    )
    actions.appeal_urge(appeal=handling, acting_user=dispatcher, note="Hurry, please.")
    actions.appeal_supervise(
        appeal=handling, acting_user=users["leader"], note="Watch this one."
    )
    returned = dispatched()
    actions.assignment_return(
        assignment=returned.assignments.get(role="lead"),
        acting_user=users["handler_cg"],
        reason="This is not ours.",
    )
    on_grid = dispatched(dispute, area=grid)
    actions.assignment_sign(
        assignment=on_grid.assignments.get(role="lead"),
        acting_user=users["gridworker"],
    )

    def co_handler_done(appeal: Appeal, *, completed: bool) -> None:
        """The co-handler completes its share (协办完成), or the lead closes it."""
        co = appeal.assignments.get(role="co")
        if completed:
            actions.assignment_sign(assignment=co, acting_user=users["handler_zj"])
            actions.assignment_complete(
                assignment=co, acting_user=users["handler_zj"], note="Our part is done."
            )
        else:
            actions.assignment_close(
                assignment=co,
                acting_user=users["handler_cg"],
                note="Nothing is needed from the housing bureau after all.",
            )

    replied = dispatched()
    share = replied.assignments.get(role="lead")
    actions.assignment_sign(assignment=share, acting_user=users["handler_cg"])
    co_handler_done(replied, completed=True)
    actions.appeal_reply(
        assignment=share,
        acting_user=users["handler_cg"],
        outcome="resolved",
        public_reply="The lamp was replaced.",
        internal_note="Bulb and fuse.",
    )
    exclusion_request(
        assignment=share,
        acting_user=users["handler_cg"],
        reason="A storm broke every lamp in the street.",
    )
    closed = dispatched()
    share = closed.assignments.get(role="lead")
    actions.assignment_sign(assignment=share, acting_user=users["handler_cg"])
    co_handler_done(closed, completed=False)
    actions.appeal_reply(
        assignment=share,
        acting_user=users["handler_cg"],
        outcome="not_resolved",
        outcome_reason="The pole must be replaced first.",
        public_reply="We ordered a new pole.",
    )
    actions.appeal_callback(
        appeal=closed,
        acting_user=None,
        resolved=False,
        satisfaction="unsatisfied",
        comment="Still dark.",
    )

    whistle_type = WhistleType.objects.create(
        code="emergency", name="Emergency response", report_in_minutes=30
    )
    WhistleType.objects.create(
        code="difficult", name="Difficult matter", report_in_working_hours=Decimal(2)
    )
    whistle = whistle_actions.whistle_blow(
        street=street,
        whistle_type=whistle_type,
        title="River channel blocked",
        reason="Three departments must clear it together.",
        departments=[cg, zj],
        lead=cg,
        acting_user=dispatcher,
        appeal=on_grid,
    )
    summons = whistle.summonses.get(department=cg)
    whistle_actions.summons_check_in(
        summons=summons, acting_user=users["handler_cg"], attendees="Li and two more"
    )
    whistle_actions.whistle_progress(
        whistle=whistle, acting_user=dispatcher, note="The digger arrived."
    )
    whistle_actions.meeting_record(
        whistle=whistle,
        acting_user=dispatcher,
        held_at=now,
        attendees="Both departments",
        decisions="Clear it by Friday.",
    )
    month_ago = timezone.localdate(now) - timedelta(days=40)
    period = period_publish(
        street=street,
        start=month_ago.replace(day=1),
        end=month_ago.replace(day=28),
        acting_user=dispatcher,
    )

    client_user = make_user("hotline_system", "Hotline platform")
    api_client = ApiClient.objects.create(
        name="Hotline platform",
        user=client_user,
        key_prefix="cg_live_abc",
        key_hash="0" * 64,
        contact="ops@example.org",
    )
    ApiClientUse.objects.create(
        client=api_client, at=now, method="GET", path="/api/appeals/", status=200
    )
    device_token_issue(user=dispatcher, label="Huawei Mate 60")
    AccessAttempt.objects.create(
        username="dispatcher",
        ip_address="10.0.0.1",
        user_agent="Firefox",
        failures_since_start=2,
        get_data="",
        post_data="",
        http_accept="text/html",
        path_info="/accounts/login/",
    )
    AccessLog.objects.create(
        username="dispatcher",
        ip_address="10.0.0.1",
        user_agent="Firefox",
        http_accept="text/html",
        path_info="/accounts/login/",
    )
    AccessFailureLog.objects.create(
        username="dispatcher",
        ip_address="10.0.0.2",
        user_agent="Firefox",
        http_accept="text/html",
        path_info="/accounts/login/",
        locked_out=False,
    )

    # The ledger's places, things and organisations.
    from civicgrid.ledger.actions import components as ledger_components
    from civicgrid.ledger.actions import organisations as ledger_organisations
    from civicgrid.ledger.actions import places as ledger_places
    from civicgrid.ledger.models import ComponentAppeal, Organisation

    keeper = users["street_admin"]
    building = ledger_places.building_create(
        data=ledger_places.BuildingInput(
            name="Building 1", lon=91.005, lat=29.605, floors=6, units=2
        ),
        acting_user=keeper,
    )
    ledger_places.building_update(
        building=building,
        data=ledger_places.BuildingInput(
            name="Building 1", lon=91.005, lat=29.605, floors=7, units=2
        ),
        acting_user=keeper,
    )
    station = ledger_places.place_create(
        data=ledger_places.PlaceInput(
            kind="station",
            name="Riders' Rest Stop",
            building=building,
            services=["water", "rest", "charging", "microwave", "toilet"],
            opening_hours="08:00-22:00",
            contact_name="Tenzin",
            contact_phone="13900001234",
        ),
        acting_user=keeper,
    )
    tea_house = ledger_places.place_create(
        data=ledger_places.PlaceInput(
            kind="shop",
            name="Tea House",
            lon=91.006,
            lat=29.606,
            licence_number="L0001",
            trade="Catering",
        ),
        acting_user=keeper,
    )
    ledger_places.place_set_open(
        place=tea_house, is_open=False, acting_user=keeper, reason="Moved away"
    )
    lamp_post = ledger_components.component_create(
        data=ledger_components.ComponentInput(
            code="0120001001001", lon=91.004, lat=29.604, department=cg
        ),
        acting_user=keeper,
    )
    ledger_components.component_set_state(
        component=lamp_post, state="damaged", note="Glass broken", acting_user=keeper
    )
    ComponentAppeal.objects.create(component=lamp_post, appeal=handling, linked_at=now)
    K = Organisation.Kind

    def organisation(kind: str, name: str, area: Area, parent: Any = None) -> Any:
        return ledger_organisations.organisation_create(
            data=ledger_organisations.OrganisationInput(
                kind=kind, name=name, area=area, parent=parent
            ),
            acting_user=keeper,
        )

    committee = organisation(K.STREET_COMMITTEE, "Street Working Committee", street)
    branch = organisation(
        K.GRID_BRANCH,
        "Grid One Branch",
        grid,
        organisation(K.COMMUNITY_COMMITTEE, "Dongga Party Committee", east, committee),
    )
    unit_branch = organisation(K.UNIT_BRANCH, "Finance Bureau Branch", street)
    alliance = organisation(K.ALLIANCE, "Residents and Merchants", street, committee)
    member = ledger_organisations.member_add(
        organisation=alliance,
        data=ledger_organisations.MemberInput(place=station, pledge="Free tea"),
        acting_user=keeper,
    )
    pairing = ledger_organisations.pairing_add(
        unit_branch=unit_branch, grid_branch=branch, since=None, acting_user=keeper
    )
    ledger = {
        "place": [{"pk": station.pk}, {"pk": tea_house.pk}],
        "building": [{"pk": building.pk}],
        "component": [{"pk": lamp_post.pk}],
        "organisation": [{"pk": o.pk} for o in (committee, branch, alliance)],
    }
    # The ledger's 社情民意 and patrols (ledger.actions.opinion, .patrol).
    heard = opinion_actions.opinion_gather(
        data=opinion_actions.OpinionInput(
            text="The stairwell light is out", risk="warning", grid=grid
        ),
        acting_user=users["gridworker"],
    )
    answered = opinion_actions.opinion_gather(
        data=opinion_actions.OpinionInput(text="Heating is cold", grid=grid),
        acting_user=users["gridworker"],
    )
    opinion_actions.opinion_close(
        opinion=answered, acting_user=users["gridworker"], note="Answered"
    )
    ended = patrol_actions.patrol_start(grid=grid, acting_user=users["gridworker"])
    patrol_actions.patrol_end(
        patrol=ended, acting_user=users["gridworker"], summary="All quiet"
    )
    walking = patrol_actions.patrol_start(grid=grid, acting_user=users["gridworker"])
    patrol_actions.patrol_add_point(
        patrol=walking, acting_user=users["gridworker"], lon=91.005, lat=29.605
    )
    patrol_actions.patrol_record_opinion(
        patrol=walking, acting_user=users["gridworker"], text="Riders need chargers"
    )

    track = {"code": closed.tracking_code}
    arguments: dict[str, list[dict[str, Any]]] = {
        "org:area_detail": [{"code": area.code} for area in (street, east, grid)],
        "org:department_detail": [{"code": cg.code}],
        "appeals:report_street": [{"street_code": street.code}],
        # 扫码报事: the form from a place's code, and the card staff print.
        "appeals:report_at": [
            {"token": places.token(kind, pk)}
            for kind, pk in (
                ("grid", grid.pk),
                ("building", building.pk),
                ("component", lamp_post.pk),
            )
        ],
        "appeals:place_code": [
            {"kind": "grid", "pk": grid.pk},
            {"kind": "building", "pk": building.pk},
            {"kind": "component", "pk": lamp_post.pk},
        ],
        # Opened by the browser that reported it (render_all claims it first).
        "appeals:report_done": [track],
        "appeals:follow": [{"token": follow_token(handling.pk)}],
        "appeals:track": [{"code": a.tracking_code} for a in (handling, merged)],
        "appeals:track_resident": [
            {"code": a.tracking_code, "key": resident_key(a.tracking_code)}
            for a in (replied, closed, handling)
        ],
        "appeals:console_queue": [{"queue": queue} for queue in QUEUES],
        "appeals:detail": [
            {"pk": a.pk}
            for a in (
                received,
                rejected,
                merged,
                accepted,
                waiting,
                handling,
                returned,
                on_grid,
                replied,
                closed,
            )
        ],
        "appeals:action": [
            {"pk": handling.pk, "action": action} for action in APPEAL_STEPS
        ],
        "ledger:place": ledger["place"],
        "ledger:place_edit": ledger["place"],
        "ledger:place_open": ledger["place"],
        "ledger:building": ledger["building"],
        "ledger:building_edit": ledger["building"],
        "ledger:component": ledger["component"],
        "ledger:component_edit": ledger["component"],
        "ledger:component_state": ledger["component"],
        "ledger:component_report": ledger["component"],
        "ledger:component_link": ledger["component"],
        "ledger:organisation": ledger["organisation"],
        "ledger:organisation_edit": ledger["organisation"],
        "ledger:member_add": ledger["organisation"],
        "ledger:member_leave": [{"pk": alliance.pk, "member": member.pk}],
        "ledger:pairing_add": [{"pk": unit_branch.pk}],
        "ledger:pairing_end": [{"pk": unit_branch.pk, "pairing": pairing.pk}],
        "whistles:detail": [{"pk": whistle.pk}],
        "whistles:act": [
            {"pk": whistle.pk, "action": action} for action in WHISTLE_STEPS
        ],
        "ledger:grid_events": [{"pk": grid.pk}],
        "ledger:opinion": [{"pk": o.pk} for o in (heard, answered)],
        "ledger:opinion_step": [
            {"pk": heard.pk, "step": step} for step in ("to_appeal", "close")
        ],
        "ledger:patrol": [{"pk": p.pk} for p in (walking, ended)],
        # The route's points are answered in JSON, for the page's script.
        "ledger:patrol_step": [
            {"pk": walking.pk, "step": step} for step in ("opinion", "appeal", "end")
        ],
        "metrics:department": [{"pk": cg.pk}],
        "metrics:area": [{"code": area.code} for area in (street, east, grid)],
        "metrics:published": [{"pk": period.pk}],
        "metrics:export": [
            {"table": table, "fmt": "csv"} for table in ("rates", "appeals")
        ],
        "metrics:exclusion_request": [
            {"share": replied.assignments.get(role="lead").pk}
        ],
    }
    arguments.update(ledger_people_pages(grid, users))
    arguments.update(partybuilding_pages(grid, users))
    arguments.update(cobuilding_pages(grid, users))
    return Site(users=users, arguments=arguments)


def cobuilding_pages(grid: Area, users: dict[str, User]) -> dict[str, Any]:
    """The three lists: a problem from an appeal and a survey, another made a
    project (a milestone, a pledge, a note) and one completed and evaluated;
    a unit's resource (the unit of ``partybuilding_pages``)."""
    from civicgrid.appeals.models import Appeal
    from civicgrid.cobuilding import actions as cb
    from civicgrid.partybuilding.models import UnitRegistration

    community = grid.parent
    assert community is not None
    dispatcher = users["dispatcher"]
    appeal = Appeal.objects.filter(street=community.parent).order_by("pk").first()
    assert appeal is not None

    def problem(title: str) -> Any:
        return cb.problem_raise(
            data=cb.ProblemInput(
                title=title,
                description="Raised again and again by the residents",
                field="facilities",
                area=community,
                appeals=[appeal],
                survey="The residents' survey of the spring",
            ),
            acting_user=dispatcher,
        )

    waiting = problem("Lamps out in the back lanes")
    resource = cb.resource_add(
        data=cb.ResourceInput(
            title="Electricians' volunteer hours",
            kind="hours",
            field="facilities",
            quantity=20,
            measure="hours a month",
            area=community,
            provider_kind="unit",
            unit=UnitRegistration.objects.get(community=community),
        ),
        acting_user=dispatcher,
    )
    today = clock.today()

    def project(title: str) -> Any:
        return cb.project_start(
            problem=problem(title),
            data=cb.ProjectInput(
                title=title,
                owner=users["community"],
                due_on=today,
                milestones=[("Survey the lines", today)],
            ),
            acting_user=dispatcher,
        )

    underway = project("New lamps for the back lanes")
    cb.pledge(project=underway, resource=resource, quantity=4, acting_user=dispatcher)
    cb.progress_note(project=underway, acting_user=dispatcher, text="Work began")
    done = project("Drains cleared")
    cb.milestone_done(milestone=done.milestones.get(), acting_user=dispatcher)
    cb.project_complete(project=done, acting_user=dispatcher, summary="All cleared")
    cb.evaluation_record(
        project=done,
        acting_user=dispatcher,
        verdict="satisfied",
        heard="meeting",
        residents=12,
    )
    cb.contract_assign(
        leader=users["leader"], area=community, acting_user=users["street_admin"]
    )
    meeting = cb.meeting_record(
        data=cb.MeetingInput(
            kind="joint",
            title="The joint meeting of the third quarter",
            held_at=clock.now(),
            area=community.parent,
            chair=users["leader"],
            attendees=[users["dispatcher"], users["community"]],
            minutes="The lamps of the back lanes were discussed",
        ),
        acting_user=dispatcher,
    )
    cb.decision_add(
        meeting=meeting,
        acting_user=dispatcher,
        text="Start the lamps project",
        problem=underway.problem,
        project=underway,
        owner=users["community"],
        due_on=today,
    )
    cb.outreach_record(
        data=cb.OutreachInput(
            title="The riders' festival",
            held_on=today,
            area=community,
            group="delivery",
            served=126,
            services="Check-ups, haircuts, water and charging",
        ),
        acting_user=dispatcher,
    )
    return {
        "cobuilding:meeting": [{"pk": meeting.pk}],
        "cobuilding:problem": [{"pk": p.pk} for p in (waiting, underway.problem)],
        "cobuilding:problem_step": [
            {"pk": waiting.pk, "step": step}
            for step in ("add_source", "start", "close")
        ],
        "cobuilding:resource": [{"pk": resource.pk}],
        "cobuilding:project": [{"pk": p.pk} for p in (underway, done)],
        "cobuilding:project_step": [
            {"pk": underway.pk, "step": step}
            for step in ("pledge", "milestone", "progress", "complete", "cancel")
        ]
        + [{"pk": done.pk, "step": "evaluate"}],
    }


def partybuilding_pages(grid: Area, users: dict[str, User]) -> dict[str, Any]:
    """Party building: a unit and a member registered to the community (the
    member is handler_cg, so a handler reads the wall as a member), one waiting
    for a decision, and wishes in the states their pages show."""
    from civicgrid.ledger.models import Household, Organisation
    from civicgrid.partybuilding import actions as pb
    from civicgrid.partybuilding.models import ServiceEntry, Wish

    community = grid.parent
    assert community is not None
    household = Household.objects.filter(grid=grid).order_by("pk").first()
    assert household is not None
    street = community.parent
    assert street is not None
    branch = Organisation.objects.create(
        kind="unit_branch", name="Housing Bureau Party Branch", area=street
    )
    unit = pb.unit_register(
        organisation=branch,
        community=community,
        offers="A van and ten volunteer hours a month",
        acting_user=users["handler_zj"],
    )
    pb.registration_decide(
        registration=unit, confirm=True, acting_user=users["community"]
    )
    member = pb.volunteer_register(
        community=community,
        unit=unit,
        skills="Repairs",
        pledge="Once a month",
        acting_user=users["handler_cg"],
    )
    pb.registration_decide(
        registration=member, confirm=True, acting_user=users["community"]
    )
    pb.volunteer_register(community=community, acting_user=users["operator"])

    def wish(need: str) -> Wish:
        return pb.wish_gather(
            household=household,
            need=need,
            value="120",
            shown_as="Grandma",
            consent=True,
            acting_user=users["gridworker"],
        )

    gathered = wish("A rice cooker")
    published = wish("A warm quilt")
    pb.wish_verify(wish=published, acting_user=users["community"])
    pb.wish_publish(wish=published, acting_user=users["community"])
    claimed = wish("Reading glasses")
    pb.wish_verify(wish=claimed, acting_user=users["community"])
    pb.wish_publish(wish=claimed, acting_user=users["community"])
    pb.wish_claim(wish=claimed, acting_user=users["handler_cg"])
    # A delivered and a credited wish, as their pages show them (no photo file).
    today = clock.today()
    delivered = Wish.objects.create(
        household=household,
        grid=grid,
        community=community,
        shown_as="Grandpa",
        need="A hearing aid",
        value="300",
        consent_at=clock.now(),
        gathered_by=users["gridworker"],
        state=Wish.State.FULFILLED,
        claimed_by=member,
        claimed_at=clock.now(),
        fulfilled_on=today,
    )
    credited = Wish.objects.create(
        household=household,
        grid=grid,
        community=community,
        shown_as="Grandpa",
        need="A tea churn",
        value="260",
        consent_at=clock.now(),
        gathered_by=users["gridworker"],
        state=Wish.State.CONFIRMED,
        claimed_by=member,
        claimed_at=clock.now(),
        fulfilled_on=today,
        confirmed_at=clock.now(),
        confirmed_for_beneficiary=True,
    )
    ServiceEntry.objects.create(
        volunteer=member,
        kind=ServiceEntry.Kind.WISH,
        wish=credited,
        title="Micro-wish for Grandpa",
        served_on=today,
        created_at=clock.now(),
    )
    wishes = (gathered, published, claimed, delivered, credited)
    return {
        "partybuilding:wish": [{"pk": w.pk} for w in wishes],
        # An empty form posted: the page answers with what is missing.
        "partybuilding:wish_step": [
            {"pk": gathered.pk, "step": "refuse"},
            {"pk": claimed.pk, "step": "fulfil"},
        ],
        "partybuilding:wish_new": [{"household_pk": household.pk}],
        "partybuilding:volunteer": [{"pk": member.pk}],
    }


def ledger_people_pages(grid: Area, users: dict[str, User]) -> dict[str, Any]:
    """The ledger's people (人): a household of the grid with a member, one who
    moved away, a tag and a visit."""
    from civicgrid.core import crypto
    from civicgrid.ledger.models import (
        Building,
        Household,
        Person,
        PersonTag,
        Residence,
    )
    from civicgrid.ledger.models import Visit as LedgerVisit

    building = Building.objects.create(
        grid=grid, name="Building One", lon=91.005, lat=29.605
    )
    household = Household.objects.create(
        building=building, grid=grid, unit="1", room="101", note="Ground floor"
    )
    member = Person.objects.create(
        household=household,
        name="Dolkar Yangzom",
        id_number="540102195003010014",
        id_number_index=crypto.blind_index("540102195003010014"),
        phone="13900000001",
        phone_index=crypto.blind_index("13900000001"),
        gender="female",
        birth_date=clock.today().replace(year=1950, month=3, day=1),
        ethnicity="Tibetan",
        relation="Head",
        appeals_consent_at=clock.now(),
        appeals_consent_by=users["gridworker"],
    )
    gone = Person.objects.create(name="Tenzin Norbu", relation="Son")
    today = clock.today()
    Residence.objects.create(
        person=member, household=household, moved_in_on=today.replace(year=2001)
    )
    Residence.objects.create(
        person=gone,
        household=household,
        moved_in_on=today.replace(year=2001),
        moved_out_on=today.replace(year=2020),
        moved_out_to="Chengdu",
    )
    tag = PersonTag.objects.create(
        person=member, tag="lives_alone", since=today.replace(year=2020)
    )
    visit = LedgerVisit.objects.create(
        household=household,
        visitor=users["gridworker"],
        visited_at=clock.now(),
        notes="All well.",
        findings="The stair light is out.",
    )
    visit.people_met.set([member])
    LedgerVisit.objects.create(  # a phone typed in: the page offers it whole
        household=household,
        visitor=users["gridworker"],
        visited_at=clock.now(),
        notes="13912345678",
    )
    people = [{"pk": member.pk}, {"pk": gone.pk}]
    return {
        "ledger:household_list": [{"code": grid.code}],
        "ledger:household_new": [{"code": grid.code}],
        "ledger:household": [{"pk": household.pk}],
        "ledger:household_edit": [{"pk": household.pk}],
        "ledger:person_new": [{"pk": household.pk}],
        "ledger:visit_new": [{"pk": household.pk}],
        "ledger:person": people,
        "ledger:person_edit": [{"pk": member.pk}],
        "ledger:person_move_out": [{"pk": member.pk}],
        "ledger:person_move_in": [{"pk": member.pk}],
        "ledger:person_tag_add": [{"pk": member.pk}],
        "ledger:person_tag_end": [{"pk": member.pk, "tag_pk": tag.pk}],
        "ledger:person_consent": [{"pk": member.pk}],
        "ledger:person_reveal": [{"pk": member.pk}],
        # The visit's note holds a phone: the page offers it whole.
        "ledger:reveal_texts": [{"kind": "household", "pk": household.pk}],
    }


# --- the pages -------------------------------------------------------------------

# Patterns that are no page to read (each with why), by name or namespace.
NOT_PAGES = {
    "api": "the REST API answers JSON; its messages are tested with the API",
    "open311": "GeoReport v2 speaks the standard's own English words",
    "healthz": "a probe for the load balancer",
    "javascript-catalog": "the translations themselves, for scripts",
    "set_language": "a POST that redirects",
    "accounts:logout": "a POST that redirects",
    "accounts:language": "a POST that redirects",
    "accounts:device_revoke": "a POST that redirects",
    "accounts:sign_out_everywhere": "a POST that redirects",
    "appeals:track_photo": "an image",
    "appeals:staff_photo": "an image",
    "appeals:place_code_file": "a QR code's image (PNG or SVG)",
    "appeals:track_voice": "a sound recording",
    "appeals:staff_voice": "a sound recording",
    "service_worker": "the offline app's script",
    "manifest": "the offline app's manifest (JSON; its name is tested with it)",
    "whistles:check_in_photo": "an image",
    "ledger:import_template": "an Excel workbook (its headers are tested with it)",
    "ledger:appeal_component": "a POST that redirects to the appeal's page",
    "ledger:map_layer": "GeoJSON for the map's script (tested with the layers)",
    "ledger:map_edit_grid": "a JSON POST of the map editor's script",
    "ledger:map_edit_building": "a JSON POST of the map editor's script",
    "partybuilding:registration_decide": "a POST that redirects",
    "cobuilding:resource_withdraw": "a POST that redirects",
    "cobuilding:note_photo": "an image",
    "cobuilding:contract_assign": "a POST that redirects",
    "cobuilding:contract_end": "a POST that redirects",
    "discipline": (
        "the sealed channel's pages open only to its own posts, behind a second "
        "factor, and its public pages take Tibetan too: "
        "civicgrid/discipline/tests/test_languages.py reads every one of them"
    ),
    "admin:jsi18n": "the translations themselves, for scripts",
    "admin:autocomplete": "JSON for the admin's select boxes",
    "admin:view_on_site": "a redirect to the object's page",
    "admin:logout": "a POST that redirects",
}
# Pages that read their input from the query string.
QUERIES = {
    "appeals:nearby": "latitude=29.605&longitude=91.005",
    "metrics:export": "start=2020-01-01&end=2099-12-31",
}
TEXT_ATTRIBUTES = {
    "alt",
    "aria-label",
    "title",
    "placeholder",
    "data-label",
    "data-failed",
    "data-located",
    "data-locating",
    "data-unavailable",
}
STAFF = (
    "dispatcher",
    "operator",
    "leader",
    "community",
    "gridworker",
    "handler_cg",
    "handler_zj",
    "street_admin",
)
ADMINS = ("superuser", "street_admin")
RESIDENTS = ("anonymous",)
# Who reads a page, where not every staff role (and a visitor) is worth a look:
# the residents' pages read the same for everyone, and an action is posted by
# the roles that take it (an empty form: the page it answers with).
READERS = {
    "appeals:report": RESIDENTS,
    "appeals:report_street": RESIDENTS,
    "appeals:report_at": RESIDENTS,
    "appeals:place_code": ("gridworker", "street_admin"),
    "appeals:report_done": RESIDENTS,
    "appeals:nearby": RESIDENTS,
    "appeals:follow": RESIDENTS,
    "appeals:privacy": RESIDENTS,
    "appeals:track_lookup": RESIDENTS,
    "appeals:track": RESIDENTS,
    "appeals:track_resident": RESIDENTS,
    "metrics:digest": RESIDENTS,
    "appeals:detail": (
        "dispatcher",
        "handler_cg",
        "handler_zj",
        "gridworker",
        "leader",
    ),
    "appeals:action": ("dispatcher", "handler_cg", "leader"),
    "appeals:bulk_dispatch": ("dispatcher",),
    "whistles:act": ("dispatcher", "handler_cg"),
    "metrics:exclusion_request": ("handler_cg",),
    # Community staff enter no appeals: the page answers with its refusal.
    "ledger:opinion_step": ("community",),
    "ledger:patrol_step": ("gridworker",),
    "ledger:reveal_texts": ("gridworker",),
    "partybuilding:wish_step": ("community", "handler_cg"),
    "cobuilding:problem_step": ("dispatcher",),
    "cobuilding:project_step": ("dispatcher", "community"),
}


def patterns(
    resolvers: list[Any], namespace: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    """(namespaced name, pattern) of every named pattern of the site."""
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = (
                    f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                )
            yield from patterns(entry.url_patterns, inner)
        elif entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


def skipped(name: str) -> bool:
    return name in NOT_PAGES or name.split(":")[0] in NOT_PAGES


def admin_pages(name: str, user: User | None) -> list[dict[str, Any]]:
    """The keyword arguments of an admin page as this user may open it: about
    the first object of the model that their admin lists, if they may open it."""
    if user is None:
        return [{}] if name == "admin:login" else []
    request = RequestFactory().get("/admin/")
    request.user = user
    if name == "admin:app_list":
        return [
            {"app_label": label}
            for label in sorted({m._meta.app_label for m in admin.site._registry})
            if user.has_module_perms(label)
        ]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}_"
        if name == "admin:auth_user_password_change" and model is User:
            name = f"{prefix}password"
        if not name.startswith(prefix):
            continue
        page = name.removeprefix(prefix)
        obj = model_admin.get_queryset(request).order_by("pk").first()
        allowed = {
            "changelist": model_admin.has_view_or_change_permission(request),
            "add": model_admin.has_add_permission(request),
            "change": model_admin.has_view_or_change_permission(request, obj),
            "history": model_admin.has_view_or_change_permission(request, obj),
            "delete": model_admin.has_delete_permission(request, obj),
            "password": model_admin.has_change_permission(request, obj),
        }.get(page, model_admin.has_view_or_change_permission(request))
        if not allowed:
            return []
        if page in ("change", "history", "delete"):
            return [{"object_id": obj.pk}] if obj else []
        if page == "password":
            return [{"id": obj.pk}] if obj else []
        return [{}]
    return [{}]  # the site's own pages: index, login, password change


@dataclass
class Visit:
    name: str
    url: str
    who: str


def visits(site: Site) -> tuple[list[Visit], list[str]]:
    """Every page, each as every user it is for; and the patterns nothing fills."""
    found: list[Visit] = []
    unfilled: list[str] = []
    for name, pattern in patterns(get_resolver().url_patterns):
        if skipped(name):
            continue
        if name.startswith("admin:"):
            for who in (*ADMINS, "anonymous"):
                found.extend(
                    Visit(name, reverse(name, kwargs=kwargs), who)
                    for kwargs in admin_pages(name, site.users.get(who))
                )
            continue
        if pattern.pattern.regex.groupindex and name not in site.arguments:
            unfilled.append(name)
            continue
        for kwargs in site.arguments.get(name, [{}]):
            query = {**kwargs}.pop("?", QUERIES.get(name, ""))
            url = reverse(name, kwargs={k: v for k, v in kwargs.items() if k != "?"})
            url += f"?{query}" if query else ""
            found.extend(
                Visit(name, url, who)
                for who in READERS.get(name, (*STAFF, "anonymous"))
            )
    return found, sorted(set(unfilled))


class VisibleText(html.parser.HTMLParser):
    """The words a reader sees: text outside scripts and styles, the labels in
    attributes, the words on buttons — but not what an element marks as in
    another language than the page's (``lang``: the place card posted on a
    wall speaks Chinese and Tibetan whoever prints it)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0
        self.page_language = ""
        # The element in another language we are inside, and how many of the
        # same tag are open inside it.
        self.foreign: list[str] = []
        self.nested = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.page_language = values.get("lang") or ""
        elif self.foreign:
            self.nested += tag == self.foreign[0]
            return
        elif (
            values.get("lang")
            and values["lang"] != self.page_language
            and tag not in ("button", "input", "option")  # the language switch
        ):
            self.foreign.append(tag)
            return
        if tag in LITERAL_TAGS:
            self.hidden += 1
        # Django's admin writes its icons' alt text as Python does ("True",
        # "False", "None", "Search"), untranslated.
        icon = tag == "img" and "/admin/img/" in (values.get("src") or "")
        for name, value in attrs:
            if value and name in TEXT_ATTRIBUTES and not icon:
                self.parts.append(value)
        if tag == "input" and values.get("type") in ("submit", "button", "reset"):
            self.parts.append(values.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if self.foreign:
            if tag == self.foreign[0]:
                if self.nested:
                    self.nested -= 1
                else:
                    self.foreign.clear()
            return
        if tag in LITERAL_TAGS and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden and not self.foreign:
            self.parts.append(data)


def visible_text(body: str, content_type: str) -> str:
    if not content_type.startswith("text/html"):
        return body
    parser = VisibleText()
    parser.feed(body)
    return "\n".join(p.strip() for p in parser.parts if p.strip())


def database_texts() -> list[str]:
    """Every text the database holds, read through the models (so encrypted
    fields come decrypted), longest first."""
    texts: set[str] = set()

    def collect(value: Any, inside: bool = False) -> None:
        if isinstance(value, str):
            if value.strip():
                texts.add(value.strip())
        elif value is None and inside:
            texts.add("null")  # a JSON value, as the admin shows it
        elif isinstance(value, dict):
            for key, inner in value.items():
                collect(key)
                collect(inner, inside=True)
        elif isinstance(value, list | tuple):
            for inner in value:
                collect(inner, inside=True)

    from django.apps import apps

    for model in apps.get_models():
        if model is ContentType:  # app and model labels, never shown as such
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            and not f.choices
            and not (model is Permission and f.attname == "codename")
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                collect(value)
    # django-axes names its rows in English words of its own, untranslatable
    # ("Access Log for … @ …"): the admin shows them as it shows any row's name.
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        texts.update(str(row) for row in model.objects.all())
    texts.add("<unknown>")  # what it stores for a header the browser did not send
    return sorted(texts, key=len, reverse=True)


def without_data(text: str, known: list[str]) -> str:
    """The page's text with the database's own words taken out, whole."""
    text = DJANGO_THROUGH_ROWS.sub(" ", MASKED.sub(" ", text))
    for value in known:
        if value in text:
            text = re.sub(
                rf"(?<![A-Za-z0-9]){re.escape(value)}(?![A-Za-z0-9])", " ", text
            )
    return text


def snippet(text: str, start: int, end: int) -> str:
    return " ".join(text[max(0, start - 30) : end + 30].split())


def chinese_leftovers(text: str) -> Iterator[tuple[str, str]]:
    """(the Chinese words, where they stand) on an English page."""
    for m in CJK.finditer(text):
        if m.group() not in CJK_ALLOWED:
            yield m.group(), snippet(text, m.start(), m.end())


def english_leftovers(text: str) -> Iterator[tuple[str, str]]:
    """(the Latin word, where it stands) on a Chinese page."""
    text = ADDRESSES.sub(" ", text)
    for m in LATIN_WORD.finditer(text):
        if len(m.group()) > 1 and m.group() not in LATIN_ALLOWED:
            yield m.group(), snippet(text, m.start(), m.end())


def tibetan_leftovers(text: str) -> Iterator[tuple[str, str]]:
    """(the Chinese or English words, where they stand) on a Tibetan page."""
    yield from chinese_leftovers(text)
    yield from english_leftovers(text)


def report(problems: dict[str, list[tuple[str, str]]], pages: int) -> str:
    """One line per leftover: the words, where they stand, the first page that
    shows them and how many others do."""
    lines = [f"{len(problems)} leftovers on {pages} pages:"]
    for words, seen in sorted(problems.items()):
        where, context = seen[0]
        more = f" (+{len(seen) - 1} more)" if len(seen) > 1 else ""
        lines.append(f"  {words!r} on {where}{more}: …{context}…")
    return "\n".join(lines)


# --- the test --------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(django_db_setup: None, django_db_blocker: Any) -> Iterator[Site]:
    """One street for both languages, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_site()
        transaction.set_rollback(True)


def render_all(
    site: Site, language: str
) -> tuple[dict[str, list[tuple[str, str]]], set[str], int]:
    """Each page as each of its users in one language: the leftovers found
    (URL, who and the words), and the names of the pages someone could open."""
    clients: dict[str, Client] = {}
    for who in (*STAFF, *ADMINS, "anonymous"):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        # Chosen, as on the page's switch: it wins over a resident's own appeal's.
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        if who != "anonymous":
            client.force_login(site.users[who])
        clients[who] = client
    # The done page opens for the browser that reported: its session remembers
    # the resident, as the tracking page's claim of the link's key does.
    for kwargs in site.arguments["appeals:report_done"]:
        code = kwargs["code"]
        claim = {"claim-key": resident_key(code)}
        clients["anonymous"].post(reverse("appeals:track", args=[code]), claim)
    site.known = database_texts()  # after the log-ins, which axes writes down
    found, unfilled = visits(site)
    assert not unfilled, (
        f"give these patterns arguments in build_site (or a reason in NOT_PAGES): "
        f"{unfilled}"
    )
    check = {
        "en": chinese_leftovers,
        "zh-hans": english_leftovers,
        "bo": tibetan_leftovers,
    }[language]
    problems: dict[str, list[tuple[str, str]]] = {}
    opened: set[str] = set()
    rendered = 0
    for visit in found:
        client = clients[visit.who]
        with transaction.atomic():
            response = client.get(visit.url)
            if response.status_code == 405:  # a form's target: post it empty
                response = client.post(visit.url, follow=True)
            transaction.set_rollback(True)
        content_type = response.get("Content-Type", "")
        if response.status_code in (301, 302) and visit.who != "anonymous":
            opened.add(visit.name)  # it sends the reader on to another page
        if response.status_code not in (200, 400, 409, 422) or not (
            content_type.startswith(("text/html", "text/csv"))
        ):
            continue
        opened.add(visit.name)
        rendered += 1
        body = (
            b"".join(response).decode()
            if response.streaming
            else response.content.decode()
        )
        text = without_data(visible_text(body, content_type), site.known)
        for words, context in check(text):
            problems.setdefault(words, []).append(
                (f"{visit.url} as {visit.who}", context)
            )
    return problems, opened, rendered


def every_page_opened(site: Site, opened: set[str]) -> list[str]:
    found, _ = visits(site)
    return sorted({v.name for v in found} - opened)


@pytest.fixture(autouse=True)
def _quiet_refusals() -> Iterator[None]:
    """Many pages answer 404 or 405 to a role they are not for: not news."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.mark.django_db
def test_no_chinese_is_left_on_the_english_pages(site: Site):
    problems, opened, rendered = render_all(site, "en")
    unopened = every_page_opened(site, opened)
    assert not unopened, f"no one could open these pages: {unopened}"
    assert not problems, report(problems, rendered)


@pytest.mark.django_db
def test_no_english_is_left_on_the_chinese_pages(site: Site):
    problems, opened, rendered = render_all(site, "zh-hans")
    unopened = every_page_opened(site, opened)
    assert not unopened, f"no one could open these pages: {unopened}"
    assert not problems, report(problems, rendered)


@pytest.mark.django_db
def test_no_chinese_or_english_is_left_on_the_tibetan_pages(site: Site):
    problems, opened, rendered = render_all(site, "bo")
    unopened = every_page_opened(site, opened)
    assert not unopened, f"no one could open these pages: {unopened}"
    assert not problems, report(problems, rendered)
