"""What the grid worker's phone sends again once the signal returns: a visit,
a finding or the end of a patrol under the key the phone made is recorded
once; points kept without signal take their place in the route by the time
the phone took them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from civicgrid.api.models import IdempotentRequest
from civicgrid.core import clock
from civicgrid.core.errors import DomainError
from civicgrid.ledger.actions import patrol as patrol_actions
from civicgrid.ledger.models import Opinion, Patrol, Visit

from .conftest import centre, make_building, make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(street):
    return make_household(make_building(street.grids["e1"], "1号楼"))


@pytest.fixture
def worker(client, ledger_people):
    client.force_login(ledger_people["gridworker"])
    return client


def visit(client, household, headers=None, **fields):
    return client.post(
        reverse("ledger:visit_new", args=[household.pk]),
        {"notes": "送了米面油", "idempotency_key": "phone-key-1", **fields},
        headers=headers,
    )


OUTBOX = {"X-CivicGrid-Outbox": "1"}


def test_a_visit_sent_twice_under_its_key_is_recorded_once(worker, household):
    first = visit(worker, household)
    assert first.status_code == 302
    assert first["Location"] == reverse("ledger:household", args=[household.pk])
    again = visit(worker, household)
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert Visit.objects.filter(household=household).count() == 1
    said = [str(m) for m in get_messages(again.wsgi_request)]
    assert any("nothing was recorded twice" in m for m in said), said


def test_the_phones_outbox_learns_where_the_visit_went(worker, household):
    first = visit(worker, household, headers=OUTBOX)
    assert first.json() == {
        "redirect": reverse("ledger:household", args=[household.pk])
    }
    # The answer was lost on the way: the phone sends it again.
    again = visit(worker, household, headers=OUTBOX)
    assert again.json() == first.json()
    assert Visit.objects.filter(household=household).count() == 1


def test_another_visit_under_a_used_key_is_refused(worker, household):
    assert visit(worker, household).status_code == 302
    other = visit(worker, household, notes="另一次走访")
    assert other.status_code == 422
    assert Visit.objects.filter(household=household).count() == 1


def test_a_visit_sent_back_with_errors_keeps_no_key(worker, household):
    refused = visit(worker, household, notes="")
    assert refused.status_code == 400
    assert not IdempotentRequest.objects.filter(key="phone-key-1").exists()
    # Corrected, under the same key, it is recorded.
    assert visit(worker, household).status_code == 302
    assert Visit.objects.filter(household=household).count() == 1


def test_without_a_key_each_visit_is_its_own(worker, household):
    for _ in range(2):
        assert visit(worker, household, idempotency_key="").status_code == 302
    assert Visit.objects.filter(household=household).count() == 2
    assert not IdempotentRequest.objects.exists()


def test_one_workers_key_is_not_anothers(client, worker, household, ledger_people):
    assert visit(worker, household).status_code == 302
    client.force_login(ledger_people["community_east"])
    assert visit(client, household).status_code == 302
    assert Visit.objects.filter(household=household).count() == 2


def test_a_finding_and_the_end_of_a_patrol_are_recorded_once(
    worker, street, ledger_people
):
    patrol = patrol_actions.patrol_start(
        grid=street.grids["e1"], acting_user=ledger_people["gridworker"]
    )
    opinion = {"text": "楼道灯坏了很久", "risk": "general", "idempotency_key": "k-op"}
    url = reverse("ledger:patrol_step", args=[patrol.pk, "opinion"])
    for _ in range(2):
        assert worker.post(url, opinion).status_code == 302
    assert Opinion.objects.filter(patrols=patrol).count() == 1
    end = {"summary": "巡查正常", "idempotency_key": "k-end"}
    url = reverse("ledger:patrol_step", args=[patrol.pk, "end"])
    for _ in range(2):
        answer = worker.post(url, end, headers=OUTBOX)
        assert answer.json() == {"redirect": reverse("ledger:patrol", args=[patrol.pk])}
    patrol.refresh_from_db()
    assert patrol.ended_at is not None


def test_points_kept_without_signal_go_where_they_were_taken(
    worker, street, ledger_people
):
    worker_user = ledger_people["gridworker"]
    patrol = patrol_actions.patrol_start(
        grid=street.grids["e1"], acting_user=worker_user
    )
    now = clock.now()
    Patrol.objects.filter(pk=patrol.pk).update(started_at=now - timedelta(minutes=10))
    patrol.refresh_from_db()
    lon, lat = centre(street.grids["e1"])
    url = reverse("ledger:patrol_step", args=[patrol.pk, "point"])
    # Sent now, taken now; then two kept on the phone, sent later.
    assert worker.post(url, {"lon": lon, "lat": lat}).json() == {"points": 1}
    early = (now - timedelta(minutes=3)).isoformat()
    later = (now - timedelta(minutes=1)).isoformat()
    assert worker.post(url, {"lon": lon + 0.002, "lat": lat, "at": later}).json() == {
        "points": 2
    }
    assert worker.post(url, {"lon": lon + 0.001, "lat": lat, "at": early}).json() == {
        "points": 3
    }
    patrol.refresh_from_db()
    assert [point[0] for point in patrol.route] == [
        round(lon + 0.001, 6),
        round(lon + 0.002, 6),
        round(lon, 6),
    ]
    # Never before the start, never in the future.
    before = (patrol.started_at - timedelta(hours=2)).isoformat()
    ahead = (now + timedelta(hours=2)).isoformat()
    worker.post(url, {"lon": lon + 0.003, "lat": lat, "at": before})
    worker.post(url, {"lon": lon + 0.004, "lat": lat, "at": ahead})
    patrol.refresh_from_db()
    times = [point[2] for point in patrol.route]
    assert patrol.route[0][2] == patrol.started_at.isoformat()
    assert max(times) <= clock.now().isoformat()
    bad = worker.post(url, {"lon": lon, "lat": lat, "at": "yesterday"})
    assert bad.status_code == 400 and bad.json()["field"] == "at"


def test_a_point_for_an_ended_patrol_is_a_conflict(street, ledger_people):
    worker_user = ledger_people["gridworker"]
    patrol = patrol_actions.patrol_start(
        grid=street.grids["e1"], acting_user=worker_user
    )
    patrol_actions.patrol_end(patrol=patrol, acting_user=worker_user, summary="")
    with pytest.raises(DomainError) as refused:
        patrol_actions.patrol_add_point(
            patrol=Patrol.objects.get(pk=patrol.pk),
            acting_user=worker_user,
            lon=91.005,
            lat=29.605,
            at=clock.now().isoformat(),
        )
    assert refused.value.status == 409
