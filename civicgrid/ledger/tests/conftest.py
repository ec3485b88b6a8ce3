"""The ledger's personas and rows for tests. The street's grids are those of the
root conftest (e1, e2 in 东嘎社区; w1, w2 in 林堆社区); ``gridworker`` keeps e1
and e2."""

from __future__ import annotations

import datetime as dt
from itertools import count

import pytest

from civicgrid.accounts.actions import membership_add
from civicgrid.accounts.models import Role, User
from civicgrid.core import clock, crypto
from civicgrid.ledger.models import Building, Component, Household, Opinion, Person
from civicgrid.ledger.rules import id_number_check_digit
from conftest import make_user

_serial = count(1)


@pytest.fixture
def ledger_people(street, people) -> dict[str, User]:
    """The root personas and the ledger's own: the west grid's worker, the east
    community's staff, the street's leader and administrator (its ledger admin)."""
    extra = {
        "gridworker_w1": (Role.GRID_WORKER, street.grids["w1"]),
        "community_east": (Role.COMMUNITY_STAFF, street.east),
        "leader": (Role.LEADER, street.street),
        "admin": (Role.ADMIN, street.street),
    }
    result = dict(people)
    for username, (role, area) in extra.items():
        user = make_user(username)
        membership_add(user=user, role=role, area=area, acting_user=None)
        result[username] = user
    return result


def centre(grid) -> tuple[float, float]:
    """A point well inside one of the conftest's 0.01° square grids."""
    return grid.min_lon + 0.005, grid.min_lat + 0.005


def make_building(grid, name: str | None = None, **extra) -> Building:
    lon, lat = centre(grid)
    return Building.objects.create(
        grid=grid,
        name=name or f"{next(_serial)}号楼",
        lon=extra.pop("lon", lon),
        lat=extra.pop("lat", lat),
        **extra,
    )


def make_household(building: Building, room: str = "101", unit: str = "1") -> Household:
    return Household.objects.create(
        building=building, grid=building.grid, unit=unit, room=room
    )


def id_number(birth: dt.date = dt.date(1950, 3, 1), serial: int | None = None) -> str:
    """A synthetic ID number of 拉萨市城关区 with a valid check digit."""
    first = f"540102{birth:%Y%m%d}{(serial or next(_serial)) % 1000:03d}"
    return first + id_number_check_digit(first)


def make_person(
    household: Household | None,
    name: str = "卓玛",
    *,
    number: str | None = None,
    phone: str = "",
    birth_date: dt.date = dt.date(1950, 3, 1),
    **extra,
) -> Person:
    number = number if number is not None else id_number(birth_date)
    return Person.objects.create(
        household=household,
        name=name,
        id_number=number,
        id_number_index=crypto.blind_index(number) if number else "",
        phone=phone,
        phone_index=crypto.blind_index(phone) if phone else "",
        birth_date=birth_date,
        **extra,
    )


def make_component(
    grid, subclass: str = "0120", state: str = Component.State.GOOD, **extra
) -> Component:
    lon, lat = centre(grid)
    return Component.objects.create(
        grid=grid,
        subclass=subclass,
        code=extra.pop("code", f"{subclass}{next(_serial):06d}"),
        state=state,
        lon=extra.pop("lon", lon),
        lat=extra.pop("lat", lat),
        **extra,
    )


def make_opinion(grid, gathered_by, text: str = "楼道灯坏了很久", **extra) -> Opinion:
    return Opinion.objects.create(
        grid=grid,
        text=text,
        source=extra.pop("source", Opinion.Source.VISIT),
        gathered_by=gathered_by,
        gathered_at=extra.pop("gathered_at", clock.now()),
        **extra,
    )
