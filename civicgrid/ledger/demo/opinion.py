"""Demo 社情民意 and patrols: a year of items across the demo grids, gathered,
turned into appeals and closed through the real actions at their own past
moments (``clock.at``), and a few ended patrols per grid worker with routes
inside their grid."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from shapely.geometry import Point, shape

from civicgrid.accounts.models import User
from civicgrid.appeals.models import Category
from civicgrid.appeals.permissions import grid_workers_of
from civicgrid.core import clock
from civicgrid.core.demo import demo_seed
from civicgrid.org.models import Area

from ..actions import opinion as opinion_actions
from ..actions import patrol as patrol_actions
from ..models import Opinion, Patrol
from .moments import working_moment

# (topic, text, usual risk, category code to turn it into, closing note)
HEARD = [
    (
        "供暖",
        "三号楼好几户反映暖气片上热下凉，晚上室内只有十四度左右。",
        "attention",
        "heating-not-warm",
        "",
    ),
    (
        "供暖",
        "锅炉房今年还没试水，居民担心下月供暖来不及。",
        "general",
        "",
        "已联系热力站，下周试水，已在群里通知。",
    ),
    (
        "用水",
        "村东头几户白天水压低，六楼以上基本没水。",
        "attention",
        "low-water-pressure",
        "",
    ),
    ("用水", "居民反映自来水有点浑，烧开后壶底有沉淀。", "warning", "water-cut", ""),
    (
        "用水",
        "停水通知贴得太晚，很多老人没看到，家里没有储水。",
        "general",
        "",
        "已与供水公司约定提前两天在单元门和群里通知。",
    ),
    ("停车", "小区里车位不够，晚上车停到消防通道上。", "warning", "", ""),
    (
        "停车",
        "商户的货车早上在巷口卸货，堵住了上学的路。",
        "attention",
        "stall-occupation",
        "",
    ),
    (
        "养老",
        "独居的阿妈拉最近腿脚不便，想问社区有没有上门助餐。",
        "attention",
        "elderly-care",
        "",
    ),
    (
        "养老",
        "老年活动室冬天太冷，老人们希望加个取暖器。",
        "general",
        "",
        "已从党群服务中心调来两台取暖器。",
    ),
    (
        "养老",
        "几位高龄老人的高龄补贴还没到账，家属来问。",
        "general",
        "dibao-inquiry",
        "",
    ),
    (
        "骑手充电",
        "外卖骑手说附近找不到充电的地方，只能把电瓶拿回出租屋充。",
        "warning",
        "rider-charging",
        "",
    ),
    (
        "骑手充电",
        "骑手希望龙行侠微e站晚上也能开，能热饭和歇脚。",
        "general",
        "",
        "微e站已延长到晚上十点，已告知骑手群。",
    ),
    (
        "骑手充电",
        "有人把电动车推进楼道里充电，线从窗户拉出来。",
        "urgent",
        "ebike-corridor",
        "",
    ),
    (
        "租房纠纷",
        "租户说房东不退押金，双方在楼下吵了起来。",
        "attention",
        "neighbour-dispute",
        "",
    ),
    (
        "租房纠纷",
        "一套房隔成了六间出租，住了十几个人，邻居担心安全。",
        "warning",
        "",
        "",
    ),
    (
        "租房纠纷",
        "流动人口登记不全，几户新租户还没来社区登记。",
        "general",
        "",
        "已上门登记，并发放了居住证办理指南。",
    ),
    ("藏历新年", "藏历新年前市场人多，居民希望加派人手维持秩序。", "attention", "", ""),
    (
        "藏历新年",
        "过年前想在广场办锅庄舞联欢，问社区能不能协调场地。",
        "general",
        "",
        "已协调广场，初三下午举办。",
    ),
    (
        "藏历新年",
        "年前烟花爆竹摊点离加油站太近，居民担心。",
        "urgent",
        "security-hazard",
        "",
    ),
    (
        "藏历新年",
        "困难户希望年前能领到慰问品，想知道发放时间。",
        "general",
        "",
        "慰问品腊月二十五发放，已电话告知。",
    ),
    (
        "环境卫生",
        "垃圾清运车这周只来了一次，楼下垃圾桶满了。",
        "attention",
        "bin-overflow",
        "",
    ),
    (
        "环境卫生",
        "水渠里堆了塑料袋和泥沙，下游浇不上地。",
        "attention",
        "ditch-cleaning",
        "",
    ),
    ("道路", "进村的水泥路裂了几处，拉青稞的车过不去。", "general", "village-road", ""),
    (
        "道路",
        "路口井盖松动，车压过去响，晚上有人绊倒。",
        "warning",
        "manhole-cover",
        "",
    ),
    (
        "治安",
        "小区后门监控坏了，最近丢了两个电瓶。",
        "attention",
        "security-hazard",
        "",
    ),
    (
        "邻里",
        "楼上住户往楼下阳台倒水，说了几次不听。",
        "general",
        "neighbour-dispute",
        "已约双方在调解室面谈，达成不再倒水的约定。",
    ),
    (
        "物业",
        "物业收了费，楼道灯坏了一个月没人修。",
        "attention",
        "property-dispute",
        "",
    ),
    ("物业", "电梯这周停了两次，楼上住着坐轮椅的老人。", "warning", "lift-fault", ""),
    (
        "就业",
        "几位返乡青年想参加技能培训，问报名方式。",
        "general",
        "",
        "已转告人社服务站，下月初开班。",
    ),
    (
        "医保",
        "居民问今年医保在哪里缴、截止到什么时候。",
        "general",
        "medical-insurance",
        "已在入户时讲解，并发放缴费指南。",
    ),
    (
        "噪音",
        "广场舞音响晚上十点后还很响，孩子没法写作业。",
        "general",
        "square-dance-noise",
        "",
    ),
    ("牲畜", "几头牦牛散放在公路上，晚上开车危险。", "warning", "livestock", ""),
]
SOURCES = ["visit", "visit", "patrol", "meeting", "survey", "online"]
ITEMS = 66
PATROLS_PER_WORKER = 3


def _inside(grid: Area, rng: random.Random) -> tuple[float, float] | None:
    if not grid.boundary:
        return None
    polygon = shape(grid.boundary)
    minx, miny, maxx, maxy = polygon.bounds
    for _try in range(30):
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if polygon.contains(Point(x, y)):
            return round(x, 6), round(y, 6)
    point = polygon.representative_point()
    return round(point.x, 6), round(point.y, 6)


def _walk(grid: Area, rng: random.Random, steps: int) -> list[tuple[float, float]]:
    """A walk of small steps that stays inside the grid."""
    polygon = shape(grid.boundary)
    start = _inside(grid, rng)
    if start is None:
        return []
    x, y = start
    points = [(x, y)]
    for _step in range(steps):
        for _try in range(8):
            nx, ny = x + rng.uniform(-0.0006, 0.0006), y + rng.uniform(-0.0005, 0.0005)
            if polygon.contains(Point(nx, ny)):
                x, y = nx, ny
                break
        points.append((round(x, 6), round(y, 6)))
    return points


def _workers(grids: list[Area]) -> dict[int, User]:
    """The grid worker of each grid (the first by name)."""
    found: dict[int, User] = {}
    for grid in grids:
        worker = grid_workers_of(grid).first()
        if worker is not None:
            found[grid.pk] = worker
    return found


@demo_seed(
    "ledger.opinion",
    # After the synthetic year: its seed looks for old appeals to know it ran,
    # and the appeals turned from past items are old.
    after=(
        "org.street",
        "appeals.catalogue",
        "appeals.appeals",
        "core.calendar",
        "synthetic.history",
    ),
)
def seed_opinion() -> int:
    """66 社情民意 items over the past year and a few patrols per grid worker
    (idempotent: nothing happens once items exist)."""
    if Opinion.objects.filter(text__in=[heard[1] for heard in HEARD]).exists():
        return 0
    rng = random.Random(540103014)  # noqa: S311 - demo data, not security
    grids = list(
        Area.objects.filter(level=Area.Level.GRID, is_active=True)
        .select_related("parent__parent")
        .order_by("code")
    )
    workers = _workers(grids)
    grids = [g for g in grids if g.pk in workers]
    if not grids:
        return 0
    categories = {
        c.code: c
        for c in Category.objects.filter(current_version__isnull=False).exclude(
            questions__required=True
        )
    }
    now = clock.now()
    made = 0
    for n in range(ITEMS):
        grid = grids[n % len(grids)]
        worker = workers[grid.pk]
        topic, text, risk, category_code, note = HEARD[n % len(HEARD)]
        if rng.random() < 0.15:  # now and then heard as more (or less) pressing
            risk = rng.choice(["general", "attention", "warning"])
        at = min(working_moment(now - timedelta(days=rng.uniform(1, 360)), rng), now)
        point = _inside(grid, rng) if rng.random() < 0.7 else None
        with clock.at(at - timedelta(minutes=5) if at >= now else at):
            opinion = opinion_actions.opinion_gather(
                data=opinion_actions.OpinionInput(
                    text=text,
                    source=SOURCES[n % len(SOURCES)],
                    risk=risk,
                    topic=topic,
                    grid=None if point else grid,
                    lon=point[0] if point else None,
                    lat=point[1] if point else None,
                ),
                acting_user=worker,
            )
        made += 1
        later = min(at + timedelta(hours=rng.uniform(2, 48)), now)
        if category_code in categories and n % 3 != 2:
            with clock.at(later):
                opinion_actions.opinion_to_appeal(
                    opinion=opinion,
                    acting_user=worker,
                    category=categories[category_code],
                )
        elif note:
            with clock.at(later):
                opinion_actions.opinion_close(
                    opinion=opinion, acting_user=worker, note=note
                )
    _seed_patrols(grids, workers, rng, now)
    return made


def _seed_patrols(
    grids: list[Area], workers: dict[int, User], rng: random.Random, now: datetime
) -> None:
    """A few ended patrols for each grid worker in their grid, each with a
    route and, now and then, something heard on the way."""
    for grid in grids:
        worker = workers[grid.pk]
        if not grid.boundary or Patrol.objects.filter(worker=worker).count() >= (
            PATROLS_PER_WORKER
        ):
            continue
        for day in range(PATROLS_PER_WORKER):
            # Patrols on different days for different workers, as a street's are.
            start = working_moment(
                now - timedelta(days=1 + day * 9 + rng.randint(0, 8)), rng
            )
            route = _walk(grid, rng, rng.randint(12, 24))
            with clock.at(start):
                patrol = patrol_actions.patrol_start(grid=grid, acting_user=worker)
            stamped = [
                [x, y, (start + timedelta(seconds=30 * i)).isoformat()]
                for i, (x, y) in enumerate(route)
            ]
            Patrol.objects.filter(pk=patrol.pk).update(route=stamped)
            patrol.route = stamped
            middle = route[len(route) // 2]
            if day == 0 or rng.random() < 0.2:  # now and then something is heard
                topic, text, _risk, _code, _note = HEARD[rng.randrange(len(HEARD))]
                with clock.at(start + timedelta(minutes=6)):
                    patrol_actions.patrol_record_opinion(
                        patrol=patrol,
                        acting_user=worker,
                        text=text,
                        topic=topic,
                        lon=middle[0],
                        lat=middle[1],
                    )
            with clock.at(start + timedelta(seconds=30 * len(route) + 60)):
                patrol_actions.patrol_end(
                    patrol=patrol,
                    acting_user=worker,
                    summary="沿街巡查一圈，商户门前三包落实较好，未发现安全隐患。",
                )
