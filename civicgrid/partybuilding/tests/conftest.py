"""Party building's fixtures: a unit registered to the east community, two
volunteers there, and a household of grid e1 with its elder."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from civicgrid.ledger.models import Organisation
from civicgrid.ledger.tests.conftest import (
    ledger_people as ledger_people,  # the ledger's personas, a fixture
)
from civicgrid.ledger.tests.conftest import (
    make_building,
    make_household,
    make_person,
)
from civicgrid.partybuilding import actions
from conftest import make_user


@pytest.fixture
def pb(street, ledger_people):  # noqa: F811 — the fixture imported above
    """Everyone party building needs, by name."""
    staff = ledger_people["community_east"]
    branch = Organisation.objects.create(
        kind=Organisation.Kind.UNIT_BRANCH,
        name="区住建局机关党支部",
        area=street.street,
    )
    unit_contact = make_user("unit_contact", "格桑")
    unit = actions.unit_register(
        organisation=branch,
        community=street.east,
        offers="每月志愿服务20小时，一辆车",
        acting_user=unit_contact,
    )
    actions.registration_decide(registration=unit, confirm=True, acting_user=staff)
    members = {}
    for username, name in (("member_a", "旺堆"), ("member_b", "央金")):
        user = make_user(username, name)
        volunteer = actions.volunteer_register(
            community=street.east, unit=unit, skills="维修", acting_user=user
        )
        actions.registration_decide(
            registration=volunteer, confirm=True, acting_user=staff
        )
        members[username] = user
    household = make_household(make_building(street.grids["e1"], "5号楼"), room="102")
    elder = make_person(household, "次仁卓嘎")
    return {
        **ledger_people,
        **members,
        "unit": unit,
        "unit_contact": unit_contact,
        "household": household,
        "elder": elder,
        "staff": staff,
    }


def jpeg() -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (640, 480), (180, 120, 60)).save(data, "JPEG")
    data.seek(0)
    data.name = "delivery.jpg"
    return data


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def gathered(pb, **extra):
    return actions.wish_gather(
        household=pb["household"],
        beneficiary=pb["elder"],
        need=extra.pop("need", "想要一个电饭锅"),
        value=extra.pop("value", "200"),
        shown_as=extra.pop("shown_as", "次仁老人"),
        consent=extra.pop("consent", True),
        acting_user=extra.pop("by", pb["gridworker"]),
    )


def on_the_wall(pb):
    wish = gathered(pb)
    actions.wish_verify(wish=wish, acting_user=pb["staff"])
    actions.wish_publish(wish=wish, acting_user=pb["staff"])
    return wish
