"""Appeals closed because the callback never reached the resident (未接通):
counted for the lead unit that replied, apart from the rates — on the pages,
in the exports and over the API — and never as satisfied."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from civicgrid.api.testing import api_client as api
from civicgrid.appeals import actions
from civicgrid.core import clock
from civicgrid.metrics import selectors
from civicgrid.metrics.models import DailyFigure, Fact, PublishedPeriod

pytestmark = pytest.mark.django_db

TRIES = 3
HEADING = "Closed as unreachable"


@pytest.fixture(autouse=True)
def _tries(settings):
    settings.CIVICGRID_CALLBACK_TRIES = TRIES


def not_reached(appeal, operator, times: int):
    for _ in range(times):
        actions.appeal_callback_unreachable(appeal=appeal, acting_user=operator)
    appeal.refresh_from_db()
    return appeal


@pytest.fixture
def called(bring, staff):
    """Four appeals replied by 城管局: one rated satisfied, one not reached to
    the limit (closed unreachable), one not reached once (still waiting), one
    not yet called."""
    bring("closed")
    closed = not_reached(bring("replied"), staff["operator"], TRIES)
    assert closed.state == "closed" and closed.close_reason == "unreachable"
    waiting = not_reached(bring("replied"), staff["operator"], TRIES - 1)
    assert waiting.state == "replied"
    bring("replied")
    return closed


def street_counts(street):
    today = timezone.localdate(clock.now())
    (total,) = selectors.figures(
        selectors.daily(street=street.street, start=today, end=today)
    ).values()
    return total


def test_the_close_counts_apart_and_not_as_satisfied(called, street, departments):
    total = street_counts(street)
    rates = selectors.rates_of(total.reviewed, selectors.current_formula())
    assert rates["unreachable"] == 1
    # The one callback that reached the resident is the only one counted.
    assert rates["cases"]["satisfaction"] == {"count": 1, "of": 1}
    assert rates["cases"]["resolution"] == {"count": 1, "of": 1}
    assert rates["satisfaction"] == 1.0
    # For the lead unit that replied.
    fact = Fact.objects.get(kind="unreachable")
    assert fact.appeal == called and fact.department == departments["cg"]
    assert fact.assignment == called.assignments.get(role="lead")


def test_tries_short_of_the_limit_count_nothing(bring, staff, street):
    not_reached(bring("replied"), staff["operator"], TRIES - 1)
    assert street_counts(street).raw.unreachable == 0
    assert not Fact.objects.filter(kind="unreachable").exists()


def test_an_approved_exclusion_takes_it_out_of_the_reviewed_count(
    called, staff, street
):
    from civicgrid.metrics import actions as metrics_actions

    lead = called.assignments.get(role="lead")
    asked = metrics_actions.exclusion_request(
        assignment=lead, acting_user=staff["handler_cg"], reason="电话号码有误"
    )
    metrics_actions.exclusion_decide(
        exclusion=asked, acting_user=staff["dispatcher"], approve=True, note="属实"
    )
    total = street_counts(street)
    assert (total.raw.unreachable, total.reviewed.unreachable) == (1, 0)


def test_the_rates_pages_show_the_count(client, called, staff, departments, street):
    client.force_login(staff["leader"])
    for url in (
        "/metrics/",
        f"/metrics/departments/{departments['cg'].pk}/",
        "/metrics/rankings/",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        body = page.content.decode()
        assert re.search(r">(Closed as unreachable|Unreachable)\b", body), url
    overview = client.get("/metrics/")
    assert overview.context["rates"]["unreachable"] == 1
    row = overview.content.decode().split('<tr class="unreachable">')[1]
    assert row.split("</tr>")[0].endswith("<td>1</td><td>1</td>")
    unit = client.get(f"/metrics/departments/{departments['cg'].pk}/")
    assert unit.context["rates"]["unreachable"] == 1
    ranking = client.get("/metrics/rankings/").context["rows"]
    assert [(r["name"], r["reviewed"]["unreachable"]) for r in ranking] == [
        ("城管局", 1)
    ]


def test_the_grid_of_a_grid_handled_appeal_counts_it(client, bring, staff, street):
    from civicgrid.appeals.actions import Unit

    appeal = bring("accepted")
    actions.appeal_dispatch(
        appeal=appeal,
        acting_user=staff["dispatcher"],
        lead=Unit(area=street.grids["e1"]),
    )
    lead = appeal.assignments.get(role="lead")
    actions.assignment_sign(assignment=lead, acting_user=staff["gridworker"])
    actions.appeal_reply(
        outcome="resolved",
        assignment=lead,
        acting_user=staff["gridworker"],
        public_reply="已调解。",
    )
    not_reached(appeal, staff["operator"], TRIES)
    client.force_login(staff["gridworker"])
    page = client.get(f"/metrics/areas/{street.grids['e1'].code}/")
    assert page.context["rates"]["unreachable"] == 1
    client.force_login(staff["leader"])
    by_grid = client.get("/metrics/rankings/?by=grid").context["rows"]
    assert [(r["name"], r["reviewed"]["unreachable"]) for r in by_grid] == [
        ("东嘎一网格", 1)
    ]


def test_the_rate_table_download_has_its_column(client, called, staff):
    client.force_login(staff["leader"])
    sheet = client.get("/metrics/export/rates.xlsx?by=department")
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.values)
    head, (unit,) = rows[1], rows[2:]
    assert unit[1] == "城管局"
    assert unit[head.index(HEADING)] == 1
    # Beside the callbacks counted, which it is not one of.
    assert unit[head.index("Callbacks counted")] == 1
    text = b"".join(client.get("/metrics/export/rates.csv").streaming_content)
    first, line = text.decode("utf-8-sig").splitlines()[:2]
    assert line.split(",")[first.split(",").index(HEADING)] == "1"


def test_the_api_gives_the_count_with_the_rates(called, staff, departments):
    leader = api(staff["leader"])
    body = leader.get("/api/metrics/rates/").json()
    assert body["totals"]["reviewed"]["unreachable"] == 1
    assert body["totals"]["raw"]["unreachable"] == 1
    (unit,) = body["units"]
    assert unit["reviewed"]["unreachable"] == 1
    assert unit["reviewed"]["cases"]["satisfaction"] == {"count": 1, "of": 1}
    own = api(staff["handler_cg"]).get(
        f"/api/metrics/departments/{departments['cg'].pk}/rates/"
    )
    assert own.json()["unit"]["reviewed"]["unreachable"] == 1


def test_a_period_published_before_the_count_shows_no_column(
    client, called, staff, street, time_machine
):
    day = timezone.localdate(clock.now())
    time_machine.move_to(clock.now() + timedelta(days=1))
    client.force_login(staff["dispatcher"])
    client.post(f"/metrics/rankings/?period=custom&start={day}&end={day}")
    new = PublishedPeriod.objects.get()
    assert new.figures["department"][0]["reviewed"]["unreachable"] == 1
    shown = client.get(f"/metrics/published/{new.pk}/")
    assert "Unreachable" in shown.content.decode()
    # As version 2 froze it: no count of unreachable closes.
    figures = {**new.figures, "version": 2}
    for row in figures["department"]:
        del row["reviewed"]["unreachable"]
    old = PublishedPeriod.objects.create(
        street=street.street,
        start=day - timedelta(days=40),
        end=day - timedelta(days=10),
        formula=new.formula,
        figures=figures,
        published_at=clock.now(),
        published_by=staff["dispatcher"],
    )
    shown = client.get(f"/metrics/published/{old.pk}/")
    assert shown.status_code == 200
    assert "Unreachable" not in shown.content.decode()


def test_the_migration_counts_the_closes_made_before_it(called, street):
    """Closes written before the facts counted them are counted by the
    migration as the facts now count them, and their daily sums with them."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("civicgrid.metrics.migrations.0005_unreachable_closes")
    made = list(
        Fact.objects.filter(kind="unreachable").values(
            "appeal", "assignment", "department", "area", "grid", "community", "day"
        )
    )
    summed = street_counts(street).raw.unreachable
    Fact.objects.filter(kind="unreachable").delete()
    DailyFigure.objects.filter(kind="unreachable").delete()
    assert street_counts(street).raw.unreachable == 0

    migration.count_earlier_closes(apps, None)
    with connection.cursor() as cursor:
        cursor.execute(migration.SUM_UNREACHABLE)

    assert (
        list(
            Fact.objects.filter(kind="unreachable").values(
                "appeal", "assignment", "department", "area", "grid", "community", "day"
            )
        )
        == made
    )
    assert street_counts(street).raw.unreachable == summed == 1
