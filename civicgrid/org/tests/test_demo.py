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


def test_every_demo_department_has_a_handler_who_can_log_in(demo):
    """Whatever the demo dispatches or summons, someone can sign for it."""
    for department in Department.objects.filter(is_active=True):
        handlers = User.objects.filter(
            memberships__role=Role.DEPARTMENT_HANDLER,
            memberships__department=department,
            is_active=True,
            api_client__isnull=True,  # a department's case system has no password
        )
        assert handlers.exists(), department.name
        assert all(user.check_password(DEMO_PASSWORD) for user in handlers)


def test_every_demo_grid_and_community_has_its_own_staff_who_can_log_in(demo):
    """Whatever is sent to a grid or a community, one of its own signs for it."""
    for area in Area.objects.filter(level__in=["grid", "community"]):
        role = Role.GRID_WORKER if area.level == "grid" else Role.COMMUNITY_STAFF
        staff = User.objects.filter(
            memberships__role=role, memberships__area=area, is_active=True
        )
        assert staff.exists(), area.name
        assert all(user.check_password(DEMO_PASSWORD) for user in staff)


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
