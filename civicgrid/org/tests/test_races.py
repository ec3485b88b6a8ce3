from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from shapely.geometry import box

from civicgrid.core.errors import DomainError
from civicgrid.org.actions import area_save
from civicgrid.org.geometry import to_geojson
from civicgrid.org.models import Area

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent connections: PostgreSQL only",
    ),
]


def test_two_admins_drawing_overlapping_grids_at_once_one_wins(street):
    e2 = street.grids["e2"]
    e2.boundary = to_geojson(box(91.015, 29.6, 91.02, 29.61))
    area_save(area=e2, acting_user=None)

    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def draw(code: str, west: float) -> None:
        try:
            barrier.wait()
            area_save(
                area=Area(
                    code=code,
                    name=f"网格{code[-1]}",
                    level="grid",
                    parent=Area.objects.get(pk=street.east.pk),
                    boundary=to_geojson(box(west, 29.6, west + 0.004, 29.61)),
                ),
                acting_user=None,
            )
            outcomes[code] = "saved"
        except DomainError as exc:
            outcomes[code] = str(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=draw, args=("540103001001003", 91.010)),
        threading.Thread(target=draw, args=("540103001001004", 91.011)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(v == "saved" for v in outcomes.values()) == [False, True]
    loser = next(v for v in outcomes.values() if v != "saved")
    assert "overlaps" in loser
    assert Area.objects.filter(code__in=list(outcomes)).count() == 1
