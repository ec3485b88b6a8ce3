"""Demo 三项清单 of 东嘎街道 after a year of work: thirty-one items on the three
lists as the street's dispatcher counts them ("三项清单31个") — thirteen
problems and needs, twelve resources on offer, six projects — and, beside
them, a problem closed without a project, a resource withdrawn and a
project cancelled, so that every state is there.

The problems come from where the street hears them: recurring demo appeals
of one category in one community (垃圾, 排水, 路灯, 广场舞 …), open 社情民意
items of the ledger demo (taken off their queue), the quarter's 街道联席会
and an 入户调查. The resources are offered by 双报到 units, co-building
organisations, 居商联盟 merchants and a department. Two projects are
completed — their appeals' residents told on their timelines (a public
``project_done`` step) and their evaluations heard — the others are underway
with their pledges, milestones and progress notes (a few with photos).

Everything goes through :mod:`civicgrid.cobuilding.actions`, each step at its
own past moment (``clock.at``); afterwards only the rows' ``created_at`` and
``updated_at``, which the database stamps, are moved back to those moments.
The appeals and items a problem cites are chosen from what the other seeds
made (the community where most of them are), so the seed fits a demo of any
size. Idempotent: a problem is known by its title (less the name of its
community), a resource by its title; whatever exists is left as it is."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone
from PIL import Image, ImageDraw

from civicgrid.accounts import access
from civicgrid.accounts.models import Role, User
from civicgrid.appeals.models import Appeal
from civicgrid.core import clock
from civicgrid.core.demo import demo_seed
from civicgrid.ledger.demo.moments import working_moment
from civicgrid.ledger.models import Opinion, Organisation, OrganisationMember, Place
from civicgrid.org.models import Area, Department
from civicgrid.partybuilding.models import Registration, UnitRegistration

from . import actions, permissions
from .models import Evaluation, Field, Meeting, Problem, Project, Resource

STREET_CODE = "540103001"
F = Field
K = Resource.Kind
P = Resource.Provider
V = Evaluation.Verdict
H = Evaluation.Heard


# --- the resource list (资源清单) ----------------------------------------------------


@dataclass(frozen=True)
class Offer:
    """A resource: what, from whom (a unit's organisation, an organisation, a
    merchant's shop or a department's code), how many, offered ``added`` days
    ago to the street or to a community (its code's last three digits)."""

    title: str
    description: str
    kind: str
    field: str
    provider_kind: str
    provider: str
    quantity: int
    measure: str
    added: int
    community: str = ""
    for_days: int | None = None
    withdrawn: int | None = None


OFFERS = [
    Offer(
        "免费更换老旧线路和路灯灯具",
        "供电公司党员服务队上门检修背街小巷和老旧小区的照明线路，免费更换灯具。",
        K.SERVICE, F.FACILITIES, P.UNIT, "国网堆龙德庆区供电公司党支部",
        60, "盏", 330,
    ),
    Offer(
        "上门检修水管、疏通排水管网",
        "供排水公司党员上门检修入户水管，汛期前疏通小区和村组排水管网。",
        K.SERVICE, F.ENVIRONMENT, P.UNIT, "区供排水公司党支部",
        24, "次", 320,
    ),
    Offer(
        "节假日夜间巡逻",
        "派出所党员民警和辅警节假日夜间巡逻，劝导占用消防通道的车辆。",
        K.SERVICE, F.SAFETY, P.UNIT, "东嘎派出所党支部",
        24, "次", 300,
    ),
    Offer(
        "上门体检和健康讲座",
        "家庭医生团队每季度上门为高龄和独居老人体检，每月一次健康讲座。",
        K.SERVICE, F.HEALTH, P.UNIT, "区人民医院党支部",
        12, "次", 310, community="001",
    ),
    Offer(
        "老旧小区改造技术指导和施工协调",
        "住建局党员干部讲解老旧小区改造政策，帮小区做方案、协调施工队。",
        K.SERVICE, F.FACILITIES, P.UNIT, "区住建局机关党支部",
        8, "次", 290, community="002",
    ),
    Offer(
        "新就业群体社保办理和技能培训",
        "为外卖骑手、快递员等新就业群体上门办理社保，组织技能培训报名。",
        K.SERVICE, F.EMPLOYMENT, P.UNIT, "区人社局机关党支部",
        10, "场", 280,
    ),
    Offer(
        "法律咨询，每月两次律师坐班",
        "律师每月两次在党群服务中心坐班，解答租房、劳务、婚姻家庭等法律问题。",
        K.SERVICE, F.LEGAL, P.UNIT, "西藏雪域律师事务所党支部",
        24, "次", 270, for_days=365,
    ),
    Offer(
        "志愿服务时长",
        "志愿者协会每月组织志愿者参与环境整治、陪伴老人和邻里互助。",
        K.HOURS, "", P.COBUILDER, "东嘎街道志愿者协会",
        300, "小时/月", 340,
    ),
    Offer(
        "为群众办实事专项经费",
        "街道大工委今年为群众办实事的专项经费，用于小型设施改造和便民服务。",
        K.FUNDS, "", P.COBUILDER, "东嘎街道大工委",
        50000, "元", 335,
    ),
    Offer(
        "每月为高龄老人免费理发",
        "格桑理发店每月为八十岁以上老人免费理发一次，行动不便的可以上门。",
        K.SERVICE, F.ELDERLY, P.MERCHANT, "格桑理发店",
        30, "次/月", 260, community="001",
    ),
    Offer(
        "店门口场地，可放骑手充电柜",
        "雪域便民超市门口的空地，可放两组电动车换电充电柜，夜间有照明和监控。",
        K.VENUE, F.EMPLOYMENT, P.MERCHANT, "雪域便民超市",
        2, "组位", 170,
    ),
    Offer(
        "垃圾清运车",
        "环卫所的垃圾清运车，可为背街小巷和村组加开清运班次。",
        K.VEHICLE, F.ENVIRONMENT, P.DEPARTMENT, "huanwei",
        40, "车次", 250,
    ),
    Offer(
        "会议室免费借用",
        "东嘎宾馆二楼会议室，可容纳四十人，周一至周五白天免费借给社区开会。",
        K.VENUE, "", P.MERCHANT, "东嘎宾馆",
        12, "场", 230, withdrawn=110,
    ),
]  # fmt: skip


# --- the problem and project lists (问题清单、项目清单) -----------------------------


@dataclass(frozen=True)
class Step:
    """A milestone: its name, due ``due`` days after the project starts, done
    ``done`` days ago (or not yet)."""

    title: str
    due: int
    done: int | None = None


@dataclass(frozen=True)
class Plan:
    """A project of a problem: started ``started`` days ago and due ``due``
    days later, with its owner (a role of the problem's area), milestones,
    pledges (resource, quantity, days ago, note), progress notes (days ago,
    text, photos), then completed, evaluated — or cancelled."""

    title: str
    owner: str
    started: int
    due: int
    steps: tuple[Step, ...] = ()
    pledges: tuple[tuple[str, int, int, str], ...] = ()
    notes: tuple[tuple[int, str, int], ...] = ()
    completed: tuple[int, str] | None = None
    evaluations: tuple[tuple[int, str, str, int, str], ...] = ()
    cancelled: tuple[int, str] | None = None


@dataclass(frozen=True)
class Need:
    """A problem: raised ``raised`` days ago where its sources are (the
    community where most of the appeals and items are) or in the named
    community ("001" …) or the street (""); more sources heard ``more`` days
    ago; then its projects, or closed ``closed`` days ago with a reason."""

    title: str
    description: str
    field: str
    raised: int
    community: str | None = None
    appeals: tuple[str, ...] = ()
    opinions: tuple[tuple[str, str], ...] = ()
    meeting: bool = False
    survey: str = ""
    more: int | None = None
    raiser: str = "dispatcher"
    projects: tuple[Plan, ...] = ()
    closed: tuple[int, str] | None = None


NEEDS = [
    # Two projects completed, from recurring appeals: their residents are told.
    Need(
        "{community}背街小巷垃圾清运不及时",
        "{community}背街小巷的垃圾桶少、清运车一周只来一两次，垃圾桶满了堆到地上，"
        "夏天气味很大，居民一年里反映了很多次，清运一次管不了几天。",
        F.ENVIRONMENT,
        raised=100,
        appeals=("garbage-uncollected", "bin-overflow"),
        more=40,
        projects=(
            Plan(
                "背街小巷增设垃圾收集点、定时清运",
                owner="community",
                started=90,
                due=70,
                steps=(
                    Step("摸排垃圾收集点", 7, done=84),
                    Step("增设垃圾桶，定下清运时间", 40, done=52),
                    Step("一个月后回访居民", 68, done=28),
                ),
                pledges=(
                    ("垃圾清运车", 16, 88, "每周加开两趟"),
                    ("志愿服务时长", 30, 87, "志愿者劝导垃圾定点投放"),
                    ("为群众办实事专项经费", 6000, 86, "购买垃圾桶"),
                ),
                notes=(
                    (83, "和网格员、保洁员走了一遍，定了9个收集点，要新增24个桶。", 0),
                    (55, "新垃圾桶已放好，清运车改为每天早上八点来一趟。", 2),
                    (44, "志愿者连续两周在收集点劝导定点投放，路边不再堆垃圾。", 1),
                ),
                completed=(
                    25,
                    "新增收集点9个、垃圾桶24个，清运改为每天一次，背街小巷不再堆垃圾。",
                ),
                evaluations=(
                    (20, V.SATISFIED, H.MEETING, 15, "巷子里干净了，夏天没味道了。"),
                    (18, V.BASIC, H.CALLBACK, 2, "清运准时了，希望周末也别落下。"),
                ),
            ),
        ),
    ),
    Need(
        "{community}排水不畅",
        "{community}排水管网老化，一下雨几处路口和楼下就积水，污水从井口往外冒，"
        "居民反映了好几次，单次疏通管不了多久，需要排查管网、集中整治。",
        F.ENVIRONMENT,
        raised=80,
        appeals=("drain-blocked", "sewage-overflow"),
        more=35,
        projects=(
            Plan(
                "排水管网排查疏通和雨后复查",
                owner="community",
                started=70,
                due=55,
                steps=(
                    Step("排查排水管网和化粪池", 5, done=66),
                    Step("疏通管网、修复破损", 30, done=38),
                    Step("雨后复查积水点", 50, done=16),
                ),
                pledges=(
                    ("上门检修水管、疏通排水管网", 6, 69, ""),
                    ("为群众办实事专项经费", 5000, 68, "管网修复材料"),
                    ("志愿服务时长", 20, 67, "志愿者清理井口周边垃圾"),
                ),
                notes=(
                    (65, "和供排水公司一起排查了管网，找出5处堵点、2处破损。", 0),
                    (40, "主管道和支管疏通完毕，2处破损已修复。", 2),
                ),
                completed=(12, "疏通主管道和支管5处、修复破损2处，雨后未再积水。"),
                evaluations=(
                    (9, V.SATISFIED, H.SURVEY, 18, "下雨后楼下没有再冒水了。"),
                    (8, V.DISSATISFIED, H.CALLBACK, 1, "我家门口那段还是慢，再看看。"),
                ),
            ),
        ),
    ),
    # Projects underway.
    Need(
        "外卖骑手充电难",
        "街道里跑外卖、送快递的骑手越来越多，附近没有集中充电的地方，"
        "有的把电瓶拿回出租屋充，有的把车推进楼道，存在火灾隐患。",
        F.EMPLOYMENT,
        raised=200,
        community="",
        appeals=("rider-charging", "rider-station"),
        opinions=(("骑手充电", "充电"),),
        more=3,
        projects=(
            Plan(
                "在小区内加装电动车充电桩",
                owner="leader",
                started=190,
                due=90,
                steps=(Step("选址勘察", 14),),
                pledges=(("为群众办实事专项经费", 8000, 185, "购买充电桩"),),
                cancelled=(
                    160,
                    "消防评估：选址紧贴住宅楼、没有消防通道，不能安装；"
                    "改在骑手驿站附近集中建设。",
                ),
            ),
            Plan(
                "在骑手驿站旁建集中充电柜",
                owner="leader",
                started=150,
                due=180,
                steps=(
                    Step("确定选址和供电方案", 15, done=140),
                    Step("充电柜采购", 90, done=70),
                    Step("安装调试", 160),
                    Step("投入使用，教骑手扫码充电", 175),
                ),
                pledges=(
                    ("店门口场地，可放骑手充电柜", 2, 148, "两组充电柜放在超市门口"),
                    ("为群众办实事专项经费", 8000, 147, "充电柜和电路改造"),
                    ("新就业群体社保办理和技能培训", 2, 146, "充电柜旁开两场社保宣讲"),
                ),
                notes=(
                    (139, "和供电公司、便民超市现场看了，门口空地可放两组充电柜。", 1),
                    (96, "人社局在驿站开了第一场社保宣讲，二十多位骑手参加。", 0),
                    (69, "充电柜已采购，等电路改造完成后安装。", 0),
                ),
            ),
        ),
    ),
    Need(
        "老年人理发难",
        "社区高龄、独居老人多，腿脚不便去不了理发店，有的几个月没理发；"
        "入户调查时老人们最常提的就是理发和助餐。",
        F.ELDERLY,
        raised=240,
        community="001",
        survey="{year}年{month}月东嘎社区老年人需求入户调查",
        raiser="community",
        projects=(
            Plan(
                "每月为高龄老人上门理发",
                owner="gridworker",
                started=230,
                due=300,
                steps=(
                    Step("摸底需要理发的老人名单", 7, done=225),
                    Step("第一次上门理发", 25, done=210),
                    Step("定下每月固定服务日", 290),
                ),
                pledges=(
                    ("每月为高龄老人免费理发", 12, 228, "每月12位，行动不便的上门"),
                    ("志愿服务时长", 24, 227, "志愿者陪同上门"),
                ),
                notes=(
                    (224, "摸底了四个网格，共有37位老人需要理发，其中9位需要上门。", 0),
                    (209, "格桑理发店第一次上门，为9位老人理了发。", 2),
                    (120, "已连续四个月上门理发，老人们说盼着每月这一天。", 1),
                    (30, "入冬前给老人们理了发，家庭医生顺便测了血压。", 0),
                ),
            ),
        ),
    ),
    Need(
        "老旧小区加装晾衣架",
        "林堆社区几个老旧小区没有晾衣的地方，居民在楼道、树上和电线上拉绳晾衣服，"
        "既不安全也不好看，联席会上居民代表提出统一加装晾衣架。",
        F.FACILITIES,
        raised=65,
        community="002",
        meeting=True,
        raiser="community",
        projects=(
            Plan(
                "老旧小区统一加装晾衣架",
                owner="community",
                started=50,
                due=110,
                steps=(
                    Step("入户征求居民意见", 10, done=45),
                    Step("定下设计方案和位置", 35, done=20),
                    Step("安装晾衣架", 100),
                ),
                pledges=(
                    ("老旧小区改造技术指导和施工协调", 3, 48, ""),
                    ("为群众办实事专项经费", 15000, 47, "购买和安装晾衣架"),
                ),
                notes=(
                    (44, "入户征求了86户意见，78户同意在楼前空地统一安装。", 0),
                    (19, "住建局帮着定了方案：每栋楼前两组，不占消防通道。", 1),
                ),
            ),
        ),
    ),
    Need(
        "{community}背街小巷路灯不亮",
        "{community}几条背街小巷的路灯坏了，晚上一片黑，老人和放学的孩子出门不方便，"
        "居民打电话反映过，修好一盏又坏一盏，需要统一排查更换。",
        F.FACILITIES,
        raised=20,
        appeals=("street-lamp",),
        more=2,
        projects=(
            Plan(
                "背街小巷路灯统一排查更换",
                owner="community",
                started=15,
                due=45,
                steps=(
                    Step("夜间摸排不亮的路灯", 5, done=11),
                    Step("更换灯具、修复线路", 35),
                    Step("夜间验收", 42),
                ),
                pledges=(
                    ("免费更换老旧线路和路灯灯具", 18, 14, "党员服务队分两批施工"),
                    ("志愿服务时长", 12, 13, "志愿者晚上配合摸排"),
                ),
                notes=((10, "晚上走了一遍，共有18盏路灯不亮、2处线路老化。", 1),),
            ),
        ),
    ),
    # On the list, waiting for a project.
    Need(
        "小区消防通道被占、停车难",
        "小区车位不够，晚上车停到消防通道和巷口，商户货车早上卸货堵路，"
        "网格员巡查时多次听到居民反映。",
        F.SAFETY,
        raised=120,
        opinions=(("停车", ""),),
        more=50,
    ),
    Need(
        "广场舞噪音扰民",
        "晚上广场舞音响开得很大，十点以后还没停，附近居民孩子写不了作业、"
        "老人睡不好，需要和跳舞的居民商量时间和音量。",
        F.CULTURE,
        raised=45,
        appeals=("square-dance-noise",),
        opinions=(("噪音", "广场舞"),),
        more=6,
    ),
    Need(
        "灌溉水渠淤堵",
        "村里的灌溉水渠堆了塑料袋和泥沙，下游的青稞地浇不上水，"
        "需要组织村民和志愿者清淤，并定期清理。",
        F.ENVIRONMENT,
        raised=30,
        appeals=("ditch-cleaning",),
        opinions=(("环境卫生", "水渠"),),
    ),
    Need(
        "自来水浑浊",
        "居民反映自来水有点浑，烧开后壶底有沉淀，担心水质，希望检测水质、清洗水箱。",
        F.HEALTH,
        raised=14,
        opinions=(("用水", "浑"),),
    ),
    Need(
        "独居老人助餐难",
        "独居和高龄老人做饭难，子女不在身边，有的一天只吃一顿，"
        "希望社区有上门助餐或老年食堂。",
        F.ELDERLY,
        raised=70,
        appeals=("elderly-care", "elderly-home-visit"),
        survey="{year}年{month}月老年人需求入户调查",
    ),
    Need(
        "群租房安全隐患",
        "有的出租房隔成好几间，住了十几个人，电线乱拉，邻居担心出事；"
        "流动人口登记也不全。",
        F.SAFETY,
        raised=38,
        opinions=(("租房纠纷", "隔成"),),
        meeting=True,
    ),
    Need(
        "双职工家庭孩子放学后无人看管",
        "不少家庭父母都上班，孩子四点半放学后没人管，在路边玩或一个人在家，"
        "联席会上学校和家长代表希望开四点半课堂。",
        F.CHILDREN,
        raised=64,
        community="003",
        meeting=True,
        survey="{year}年{month}月家长问卷调查",
        raiser="community",
    ),
    # Closed without a project.
    Need(
        "高龄老人补贴未到账",
        "几位高龄老人的高龄补贴还没到账，家属来社区问了好几次。",
        F.ELDERLY,
        raised=60,
        community="001",
        opinions=(("养老", "高龄补贴"),),
        raiser="community",
        closed=(40, "经民政局核实，是批量发放延迟，现已全部补发到账，不需要立项。"),
    ),
]  # fmt: skip

PHOTO_COLOURS = [(88, 110, 150), (150, 120, 80), (110, 150, 110), (170, 90, 70)]


# --- helpers --------------------------------------------------------------------------


def _rng(*key: object) -> random.Random:
    return random.Random(" ".join(["cobuilding", *map(str, key)]))  # noqa: S311 — synthetic


def _holder(area: Area, role: str) -> User | None:
    return access.holders_over(area, (role,)).order_by("pk").first()


def _key(title: str) -> str:
    """What is left of a title once its community's name is taken out: how a
    problem is known again."""
    return title.replace("{community}", "")


class _Moments:
    """The past moments of the demo's rows, and what the database stamped
    instead: ``created_at``/``updated_at`` (auto_now) are written back to
    them once everything is made."""

    def __init__(self) -> None:
        self.now = clock.now()
        self.rows: dict[type[models.Model], dict[Any, list[dt.datetime]]] = defaultdict(
            dict
        )

    def ago(self, days: int, *key: object) -> dt.datetime:
        """A working moment ``days`` (≥ 1) days ago; the same one for the
        same key, so that steps of one day stay in the order they are taken."""
        day = self.now - dt.timedelta(days=max(days, 1))
        return working_moment(day, _rng("moment", days, *key))

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


def _photo(n: int) -> io.BytesIO:
    """A photo from the site, made up: a scene in one colour, 800×600."""
    colour = PHOTO_COLOURS[n % len(PHOTO_COLOURS)]
    image = Image.new("RGB", (800, 600), colour)
    draw = ImageDraw.Draw(image)
    rng = _rng("photo", n)
    for _ in range(10):
        x, y = rng.randrange(0, 740), rng.randrange(0, 560)
        shade = tuple(max(0, c - rng.randrange(20, 80)) for c in colour)
        draw.rectangle((x, y, x + rng.randrange(30, 160), y + 40), fill=shade)
    data = io.BytesIO()
    image.save(data, "JPEG", quality=80)
    data.seek(0)
    data.name = "site.jpg"
    return data


def _meeting(at: dt.datetime) -> str:
    """The 联席会 of the quarter of ``at``: 2026年第三季度街道联席会."""
    day = timezone.localdate(at)
    quarter = "一二三四"[(day.month - 1) // 3]
    return f"{day.year}年第{quarter}季度街道联席会"


def _survey(template: str, at: dt.datetime) -> str:
    day = timezone.localdate(at)
    return template.format(year=day.year, month=day.month) if template else ""


@dataclass
class _Street:
    """The street and who works the lists there."""

    area: Area
    communities: dict[str, Area]
    dispatcher: User
    leader: User
    staff: dict[str, User]
    workers: dict[str, User]
    moments: _Moments
    used_appeals: set[int] = field(default_factory=set)
    resources: dict[str, Resource] = field(default_factory=dict)


# --- resources ------------------------------------------------------------------------


def _provider(street: _Street, offer: Offer) -> tuple[dict[str, Any], User] | None:
    """Who offers it, as :class:`actions.ResourceInput` names them, and who
    puts it on the list (a unit's own contact, otherwise the street's
    dispatcher); None when the other seeds did not make the provider."""
    if offer.provider_kind == P.UNIT:
        unit = (
            UnitRegistration.objects.filter(
                organisation__name=offer.provider,
                community__path__startswith=street.area.path,
                state=Registration.CONFIRMED,
            )
            .select_related("organisation", "community", "contact")
            .order_by("pk")
            .first()
        )
        if unit is None or unit.contact is None:
            return None
        return {"unit": unit}, unit.contact
    if offer.provider_kind == P.DEPARTMENT:
        department = Department.objects.filter(code=offer.provider).first()
        return ({"department": department}, street.dispatcher) if department else None
    if offer.provider_kind == P.MERCHANT:
        merchant = (
            OrganisationMember.objects.filter(
                organisation__kind=Organisation.Kind.ALLIANCE,
                organisation__area=street.area,
                place__name=offer.provider,
                left_on__isnull=True,
            )
            .select_related("organisation", "place")
            .order_by("pk")
            .first()
        )
        return ({"merchant": merchant}, street.dispatcher) if merchant else None
    organisation = (
        Organisation.objects.filter(
            name=offer.provider, area=street.area, is_active=True
        )
        .order_by("pk")
        .first()
    )
    return ({"organisation": organisation}, street.dispatcher) if organisation else None


def _seed_resources(street: _Street) -> int:
    existing = {
        r.title: r
        for r in Resource.objects.filter(
            area__path__startswith=street.area.path,
            title__in=[o.title for o in OFFERS],
        ).order_by("pk")
    }
    made = 0
    for n, offer in enumerate(OFFERS):
        if offer.title in existing:
            street.resources[offer.title] = existing[offer.title]
            continue
        found = _provider(street, offer)
        if found is None:
            continue
        provider, adder = found
        area = street.communities.get(offer.community, street.area)
        if offer.community and area.pk != street.area.pk:
            # A community's resource is put on its list by its own staff.
            adder = (
                adder
                if offer.provider_kind == P.UNIT
                else street.staff[offer.community]
            )
        at = street.moments.ago(offer.added, "resource", n)
        since = timezone.localdate(at)
        with clock.at(at):
            resource = actions.resource_add(
                data=actions.ResourceInput(
                    title=offer.title,
                    description=offer.description,
                    kind=offer.kind,
                    field=offer.field,
                    quantity=offer.quantity,
                    measure=offer.measure,
                    area=area,
                    provider_kind=offer.provider_kind,
                    available_from=since,
                    available_until=since + dt.timedelta(days=offer.for_days)
                    if offer.for_days
                    else None,
                    **provider,
                ),
                acting_user=adder,
            )
        street.moments.made(resource, at)
        if offer.withdrawn is not None:
            gone = street.moments.ago(offer.withdrawn, "withdraw", n)
            with clock.at(gone):
                actions.resource_withdraw(resource=resource, acting_user=adder)
            street.moments.moved(resource, gone)
        street.resources[offer.title] = resource
        made += 1
    return made


# --- problems and projects ------------------------------------------------------------


def _appeals(
    street: _Street, need: Need, within: Area, *, before: dt.datetime, after: Any
) -> list[Appeal]:
    """The need's recurring appeals in ``within``, received in the window,
    newest first; never one another problem of the demo cites."""
    if not need.appeals:
        return []
    appeals = (
        Appeal.objects.filter(
            street=street.area,
            category__code__in=need.appeals,
            grid__path__startswith=within.path,
            received_at__lt=before,
        )
        .exclude(state__in=[Appeal.State.REJECTED, Appeal.State.MERGED])
        .exclude(pk__in=street.used_appeals)
        .select_related("grid")
    )
    if after is not None:
        appeals = appeals.filter(received_at__gte=after)
    return list(appeals.order_by("-received_at", "-pk"))


def _opinions(
    street: _Street, need: Need, within: Area, *, before: dt.datetime
) -> list[Opinion]:
    """The need's open 社情民意 items in ``within`` heard before ``before``,
    newest first."""
    if not need.opinions:
        return []
    topics = {topic for topic, _words in need.opinions}
    items = (
        Opinion.objects.filter(
            state=Opinion.State.OPEN,
            topic__in=topics,
            grid__path__startswith=within.path,
            gathered_at__lt=before,
        )
        .select_related("grid")
        .order_by("-gathered_at", "-pk")
    )
    return [
        o
        for o in items
        if any(o.topic == t and words in o.text for t, words in need.opinions)
    ]


def _where(street: _Street, need: Need, until: dt.datetime) -> Area:
    """The need's area: as named, or the community where most of its appeals
    and items are (the first by code on a tie, the first community if none)."""
    if need.community is not None:
        return street.communities.get(need.community, street.area)
    counts: Counter[str] = Counter()
    for code, community in street.communities.items():
        counts[code] = len(
            _appeals(street, need, community, before=until, after=None)
        ) + len(_opinions(street, need, community, before=until))
    best = max(sorted(counts), key=lambda code: counts[code], default="001")
    return street.communities.get(best, street.area)


def _person(street: _Street, role: str, area: Area) -> User:
    community = area.code[len(street.area.code) :][:3]
    if role == "community" and community in street.staff:
        return street.staff[community]
    if role == "gridworker" and community in street.workers:
        return street.workers[community]
    if role == "leader":
        return street.leader
    return street.dispatcher


Deed = tuple[int, Callable[[dt.datetime], None]]


def _plan_deeds(
    street: _Street, problem: Problem, plan: Plan, n: int, keeper: User
) -> list[Deed]:
    """The steps of one project, each with the days ago it is taken."""
    moments = street.moments
    owner = _person(street, plan.owner, problem.area)
    holder: dict[str, Project] = {}
    deeds: list[Deed] = []

    def start(at: dt.datetime) -> None:
        started = clock.today()
        holder["project"] = project = actions.project_start(
            problem=problem,
            data=actions.ProjectInput(
                title=plan.title,
                owner=owner,
                started_on=started,
                due_on=started + dt.timedelta(days=plan.due),
                milestones=[
                    (step.title, started + dt.timedelta(days=step.due))
                    for step in plan.steps
                ],
            ),
            acting_user=keeper,
        )
        moments.made(project, at)
        moments.moved(problem, at)

    deeds.append((plan.started, start))

    for title, quantity, days, note in plan.pledges:
        resource = street.resources.get(title)
        if resource is None:
            continue

        def give(
            at: dt.datetime,
            resource: Resource = resource,
            q: int = quantity,
            m: str = note,
        ) -> None:
            # A unit pledges its own; the street's resources, the street.
            pledger = keeper
            if resource.unit is not None and resource.unit.contact is not None:
                pledger = resource.unit.contact
            elif not permissions.may_keep(keeper, resource.area):
                pledger = street.dispatcher
            actions.pledge(
                project=holder["project"],
                resource=resource,
                quantity=q,
                note=m,
                acting_user=pledger,
            )
            moments.moved(resource, at)

        deeds.append((days, give))

    for position, step in enumerate(plan.steps):
        if step.done is None:
            continue

        def done(at: dt.datetime, position: int = position) -> None:
            milestone = holder["project"].milestones.order_by("due_on", "pk")[position]
            actions.milestone_done(milestone=milestone, acting_user=owner)

        deeds.append((step.done, done))

    for k, (days, text, photos) in enumerate(plan.notes):

        def report(
            at: dt.datetime, text: str = text, photos: int = photos, k: int = k
        ) -> None:
            actions.progress_note(
                project=holder["project"],
                acting_user=owner,
                text=text,
                photos=[_photo(n * 10 + k + i) for i in range(photos)],
            )

        deeds.append((days, report))

    if plan.completed is not None:
        days, summary = plan.completed

        def complete(at: dt.datetime, summary: str = summary) -> None:
            project = holder["project"]
            actions.project_complete(
                project=project, acting_user=keeper, summary=summary
            )
            moments.moved(project, at)
            moments.moved(problem, at)

        deeds.append((days, complete))

    for days, verdict, heard, residents, comment in plan.evaluations:

        def evaluate(
            at: dt.datetime,
            verdict: str = verdict,
            heard: str = heard,
            residents: int = residents,
            comment: str = comment,
        ) -> None:
            actions.evaluation_record(
                project=holder["project"],
                acting_user=owner,
                verdict=verdict,
                heard=heard,
                residents=residents,
                comment=comment,
            )

        deeds.append((days, evaluate))

    if plan.cancelled is not None:
        days, reason = plan.cancelled

        def cancel(at: dt.datetime, reason: str = reason) -> None:
            project = holder["project"]
            actions.project_cancel(project=project, acting_user=keeper, reason=reason)
            problem.refresh_from_db(fields=["state"])
            moments.moved(project, at)
            moments.moved(problem, at)
            for row in project.pledges.select_related("resource"):
                moments.moved(row.resource, at)

        deeds.append((days, cancel))
    return deeds


def _seed_need(street: _Street, need: Need, n: int) -> bool:
    """One problem through its steps; False when it is on the list already."""
    key = _key(need.title)
    if Problem.objects.filter(
        area__path__startswith=street.area.path, title__endswith=key
    ).exists():
        return False
    moments = street.moments
    raised = moments.ago(need.raised, "need", n)
    more = moments.ago(need.more, "need", n) if need.more is not None else None
    area = _where(street, need, more or raised)
    raiser = (
        _person(street, "community", area)
        if need.raiser == "community"
        else street.dispatcher
    )
    # Appeals go on the list by the street, which sees them all.
    keeper = street.dispatcher if need.appeals else raiser
    appeals = _appeals(street, need, area, before=raised, after=None)[:3]
    opinions = _opinions(street, need, area, before=raised)[:3]
    meeting = _meeting(raised) if need.meeting else ""
    survey = _survey(need.survey, raised)
    if not (appeals or opinions or meeting or survey):
        meeting = _meeting(raised)  # heard at the quarter's 联席会 after all
    street.used_appeals.update(a.pk for a in appeals)
    with clock.at(raised):
        problem = actions.problem_raise(
            data=actions.ProblemInput(
                title=need.title.format(community=area.name),
                description=need.description.format(community=area.name),
                field=need.field,
                area=area,
                appeals=appeals,
                opinions=opinions,
                meeting=meeting,
                survey=survey,
            ),
            acting_user=keeper,
        )
    moments.made(problem, raised)

    deeds: list[Deed] = []
    if need.more is not None:

        def add(at: dt.datetime) -> None:
            later = _appeals(street, need, area, before=at, after=raised)[:2]
            heard = _opinions(street, need, area, before=at)[:2]
            if not (later or heard):
                return
            street.used_appeals.update(a.pk for a in later)
            actions.problem_add_source(
                problem=problem, acting_user=keeper, appeals=later, opinions=heard
            )

        deeds.append((need.more, add))
    for m, plan in enumerate(need.projects):
        deeds += _plan_deeds(street, problem, plan, n * 10 + m, keeper)
    if need.closed is not None:
        days, reason = need.closed

        def close(at: dt.datetime) -> None:
            actions.problem_close(problem=problem, acting_user=keeper, reason=reason)
            moments.moved(problem, at)

        deeds.append((days, close))

    # Oldest first; steps of the same day in the order written, minutes apart.
    order = sorted(range(len(deeds)), key=lambda i: (-deeds[i][0], i))
    same_day: Counter[int] = Counter()
    for i in order:
        days, deed = deeds[i]
        at = moments.ago(days, "need", n) + dt.timedelta(minutes=7 * same_day[days])
        same_day[days] += 1
        with clock.at(at):
            deed(at)
    return True


@demo_seed(
    "cobuilding.lists",
    after=(
        "org.street",
        "appeals.appeals",
        "appeals.gridwork",
        "synthetic.history",
        "ledger.places",
        "ledger.opinion",
        "partybuilding.street",
    ),
)
def seed_three_lists() -> str:
    street_area = Area.objects.filter(code=STREET_CODE).first()
    if street_area is None:
        return ""
    dispatcher = _holder(street_area, Role.DISPATCHER)
    leader = _holder(street_area, Role.LEADER) or dispatcher
    if dispatcher is None or leader is None:
        return ""
    communities: dict[str, Area] = {}
    staff: dict[str, User] = {}
    workers: dict[str, User] = {}
    for community in Area.objects.filter(
        parent=street_area, level=Area.Level.COMMUNITY
    ).order_by("code"):
        code = community.code[len(street_area.code) :]
        keeper = _holder(community, Role.COMMUNITY_STAFF)
        if keeper is None:
            continue
        communities[code] = community
        staff[code] = keeper
        grid = (
            Area.objects.filter(parent=community, level=Area.Level.GRID)
            .order_by("code")
            .first()
        )
        worker = _holder(grid, Role.GRID_WORKER) if grid is not None else None
        workers[code] = worker or keeper
    if not communities:
        return ""
    street = _Street(
        area=street_area,
        communities=communities,
        dispatcher=dispatcher,
        leader=leader,
        staff=staff,
        workers=workers,
        moments=_Moments(),
    )
    resources = _seed_resources(street)
    problems = sum(_seed_need(street, need, n) for n, need in enumerate(NEEDS))
    street.moments.write()
    if not (resources or problems):
        return ""
    return f"{problems} problems and {resources} resources on the three lists"


# --- leaders' 分包, meetings, riders' services ---------------------------------------

# The street's leading group (街道党政班子) besides the demo's leader: who they
# are, and the communities (by the last digits of their codes) they take.
LEADING_GROUP = [
    ("leader_party", "次仁多吉 (党工委书记)", ["001", "002"]),
    ("leader_office", "李华 (办事处主任)", ["003", "004"]),
    ("leader_deputy", "德吉央宗 (副主任)", ["005", "006"]),
]
MEETINGS = [
    # kind, title, days ago, where ("" the street), minutes
    (
        "joint",
        "{quarter}街道联席会",
        250,
        "",
        "通报上季度三项清单办理情况，研究新列问题和资源认领。",
    ),
    (
        "joint",
        "{quarter}街道联席会",
        160,
        "",
        "各共建单位报告资源认领和项目进展，研究背街小巷整治。",
    ),
    (
        "joint",
        "{quarter}街道联席会",
        70,
        "",
        "研究外卖骑手充电难、老年人理发难等问题的立项。",
    ),
    (
        "study",
        "党工委每周学习：接诉即办工作要求",
        40,
        "",
        "学习接诉即办、未诉先办的工作要求。",
    ),
    (
        "study",
        "党工委每周学习：新就业群体服务",
        12,
        "",
        "学习新就业群体党建和服务工作经验。",
    ),
    (
        "judgement",
        "社情民意研判会",
        30,
        "001",
        "研判近期社情民意，梳理需列入问题清单的事项。",
    ),
    ("judgement", "矛盾纠纷研判会", 9, "002", "研判邻里纠纷和群租房安全隐患。"),
]
OUTREACH = [
    # title, days ago, group, served, services
    (
        "717骑士节",
        None,
        "delivery",
        126,
        "免费体检、理发、饮水、手机充电，发放防暑降温用品",
    ),
    ("快递小哥暖心驿站服务日", 95, "courier", 42, "饮水、休息、微波炉热饭、法律咨询"),
    ("网约车司机座谈和义诊", 60, "ride_hailing", 18, "义诊、政策宣讲、座谈听取意见"),
    ("货车司机平安出行服务", 20, "truck", 12, "车辆安全检查、交通安全宣传、饮水"),
]


def _leading_group(street_area: Area) -> list[tuple[User, list[str]]]:
    """The leaders of the street with the communities they take; made once."""
    from civicgrid.accounts.actions import membership_add
    from civicgrid.org.demo import demo_password

    group = []
    for username, full_name, codes in LEADING_GROUP:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name)
            user.password = demo_password()
            user.save()
        if not access.holds_role_on(user, street_area, (Role.LEADER,)):
            membership_add(
                user=user, role=Role.LEADER, area=street_area, acting_user=None
            )
        group.append((user, codes))
    return group


@demo_seed("cobuilding.leadership", after=("cobuilding.lists",))
def seed_leadership() -> str:
    """Every community taken by one of the street's leaders (and its first
    grid by the demo's leader), a year of 联席会, weekly studies and 研判会
    with who came and what they decided, and the services for riders and
    couriers — the 717骑士节 among them (为126名外卖小哥提供便捷服务)."""
    street_area = Area.objects.filter(code=STREET_CODE).first()
    admin = _holder(street_area, Role.ADMIN) if street_area else None
    dispatcher = _holder(street_area, Role.DISPATCHER) if street_area else None
    if street_area is None or admin is None or dispatcher is None:
        return ""
    if Meeting.objects.filter(area__path__startswith=street_area.path).exists():
        return ""
    moments = _Moments()
    communities = {
        c.code[len(street_area.code) :]: c
        for c in Area.objects.filter(parent=street_area, level=Area.Level.COMMUNITY)
    }
    year_ago = moments.ago(330, "contracts")
    contracts = 0
    with clock.at(year_ago):
        for leader, codes in _leading_group(street_area):
            for code in codes:
                if code in communities:
                    row = actions.contract_assign(
                        leader=leader, area=communities[code], acting_user=admin
                    )
                    moments.made(row, year_ago)
                    contracts += 1
        demo_leader = _holder(street_area, Role.LEADER)
        first = next(iter(sorted(communities.items())), None)
        if demo_leader is not None and first is not None:
            grid = (
                Area.objects.filter(parent=first[1], level=Area.Level.GRID)
                .order_by("code")
                .first()
            )
            if grid is not None:
                moments.made(
                    actions.contract_assign(
                        leader=demo_leader, area=grid, acting_user=admin
                    ),
                    year_ago,
                )
                contracts += 1
    leaders = [u for u, _codes in _leading_group(street_area)]
    units = list(
        Organisation.objects.filter(
            pk__in=UnitRegistration.objects.filter(
                community__parent=street_area, state=Registration.CONFIRMED
            ).values("organisation_id")
        ).order_by("pk")[:8]
    )
    meetings = 0
    for n, (kind, title, days, where, minutes) in enumerate(MEETINGS):
        at = moments.ago(days, "meeting", n)
        area = communities.get(where, street_area) if where else street_area
        keeper = (
            dispatcher
            if area == street_area
            else (_holder(area, Role.COMMUNITY_STAFF) or dispatcher)
        )
        staff = list(access.holders_around(area, permissions.KEEPERS)[:8])
        with clock.at(at):
            meeting = actions.meeting_record(
                data=actions.MeetingInput(
                    kind=kind,
                    title=title.format(quarter=_meeting(at).replace("街道联席会", "")),
                    held_at=at,
                    area=area,
                    place="东嘎街道党群服务中心"
                    if area == street_area
                    else f"{area.name}活动室",
                    chair=leaders[n % len(leaders)],
                    attendees=[*leaders, *staff],
                    units=units if kind == "joint" else [],
                    minutes=minutes,
                ),
                acting_user=keeper,
            )
            moments.made(meeting, at)
            meetings += 1
            for problem in Problem.objects.filter(
                area__path__startswith=area.path,
                created_at__lte=at,
                state__in=[Problem.State.OPEN, Problem.State.PROJECT],
            ).order_by("pk")[:2]:
                project = problem.projects.exclude(
                    state=Project.State.CANCELLED
                ).first()
                actions.decision_add(
                    meeting=meeting,
                    acting_user=keeper,
                    text="督促项目按节点推进"
                    if project
                    else "列入下季度立项计划，明确责任单位",
                    problem=problem,
                    project=project,
                    owner=project.owner if project else keeper,
                    due_on=timezone.localdate(at) + dt.timedelta(days=30),
                )
    stations = list(
        Place.objects.filter(
            kind=Place.Kind.SERVICE_STATION, grid__path__startswith=street_area.path
        )
        .select_related("grid__parent")
        .order_by("pk")
    )
    alliance = list(
        Organisation.objects.filter(
            kind=Organisation.Kind.ALLIANCE, area__path__startswith=street_area.path
        )[:1]
    )
    served = 0
    today = timezone.localdate(moments.now)
    for n, (title, ago, group, people, services) in enumerate(OUTREACH):
        if ago is None:  # the riders' festival of the 17th of July
            day = dt.date(today.year, 7, 17)
            if day >= today:
                day = day.replace(year=day.year - 1)
            ago = (today - day).days
        at = moments.ago(ago, "outreach", n)
        station = stations[n % len(stations)] if stations else None
        with clock.at(at):
            outreach = actions.outreach_record(
                data=actions.OutreachInput(
                    title=title,
                    held_on=timezone.localdate(at),
                    area=station.grid.parent
                    if station and station.grid.parent
                    else street_area,
                    group=group,
                    served=people,
                    services=services,
                    station=station,
                    organisers=alliance,
                ),
                acting_user=dispatcher,
            )
            moments.made(outreach, at)
            served += people
    moments.write()
    return (
        f"{contracts} areas taken by the street's leaders, {meetings} meetings, "
        f"{served} riders, couriers and drivers served"
    )
