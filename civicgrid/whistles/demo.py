"""Demo whistle types (idempotent)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from civicgrid.core.demo import demo_seed

from .models import WhistleType

TYPES = [
    ("emergency", "应急处置", 30, None),
    ("difficult", "疑难问题", None, Decimal("2")),
    ("joint-enforcement", "联合执法", None, Decimal("7")),
]


@demo_seed("whistles.types")
def seed_whistle_types() -> int:
    for code, name, minutes, hours in TYPES:
        WhistleType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "report_in_minutes": minutes,
                "report_in_working_hours": hours,
            },
        )
    return len(TYPES)


MATTERS = [
    ("东嘎村河道淤堵，汛期前需清理", ["shuili", "chengguan", "nongye"]),
    ("林堆社区老旧小区燃气管道隐患", ["ranqi", "zhujian", "yingji", "xiaofang"]),
    ("外卖骑手电动车集中充电点消防隐患", ["xiaofang", "shichang", "chengguan"]),
    ("南嘎村农田灌溉渠道纠纷", ["shuili", "nongye", "sifa"]),
    ("东嘎社区违章搭建联合执法", ["chengguan", "zhujian", "ziran"]),
    ("桑木村牧场草场边界争议", ["lincao", "ziran", "sifa", "nongye"]),
    ("建筑工地拖欠农民工工资", ["renshe", "zhujian", "sifa"]),
    ("东嘎街道主干道夜间噪音扰民", ["shengtai", "chengguan", "paichusuo"]),
    ("林堆社区停水停电同时发生", ["gongshui", "gongdian", "yingji"]),
    ("东嘎村旅游旺季占道经营", ["wenlv", "shichang", "chengguan"]),
    ("小区通信基站选址争议", ["dianxin", "shengtai", "zhujian"]),
    ("独居老人冬季取暖安全", ["minzheng", "weijian", "ranqi"]),
    ("学校周边交通安全隐患", ["jiaoyu", "jiaotong", "paichusuo", "huanwei"]),
]


@demo_seed("whistles.whistles", after=("whistles.types", "org.street", "core.calendar"))
def seed_whistles() -> int:
    """Thirteen whistles, eleven resolved, more than twenty departments reporting
    in — the figures 东嘎街道 published ("吹哨13次，解决事项11起，参与报到部门20余家").
    Made through the actions; idempotent (nothing happens once whistles exist)."""
    from django.db import transaction

    from civicgrid.accounts.models import User
    from civicgrid.org.models import Area, Department

    from . import actions
    from .models import Whistle

    if Whistle.objects.exists():
        return 0
    dispatcher = User.objects.filter(username="dispatcher").first()
    admin = User.objects.filter(is_superuser=True).first()
    street = Area.objects.filter(code="540103001").first()
    types = {t.code: t for t in WhistleType.objects.all()}
    departments = {d.code: d for d in Department.objects.all()}
    if dispatcher is None or admin is None or street is None or not types:
        return 0
    made = 0
    with transaction.atomic():
        for n, (title, codes) in enumerate(MATTERS):
            summoned = [departments[c] for c in codes if c in departments]
            if not summoned:
                continue
            whistle = actions.whistle_blow(
                street=street,
                whistle_type=types["emergency" if n % 4 == 0 else "difficult"],
                title=title,
                reason="涉及多个部门职责，社区和街道难以单独解决。",
                departments=summoned,
                lead=summoned[0],
                acting_user=dispatcher,
            )
            made += 1
            for summons in whistle.summonses.all():  # (moved back in time below)
                # The demo has no handler account for every department: the
                # administrator stands in for them.
                actions.summons_check_in(
                    summons=summons, acting_user=admin, attendees="2人"
                )
            if n >= 11:  # the last two are still being handled
                continue
            for summons in whistle.summonses.all():
                actions.summons_complete(
                    summons=summons, acting_user=admin, note="已按分工完成"
                )
            actions.whistle_close(
                whistle=whistle,
                acting_user=dispatcher,
                reply="各部门已按分工处置完毕。",
            )
        _spread_over_the_year(Whistle.objects.order_by("pk"))
    return made


def _spread_over_the_year(whistles: Any) -> None:
    """The demo's whistles were all blown a moment ago: move each back in time,
    whole (its report-in, shares, events and closing keep their distances), so
    they fall across this year as a real street's would. The last two, still
    open, stay recent."""
    from datetime import timedelta

    from django.db.models import F
    from django.utils import timezone

    from civicgrid.core import clock

    from .models import JointMeeting, Summons, WhistleEvent

    now = clock.now()
    year_start = timezone.localtime(now).replace(
        month=1, day=1, hour=9, minute=30, second=0, microsecond=0
    )
    rows = list(whistles)
    span = (now - timedelta(days=3)) - year_start
    if span < timedelta(days=20):  # early January: keep them within this year
        return
    for n, whistle in enumerate(rows):
        if n >= len(rows) - 2:
            target = now - timedelta(days=len(rows) - n, hours=2)
        else:
            target = year_start + span * n / max(1, len(rows) - 2)
        delta = target - whistle.blown_at
        if delta >= timedelta(0):
            continue
        type(whistle).objects.filter(pk=whistle.pk).update(
            blown_at=F("blown_at") + delta,
            report_in_due_at=F("report_in_due_at") + delta,
            closed_at=F("closed_at") + delta,
        )
        Summons.objects.filter(whistle=whistle).update(
            checked_in_at=F("checked_in_at") + delta,
            done_at=F("done_at") + delta,
            due_at=F("due_at") + delta,
            escalated_at=F("escalated_at") + delta,
        )
        WhistleEvent.objects.filter(whistle=whistle).update(
            created_at=F("created_at") + delta
        )
        JointMeeting.objects.filter(whistle=whistle).update(
            held_at=F("held_at") + delta
        )
