from __future__ import annotations

import random

import pytest
from shapely.geometry import box

from civicgrid.org.actions import area_save
from civicgrid.org.geometry import to_geojson
from civicgrid.org.gridindex import GridIndex
from civicgrid.org.selectors import grid_for_point


def code_of(point):
    grid = grid_for_point(*point)
    return grid.code if grid else None


def test_a_point_inside_a_grid(street):
    assert code_of((91.005, 29.605)) == street.grids["e1"].code
    assert code_of((91.015, 29.615)) == street.grids["w2"].code


def test_a_point_on_a_shared_border_goes_to_the_grid_with_the_smaller_code(street):
    # e1 and e2 share the meridian 91.01; e1 has the smaller code.
    assert code_of((91.01, 29.605)) == street.grids["e1"].code
    # e2 and w2 share the parallel 29.61.
    assert code_of((91.015, 29.61)) == street.grids["e2"].code


def test_a_vertex_shared_by_four_grids_goes_to_exactly_one(street):
    assert code_of((91.01, 29.61)) == street.grids["e1"].code


def test_an_outer_vertex_and_outer_edge_belong_to_their_grid(street):
    assert code_of((91.0, 29.6)) == street.grids["e1"].code
    assert code_of((91.02, 29.615)) == street.grids["w2"].code


def test_outside_every_grid(street):
    assert code_of((91.03, 29.605)) is None
    assert code_of((0.0, 0.0)) is None


def test_the_lookup_follows_a_redrawn_grid(street):
    # Shrink e2 to its western half; its eastern half is then outside every grid.
    e2 = street.grids["e2"]
    e2.boundary = to_geojson(box(91.01, 29.6, 91.015, 29.61))
    area_save(area=e2, acting_user=None)
    assert code_of((91.0175, 29.605)) is None
    assert code_of((91.0125, 29.605)) == e2.code


def test_an_inactive_grid_takes_no_points(street):
    e1 = street.grids["e1"]
    e1.is_active = False
    area_save(area=e1, acting_user=None)
    assert code_of((91.005, 29.605)) is None
    # The shared border now belongs to e2, the only grid left there.
    assert code_of((91.01, 29.605)) == street.grids["e2"].code


def _lattice_index(n: int) -> GridIndex:
    grids = []
    for i in range(n):
        for j in range(n):
            code = f"{i:03d}{j:03d}"
            grids.append((i * n + j, code, box(i, j, i + 1, j + 1)))
    random.Random(1).shuffle(grids)
    return GridIndex.build(grids)


def test_border_points_are_resolved_the_same_in_single_and_bulk_lookups():
    index = _lattice_index(5)
    points = [(x / 2, y / 2) for x in range(-1, 12) for y in range(-1, 12)]
    single = [index.lookup(x, y) for x, y in points]
    bulk = index.lookup_many([p[0] for p in points], [p[1] for p in points])
    assert single == bulk
    # A lattice vertex belongs to the cell of the smallest code touching it.
    assert index.lookup(2, 3) == 1 * 5 + 2  # cell (1, 2)
    assert index.lookup(-0.5, 0) is None


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_index_agrees_with_a_brute_force_search(seed):
    index = _lattice_index(8)
    rng = random.Random(seed)
    for _ in range(500):
        x, y = rng.uniform(-1, 9), rng.uniform(-1, 9)
        containing = sorted(
            code_id
            for code_id, (i, j) in (
                (i * 8 + j, (i, j)) for i in range(8) for j in range(8)
            )
            if i <= x <= i + 1 and j <= y <= j + 1
        )
        assert index.lookup(x, y) == (containing[0] if containing else None)


def test_this_process_rebuilds_at_once_after_its_own_commit(
    street, settings, django_capture_on_commit_callbacks
):
    # Other processes are asked only once an hour here: the commit hook must do it.
    settings.CIVICGRID_GRID_INDEX_CHECK_SECONDS = 3600
    assert code_of((91.0175, 29.605)) == street.grids["e2"].code
    e2 = street.grids["e2"]
    e2.boundary = to_geojson(box(91.01, 29.6, 91.015, 29.61))
    with django_capture_on_commit_callbacks(execute=True):
        area_save(area=e2, acting_user=None)
    assert code_of((91.0175, 29.605)) is None


def test_a_grid_retired_by_another_process_is_not_returned(street, settings):
    from civicgrid.org.models import Area, GeometryVersion

    settings.CIVICGRID_GRID_INDEX_CHECK_SECONDS = 3600
    assert code_of((91.005, 29.605)) == street.grids["e1"].code
    # Another process deactivates e1; this process's index does not know yet.
    Area.objects.filter(pk=street.grids["e1"].pk).update(is_active=False)
    GeometryVersion.objects.update(version=999)
    assert code_of((91.005, 29.605)) is None
    assert code_of((91.01, 29.605)) == street.grids["e2"].code


def test_one_damaged_boundary_does_not_stop_the_other_grids(street):
    from civicgrid.org.models import Area

    Area.objects.filter(pk=street.grids["e1"].pk).update(boundary={"type": "Polygon"})
    assert code_of((91.015, 29.605)) == street.grids["e2"].code
    assert code_of((91.005, 29.605)) is None
