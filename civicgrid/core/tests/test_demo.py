from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from shapely.geometry import shape

from civicgrid.accounts.models import Membership, Role, User
from civicgrid.core.demo import DEMO_PASSWORD
from civicgrid.core.models import CalendarDay
from civicgrid.org.models import Area, Department, GeometryVersion
from civicgrid.org.selectors import grid_for_point


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())


def test_the_demo_street_has_its_communities_villages_and_twenty_grids(demo):
    street = Area.objects.get(name="东嘎街道")
    district = street.parent
    assert district is not None and district.name == "堆龙德庆区"
    assert district.parent is not None and district.parent.name == "拉萨市"
    communities = dict(
        Area.objects.filter(parent=street).values_list("name", "community_kind")
    )
    assert communities == {
        "东嘎社区": "community",
        "林堆社区": "community",
        "东嘎村": "village",
        "南嘎村": "village",
        "桑木村": "village",
    }
    grids = Area.objects.filter(level="grid")
    assert grids.count() == 20
    for grid in grids:
        assert grid.parent is not None
        assert len(grid.code) == 15 and grid.code.startswith(grid.parent.code)
    assert Department.objects.count() >= 12


def test_demo_grids_tile_the_street_without_overlap_near_lhasa(demo):
    grids = list(Area.objects.filter(level="grid"))
    shapes = {g.code: shape(g.boundary) for g in grids}
    codes = sorted(shapes)
    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            assert shapes[a].intersection(shapes[b]).area < 1e-12, (a, b)
    street = shape(Area.objects.get(name="东嘎街道").boundary)
    assert abs(sum(s.area for s in shapes.values()) - street.area) < 1e-9
    assert 29.55 < street.centroid.y < 29.75 and 90.95 < street.centroid.x < 91.15
    for grid in grids:
        point = shapes[grid.code].representative_point()
        found = grid_for_point(point.x, point.y)
        assert found is not None and found.code == grid.code


def test_every_role_has_a_demo_user_who_can_log_in(demo):
    held = set(Membership.objects.values_list("role", flat=True))
    assert held == {role.value for role in Role}
    # Client systems' accounts have no password: they sign in by key alone.
    for user in User.objects.filter(api_client__isnull=True):
        assert user.check_password(DEMO_PASSWORD)
    gridworker = User.objects.get(username="gridworker")
    assert gridworker.memberships.filter(role=Role.GRID_WORKER).count() == 2


def test_seeding_again_changes_nothing(demo):
    def snapshot():
        return (
            GeometryVersion.objects.get().version,
            list(Area.objects.values_list("code", "updated_at")),
            Membership.objects.count(),
            User.objects.count(),
            CalendarDay.objects.count(),
        )

    before = snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == before


def test_the_demo_calendar_knows_national_day(demo):
    from datetime import date

    assert CalendarDay.objects.get(date=date(2026, 10, 10)).kind == "workday"
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).kind == "holiday"


def test_demo_accounts_are_printed(demo):
    out = StringIO()
    call_command("demo_accounts", stdout=out)
    assert DEMO_PASSWORD in out.getvalue()
    assert "gridworker" in out.getvalue()


def test_seeding_again_keeps_what_administrators_changed(demo):
    from datetime import date

    grid = Area.objects.get(code="540103001001001")
    grid.name = "东嘎社区幸福网格"
    grid.save(update_fields=["name"])
    day = CalendarDay.objects.get(date=date(2026, 10, 10))
    day.kind, day.name = "holiday", "改为休息"
    day.save()
    call_command("seed_demo", stdout=StringIO())
    assert Area.objects.get(code="540103001001001").name == "东嘎社区幸福网格"
    assert CalendarDay.objects.get(date=date(2026, 10, 10)).kind == "holiday"


def test_seeding_again_after_a_boundary_was_redrawn_still_works(demo):
    from shapely.geometry import shape
    from shapely.ops import unary_union

    from civicgrid.org.actions import area_save
    from civicgrid.org.geometry import to_geojson

    # Move part of grid 002 into grid 001, as an administrator might.
    one = Area.objects.get(code="540103001001001")
    two = Area.objects.get(code="540103001001002")
    a, b = shape(one.boundary), shape(two.boundary)
    slice_ = b.intersection(b.envelope.buffer(0).difference(b.centroid.buffer(0.004)))
    two.boundary = to_geojson(b.difference(slice_).buffer(0))
    area_save(area=two, acting_user=None)
    one.boundary = to_geojson(unary_union([a, slice_]).buffer(0))
    area_save(area=one, acting_user=None)
    call_command("seed_demo", stdout=StringIO())
    assert shape(Area.objects.get(pk=one.pk).boundary).equals(shape(one.boundary))


def test_the_demo_whistles_give_the_published_figures(demo):
    from datetime import timedelta

    from civicgrid.core import clock
    from civicgrid.whistles.selectors import whistle_counters

    now = clock.now()
    counters = whistle_counters(
        street=Area.objects.get(code="540103001"),
        start=now - timedelta(days=365),
        end=now + timedelta(days=1),
    )
    assert counters.blown == 13
    assert counters.resolved == 11
    assert counters.departments_reported >= 20
    # Spread across the year in the order they were blown, none in the future.
    from civicgrid.whistles.models import Whistle

    blown = list(Whistle.objects.order_by("pk").values_list("blown_at", flat=True))
    assert blown == sorted(blown)
    assert all(now - timedelta(days=366) <= at <= now for at in blown)
    assert counters.late_check_ins == 0


def test_the_demo_client_keys_file_and_update_through_open311(demo, client):
    from civicgrid.api.demo import DEMO_CLIENTS
    from civicgrid.appeals.models import Submission

    (_name, hotline_key, _dept), (_name2, cases_key, _dept2) = DEMO_CLIENTS
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": hotline_key,
            "service_code": "street-lamp",
            "address_string": "东嘎路 12 号",
            "description": "路灯不亮",
            "first_name": "卓玛",
        },
    )
    assert response.status_code == 200, response.content
    code = response.json()[0]["service_request_id"]
    entered_by = Submission.objects.get(tracking_code=code).entered_by
    assert entered_by is not None and entered_by.api_client
    # The department's case system sees what was dispatched to 城管.
    listed = client.get(f"/open311/v2/requests.json?api_key={cases_key}").json()
    assert listed
    assert {r["agency_responsible"] for r in listed} >= {
        "堆龙德庆区城市管理和综合执法局"
    }
    assert client.get("/open311/v2/requests.json?api_key=cg_nope").status_code == 403
