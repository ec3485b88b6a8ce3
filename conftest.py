"""Shared fixtures: a small street with two communities and four square grids, and
the people who use it — a dispatcher, a grid worker, two department handlers, and
an outsider who must see nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from shapely.geometry import box

from civicgrid.accounts.actions import membership_add
from civicgrid.accounts.models import Role, User
from civicgrid.org.actions import area_save
from civicgrid.org.geometry import to_geojson
from civicgrid.org.models import Area, Department

PASSWORD = "correct-horse-battery-9"


def square(west: float, south: float, size: float = 0.01) -> dict:
    return to_geojson(box(west, south, west + size, south + size))


def make_area(
    code: str, name: str, level: str, parent: Area | None, boundary=None, **extra
) -> Area:
    return area_save(
        area=Area(
            code=code, name=name, level=level, parent=parent, boundary=boundary, **extra
        ),
        acting_user=None,
    )


@dataclass
class Street:
    city: Area
    district: Area
    street: Area
    east: Area  # community 001
    west: Area  # community 002
    grids: dict[str, Area]  # "e1", "e2", "w1", "w2"


@pytest.fixture
def street(db) -> Street:
    """Grids are 0.01° squares: e1 [91.00,91.01]×[29.60,29.61], e2 east of it,
    w1 and w2 north of them; e1 and e2 share the meridian 91.01."""
    city = make_area(
        "540100", "拉萨市", Area.Level.CITY, None, to_geojson(box(90, 29, 92, 30))
    )
    district = make_area("540103", "堆龙德庆区", Area.Level.DISTRICT, city)
    street = make_area(
        "540103001",
        "东嘎街道",
        Area.Level.STREET,
        district,
        to_geojson(box(91.0, 29.6, 91.02, 29.62)),
    )
    east = make_area(
        "540103001001",
        "东嘎社区",
        Area.Level.COMMUNITY,
        street,
        to_geojson(box(91.0, 29.6, 91.02, 29.61)),
        community_kind=Area.CommunityKind.COMMUNITY,
    )
    west = make_area(
        "540103001002",
        "林堆社区",
        Area.Level.COMMUNITY,
        street,
        to_geojson(box(91.0, 29.61, 91.02, 29.62)),
        community_kind=Area.CommunityKind.COMMUNITY,
    )
    grids = {
        "e1": make_area(
            "540103001001001", "东嘎一网格", Area.Level.GRID, east, square(91.0, 29.6)
        ),
        "e2": make_area(
            "540103001001002", "东嘎二网格", Area.Level.GRID, east, square(91.01, 29.6)
        ),
        "w1": make_area(
            "540103001002001", "林堆一网格", Area.Level.GRID, west, square(91.0, 29.61)
        ),
        "w2": make_area(
            "540103001002002", "林堆二网格", Area.Level.GRID, west, square(91.01, 29.61)
        ),
    }
    return Street(city, district, street, east, west, grids)


@pytest.fixture
def departments(street: Street) -> dict[str, Department]:
    return {
        "cg": Department.objects.create(
            code="chengguan", name="城管局", area=street.district
        ),
        "zj": Department.objects.create(
            code="zhujian", name="住建局", area=street.district
        ),
    }


def make_user(username: str, full_name: str = "", **extra) -> User:
    user = User(username=username, full_name=full_name or username, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def people(street: Street, departments: dict[str, Department]) -> dict[str, User]:
    dispatcher = make_user("dispatcher", "次仁")
    membership_add(
        user=dispatcher, role=Role.DISPATCHER, area=street.street, acting_user=None
    )
    gridworker = make_user("gridworker", "扎西")
    membership_add(
        user=gridworker,
        role=Role.GRID_WORKER,
        area=street.grids["e1"],
        acting_user=None,
    )
    membership_add(
        user=gridworker,
        role=Role.GRID_WORKER,
        area=street.grids["e2"],
        acting_user=None,
    )
    handler_cg = make_user("handler_cg", "李明")
    membership_add(
        user=handler_cg,
        role=Role.DEPARTMENT_HANDLER,
        department=departments["cg"],
        acting_user=None,
    )
    handler_zj = make_user("handler_zj", "拉巴")
    membership_add(
        user=handler_zj,
        role=Role.DEPARTMENT_HANDLER,
        department=departments["zj"],
        acting_user=None,
    )
    outsider = make_user("outsider", "路人")
    resident = make_user("resident", "边巴")
    membership_add(user=resident, role=Role.RESIDENT, acting_user=None)
    return {
        "resident": resident,
        "dispatcher": dispatcher,
        "gridworker": gridworker,
        "handler_cg": handler_cg,
        "handler_zj": handler_zj,
        "outsider": outsider,
    }


@pytest.fixture(autouse=True)
def _fresh_grid_index():
    """Each test's rolled-back transaction reuses geometry version numbers, so the
    process-wide index must not survive from one test to the next."""
    from civicgrid.org.gridindex import invalidate_grid_index

    invalidate_grid_index()
    yield
    invalidate_grid_index()


@pytest.fixture(autouse=True)
def _language_of_the_suite():
    """A page asked for in another language leaves that language active in the
    thread (Django activates it per request and leaves it there): each test
    starts and ends in the suite's language."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session", autouse=True)
def _one_request_at_a_time() -> Iterator[None]:
    """The live server (browser and client tests) answers one request at a
    time. With the in-memory SQLite test database its threads would share one
    connection, and a page loading its photo while the next page is requested
    deadlocks them."""
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    class SerialWSGIServer(WSGIServer):
        # The server's own thread already uses the shared connection.
        def __init__(
            self, *args: Any, connections_override: object = None, **kwargs: Any
        ) -> None:
            super().__init__(*args, **kwargs)

    threaded = LiveServerThread.server_class
    LiveServerThread.server_class = SerialWSGIServer  # type: ignore[assignment]
    yield
    LiveServerThread.server_class = threaded
