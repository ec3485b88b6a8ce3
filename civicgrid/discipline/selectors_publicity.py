"""Reads of the acceptance guide and the publicity ledger: the guide a page
shows, its versions, the ledger's rows and the counters a work report
quotes ("印制台历1000份……接受群众咨询120余人次"), summed from the ledger."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from civicgrid.core import clock
from civicgrid.org.models import Area

from . import guide_texts, permissions, qr
from .models import Activity, Body, Distribution, GuideVersion, Material, Post

K = Post.Kind
# Where publicity is handed out: townships (streets) and communities/villages.
PUBLICITY_LEVELS = (Area.Level.STREET, Area.Level.COMMUNITY)


def body_kept_by(user: Any, code: str) -> Body | None:
    """The body of that code whose reports office ``user`` heads."""
    return (
        Body.objects.filter(pk__in=permissions.body_ids(user, (K.HEAD,)), code=code)
        .select_related("area")
        .first()
    )


# --- the acceptance guide ----------------------------------------------------------


def online_url(body: Body) -> str:
    """The body's online report form, as its QR code carries it; none for a
    body that takes no online reports."""
    if not body.accepts_online:
        return ""
    return qr.absolute(reverse("discipline:report", args=[body.code]))


def guide_versions(body: Body) -> QuerySet[GuideVersion]:
    return (
        GuideVersion.objects.filter(body=body)
        .select_related("author")
        .order_by("-number")
    )


def guide_latest(body: Body) -> GuideVersion | None:
    return guide_versions(body).first()


def guide_texts_of(version: GuideVersion | None) -> dict[str, dict[str, str]]:
    """A version's texts, or the defaults before the first save."""
    return version.texts if version is not None else guide_texts.default_texts()


@dataclass(frozen=True)
class GuidePage:
    body: Body
    document: guide_texts.Document
    version: GuideVersion | None
    online_url: str
    qr_image: str


def guide_page(body: Body, language: str) -> GuidePage:
    """The latest guide of ``body`` in ``language`` (Chinese when the
    language has none), with the body's facts filled in and the QR code of
    its online form."""
    version = guide_latest(body)
    url = online_url(body)
    facts = {
        "body": body.name,
        "address": body.address,
        "visiting_hours": body.visiting_hours,
        "hotline": body.hotline,
        "online": url,
    }
    return GuidePage(
        body=body,
        document=guide_texts.document(guide_texts_of(version), language, facts),
        version=version,
        online_url=url,
        qr_image=qr.image(url) if url else "",
    )


# --- the publicity ledger ----------------------------------------------------------


def areas_for(body: Body) -> QuerySet[Area]:
    """Where the body's material is handed out: the townships (streets) and
    the communities and villages in its area."""
    return Area.objects.filter(
        path__startswith=body.area.path, level__in=PUBLICITY_LEVELS, is_active=True
    ).order_by("path")


def materials_for(body: Body, year: int | None = None) -> QuerySet[Material]:
    found = Material.objects.filter(body=body)
    if year is not None:
        found = found.filter(year=year)
    return found.order_by("-year", "kind", "name")


def distributions_for(body: Body, year: int | None = None) -> QuerySet[Distribution]:
    found = Distribution.objects.filter(material__body=body)
    if year is not None:
        found = found.filter(material__year=year)
    return found.select_related("material", "area", "activity").order_by(
        "-handed_out_on", "-pk"
    )


def activities_for(body: Body, year: int | None = None) -> QuerySet[Activity]:
    found = Activity.objects.filter(body=body)
    if year is not None:
        found = found.filter(held_on__year=year)
    return (
        found.select_related("area")
        .annotate(given=Sum("distributions__quantity"))
        .order_by("-held_on", "-pk")
    )


def ledger_years(body: Body) -> list[int]:
    """The years the ledger has something in, and this one."""
    years = set(Material.objects.filter(body=body).values_list("year", flat=True))
    years |= {
        day.year for day in Activity.objects.filter(body=body).dates("held_on", "year")
    }
    years.add(clock.today().year)
    return sorted(years, reverse=True)


@dataclass
class Counters:
    """A year's publicity in numbers (of material of that year and
    activities held in it)."""

    year: int | None
    printed: dict[str, int] = field(default_factory=dict)
    handed_out: dict[str, int] = field(default_factory=dict)
    activities: dict[str, int] = field(default_factory=dict)
    consultations: int = 0

    @property
    def rows(self) -> list[dict[str, Any]]:
        """One row per kind of material: printed, handed out, left."""
        return [
            {
                "kind": kind,
                "label": label,
                "printed": self.printed.get(kind, 0),
                "handed_out": self.handed_out.get(kind, 0),
                "left": self.printed.get(kind, 0) - self.handed_out.get(kind, 0),
            }
            for kind, label in Material.Kind.choices
            if self.printed.get(kind)
        ]

    @property
    def activity_count(self) -> int:
        return sum(self.activities.values())


def counters(body: Body, year: int | None = None) -> Counters:
    """Summed in the database from the ledger's rows."""
    found = Counters(year=year)
    for row in (
        materials_for(body, year).values("kind").annotate(n=Sum("printed")).order_by()
    ):
        found.printed[row["kind"]] = row["n"] or 0
    for given in (
        distributions_for(body, year)
        .values("material__kind")
        .annotate(n=Sum("quantity"))
        .order_by()
    ):
        found.handed_out[given["material__kind"]] = given["n"] or 0
    activities = Activity.objects.filter(body=body)
    if year is not None:
        activities = activities.filter(held_on__year=year)
    for row in activities.values("kind").annotate(n=Count("pk")).order_by():
        found.activities[row["kind"]] = row["n"]
    found.consultations = activities.aggregate(n=Sum("consultations"))["n"] or 0
    return found


def by_area(body: Body, year: int | None = None) -> dict[str, Any]:
    """What went to each township and village, kind by kind: the kinds that
    were handed out at all, and a row per area."""
    table: dict[int, dict[str, int]] = defaultdict(dict)
    names: dict[int, str] = {}
    for row in (
        distributions_for(body, year)
        .values("area", "area__name", "area__path", "material__kind")
        .annotate(n=Sum("quantity"))
        .order_by("area__path")
    ):
        table[row["area"]][row["material__kind"]] = row["n"]
        names[row["area"]] = row["area__name"]
    handed = {kind for counts in table.values() for kind in counts}
    kinds = [(k, label) for k, label in Material.Kind.choices if k in handed]
    return {
        "kinds": kinds,
        "rows": [
            {
                "area": names[area],
                "counts": [(label, counts.get(kind, 0)) for kind, label in kinds],
                "total": sum(counts.values()),
            }
            for area, counts in table.items()
        ],
    }


# --- the counters in words ----------------------------------------------------------

# How many of a kind, in the words of a work report ("台历1000份").
_AMOUNTS: dict[str, Callable[[Any], str]] = {
    Material.Kind.CALENDAR: lambda n: _("%(n)s calendars") % {"n": n},
    Material.Kind.POSTER: lambda n: _("%(n)s posters") % {"n": n},
    Material.Kind.CUP: lambda n: _("%(n)s paper cups") % {"n": n},
    Material.Kind.LEAFLET: lambda n: _("%(n)s leaflets") % {"n": n},
    Material.Kind.OTHER: lambda n: _("%(n)s other items") % {"n": n},
}


def about(n: int) -> str:
    """A count as a report rounds it: from 100 on, down to two significant
    figures with "over" (6,030 → "over 6000", zh "6000余"); exact below, or
    where it is round already."""
    if n < 100:
        return str(n)
    step = 10 ** (len(str(n)) - 2)
    rounded = n // step * step
    if rounded == n:
        return str(n)
    return _("%(n)s+") % {"n": rounded}


def _listed(parts: list[str]) -> str:
    return pgettext("list separator", ", ").join(parts)


def summary(found: Counters) -> str:
    """E.g. 印制台历1000份、纸杯10000个，发放台历900余份、纸杯6000余个，
    接受群众咨询120余人次 — from the counters, never typed in."""
    kinds = [kind for kind, _label in Material.Kind.choices]
    printed = [
        _AMOUNTS[kind](found.printed[kind]) for kind in kinds if found.printed.get(kind)
    ]
    handed = [
        _AMOUNTS[kind](about(found.handed_out[kind]))
        for kind in kinds
        if found.handed_out.get(kind)
    ]
    sentences = []
    if printed:
        sentences.append(_("printed %(amounts)s") % {"amounts": _listed(printed)})
    if handed:
        sentences.append(_("handed out %(amounts)s") % {"amounts": _listed(handed)})
    if found.activity_count:
        sentences.append(
            _("held %(n)s activities, answering %(people)s questions from the public")
            % {"n": found.activity_count, "people": about(found.consultations)}
        )
    if not sentences:
        return ""
    text = pgettext("clause separator", "; ").join(sentences)
    return _("%(text)s.") % {"text": text[:1].upper() + text[1:]}
