"""City components (部件) after GB/T 30428.2: six major classes, each with its
subclasses. A component's code is its subclass code (4 digits: major class and
subclass) followed by a serial, so the code alone says what the thing is."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class MajorClass(models.TextChoices):
    PUBLIC_FACILITIES = "01", _("Public facilities")
    ROADS_AND_TRAFFIC = "02", _("Roads and traffic")
    ENVIRONMENT = "03", _("City environment")
    GREEN_SPACE = "04", _("Green space")
    BUILDINGS_AND_LAND = "05", _("Buildings and land")
    OTHERS = "06", _("Other facilities")


# (subclass code, name): the subclasses a street meets every day; the names
# are the standard's Chinese ones in the Chinese catalogue.
SUBCLASSES: list[tuple[str, Any]] = [
    ("0101", _("Water supply manhole cover")),
    ("0102", _("Sewage manhole cover")),
    ("0103", _("Rainwater manhole cover")),
    ("0104", _("Storm drain grate")),
    ("0105", _("Power manhole cover")),
    ("0106", _("Street lighting manhole cover")),
    ("0107", _("Telecom manhole cover")),
    ("0111", _("Gas manhole cover")),
    ("0113", _("Unowned manhole cover")),
    ("0116", _("Transformer (box)")),
    ("0117", _("Fire hydrant")),
    ("0119", _("Telecom cross-connect cabinet")),
    ("0120", _("Street lamp")),
    ("0121", _("Ground lamp")),
    ("0122", _("Landscape lamp")),
    ("0124", _("Surveillance camera")),
    ("0126", _("Public toilet")),
    ("0201", _("Car park")),
    ("0202", _("Bus shelter")),
    ("0205", _("Traffic light")),
    ("0206", _("Traffic sign")),
    ("0208", _("Guard rail")),
    ("0209", _("Street name sign")),
    ("0210", _("Footbridge")),
    ("0215", _("Speed bump")),
    ("0301", _("Public toilet sign")),
    ("0302", _("Litter bin")),
    ("0303", _("Refuse room (building)")),
    ("0304", _("Refuse collection station")),
    ("0305", _("Billboard or shop sign")),
    ("0308", _("Notice board")),
    ("0401", _("Ancient or notable tree")),
    ("0402", _("Green plot")),
    ("0403", _("Street tree")),
    ("0404", _("Tree guard")),
    ("0405", _("Flower bed (stand, pot)")),
    ("0406", _("City sculpture")),
    ("0407", _("Street bench")),
    ("0501", _("Construction site")),
    ("0502", _("Land awaiting development")),
    ("0503", _("House")),
    ("0504", _("Basement")),
    ("0601", _("Fitness equipment")),
    ("0602", _("Civil air defence works")),
    ("0603", _("Waterside railing")),
    ("0604", _("Charging post")),
]
SUBCLASS_NAMES = dict(SUBCLASSES)


def major_class_of(subclass: str) -> str:
    return subclass[:2]
