"""Demo 党建引领 of 东嘎街道, a year into 双报到: two dozen units — the 区直机关
party branches, social organisations and the 居商联盟 — registered to the five
communities with what they offer (a few pending, one refused), over a hundred
in-service party members registered where they live with their pledge
(亮身份、亮职责、亮承诺), and the 微心愿 of elderly and poor households of the
ledger in every state: thirteen delivered and confirmed (电饭锅, 打茶机 …),
others on the wall, claimed, delivered, refused, cancelled, one released back
to the wall — and a few activities in the members' service ledgers.

Registrations and wishes go through the actions, each at its own past
moment (``clock.at``), so every row passed the real rules and every wish has
its events; afterwards only the rows' ``created_at``/``updated_at``, which the
database stamps, are moved back to those moments. The activities are written
as ledger lines (there is no action that records one yet). Idempotent: a unit
is known by its organisation and community, a member by their username, a wish
by its household and need, an activity by its title."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections import defaultdict
from typing import Any

from django.db import models
from PIL import Image

from civicgrid.accounts import access
from civicgrid.accounts.models import Role, User
from civicgrid.core import clock
from civicgrid.core.demo import demo_seed
from civicgrid.ledger.actions.organisations import (
    OrganisationInput,
    organisation_create,
)
from civicgrid.ledger.demo.moments import working_moment
from civicgrid.ledger.demo.people import HAN_FAMILY, HAN_GIVEN, TIBETAN
from civicgrid.ledger.models import Household, Organisation, Person, PersonTag
from civicgrid.org.demo import demo_password
from civicgrid.org.models import Area

from . import actions
from .models import Registration, ServiceEntry, UnitRegistration, Volunteer, Wish

STREET_CODE = "540103001"
R = Registration
K = Organisation.Kind

# 单位报到: (organisation, what it offers). The first six are the ledger demo's
# own organisations; the others are added at the street. Unit i registers to
# the (i mod 5)-th community; all but three are confirmed.
UNITS: list[tuple[str, str]] = [
    ("区财政局机关党支部", "每月志愿服务20小时；一辆车，可接送老人就医"),
    ("区住建局机关党支部", "老旧小区改造政策解读；每季度一次房屋安全排查"),
    ("区教育局机关党支部", "周末课后辅导；暑期托管志愿者"),
    ("区卫健委机关党支部", "每月一次义诊和健康讲座；为高龄老人测血压"),
    ("东嘎街道志愿者协会", "组织志愿者参与环境整治和邻里互助，每月志愿服务40小时"),
    ("东嘎街道居商联盟", "成员商户每月为高龄老人免费理发；节日为困难家庭送餐"),
    ("区民政局机关党支部", "低保和临时救助政策咨询，协助困难家庭申请救助"),
    ("区司法局机关党支部", "法律咨询；每月一次人民调解进社区"),
    ("区人社局机关党支部", "就业指导和技能培训报名，帮新就业群体办理社保"),
    ("区交通运输局机关党支部", "一辆车；节假日维护路口交通秩序"),
    ("区市场监管局机关党支部", "食品安全宣传，教居民辨别过期食品和假冒商品"),
    ("区农业农村局机关党支部", "青稞种植和牲畜防疫技术指导"),
    ("区文旅局机关党支部", "锅庄舞和藏戏辅导；节日文艺演出"),
    ("区应急管理局机关党支部", "应急演练和消防知识培训；冬季用火用电安全检查"),
    ("区城管局机关党支部", "门前三包宣传；每月一次环境整治"),
    ("区人民医院党支部", "家庭医生签约；每季度一次上门体检"),
    ("东嘎派出所党支部", "防诈骗宣传；节假日夜间巡逻"),
    ("东嘎中心小学党支部", "课后作业辅导；假期安全教育"),
    ("国网堆龙德庆区供电公司党支部", "上门检修老旧线路，为独居老人免费更换灯泡"),
    ("区供排水公司党支部", "上门检修水管；冬季防冻宣传"),
    ("中国电信堆龙德庆区分公司党支部", "教老人用智能手机；免费检修宽带"),
    ("区税务局机关党支部", "个税和社保缴费咨询"),
    ("西藏雪域律师事务所党支部", "法律咨询，每月两次律师坐班"),
    ("雪域社工服务中心", "心理疏导；困境儿童和独居老人个案服务"),
]
UNIT_KINDS = {
    "东嘎街道志愿者协会": K.SOCIAL,
    "东嘎街道居商联盟": K.ALLIANCE,
    "雪域社工服务中心": K.SOCIAL,
}  # the others: K.UNIT_BRANCH
UNITS_PENDING = {"区文旅局机关党支部", "中国电信堆龙德庆区分公司党支部"}
UNIT_REFUSED = "区税务局机关党支部"
UNIT_REFUSED_REASON = "报到材料不全：未附单位党组织介绍信，请补齐后重新报到。"

MEMBERS = 120
# Member numbers (0-based) whose registration is pending, refused or ended.
MEMBERS_PENDING = {7, 31, 55, 79, 103}
MEMBERS_REFUSED = {13, 53, 93}
MEMBERS_ENDED = {21, 51, 81, 111}
MEMBER_REFUSED = "经核实不在本社区居住，请向居住地社区报到。"
MEMBER_ENDED = "工作调动离开堆龙，已到新居住地社区报到。"
POSTS = ["科员", "副科长", "科长", "党支部委员", "办公室主任", "业务骨干", "青年干部"]
SOCIAL_POSTS = ["社工", "志愿者骨干", "商户", "店主"]
SKILLS = [
    "家电维修", "水电维修", "驾驶", "理发", "医疗护理", "法律咨询", "藏汉双语翻译",
    "电脑和手机使用", "心理疏导", "书法", "摄影", "课业辅导", "烹饪",
]  # fmt: skip
AVAILABILITY = ["周末", "工作日晚上", "每月第一个周六", "节假日", "随叫随到"]
PROMISES = [
    "每月到社区服务不少于两次",
    "结对帮扶一户独居老人",
    "邻里有事随叫随到",
    "周末为孩子辅导作业",
    "每月陪一位老人就医或买菜",
    "带头参加社区环境整治",
]

# 微心愿: (what, the wish as the grid worker wrote it down, value in yuan).
NEEDS = [
    ("电饭锅", "家里的电饭锅坏了，想要一个小电饭锅，煮饭方便些", 260),
    ("打茶机", "想要一台酥油茶打茶机，手打酥油茶胳膊疼", 380),
    ("棉被", "冬天快到了，想要一床厚棉被", 200),
    ("助听器", "耳朵背，听不清电话，想要一个助听器", 800),
    ("轮椅", "腿脚不便，想要一辆轮椅，天气好时能下楼晒太阳", 650),
    ("电热毯", "屋里冷，想要一条电热毯", 120),
    ("老花镜", "看不清药盒上的字，想配一副老花镜", 60),
    ("保温壶", "想要一个大保温壶，白天不用总烧水", 90),
    ("电暖器", "想要一台电暖器，晚上取暖", 300),
    ("血压计", "有高血压，想要一个电子血压计，自己在家量", 180),
    ("拐杖", "想要一根四脚拐杖，出门买菜稳当些", 70),
    ("收音机", "一个人在家闷，想要一台收音机听藏语广播", 150),
    ("藏式卡垫", "床上的卡垫破了，想要一块新卡垫", 450),
    ("羊毛护膝", "膝盖一到冬天就疼，想要一副羊毛护膝", 50),
    ("台灯", "晚上看经书看不清，想要一盏护眼台灯", 100),
]
# How far each wish gets (13 confirmed households, several on the wall …).
PLAN = (
    ["confirmed"] * 11
    + ["confirmed_by_unit"] * 2
    + ["fulfilled"] * 3
    + ["claimed"] * 3
    + ["claimed_by_unit"]
    + ["released"]
    + ["published"] * 8
    + ["verified"] * 3
    + ["gathered"] * 4
    + ["refused"] * 2
    + ["cancelled"]
    + ["cancelled_from_wall"]
)
STEPS = {
    "confirmed": ("gather", "verify", "publish", "claim", "fulfil", "confirm"),
    "fulfilled": ("gather", "verify", "publish", "claim", "fulfil"),
    "claimed": ("gather", "verify", "publish", "claim"),
    "released": ("gather", "verify", "publish", "claim", "release"),
    "published": ("gather", "verify", "publish"),
    "verified": ("gather", "verify"),
    "gathered": ("gather",),
    "refused": ("gather", "refuse"),
    "cancelled": ("gather", "cancel"),
    "cancelled_from_wall": ("gather", "verify", "publish", "cancel"),
}
# Days ago of a wish's last step: the confirmed ones over the year, the open
# ones lately — a claim within its days, so the worker does not expire it.
LAST_STEP_DAYS_AGO = {
    "confirmed": (20, 280),
    "fulfilled": (1, 3),
    "claimed": (1, 5),
    "released": (3, 20),
    "published": (1, 40),
    "verified": (1, 5),
    "gathered": (1, 4),
    "refused": (20, 200),
    "cancelled": (10, 120),
    "cancelled_from_wall": (5, 60),
}
NEEDY_TAGS = (
    PersonTag.Tag.LIVES_ALONE,
    PersonTag.Tag.ADVANCED_AGE,
    PersonTag.Tag.SUBSISTENCE,
)
VERIFIED_NOTE = "已入户核实家庭情况，属实。"
DELIVERED_NOTE = "已送到老人家中，教会了使用方法。"
CONFIRMED_NOTE = "老人说很满意，由网格员代为确认。"
RELEASED = "单位临时派我下乡驻村，无法按时送达，先放回心愿墙。"
REFUSED = [
    "经核实，子女均有稳定收入，能满足老人需求，不列入微心愿。",
    "经核实，老人已通过民政临时救助领到同类物品。",
]
CANCELLED = [
    "老人已随子女搬到拉萨市城关区居住。",
    "家属已自行购买，老人说不用了。",
]
PHOTO_COLOURS = [(196, 80, 60), (214, 160, 70), (90, 140, 180), (120, 170, 110)]

# Activities in the members' service ledgers: (what, hours, days ago; None for
# the last 17 July, 717骑士节), then those in the units' own ledgers.
ACTIVITIES = [
    ("717骑士节 服务外卖小哥：送水、送清凉、讲交通安全", "3", None),
    ("义务理发", "2", 25),
    ("冬季用火用电安全入户检查", "2.5", 12),
    ("垃圾分类宣传和环境整治", "2", 40),
    ("防诈骗知识进社区", "1.5", 70),
    ("陪独居老人就医", "3", 90),
]
UNIT_ACTIVITIES = [
    ("区司法局机关党支部", "法律咨询进社区", "3", 30),
    ("区人民医院党支部", "义诊和健康讲座", "4", 60),
]


def _rng(*key: object) -> random.Random:
    return random.Random(" ".join(["partybuilding", *map(str, key)]))  # noqa: S311 — synthetic


def _holder(area: Area, role: str) -> User | None:
    return access.holders_over(area, (role,)).order_by("pk").first()


def _name(rng: random.Random) -> str:
    if rng.random() < 0.8:
        return "".join(rng.sample(TIBETAN, 2))
    return rng.choice(HAN_FAMILY) + rng.choice(HAN_GIVEN)


def _users(names: dict[str, str]) -> dict[str, User]:
    """The demo users of ``names`` (username → full name), made where missing,
    with the demo password."""
    found = {u.username: u for u in User.objects.filter(username__in=names)}
    User.objects.bulk_create(
        User(username=username, full_name=full_name, password=demo_password())
        for username, full_name in names.items()
        if username not in found
    )
    return {u.username: u for u in User.objects.filter(username__in=names)}


class _Moments:
    """The past moments of the demo's rows, and what the database stamped
    instead: ``created_at``/``updated_at`` (auto_now) are written back to
    them once everything is made."""

    def __init__(self) -> None:
        self.now = clock.now()
        self.rows: dict[type[models.Model], dict[Any, list[dt.datetime]]] = defaultdict(
            dict
        )

    def ago(self, days: int, rng: random.Random) -> dt.datetime:
        """A working moment ``days`` (≥ 1) days ago: distinct days keep steps
        in order, and yesterday is before now."""
        return working_moment(self.now - dt.timedelta(days=max(days, 1)), rng)

    def made(self, row: models.Model, at: dt.datetime) -> None:
        self.rows[type(row)][row.pk] = [at, at]

    def moved(self, row: models.Model, at: dt.datetime) -> None:
        self.rows[type(row)][row.pk][1] = at

    def write(self) -> None:
        for model, rows in self.rows.items():
            model._default_manager.bulk_update(
                [
                    model(pk=pk, created_at=created, updated_at=updated)
                    for pk, (created, updated) in rows.items()
                ],
                ["created_at", "updated_at"],
            )


def _organisations(street: Area) -> dict[str, Organisation]:
    """The units' organisations at the street; those the ledger demo has not
    are made through the ledger's action, by the street's administrator."""
    found = {
        o.name: o
        for o in Organisation.objects.filter(
            area=street, name__in=[name for name, _offers in UNITS]
        )
    }
    admin = _holder(street, Role.ADMIN)
    committee = Organisation.objects.filter(
        area=street, kind=K.STREET_COMMITTEE
    ).first()
    for name, _offers in UNITS:
        if name not in found and admin is not None:
            found[name] = organisation_create(
                data=OrganisationInput(
                    kind=UNIT_KINDS.get(name, K.UNIT_BRANCH),
                    name=name,
                    area=street,
                    parent=committee,
                ),
                acting_user=admin,
            )
    return found


def _seed_units(
    street: Area,
    communities: list[Area],
    staff: dict[int, User],
    moments: _Moments,
) -> int:
    organisations = _organisations(street)
    existing = set(
        UnitRegistration.objects.filter(community__in=communities).values_list(
            "organisation_id", "community_id"
        )
    )
    contacts = _users(
        {f"unit_{n + 1:02d}": _name(_rng("unit", n)) for n in range(len(UNITS))}
    )
    made = 0
    for n, (name, offers) in enumerate(UNITS):
        state = R.PENDING if name in UNITS_PENDING else R.CONFIRMED
        if name == UNIT_REFUSED:
            state = R.REFUSED
        organisation = organisations.get(name)
        community = communities[n % len(communities)]
        if organisation is None or (organisation.pk, community.pk) in existing:
            continue
        rng = _rng("unit", n)
        registered = 335 + rng.randrange(30) if state != R.PENDING else 3 + n % 5
        at = moments.ago(registered, rng)
        with clock.at(at):
            unit = actions.unit_register(
                organisation=organisation,
                community=community,
                offers=offers,
                acting_user=contacts[f"unit_{n + 1:02d}"],
            )
        moments.made(unit, at)
        made += 1
        if state == R.PENDING:
            continue
        at = moments.ago(registered - rng.randint(1, 3), rng)
        with clock.at(at):
            actions.registration_decide(
                registration=unit,
                confirm=state == R.CONFIRMED,
                reason=UNIT_REFUSED_REASON if state == R.REFUSED else "",
                acting_user=staff[community.pk],
            )
        moments.moved(unit, at)
    return made


def _seed_volunteers(
    communities: list[Area], staff: dict[int, User], moments: _Moments
) -> int:
    units = list(
        UnitRegistration.objects.filter(community__in=communities, state=R.CONFIRMED)
        .select_related("organisation", "community")
        .order_by("pk")
    )
    if not units:
        return 0
    users = _users(
        {f"member_{n + 1:03d}": _name(_rng("member", n)) for n in range(MEMBERS)}
    )
    registered = set(
        Volunteer.objects.filter(user__in=users.values()).values_list(
            "user_id", flat=True
        )
    )
    made = 0
    for n in range(MEMBERS):
        user = users[f"member_{n + 1:03d}"]
        if user.pk in registered:
            continue
        rng = _rng("member", n)
        unit = units[n % len(units)]
        community = unit.community
        if n % 6 == 5:  # lives in another community than the one its unit serves
            community = communities[
                (communities.index(community) + 1) % len(communities)
            ]
        # registered after the unit was confirmed
        unit_days = (moments.now - unit.decided_at).days if unit.decided_at else 2
        if n in MEMBERS_PENDING:
            days = rng.randint(1, 12)
        elif n in MEMBERS_REFUSED:
            days = rng.randint(30, 150)
        else:
            days = rng.randint(120, 330)
        days = min(days, max(unit_days - 1, 1))
        kind = unit.organisation.kind
        post = rng.choice(POSTS if kind == K.UNIT_BRANCH else SOCIAL_POSTS)
        short = unit.organisation.name.removesuffix("机关党支部").removesuffix("党支部")
        duty = f"{short}{post}"
        skills = "、".join(rng.sample(SKILLS, rng.randint(1, 2)))
        at = moments.ago(days, rng)
        with clock.at(at):
            volunteer = actions.volunteer_register(
                community=community,
                unit=unit,
                duty=duty,
                skills=skills,
                availability=rng.choice(AVAILABILITY),
                pledge=(
                    f"亮身份：共产党员；亮职责：{duty}；"
                    f"亮承诺：{rng.choice(PROMISES)}，{skills.split('、')[0]}找我。"
                ),
                acting_user=user,
            )
        moments.made(volunteer, at)
        made += 1
        if n in MEMBERS_PENDING or days <= 1:
            continue
        at = moments.ago(days - 1, rng)
        with clock.at(at):
            actions.registration_decide(
                registration=volunteer,
                confirm=n not in MEMBERS_REFUSED,
                reason=MEMBER_REFUSED if n in MEMBERS_REFUSED else "",
                acting_user=staff[community.pk],
            )
        moments.moved(volunteer, at)
        if n in MEMBERS_ENDED and days > 11:
            at = moments.ago(rng.randint(10, min(90, days - 2)), rng)
            with clock.at(at):
                actions.registration_end(
                    registration=volunteer, reason=MEMBER_ENDED, acting_user=user
                )
            moments.moved(volunteer, at)
    return made


def _shown_as(person: Person, rng: random.Random) -> str:
    """How the wall names them: a Tibetan name's first part and 老人, or 老人."""
    name = person.name or ""
    if person.ethnicity == "藏族" and len(name) == 4 and rng.random() < 0.8:
        shown = name[:2] + "老人"
        if name not in shown:
            return shown
    return "老人"


def _beneficiaries(street: Area, grids: set[int]) -> list[tuple[Household, Person]]:
    """Households where a 独居老人, 高龄 or 低保 resident lives, with that
    resident, taken in turn from the street's grids (the first grid of every
    community, then the second …), so that every community and grid has
    wishes."""
    by_grid: dict[int, list[tuple[Household, Person]]] = defaultdict(list)
    seen: set[int] = set()
    tags = (
        PersonTag.objects.filter(
            tag__in=NEEDY_TAGS,
            until__isnull=True,
            person__household__grid__path__startswith=street.path,
        )
        .select_related("person__household__grid__parent")
        .order_by("person__household_id", "person_id")
    )
    for tag in tags:
        household = tag.person.household
        if household is None or household.pk in seen or household.grid_id not in grids:
            continue
        seen.add(household.pk)
        by_grid[household.grid_id].append((household, tag.person))
    order = sorted(
        {h.grid for pairs in by_grid.values() for h, _p in pairs},
        key=lambda g: (g.code[-3:], g.code),
    )
    taken: list[tuple[Household, Person]] = []
    for turn in range(max((len(v) for v in by_grid.values()), default=0)):
        taken += [by_grid[g.pk][turn] for g in order if turn < len(by_grid[g.pk])]
    return taken


def _photo(n: int) -> io.BytesIO:
    """A photo of the delivery, made up: one colour, 640×480."""
    data = io.BytesIO()
    Image.new("RGB", (640, 480), PHOTO_COLOURS[n % len(PHOTO_COLOURS)]).save(
        data, "JPEG", quality=80
    )
    data.seek(0)
    data.name = "delivery.jpg"
    return data


def _seed_wishes(
    street: Area,
    communities: list[Area],
    staff: dict[int, User],
    moments: _Moments,
) -> int:
    workers: dict[int, User] = {}
    for grid in Area.objects.filter(parent__in=communities, level=Area.Level.GRID):
        worker = _holder(grid, Role.GRID_WORKER)
        if worker is not None:
            workers[grid.pk] = worker
    plan = [(kind, NEEDS[n % len(NEEDS)]) for n, kind in enumerate(PLAN)]
    _rng("plan").shuffle(plan)
    pairs = _beneficiaries(street, set(workers))[: len(plan)]
    existing = {
        (wish.household_id, wish.need)
        for wish in Wish.objects.filter(household__in=[h for h, _p in pairs])
    }
    volunteers: dict[int, list[Volunteer]] = defaultdict(list)
    for volunteer in (
        Volunteer.objects.filter(community__in=communities, state=R.CONFIRMED)
        .select_related("user")
        .order_by("pk")
    ):
        volunteers[volunteer.community_id].append(volunteer)
    units: dict[int, list[UnitRegistration]] = defaultdict(list)
    for unit in (
        UnitRegistration.objects.filter(community__in=communities, state=R.CONFIRMED)
        .select_related("contact")
        .order_by("pk")
    ):
        units[unit.community_id].append(unit)
    made = 0
    for n, ((kind, (_what, need, value)), (household, person)) in enumerate(
        zip(plan, pairs, strict=False)
    ):
        if (household.pk, need) in existing:
            continue
        steps = STEPS[kind.removesuffix("_by_unit")]
        community = household.grid.parent
        if community is None or ("claim" in steps and not volunteers[community.pk]):
            continue
        rng = _rng("wish", n)
        low, high = LAST_STEP_DAYS_AGO[kind.removesuffix("_by_unit")]
        days = [rng.randint(low, high)]
        for step in reversed(steps[1:]):
            # each step a few days after the one before; a delivery well
            # within the claim's days
            days.insert(0, days[0] + rng.randint(1, 6 if step == "fulfil" else 3))
        at = dict(zip(steps, (moments.ago(d, rng) for d in days), strict=True))
        _wish_steps(
            kind=kind,
            at=at,
            household=household,
            person=person,
            need=need,
            value=value,
            worker=workers[household.grid_id],
            staff=staff[community.pk],
            claimers=volunteers[community.pk],
            units=units[community.pk],
            photo=n,
            rng=rng,
            moments=moments,
        )
        made += 1
    return made


def _wish_steps(
    *,
    kind: str,
    at: dict[str, dt.datetime],
    household: Household,
    person: Person,
    need: str,
    value: int,
    worker: User,
    staff: User,
    claimers: list[Volunteer],
    units: list[UnitRegistration],
    photo: int,
    rng: random.Random,
    moments: _Moments,
) -> None:
    """One wish, through its steps at their moments."""
    with clock.at(at["gather"]):
        wish = actions.wish_gather(
            household=household,
            beneficiary=person,
            need=need,
            value=value,
            shown_as=_shown_as(person, rng),
            consent=True,
            acting_user=worker,
        )
    moments.made(wish, at["gather"])
    claimer: User | None = None
    for step in list(at)[1:]:
        with clock.at(at[step]):
            if step == "verify":
                actions.wish_verify(wish=wish, acting_user=staff, note=VERIFIED_NOTE)
            elif step == "publish":
                actions.wish_publish(wish=wish, acting_user=staff)
            elif step == "refuse":
                actions.wish_refuse(
                    wish=wish, reason=rng.choice(REFUSED), acting_user=staff
                )
            elif step == "cancel":
                actions.wish_cancel(
                    wish=wish,
                    reason=rng.choice(CANCELLED),
                    acting_user=worker if wish.state == Wish.State.GATHERED else staff,
                )
            elif step == "claim":
                if kind.endswith("_by_unit") and units:
                    unit = rng.choice(units)
                    claimer = unit.contact
                    actions.wish_claim(wish=wish, unit=unit, acting_user=claimer)
                else:
                    # one who was a member when the wish was claimed
                    ready = [
                        v for v in claimers if v.decided_at and v.decided_at < at[step]
                    ] or claimers
                    claimer = rng.choice(ready).user
                    actions.wish_claim(wish=wish, acting_user=claimer)
            elif step == "release":
                actions.wish_release(wish=wish, reason=RELEASED, acting_user=claimer)
            elif step == "fulfil":
                actions.wish_fulfil(
                    wish=wish,
                    photo=_photo(photo),
                    note=DELIVERED_NOTE,
                    acting_user=claimer,
                )
            elif step == "confirm":
                actions.wish_confirm(wish=wish, note=CONFIRMED_NOTE, acting_user=worker)
        moments.moved(wish, at[step])


def _last_717(today: dt.date) -> dt.date:
    this_year = dt.date(today.year, 7, 17)
    return this_year if this_year < today else dt.date(today.year - 1, 7, 17)


def _seed_activities(
    communities: list[Area], staff: dict[int, User], moments: _Moments
) -> int:
    """A few activities joined by members, and two that units ran, in their
    service ledgers; an activity already written is left as it is."""
    done = set(
        ServiceEntry.objects.filter(kind=ServiceEntry.Kind.ACTIVITY).values_list(
            "title", flat=True
        )
    )
    members = list(
        Volunteer.objects.filter(community__in=communities, state=R.CONFIRMED).order_by(
            "pk"
        )
    )
    written = 0
    today = clock.today()
    for n, (title, hours, days_ago) in enumerate(ACTIVITIES):
        if title in done:
            continue
        rng = _rng("activity", n)
        served = (
            _last_717(today) if days_ago is None else today - dt.timedelta(days_ago)
        )
        at = moments.ago((today - served).days, rng)
        joined = [m for m in members if m.decided_at and m.decided_at < at]
        for member in rng.sample(joined, min(len(joined), rng.randint(2, 4))):
            with clock.at(at):
                actions.service_record(
                    volunteer=member,
                    title=title,
                    hours=hours,
                    served_on=served,
                    acting_user=staff[member.community_id],
                )
            written += 1
    units = {
        u.organisation.name: u
        for u in UnitRegistration.objects.filter(
            community__in=communities, state=R.CONFIRMED
        ).select_related("organisation")
    }
    for n, (name, title, hours, days_ago) in enumerate(UNIT_ACTIVITIES):
        unit = units.get(name)
        if unit is None or title in done:
            continue
        served = today - dt.timedelta(days_ago)
        with clock.at(moments.ago(days_ago, _rng("unit activity", n))):
            actions.service_record(
                unit=unit,
                title=title,
                hours=hours,
                served_on=served,
                acting_user=staff[unit.community_id],
            )
        written += 1
    return written


@demo_seed(
    "partybuilding.street", after=("org.street", "ledger.places", "ledger.people")
)
def seed_party_building() -> str:
    street = Area.objects.filter(code=STREET_CODE).first()
    if street is None:
        return ""
    staff: dict[int, User] = {}
    communities = []
    for community in Area.objects.filter(
        parent=street, level=Area.Level.COMMUNITY
    ).order_by("code"):
        keeper = _holder(community, Role.COMMUNITY_STAFF)
        if keeper is not None:
            staff[community.pk] = keeper
            communities.append(community)
    if not communities:
        return ""
    moments = _Moments()
    units = _seed_units(street, communities, staff, moments)
    members = _seed_volunteers(communities, staff, moments)
    wishes = _seed_wishes(street, communities, staff, moments)
    activities = _seed_activities(communities, staff, moments)
    moments.write()
    if not (units or members or wishes or activities):
        return ""
    return (
        f"{units} units, {members} members, {wishes} wishes, "
        f"{activities} activities served"
    )
