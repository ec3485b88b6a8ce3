"""Demo: the district body's (堆龙德庆区纪委监委, code "dl") acceptance guide —
version 1 the default texts, version 2 adding the report boxes — and its
publicity ledger of 2026 over the communities and villages of 东嘎街道:
印制台历1000份、纸杯10000个，入户发放台历900余份、纸杯6000余个，接受群众咨询
120余人次, door to door before Losar and in the summer, on the square on
全民国家安全教育日 (15 April) and at a warning-education meeting.

Everything goes through the head's actions (``dl_head``), each at its own
past moment; a moment still to come is left out. Idempotent: the guide is
written only while the body has none, the ledger only while it has no
material. Without the body (or its head) nothing is made."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from civicgrid.core import clock
from civicgrid.core.demo import demo_seed
from civicgrid.org.demo import COMMUNITIES, STREET
from civicgrid.org.models import Area

from .. import actions, guide_texts
from ..models import Activity, Body, GuideVersion, Material

BODY = "dl"
HEAD = "dl_head"
YEAR = 2026

# Version 2 of the guide adds a line to the ways of reporting.
REPORT_BOXES = {
    "zh-hans": "举报箱：各村（居）委会门口设有纪检监察举报箱，每周开箱一次。",
    "bo": (
        "གསལ་སྟོན་ཁ་གཏད་སྒམ། གྲོང་ཚོ་དང་སྡོད་ཁུལ་གྱི་ཨུ་ཡོན་ལྷན་ཁང་རེ་རེའི་སྒོ་དྲུང་དུ་"
        "གསལ་སྟོན་ཁ་གཏད་སྒམ་བཞག་ཡོད། བདུན་ཕྲག་རེར་ཐེངས་གཅིག་ཁ་ཕྱེ།"
    ),
    "en": (
        "Report boxes: every village and community committee has a discipline "
        "report box at its door, opened once a week."
    ),
}

CALENDAR = "calendar"
CUP = "cup"
MATERIALS = [
    (Material.Kind.CALENDAR, "2026年廉洁台历（附12388举报二维码）", 1000),
    (Material.Kind.CUP, "“12388”举报宣传纸杯", 10000),
]

# When, kind, title, area (a community's code, "" for the street), place,
# consultations, {material: quantity}.
A = Activity.Kind
DOOR = A.DOOR_TO_DOOR
WINTER = "藏历新年前入户宣传"
SUMMER = "夏季入户宣传"
MEETING = "村（居）两委干部警示教育会"
ACTIVITIES: list[tuple[str, str, str, str, str, int, dict[str, int]]] = [
    ("2026-01-26", DOOR, WINTER, "001", "", 14, {CALENDAR: 180}),
    ("2026-01-28", DOOR, WINTER, "002", "", 12, {CALENDAR: 185}),
    ("2026-02-02", DOOR, WINTER, "003", "", 16, {CALENDAR: 175}),
    ("2026-02-04", DOOR, WINTER, "004", "", 11, {CALENDAR: 170}),
    ("2026-02-06", DOOR, WINTER, "005", "", 13, {CALENDAR: 165}),
    (
        "2026-04-15",
        A.SQUARE,
        "全民国家安全教育日集中宣传",
        "",
        "东嘎街道文化广场",
        38,
        {CALENDAR: 30, CUP: 2030},
    ),
    ("2026-06-18", A.MEETING, MEETING, "003", "村委会会议室", 8, {}),
    ("2026-07-07", DOOR, SUMMER, "001", "", 3, {CUP: 820}),
    ("2026-07-09", DOOR, SUMMER, "002", "", 2, {CUP: 790}),
    ("2026-07-14", DOOR, SUMMER, "003", "", 3, {CUP: 810}),
    ("2026-07-16", DOOR, SUMMER, "004", "", 2, {CUP: 780}),
    ("2026-07-21", DOOR, SUMMER, "005", "", 2, {CUP: 800}),
]


def _moment(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour))
    )


def _seed_guide(body: Body, head: Any) -> None:
    if GuideVersion.objects.filter(body=body).exists():
        return
    texts = guide_texts.default_texts()
    with clock.at(_moment("2026-01-05")):
        actions.guide_save(body=body, texts=texts, acting_user=head)
    for language, line in REPORT_BOXES.items():
        texts[language]["channels"] += "\n" + line
    moment = _moment("2026-03-02", 15)
    if moment < clock.now():
        with clock.at(moment):
            actions.guide_save(body=body, texts=texts, acting_user=head)


def _seed_ledger(body: Body, head: Any) -> None:
    if Material.objects.filter(body=body).exists():
        return
    areas = {
        code: Area.objects.filter(code=STREET[0] + code).first()
        for code, _name, _kind in COMMUNITIES
    }
    areas[""] = Area.objects.filter(code=STREET[0]).first()
    if not all(areas.values()):
        return
    materials: dict[str, Material] = {}
    with clock.at(_moment("2026-01-06")):
        for kind, name, printed in MATERIALS:
            materials[kind] = actions.material_add(
                body=body,
                kind=kind,
                name=name,
                year=YEAR,
                printed=printed,
                acting_user=head,
            )
    for day, activity_kind, title, area, place, asked, given in ACTIVITIES:
        moment = _moment(day, 16)
        if moment >= clock.now():
            continue  # not yet: the demo was seeded before it
        with clock.at(moment):
            actions.activity_record(
                body=body,
                kind=activity_kind,
                title=title,
                held_on=moment.date(),
                area=areas[area],
                place=place,
                consultations=asked,
                materials=[(materials[k], n) for k, n in given.items()],
                acting_user=head,
            )


@demo_seed("discipline.publicity", after=("discipline.reports",))
def seed_publicity() -> str:
    body = Body.objects.filter(code=BODY).select_related("area").first()
    head = get_user_model().objects.filter(username=HEAD).first()
    if body is None or head is None:
        return ""
    _seed_guide(body, head)
    _seed_ledger(body, head)
    versions = GuideVersion.objects.filter(body=body).count()
    activities = Activity.objects.filter(body=body).count()
    return f"guide v{versions} and {activities} publicity activities of {body.code}"
