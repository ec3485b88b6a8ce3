"""Loads the demo category catalogue for 东嘎街道 (``data/demo/catalogue.json``, see
the README beside it). Adds what is missing and never changes what exists."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from shapely.geometry import shape

from civicgrid.accounts import access
from civicgrid.accounts.models import Role, User
from civicgrid.core import clock
from civicgrid.core.audio import process_audio
from civicgrid.core.demo import demo_seed
from civicgrid.org.models import Area, Department

from . import actions
from .actions import AppealInput, Unit
from .catalogue import category_set_terms
from .models import Appeal, Category, CategoryQuestion, ResponseTemplate, VoiceMessage
from .selectors import default_street


def load_catalogue() -> dict[str, Any]:
    """The demo catalogue: ``categories`` (groups with their leaves in ``children``)
    and ``response_templates``."""
    path = Path(settings.BASE_DIR) / "data" / "demo" / "catalogue.json"
    return json.loads(path.read_text(encoding="utf-8"))


@demo_seed("appeals.catalogue", after=("org.street",))
def seed_catalogue() -> str:
    catalogue = load_catalogue()
    departments = {d.code: d for d in Department.objects.all()}
    leaves = 0
    with transaction.atomic():
        for group_order, group in enumerate(catalogue["categories"]):
            parent, _created = Category.objects.get_or_create(
                code=group["code"],
                defaults={"name": group["name"], "sort_order": group_order},
            )
            for order, leaf in enumerate(group["children"]):
                category, created = Category.objects.get_or_create(
                    code=leaf["code"],
                    defaults={
                        "name": leaf["name"],
                        "parent": parent,
                        "sort_order": order,
                        # Open311: realtime answers the id, batch a token.
                        "service_type": leaf.get(
                            "service_type", Category.ServiceType.REALTIME
                        ),
                    },
                )
                leaves += 1
                if not created and category.current_version_id:
                    continue
                unit = leaf["unit"]
                is_department = unit not in ("grid", "community")
                category_set_terms(
                    category=category,
                    acting_user=None,
                    kind=leaf["kind"],
                    default_unit_type="department" if is_department else unit,
                    default_department=departments[unit] if is_department else None,
                    response_hours=Decimal(str(leaf["response_hours"])),
                    handling_days=Decimal(str(leaf["handling_days"])),
                    # 紧急: where the catalogue names none, the settings' defaults.
                    urgent_response_hours=leaf.get("urgent_response_hours"),
                    urgent_handling_days=leaf.get("urgent_handling_days"),
                    public_notice=leaf.get("notice", ""),
                )
                for q_order, question in enumerate(leaf.get("questions", [])):
                    CategoryQuestion.objects.get_or_create(
                        category=category,
                        code=question["code"],
                        defaults={
                            "label": question["label"],
                            "datatype": question["datatype"],
                            "required": question.get("required", False),
                            "choices": question.get("choices", []),
                            "sort_order": q_order,
                        },
                    )
        by_code = {c.code: c for c in Category.objects.all()}
        for template in catalogue["response_templates"]:
            owner = by_code.get(template["category"]) if template["category"] else None
            ResponseTemplate.objects.get_or_create(
                title=template["title"],
                category=owner,
                defaults={"body": template["body"]},
            )
    return f"{leaves} categories"


# What residents say, by category: every demo appeal reads like its category.
DEMO_DESCRIPTIONS = {
    "street-lamp": (
        "小区门口的路灯坏了好几天，晚上很黑，老人出门不方便。联系我 13900008000。"
    ),
    "garbage-uncollected": "垃圾桶已经满了两天没人清运，气味很大。",
    "bin-overflow": "楼下垃圾桶满了，垃圾堆到了地上，请网格员帮忙联系清运。",
    "public-toilet": "市场旁边的公厕白天一直锁着门，附近没有别的厕所。",
    "stall-occupation": "早市的摊位摆到了人行道上，推婴儿车过不去。",
    "square-dance-noise": "广场舞音响晚上十点以后还开得很大声，孩子没法写作业。",
    "manhole-cover": "路口的井盖缺了一块，晚上骑车很危险。",
    "drain-blocked": "楼下下水道堵了，一下雨就往外冒水。",
    "road-pothole": "进村的路上有个大坑，下雨后积水看不清，已经有人摔倒。",
    "water-cut": "今天早上开始停水，没有看到停水通知。",
    "low-water-pressure": "住六楼，白天水压太低，水上不来。",
    "heating-not-warm": "家里暖气一直不热，室温只有十二度。",
    "property-dispute": "物业收了费，楼道灯坏了一个月也不来修。",
    "lift-fault": "单元电梯这周停了两次，楼上有行动不便的老人。",
    "ebike-corridor": "有住户把电动车推进楼道里充电，担心着火。",
    "elderly-care": (
        "母亲八十多岁独自在家，想了解社区有没有上门助餐服务。"
        "我的电话 139 0000 8001，母亲身份证 540102193801011234。"
    ),
    "dibao-inquiry": "家里有人生病不能工作，想咨询低保怎么申请。",
    "medical-insurance": "想问一下今年城乡居民医保在哪里缴费，截止到什么时候。",
    "neighbour-dispute": "楼上住户长期往楼下阳台倒水，协商不成。",
    "family-dispute": "邻居家夫妻经常吵架到半夜，担心有家暴，请社区关心一下。",
    "price-complaint": "菜市场有摊位同样的菜比别处贵一倍，也不明码标价。",
    "security-hazard": "小区后门的监控坏了，最近有电动车电瓶被偷。",
    "bus-stop-route": "希望公交车能在东嘎村口增设一个站点，老人进城不方便。",
    "village-road": "村里的水泥路裂了好几处，拉青稞的车过不去。",
    "livestock": "有几头牦牛散放在马路上，晚上开车很危险。",
    "ditch-cleaning": "灌溉水渠被垃圾和泥沙堵住了，下游的地浇不上水。",
    "rider-charging": "我们骑手在附近找不到充电的地方，希望驿站能增加充电柜。",
    "community-suggestion": "建议社区活动室周末也开放，方便上班的年轻人参加。",
    "praise-grid-worker": "网格员扎西帮我家老人办好了手续，跑了好几趟，特别感谢。",
}
# The words a unit answers with, and how long each step takes in practice.
DEMO_REPLY = "您好，您反映的问题已到现场核实并处理完毕，感谢您的监督。"
STEP_MINUTES = {"accept": (5, 90), "dispatch": (5, 120), "sign": (10, 240)}


@demo_seed(
    "appeals.appeals", after=("appeals.catalogue", "org.street", "core.calendar")
)
def seed_appeals(count: int = 36) -> int:
    """A few dozen demo appeals in every state, made through the same actions
    people use (idempotent: nothing happens once appeals exist)."""
    if Appeal.objects.exists():
        return 0
    rng = random.Random(540103001)  # noqa: S311 - demo data, not security
    operator = User.objects.filter(username="operator").first()
    dispatcher = User.objects.filter(username="dispatcher").first()
    admin = User.objects.filter(is_superuser=True).first()
    if operator is None or dispatcher is None or admin is None:
        return 0
    grids = list(Area.objects.filter(level=Area.Level.GRID).order_by("code"))
    # Categories whose extra questions are all optional: the demo answers none.
    categories = list(
        Category.objects.filter(current_version__isnull=False)
        .exclude(questions__required=True)
        .select_related("current_version")
        .distinct()
    )
    by_code = {c.code: c for c in categories}
    plan = (
        ["received"] * 7
        + ["accepted"] * 5
        + ["dispatched"] * 6
        + ["handling"] * 6
        + ["replied"] * 5
        + ["closed"] * 5
        + ["rejected"]
        + ["merged"]
    )[:count]
    now = clock.now()
    # Only categories the demo has words for, and whose questions are optional.
    spoken = [code for code in DEMO_DESCRIPTIONS if code in by_code]
    made = 0
    for target in plan:
        grid = rng.choice(grids)
        point = shape(grid.boundary).representative_point()
        code = rng.choice(spoken)
        category = by_code[code]
        street = grid.parent.parent if grid.parent and grid.parent.parent else None
        if street is None:
            continue
        steps = _steps_to(target)
        # Received long enough ago for its steps to have happened, each at its
        # own time: a case received on the 15th reads "已收到 11-15 09:12".
        days_back = rng.uniform(0.2, 3) + (
            rng.uniform(2, 18) if len(steps) > 2 else rng.uniform(0, 4)
        )
        at = min(
            _office_hours(now - timedelta(days=days_back), rng),
            now - timedelta(minutes=30),
        )

        def next_step(step: str, after: datetime) -> datetime:
            low, high = STEP_MINUTES.get(step, (60 * 4, 60 * 24 * 3))
            moment = _working_time(after + timedelta(minutes=rng.uniform(low, high)))
            return min(max(moment, after), now)

        with clock.at(at):
            appeal, _created = actions.appeal_submit(
                data=AppealInput(
                    description=DEMO_DESCRIPTIONS[code],
                    street=street,
                    channel=rng.choice(["phone", "phone", "visit", "letter"]),
                    kind=category.current_version.kind
                    if category.current_version
                    else "help",
                    category=category,
                    latitude=round(point.y, 6),
                    longitude=round(point.x, 6),
                    name=rng.choice(["卓玛", "次仁", "扎西", "央金", "王芳", "李强"]),
                    phone=f"139{rng.randrange(10**7, 10**8)}",
                    received_at=at,
                    # A danger or a cut supply (井盖, 停水, 电梯 …): the operator
                    # files it as urgent, and it runs on its category's urgent clocks.
                    priority=Appeal.Priority.URGENT
                    if category.current_version
                    and category.current_version.urgent_response_hours
                    else Appeal.Priority.NORMAL,
                ),
                acting_user=operator,
            )
        made += 1
        for step in steps:
            at = next_step(step, at)
            with clock.at(at):
                if not _take_step(step, appeal, grid, dispatcher, operator, admin, rng):
                    break
    return made


def _steps_to(target: str) -> list[str]:
    """The steps that bring a received appeal to ``target``."""
    if target in ("rejected", "merged"):
        return [target]
    loop = ["accept", "dispatch", "sign", "reply", "callback"]
    reached = {
        "received": 0,
        "accepted": 1,
        "dispatched": 2,
        "handling": 3,
        "replied": 4,
        "closed": 5,
    }
    return loop[: reached[target]]


NIGHT = timedelta(hours=12, minutes=30)  # 21:00 to the next day's 09:30


def _working_time(moment: datetime) -> datetime:
    """People work by day: a step that would fall at night (21:00–09:30)
    happens at 09:30 the next morning, in the order the night would have had
    them — so two steps never swap places; one in the evening stays
    (overtime happens)."""
    local = timezone.localtime(moment)
    opening = local.replace(hour=9, minute=30, second=0, microsecond=0)
    if local.hour >= 21:
        night_began = local.replace(hour=21, minute=0, second=0, microsecond=0)
    elif local < opening:
        night_began = opening - NIGHT
    else:
        return local
    # Within the first minute of the morning, so that nothing done by day
    # comes before what the night left.
    return night_began + NIGHT + timedelta(seconds=59) * ((local - night_began) / NIGHT)


def _office_hours(moment: datetime, rng: Any) -> datetime:
    """The same day between 09:30 and 18:00, local time (calls come in by day)."""
    local = timezone.localtime(moment)
    minutes = rng.randrange(9 * 60 + 30, 18 * 60)
    return local.replace(
        hour=minutes // 60, minute=minutes % 60, second=0, microsecond=0
    )


def _take_step(
    step: str,
    appeal: Any,
    grid: Any,
    dispatcher: Any,
    operator: Any,
    admin: Any,
    rng: Any,
) -> bool:
    """One step of the loop, as the people who take it do; False when the
    appeal cannot go further (nothing to merge into, no clocks)."""
    appeal.refresh_from_db()
    if step == "rejected":
        actions.appeal_reject(
            appeal=appeal,
            acting_user=dispatcher,
            reason="属于区级信访事项",
            redirect_to="区信访局",
        )
    elif step == "merged":
        main = Appeal.objects.filter(state="accepted").exclude(pk=appeal.pk).first()
        if main is None or main.street_id != appeal.street_id:
            return False
        actions.appeal_merge(appeal=appeal, into=main, acting_user=dispatcher)
    elif step == "accept":
        actions.appeal_accept(appeal=appeal, acting_user=dispatcher)
    elif step == "dispatch":
        version = appeal.category_version
        if version is None:
            return False
        if version.default_department_id:
            unit = Unit(department=version.default_department)
        elif version.default_unit_type == "community" and grid.parent:
            unit = Unit(area=grid.parent)
        else:
            unit = Unit(area=grid)
        actions.appeal_dispatch(appeal=appeal, acting_user=dispatcher, lead=unit)
    elif step in ("sign", "reply"):
        lead = appeal.assignments.get(role="lead")
        member = (
            access.unit_members(department_id=lead.department_id, area_id=lead.area_id)
            .select_related("user")
            .first()
        )
        handler = member.user if member else admin
        if step == "sign":
            actions.assignment_sign(assignment=lead, acting_user=handler)
        else:
            actions.appeal_reply(
                assignment=lead,
                acting_user=handler,
                public_reply=DEMO_REPLY,
                outcome="resolved",
            )
    elif step == "callback":
        actions.appeal_callback(
            appeal=appeal,
            acting_user=operator,
            resolved=True,
            satisfaction=rng.choice(["satisfied", "satisfied", "basic"]),
        )
    return True


# --- the grid's own work and the street's corrections ---------------------------------

# Problems a grid worker finds on patrol and deals with there (就地处置).
ON_SITE = [
    (
        "bin-overflow",
        "巡查发现东嘎一网格3号垃圾桶满溢，垃圾散落在路边。",
        "已联系保洁员清运，周边已清扫干净。",
        9,
    ),
    (
        "ebike-corridor",
        "巡查发现2单元楼道内有电动车停放充电。",
        "已劝导住户将电动车推至集中充电棚，楼道已清空。",
        5,
    ),
    (
        "square-dance-noise",
        "巡查发现广场舞音响晚间音量过大，附近居民有意见。",
        "已与领队沟通，音量调低并约定晚九点半前结束。",
        2,
    ),
]


def _demo_photo(color: tuple[int, int, int], seed: int) -> Any:
    """A photo from the phone's camera, for the demo: a scene in one colour."""
    from io import BytesIO

    from PIL import Image, ImageDraw

    from civicgrid.core.images import process_image

    image = Image.new("RGB", (960, 720), color)
    draw = ImageDraw.Draw(image)
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    for _ in range(12):
        x, y = rng.randrange(0, 900), rng.randrange(0, 660)
        shade = tuple(max(0, c - rng.randrange(20, 80)) for c in color)
        draw.rectangle((x, y, x + rng.randrange(30, 160), y + 40), fill=shade)
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return process_image(buffer.getvalue(), filename="scene.jpg")


def _handler_of(share: Any, fallback: Any) -> Any:
    member = (
        access.unit_members(department_id=share.department_id, area_id=share.area_id)
        .select_related("user")
        .first()
    )
    return member.user if member else fallback


@demo_seed("appeals.gridwork", after=("appeals.appeals",))
def seed_grid_work() -> int:
    """The grid worker's own work and the street's corrections, each through
    its action at its own time: findings dealt with on the spot, checks on site
    (one waiting, one passed), a share reassigned (改派), a co-handler (协办)
    still working and an extension waiting for approval. Idempotent."""
    if Appeal.objects.filter(close_reason=Appeal.CloseReason.ON_SITE).exists():
        return 0
    worker = User.objects.filter(username="gridworker").first()
    dispatcher = User.objects.filter(username="dispatcher").first()
    operator = User.objects.filter(username="operator").first()
    admin = User.objects.filter(is_superuser=True).first()
    if not (worker and dispatcher and operator and admin):
        return 0
    grids: list[Area] = [
        m.area
        for m in access.held(worker, (Role.GRID_WORKER,))
        if m.area is not None and m.area.boundary
    ]
    if not grids:
        return 0
    categories = {
        c.code: c for c in Category.objects.filter(current_version__isnull=False)
    }
    departments = {d.code: d for d in Department.objects.all()}
    now = clock.now()
    made = 0
    for n, (code, found, done, days_back) in enumerate(ON_SITE):
        grid = grids[n % len(grids)]
        point = shape(grid.boundary).representative_point()
        at = _working_time(now - timedelta(days=days_back, hours=n * 2 + 1))
        with clock.at(min(at, now - timedelta(minutes=20))):
            actions.appeal_dispose_on_site(
                acting_user=worker,
                grid=grid,
                description=found,
                note=done,
                category=categories.get(code),
                before_photos=[_demo_photo((150, 110, 80), n)],
                after_photos=[_demo_photo((120, 170, 120), n + 10)],
                latitude=round(point.y, 6),
                longitude=round(point.x, 6),
            )
        made += 1

    def resident_case(code: str, grid: Area, days_back: float, name: str) -> Appeal:
        version = categories[code].current_version
        community = grid.parent
        if version is None or community is None or community.parent is None:
            raise ValueError(f"the demo's {code} needs clocks and a street")
        point = shape(grid.boundary).representative_point()
        at = _office_hours(now - timedelta(days=days_back), random.Random(made))  # noqa: S311
        with clock.at(at):
            appeal, _created = actions.appeal_submit(
                data=AppealInput(
                    description=DEMO_DESCRIPTIONS[code],
                    street=community.parent,
                    channel="phone",
                    kind=version.kind,
                    category=categories[code],
                    latitude=round(point.y, 6),
                    longitude=round(point.x, 6),
                    name=name,
                    # Each resident their own number (the same seed, the same one).
                    phone=f"139{random.Random(code).randrange(10**7, 10**8)}",  # noqa: S311
                    received_at=at,
                ),
                acting_user=operator,
            )
        with clock.at(_working_time(at + timedelta(minutes=25))):
            actions.appeal_accept(appeal=appeal, acting_user=dispatcher)
        return appeal

    def after_accept(appeal: Appeal, moment: datetime) -> datetime:
        """``moment``, or a little after the appeal was accepted if that was
        later (a case called in late on its day): each step after the last."""
        accepted = appeal.accepted_at or appeal.received_at
        return max(moment, accepted + timedelta(minutes=10))

    def handled(appeal: Appeal, lead: Unit, *, days_back: float) -> Any:
        start = after_accept(appeal, _working_time(now - timedelta(days=days_back)))
        with clock.at(start):
            actions.appeal_dispatch(appeal=appeal, acting_user=dispatcher, lead=lead)
        share = appeal.assignments.get(role="lead")
        handler = _handler_of(share, admin)
        with clock.at(_working_time(start + timedelta(hours=1))):
            actions.assignment_sign(assignment=share, acting_user=handler)
        return share, handler, start

    # Checks on site (核查): the street asks the grid worker to look before the call.
    for n, (code, passed) in enumerate(
        (("street-lamp", True), ("drain-blocked", None))
    ):
        grid = grids[n % len(grids)]
        appeal = resident_case(code, grid, 4 - n, name=["次仁", "王芳"][n])
        version = categories[code].current_version
        if version is None:
            continue
        unit = Unit(department=version.default_department)
        share, handler, start = handled(appeal, unit, days_back=3.5 - n)
        with clock.at(_working_time(start + timedelta(hours=20))):
            actions.appeal_reply(
                assignment=share,
                acting_user=handler,
                public_reply=DEMO_REPLY,
                outcome="resolved",
            )
        with clock.at(_working_time(start + timedelta(hours=22))):
            actions.verification_request(
                appeal=appeal,
                acting_user=dispatcher,
                grid_worker=worker,
                note="请晚上到现场看一下是否已修好，居民电话 13900008002。",
            )
        if passed:
            with clock.at(_working_time(start + timedelta(hours=26))):
                actions.appeal_verify(
                    appeal=appeal,
                    acting_user=worker,
                    passed=True,
                    note="现场查看，已修复正常。",
                    photos=[_demo_photo((90, 110, 160), 40 + n)],
                )
        made += 1

    # 改派: sent to the wrong unit, taken back and sent on before it was signed.
    appeal = resident_case("lift-fault", grids[0], 2, name="格桑")
    start = after_accept(appeal, _working_time(now - timedelta(days=1, hours=20)))
    with clock.at(start):
        actions.appeal_dispatch(
            appeal=appeal,
            acting_user=dispatcher,
            lead=Unit(department=departments["zhujian"]),
        )
    with clock.at(_working_time(start + timedelta(hours=2))):
        actions.assignment_reassign(
            assignment=appeal.assignments.get(role="lead"),
            acting_user=dispatcher,
            to=Unit(department=departments["shichang"]),
            reason="电梯安全由市场监管局负责，误派住建局。",
        )
    made += 1

    # 协办 still working, and an extension waiting for the street's approval.
    appeal = resident_case("road-pothole", grids[-1], 3, name="李强")
    start = after_accept(appeal, _working_time(now - timedelta(days=2, hours=6)))
    with clock.at(start):
        actions.appeal_dispatch(
            appeal=appeal,
            acting_user=dispatcher,
            lead=Unit(department=departments["jiaotong"]),
            co_handlers=[Unit(department=departments["chengguan"])],
        )
    lead = appeal.assignments.get(role="lead")
    co = appeal.assignments.get(role="co")
    with clock.at(_working_time(start + timedelta(hours=1))):
        actions.assignment_sign(assignment=lead, acting_user=_handler_of(lead, admin))
    with clock.at(_working_time(start + timedelta(hours=2))):
        actions.assignment_sign(assignment=co, acting_user=_handler_of(co, admin))
    with clock.at(_working_time(start + timedelta(hours=5))):
        actions.extension_request(
            assignment=lead,
            acting_user=_handler_of(lead, admin),
            days=Decimal("3"),
            reason="需等沥青到货后统一修补。",
        )
    made += 1
    return made


# 语音留言: recordings in demo_voice/ (see its README), so a fresh machine needs
# no speech or audio tools: (category, channel, what was typed, what the
# operator wrote down — None: still waiting — and who spoke).
DEMO_VOICE = Path(__file__).resolve().parent / "demo_voice"
VOICE_CASES = (
    ("street-lamp", "web", "", None, "卓玛"),
    (
        "drain-blocked",
        "web",
        "",
        "我家楼下的下水道堵了，一下雨就往外冒水，味道很大，麻烦社区帮忙看看。",
        "王芳",
    ),
    (
        "ebike-corridor",
        "phone",
        "居民来电反映楼道里电动车充电，担心着火，录音附后。",
        "我是林堆社区的次仁。小区里有人把电动车推进楼道里充电，我担心会着火。",
        "次仁",
    ),
)


@demo_seed("appeals.voice", after=("appeals.gridwork",))
def seed_voice() -> int:
    """Voice messages (语音留言): two residents who spoke on the report page
    instead of typing — one already written down by the operator (the
    transcript is its description), one waiting for it — and a call the
    operator recorded for the resident beside a typed note. Idempotent."""
    if VoiceMessage.objects.exists():
        return 0
    operator = User.objects.filter(username="operator").first()
    if operator is None:
        return 0
    grids = [
        grid
        for grid in Area.objects.filter(level=Area.Level.GRID).order_by("code")
        if grid.boundary and grid.parent and grid.parent.parent
    ]
    categories = {
        c.code: c
        for c in Category.objects.filter(current_version__isnull=False).exclude(
            questions__required=True
        )
    }
    if not grids:
        return 0
    rng = random.Random(540103015)  # noqa: S311 - demo data, not security
    now = clock.now()
    made = 0
    for n, (code, channel, typed, transcript, name) in enumerate(VOICE_CASES):
        category = categories.get(code)
        version = category.current_version if category else None
        if category is None or version is None:
            continue
        grid = grids[(n * 3) % len(grids)]
        street = grid.parent.parent if grid.parent else None
        if street is None:
            continue
        point = shape(grid.boundary).representative_point()
        at = min(
            _office_hours(now - timedelta(days=n * 0.6 + 0.2), rng),
            now - timedelta(minutes=40),
        )
        recorded = (DEMO_VOICE / f"{code}.ogg").read_bytes()
        with clock.at(at):
            appeal, _created = actions.appeal_submit(
                data=AppealInput(
                    description=typed,
                    street=street,
                    channel=channel,
                    kind=version.kind,
                    category=category,
                    latitude=round(point.y, 6),
                    longitude=round(point.x, 6),
                    name=name,
                    phone=f"139{random.Random(code).randrange(10**7, 10**8)}",  # noqa: S311
                    consent=True,
                    received_at=at,
                    voice=process_audio(recorded, filename=f"{code}.ogg"),
                ),
                acting_user=None if channel == "web" else operator,
            )
        if transcript:
            with clock.at(_working_time(at + timedelta(minutes=15))):
                actions.voice_transcribe(
                    voice=appeal.voice_messages.get(),
                    transcript=transcript,
                    acting_user=operator,
                )
        made += 1
    return made


# 短信报事: texts residents sent to the street's number (the gateway's id, the
# sender, what they wrote, how long ago).
SMS_TEXTS = (
    (
        "demo-sms-0001",
        "13989001234",
        "幸福路12号楼道的灯坏了一个星期，晚上上楼看不见。",
        2.3,
    ),
    (
        "demo-sms-0002",
        "13989005678",
        "ང་ཚོའི་ཁྱིམ་གྱི་ཕྱི་ལོགས་ཀྱི་ཆུ་ལམ་འགགས་འདུག་པས་ཆུ་ལམ་དུ་ཁྱབ་ཡོད། མྱུར་དུ་བཟོ་བཅོས་གནང་རོགས།",
        0.9,
    ),
    (
        "demo-sms-0003",
        "13989009012",
        "东嘎村口的垃圾桶满了两天没人清运，气味很大。",
        0.1,
    ),
)


@demo_seed("appeals.sms", after=("appeals.voice", "api.clients"))
def seed_sms() -> int:
    """Texts to the street's number (短信报事), received from the demo's SMS
    gateway and registered: one in Tibetan, answered in Tibetan. Idempotent:
    the gateway's ids are the texts' keys."""
    from civicgrid.api.models import ApiClient

    client = (
        ApiClient.objects.select_related("user")
        .filter(name=settings.CIVICGRID_SMS_INBOUND_CLIENT)
        .first()
    )
    if client is None or default_street(None) is None:
        return 0
    now = clock.now()
    made = 0
    for message_id, sender, text, days_ago in SMS_TEXTS:
        at = min(
            _working_time(now - timedelta(days=days_ago)),
            now - timedelta(minutes=20),
        )
        with clock.at(at):
            submission, created = actions.appeal_from_sms(
                message=actions.InboundSms(
                    message_id=message_id, sender=sender, to="", text=text
                ),
                acting_user=client.user,
            )
            if created:
                actions.submission_register(submission)
                made += 1
    return made
