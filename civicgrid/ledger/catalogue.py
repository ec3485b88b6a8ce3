"""City components (部件) after GB/T 30428.2: six major classes, each with its
subclasses. A component's code is its subclass code (4 digits: major class and
subclass) followed by a serial, so the code alone says what the thing is."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MajorClass(models.TextChoices):
    PUBLIC_FACILITIES = "01", _("Public facilities")
    ROADS_AND_TRAFFIC = "02", _("Roads and traffic")
    ENVIRONMENT = "03", _("City environment")
    GREEN_SPACE = "04", _("Green space")
    BUILDINGS_AND_LAND = "05", _("Buildings and land")
    OTHERS = "06", _("Other facilities")


# (subclass code, name): the subclasses a street meets every day.
SUBCLASSES: list[tuple[str, str]] = [
    ("0101", "上水井盖"),
    ("0102", "污水井盖"),
    ("0103", "雨水井盖"),
    ("0104", "雨水箅子"),
    ("0105", "电力井盖"),
    ("0106", "路灯井盖"),
    ("0107", "通信井盖"),
    ("0111", "燃气井盖"),
    ("0113", "无主井盖"),
    ("0116", "变压器（箱）"),
    ("0117", "消火栓"),
    ("0119", "通信交接箱"),
    ("0120", "路灯"),
    ("0121", "地灯"),
    ("0122", "景观灯"),
    ("0124", "监控电子眼"),
    ("0126", "公共厕所"),
    ("0201", "停车场"),
    ("0202", "公交站亭"),
    ("0205", "交通信号灯"),
    ("0206", "交通标志牌"),
    ("0208", "护栏"),
    ("0209", "路名牌"),
    ("0210", "人行天桥"),
    ("0215", "减速带"),
    ("0301", "公共厕所指示牌"),
    ("0302", "垃圾箱"),
    ("0303", "垃圾间（楼）"),
    ("0304", "垃圾收集站"),
    ("0305", "广告牌匾"),
    ("0308", "宣传栏"),
    ("0401", "古树名木"),
    ("0402", "绿地"),
    ("0403", "行道树"),
    ("0404", "护树设施"),
    ("0405", "花坛（花架、花钵）"),
    ("0406", "城市雕塑"),
    ("0407", "街头座椅"),
    ("0501", "工地"),
    ("0502", "待建地"),
    ("0503", "房屋"),
    ("0504", "地下室"),
    ("0601", "健身设施"),
    ("0602", "人防工事"),
    ("0603", "水域护栏"),
    ("0604", "充电桩"),
]
SUBCLASS_NAMES = dict(SUBCLASSES)


def major_class_of(subclass: str) -> str:
    return subclass[:2]
