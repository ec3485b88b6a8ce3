"""The three lists' fixtures: the street of the root conftest with everyone
who keeps, reads or offers on its lists — the ledger's and party building's
personas, a second community's staff and a unit registered there, a
co-building organisation, a 居商联盟 merchant — and helpers that bring
problems, resources and projects about through the actions people use."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from PIL import Image

from civicgrid.accounts.actions import membership_add
from civicgrid.accounts.models import Role
from civicgrid.appeals.tests.conftest import (
    catalogue as catalogue,  # the appeals' catalogue, a fixture
)
from civicgrid.appeals.tests.conftest import (
    submit as submit,  # an appeal through appeal_submit, a fixture
)
from civicgrid.cobuilding import actions
from civicgrid.cobuilding.models import Problem, Project, Resource
from civicgrid.core import clock
from civicgrid.ledger.models import Organisation, OrganisationMember
from civicgrid.ledger.tests.conftest import (
    ledger_people as ledger_people,  # the ledger's personas, a fixture
)
from civicgrid.partybuilding import actions as pb_actions
from civicgrid.partybuilding.tests.conftest import (
    media as media,  # MEDIA_ROOT in a temporary folder, a fixture
)
from civicgrid.partybuilding.tests.conftest import (
    pb as pb,  # party building's personas, a fixture
)
from conftest import make_user

# Where appeals are in the root conftest's grids (0.01° squares).
IN_E1 = {"latitude": 29.605, "longitude": 91.005}
IN_W1 = {"latitude": 29.615, "longitude": 91.005}


@pytest.fixture
def cb(pb, street, departments):  # noqa: F811 — the fixtures imported above
    """Everyone and everything the three lists need, by name. East (东嘎社区)
    has grids e1 and e2, west (林堆社区) w1 and w2; ``unit`` is registered to
    east (its contact ``unit_contact``), ``unit_w`` to west (``unit_contact_w``)."""
    west_staff = make_user("community_west", "德吉")
    membership_add(
        user=west_staff, role=Role.COMMUNITY_STAFF, area=street.west, acting_user=None
    )
    branch_w = Organisation.objects.create(
        kind=Organisation.Kind.UNIT_BRANCH,
        name="区司法局机关党支部",
        area=street.street,
    )
    contact_w = make_user("unit_contact_w", "尼玛")
    unit_w = pb_actions.unit_register(
        organisation=branch_w,
        community=street.west,
        offers="每月法律咨询4次",
        acting_user=contact_w,
    )
    pb_actions.registration_decide(
        registration=unit_w, confirm=True, acting_user=west_staff
    )
    cobuilder = Organisation.objects.create(
        kind=Organisation.Kind.SOCIAL, name="东嘎志愿者协会", area=street.east
    )
    alliance = Organisation.objects.create(
        kind=Organisation.Kind.ALLIANCE, name="东嘎居商联盟", area=street.street
    )
    merchant = OrganisationMember.objects.create(
        organisation=alliance, title="阿佳理发店", pledge="老人每月免费理发"
    )
    return {
        **pb,
        **departments,
        "community_west": west_staff,
        "unit_w": unit_w,
        "unit_contact_w": contact_w,
        "cobuilder": cobuilder,
        "alliance": alliance,
        "merchant": merchant,
    }


def raise_problem(
    by: Any,
    area: Any,
    *,
    title: str = "老人助餐难",
    field: str = "elderly",
    appeals: Any = (),
    opinions: Any = (),
    meeting: str = "",
    survey: str = "",
) -> Problem:
    """A problem through ``problem_raise``; a meeting note when no source is
    given, so that it has one."""
    if not (appeals or opinions or meeting or survey):
        meeting = "2024年3月联席会"
    return actions.problem_raise(
        data=actions.ProblemInput(
            title=title,
            description="独居老人中午吃饭没有着落。",
            field=field,
            area=area,
            appeals=appeals,
            opinions=opinions,
            meeting=meeting,
            survey=survey,
        ),
        acting_user=by,
    )


def offer(
    cb: dict[str, Any],
    by: Any,
    area: Any,
    *,
    provider: str = "cobuilder",
    quantity: int = 10,
    field: str = "",
    title: str = "活动室",
    **extra: Any,
) -> Resource:
    """A resource through ``resource_add``, by default the co-building
    organisation's, offered from today."""
    providers = {
        "cobuilder": {"organisation": cb["cobuilder"]},
        "unit": {"unit": cb["unit"]},
        "merchant": {"merchant": cb["merchant"]},
        "department": {"department": cb["cg"]},
    }
    fields: dict[str, Any] = {**providers[provider], **extra}
    return actions.resource_add(
        data=actions.ResourceInput(
            title=title,
            kind=fields.pop("kind", Resource.Kind.SERVICE),
            quantity=quantity,
            measure=fields.pop("measure", "次"),
            area=area,
            provider_kind=provider,
            field=field,
            **fields,
        ),
        acting_user=by,
    )


def start(
    problem: Problem,
    by: Any,
    owner: Any = None,
    *,
    milestones: Any = (),
    days: int = 30,
) -> Project:
    """A project through ``project_start``, due in ``days``."""
    return actions.project_start(
        problem=problem,
        data=actions.ProjectInput(
            title=f"{problem.title}项目",
            owner=owner or by,
            due_on=clock.today() + dt.timedelta(days=days),
            milestones=list(milestones),
        ),
        acting_user=by,
    )


def in_days(days: int) -> dt.date:
    return clock.today() + dt.timedelta(days=days)


def jpeg_with_gps(name: str = "site.jpg") -> io.BytesIO:
    """A small real JPEG that carries EXIF: the camera's make and a GPS block,
    as a phone writes them."""
    image = Image.new("RGB", (320, 240), (40, 160, 90))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (29.0, 36.0, 18.0), 3: "E", 4: (91.0, 0.0, 18.0)}
    data = io.BytesIO()
    image.save(data, "JPEG", exif=exif)
    data.seek(0)
    data.name = name
    return data
