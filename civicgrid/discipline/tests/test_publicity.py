"""The publicity ledger (宣传台账): material printed and handed out in the
townships and villages of the body's area — never more than was printed, a
refusal naming what is left — activities with the people who came to ask,
and the counters a work report quotes, summed from the ledger. Only the head
of the reports office keeps it; every other post, and who holds none, gets
404."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse

from civicgrid.core import clock
from civicgrid.core.errors import DomainError, PermissionDeniedError
from civicgrid.discipline import actions, selectors_publicity
from civicgrid.discipline.demo import publicity as demo
from civicgrid.discipline.models import (
    Activity,
    AuditEntry,
    Distribution,
    GuideVersion,
    Material,
    Post,
)
from civicgrid.org.models import Area
from conftest import make_area, make_user

from .conftest import verified_login
from .pages import assert_clean_page

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def today():
    moment = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)
    with clock.at(moment):
        yield


def material(sealed, kind: str = "calendar", printed: int = 1000, **extra) -> Material:
    fields: dict[str, Any] = {"name": "2026年廉洁台历", "year": 2026}
    fields.update(extra)
    return actions.material_add(
        body=sealed.district,
        kind=kind,
        printed=printed,
        acting_user=sealed["head"],
        **fields,
    )


def hand_out(sealed, given: Material, quantity, area=None, **extra) -> Distribution:
    fields: dict[str, Any] = {"handed_out_on": TODAY, "activity": None}
    fields.update(extra)
    return actions.distribution_record(
        material=given,
        area=area or sealed.street.area,
        quantity=quantity,
        acting_user=sealed["head"],
        **fields,
    )


# --- material and what is handed out ----------------------------------------------


def test_handing_out_counts_against_what_was_printed(sealed, street):
    calendars = material(sealed, printed=1000)
    hand_out(sealed, calendars, 600, street.east)
    hand_out(sealed, calendars, 400, street.west)
    calendars.refresh_from_db()
    assert (calendars.handed_out, calendars.left) == (1000, 0)
    assert Distribution.objects.filter(material=calendars).count() == 2


def test_handing_out_more_than_is_left_is_refused_naming_what_is_left(sealed):
    calendars = material(sealed, printed=1000)
    hand_out(sealed, calendars, 900)
    with pytest.raises(DomainError) as refused:
        hand_out(sealed, calendars, 101)
    assert refused.value.field == "quantity"
    assert "Only 100 of “2026年廉洁台历” are left" in refused.value.message
    assert "1000 printed" in refused.value.message
    calendars.refresh_from_db()
    assert calendars.handed_out == 900
    assert Distribution.objects.count() == 1


def test_two_distributions_from_stale_copies_cannot_overdraw(sealed):
    """Two heads' pages read the same 'left' at the same moment: the second
    one's update finds the bound taken and is refused, whatever its copy of
    the material says."""
    calendars = material(sealed, printed=1000)
    first, second = (
        Material.objects.get(pk=calendars.pk),
        Material.objects.get(pk=calendars.pk),
    )
    assert first.left == second.left == 1000
    hand_out(sealed, first, 600)
    assert second.left == 1000  # stale
    with pytest.raises(DomainError) as refused:
        hand_out(sealed, second, 600)
    assert "Only 400" in refused.value.message
    calendars.refresh_from_db()
    assert calendars.handed_out == 600


def test_the_database_refuses_an_overdrawn_material(sealed):
    calendars = material(sealed, printed=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        Material.objects.filter(pk=calendars.pk).update(handed_out=F("printed") + 1)


@pytest.mark.parametrize("quantity", [0, -5, "12", 2.5, True, 10_000_001])
def test_a_bad_quantity_is_refused(sealed, quantity):
    calendars = material(sealed)
    with pytest.raises(DomainError) as refused:
        hand_out(sealed, calendars, quantity)
    assert refused.value.field == "quantity"
    assert not Distribution.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("printed", 0),
        ("printed", -1),
        ("printed", "1000"),
        ("year", 1999),
        ("year", 2028),
        ("kind", "mug"),
        ("name", " "),
    ],
)
def test_bad_material_is_refused_naming_the_field(sealed, field, value):
    fields: dict[str, Any] = {
        "kind": "calendar",
        "printed": 1000,
        "year": 2026,
        "name": "台历",
    }
    fields[field] = value
    with pytest.raises(DomainError) as refused:
        actions.material_add(body=sealed.district, acting_user=sealed["head"], **fields)
    assert refused.value.field == field
    assert not Material.objects.exists()


def test_an_area_outside_the_body_is_refused(sealed, street):
    # Another district of the city, with a street of its own.
    chengguan = make_area("540102", "城关区", Area.Level.DISTRICT, street.city)
    elsewhere = make_area("540102001", "八廓街道", Area.Level.STREET, chengguan)
    calendars = material(sealed)
    for area in (elsewhere, chengguan, street.city, street.grids["e1"]):
        with pytest.raises(DomainError) as refused:
            hand_out(sealed, calendars, 10, area)
        assert refused.value.field == "area", area
    # The street's own body may hand out in its communities, not the district's.
    cups = actions.material_add(
        body=sealed.street,
        kind="cup",
        name="纸杯",
        year=2026,
        printed=100,
        acting_user=sealed["street_head"],
    )
    actions.distribution_record(
        material=cups,
        area=street.east,
        quantity=10,
        handed_out_on=TODAY,
        acting_user=sealed["street_head"],
    )
    with pytest.raises(DomainError):
        actions.distribution_record(
            material=cups,
            area=street.district,
            quantity=10,
            handed_out_on=TODAY,
            acting_user=sealed["street_head"],
        )
    assert Distribution.objects.count() == 1


def test_a_date_in_the_future_is_refused(sealed):
    calendars = material(sealed)
    with pytest.raises(DomainError) as refused:
        hand_out(sealed, calendars, 1, handed_out_on=TODAY + dt.timedelta(days=1))
    assert refused.value.field == "handed_out_on"


@pytest.mark.parametrize("who", ["officer", "custodian", "city_head", "street_head"])
def test_only_the_head_of_the_body_keeps_the_ledger(sealed, who):
    calendars = material(sealed)
    with pytest.raises(PermissionDeniedError):
        actions.material_add(
            body=sealed.district,
            kind="cup",
            name="纸杯",
            year=2026,
            printed=10,
            acting_user=sealed[who],
        )
    with pytest.raises(PermissionDeniedError):
        actions.distribution_record(
            material=calendars,
            area=sealed.street.area,
            quantity=1,
            handed_out_on=TODAY,
            acting_user=sealed[who],
        )


# --- activities -------------------------------------------------------------------


def test_an_activity_hands_out_its_material_all_or_nothing(sealed, street):
    calendars = material(sealed, printed=100)
    cups = material(sealed, kind="cup", printed=50, name="纸杯")
    with pytest.raises(DomainError) as refused:
        actions.activity_record(
            body=sealed.district,
            kind="square",
            title="全民国家安全教育日集中宣传",
            held_on=dt.date(2026, 4, 15),
            area=street.street,
            place="文化广场",
            consultations=38,
            materials=[(calendars, 30), (cups, 51)],
            acting_user=sealed["head"],
        )
    assert "Only 50 of “纸杯”" in refused.value.message
    assert not Activity.objects.exists()
    calendars.refresh_from_db()
    assert calendars.handed_out == 0
    activity = actions.activity_record(
        body=sealed.district,
        kind="square",
        title="全民国家安全教育日集中宣传",
        held_on=dt.date(2026, 4, 15),
        area=street.street,
        consultations=38,
        materials=[(calendars, 30), (cups, 50)],
        acting_user=sealed["head"],
    )
    assert {(d.material.kind, d.quantity) for d in activity.distributions.all()} == {
        ("calendar", 30),
        ("cup", 50),
    }
    assert all(
        d.handed_out_on == activity.held_on for d in activity.distributions.all()
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("consultations", -1), ("kind", "party"), ("title", ""), ("area", None)],
)
def test_a_bad_activity_is_refused_naming_the_field(sealed, street, field, value):
    fields: dict[str, Any] = {
        "kind": "door_to_door",
        "title": "入户宣传",
        "held_on": dt.date(2026, 7, 7),
        "area": street.east,
        "consultations": 3,
    }
    fields[field] = value
    with pytest.raises(DomainError) as refused:
        actions.activity_record(
            body=sealed.district, acting_user=sealed["head"], **fields
        )
    assert refused.value.field == field
    assert not Activity.objects.exists()


def test_every_write_is_in_the_audit_log_with_ids_and_kinds(sealed, street):
    calendars = material(sealed)
    given = hand_out(sealed, calendars, 5, street.east)
    activity = actions.activity_record(
        body=sealed.district,
        kind="meeting",
        title="警示教育会",
        held_on=TODAY,
        area=street.west,
        acting_user=sealed["head"],
    )
    entries = {e.action: e for e in AuditEntry.objects.filter(actor=sealed["head"])}
    assert entries["publicity.material_added"].detail == {
        "body": sealed.district.pk,
        "material": calendars.pk,
        "kind": "calendar",
    }
    assert entries["publicity.handed_out"].detail == {
        "body": sealed.district.pk,
        "material": calendars.pk,
        "area": street.east.pk,
        "distribution": given.pk,
        "activity": None,
    }
    assert entries["publicity.activity_recorded"].detail == {
        "body": sealed.district.pk,
        "activity": activity.pk,
        "area": street.west.pk,
        "kind": "meeting",
    }


# --- the counters -----------------------------------------------------------------


def ledger(sealed, street) -> None:
    """The example of the brief: 印制台历1000份、纸杯10000个，发放台历900余份、
    纸杯6000余个，接受群众咨询120余人次."""
    calendars = material(sealed, printed=1000)
    cups = material(sealed, kind="cup", printed=10000, name="纸杯")
    old = material(sealed, printed=50, year=2025, name="2025年台历")
    hand_out(sealed, old, 50, street.east, handed_out_on=dt.date(2025, 12, 1))
    for area, asked, n_calendars, n_cups in (
        (street.east, 60, 500, 3000),
        (street.west, 64, 405, 3030),
    ):
        actions.activity_record(
            body=sealed.district,
            kind="door_to_door",
            title="入户宣传",
            held_on=dt.date(2026, 2, 2),
            area=area,
            consultations=asked,
            materials=[(calendars, n_calendars), (cups, n_cups)],
            acting_user=sealed["head"],
        )
    # Last year's activity is not this year's.
    actions.activity_record(
        body=sealed.district,
        kind="meeting",
        title="去年的会",
        held_on=dt.date(2025, 12, 5),
        area=street.east,
        consultations=99,
        acting_user=sealed["head"],
    )


def test_the_counters_are_the_sums_of_the_ledger(sealed, street):
    ledger(sealed, street)
    found = selectors_publicity.counters(sealed.district, 2026)
    materials = Material.objects.filter(body=sealed.district, year=2026)
    assert found.printed == {
        kind: sum(m.printed for m in materials if m.kind == kind)
        for kind in {m.kind for m in materials}
    }
    distributions = Distribution.objects.filter(
        material__body=sealed.district, material__year=2026
    )
    assert found.handed_out == {
        kind: sum(d.quantity for d in distributions if d.material.kind == kind)
        for kind in {d.material.kind for d in distributions}
    }
    activities = Activity.objects.filter(body=sealed.district, held_on__year=2026)
    assert found.consultations == sum(a.consultations for a in activities) == 124
    assert found.activity_count == activities.count() == 2
    assert found.printed == {"calendar": 1000, "cup": 10000}
    assert found.handed_out == {"calendar": 905, "cup": 6030}
    # Kept per material too.
    for row in materials:
        assert row.handed_out == sum(
            d.quantity for d in distributions if d.material_id == row.pk
        )
    last_year = selectors_publicity.counters(sealed.district, 2025)
    assert (last_year.handed_out, last_year.consultations) == ({"calendar": 50}, 99)


def test_the_counters_read_as_a_work_report_says_them(sealed, street):
    ledger(sealed, street)
    summary = selectors_publicity.summary(
        selectors_publicity.counters(sealed.district, 2026)
    )
    assert summary == (
        "Printed 1000 calendars, 10000 paper cups; handed out 900+ calendars, "
        "6000+ paper cups; held 2 activities, answering 120+ questions from the "
        "public."
    )
    assert selectors_publicity.summary(selectors_publicity.counters(sealed.city)) == ""


@pytest.mark.parametrize(
    ("n", "said"),
    [(0, "0"), (99, "99"), (100, "100"), (124, "120+"), (905, "900+"),
     (1000, "1000"), (6030, "6000+"), (10000, "10000"), (12345, "12000+")],
)  # fmt: skip
def test_a_count_is_rounded_down_as_reports_do(n, said):
    assert selectors_publicity.about(n) == said


def test_what_went_where(sealed, street):
    ledger(sealed, street)
    table = selectors_publicity.by_area(sealed.district, 2026)
    assert [kind for kind, _label in table["kinds"]] == ["calendar", "cup"]
    rows = {row["area"]: row for row in table["rows"]}
    assert [n for _label, n in rows["东嘎社区"]["counts"]] == [500, 3000]
    assert rows["林堆社区"]["total"] == 405 + 3030


# --- the pages --------------------------------------------------------------------


def test_the_head_reads_the_ledger_and_adds_to_it(client, sealed, street):
    ledger(sealed, street)
    verified_login(client, sealed["head"])
    url = reverse("discipline:publicity", args=["dl"])
    page = client.get(url + "?year=2026")
    assert page.status_code == 200
    assert_clean_page(page, url)
    text = page.content.decode()
    assert "handed out 900+ calendars" in text
    assert page.context["counters"].handed_out["cup"] == 6030
    calendars = Material.objects.get(body=sealed.district, year=2026, kind="calendar")
    add = reverse("discipline:publicity_distribution_add", args=["dl"])
    fields = {
        "material": calendars.pk,
        "area": street.east.pk,
        "quantity": 96,
        "handed_out_on": "2026-11-19",
    }
    refused = client.post(add, fields)
    assert refused.status_code == 400
    assert "Only 95 of" in str(refused.context["distribution_form"].errors["quantity"])
    fields["quantity"] = 95
    assert client.post(add, fields).status_code == 302
    calendars.refresh_from_db()
    assert calendars.left == 0
    # An area of another district is not even offered.
    chengguan = make_area("540102", "城关区", Area.Level.DISTRICT, street.city)
    fields.update(area=chengguan.pk, quantity=1)
    assert client.post(add, fields).status_code == 400
    material_added = client.post(
        reverse("discipline:publicity_material_add", args=["dl"]),
        {"kind": "leaflet", "name": "《信访举报指南》折页", "year": 2026, "printed": 0},
    )
    assert material_added.status_code == 400
    assert "printed" in material_added.context["material_form"].errors
    activity = client.post(
        reverse("discipline:publicity_activity_add", args=["dl"]),
        {
            "kind": "square",
            "title": "全民国家安全教育日",
            "held_on": "2026-04-15",
            "area": street.street.pk,
            "place": "广场",
            "consultations": 5,
        },
    )
    assert activity.status_code == 302
    printable = client.get(reverse("discipline:publicity_print", args=["dl"]))
    assert printable.status_code == 200
    assert "data-print" in printable.content.decode()
    assert client.get(add).status_code == 405


@pytest.mark.parametrize(
    "who", ["officer", "custodian", "principal", "city_head", "street_head"]
)
def test_other_posts_get_404_on_the_ledger(client, sealed, street, who):
    calendars = material(sealed)
    verified_login(client, sealed[who])
    for url in (
        reverse("discipline:publicity", args=["dl"]),
        reverse("discipline:publicity_print", args=["dl"]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("discipline:publicity_distribution_add", args=["dl"]),
        {
            "material": calendars.pk,
            "area": street.east.pk,
            "quantity": 1,
            "handed_out_on": "2026-11-19",
        },
    )
    assert response.status_code == 404
    assert not Distribution.objects.exists()


@pytest.mark.parametrize("who", ["resident", "outsider", "superuser"])
def test_who_holds_no_post_gets_404_on_the_ledger(client, people, sealed, who):
    verified_login(client, sealed["superuser"] if who == "superuser" else people[who])
    assert client.get(reverse("discipline:publicity", args=["dl"])).status_code == 404


# --- the demo ---------------------------------------------------------------------


@pytest.fixture
def demo_villages(sealed, street):
    """What the publicity seed looks for: the district body "dl", its head
    "dl_head", and the five communities and villages of 东嘎街道."""
    for code, name in (("003", "东嘎村"), ("004", "南嘎村"), ("005", "桑木村")):
        make_area(
            street.street.code + code,
            name,
            Area.Level.COMMUNITY,
            street.street,
            community_kind=Area.CommunityKind.VILLAGE,
        )
    head = make_user("dl_head", "次仁央宗")
    actions.post_add(body=sealed.district, user=head, kind=Post.Kind.HEAD)
    return head


def test_the_demo_gives_the_district_a_guide_and_the_ledger_once(demo_villages, sealed):
    summary = demo.seed_publicity()
    assert summary == "guide v2 and 12 publicity activities of dl"
    found = selectors_publicity.counters(sealed.district, 2026)
    assert found.printed == {"calendar": 1000, "cup": 10000}
    assert found.handed_out == {"calendar": 905, "cup": 6030}
    assert found.consultations == 124
    assert selectors_publicity.summary(found).startswith(
        "Printed 1000 calendars, 10000 paper cups; handed out 900+ calendars, "
        "6000+ paper cups;"
    )
    villages = {
        row["area"] for row in selectors_publicity.by_area(sealed.district)["rows"]
    }
    assert {"东嘎村", "南嘎村", "桑木村", "东嘎社区", "林堆社区"} <= villages
    latest = GuideVersion.objects.get(body=sealed.district, number=2)
    assert "举报箱" in latest.texts["zh-hans"]["channels"]
    counts = (
        GuideVersion.objects.count(),
        Material.objects.count(),
        Activity.objects.count(),
        Distribution.objects.count(),
        AuditEntry.objects.count(),
    )
    assert demo.seed_publicity() == summary
    assert counts == (
        GuideVersion.objects.count(),
        Material.objects.count(),
        Activity.objects.count(),
        Distribution.objects.count(),
        AuditEntry.objects.count(),
    )


def test_without_the_district_body_the_demo_makes_nothing(db):
    assert demo.seed_publicity() == ""
    assert not Material.objects.exists()
