import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _get(client, user):
    client.force_login(user)
    return client.get(reverse("ledger:index"))


def test_a_grid_worker_sees_their_grids_only(client, street, ledger_people):
    page = _get(client, ledger_people["gridworker"]).content.decode()
    assert street.grids["e1"].code in page and street.grids["e2"].code in page
    assert street.grids["w1"].code not in page


def test_the_street_reads_every_grid(client, street, ledger_people):
    page = _get(client, ledger_people["leader"]).content.decode()
    assert all(grid.code in page for grid in street.grids.values())


@pytest.mark.parametrize("who", ["outsider", "resident", "handler_cg"])
def test_who_keeps_no_ledger_gets_404(client, ledger_people, who):
    assert _get(client, ledger_people[who]).status_code == 404
