"""Cases where a fact could be counted twice, escape an exclusion, or a page
could show another street's figures or fail on an odd date."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from civicgrid.appeals import actions
from civicgrid.appeals.actions import timeline
from civicgrid.appeals.jobs import sweep_deadlines
from civicgrid.core import clock
from civicgrid.metrics import actions as metric_actions
from civicgrid.metrics import facts
from civicgrid.metrics.models import Fact
from civicgrid.metrics.tests.test_engine import summed_as_counted

pytestmark = pytest.mark.django_db


def test_an_extension_after_overdue_does_not_count_the_round_twice(
    bring, staff, street, time_machine
):
    appeal = bring("handling")
    lead = appeal.assignments.get(role="lead")
    time_machine.move_to(lead.due_at + timedelta(minutes=1))
    sweep_deadlines()  # overdue: the round is decided, late
    asked = actions.extension_request(
        assignment=lead,
        acting_user=staff["handler_cg"],
        days=Decimal(2),
        reason="等材料",
    )
    actions.extension_decide(
        request=asked, acting_user=staff["dispatcher"], approve=True
    )
    lead.refresh_from_db()
    assert lead.overdue_at is None  # the extension clears the mark …
    actions.appeal_reply(
        outcome="resolved",
        assignment=lead,
        acting_user=staff["handler_cg"],
        public_reply="已修复",
    )
    (completion,) = Fact.objects.filter(kind="completion", assignment=lead)
    assert completion.ok is False  # … but the round was counted, once


def test_a_late_mark_on_a_share_signed_meanwhile_counts_nothing(bring, staff):
    appeal = bring("handling")
    lead = appeal.assignments.get(role="lead")
    late = timeline.write(appeal, "late_to_sign", assignment=lead)  # a stale sweep
    facts.on_event(late)
    assert Fact.objects.filter(kind="response", assignment=lead).count() == 1


def test_what_comes_after_an_approved_exclusion_is_excluded_too(bring, staff, street):
    appeal = bring("replied")
    lead = appeal.assignments.get(role="lead")
    asked = metric_actions.exclusion_request(
        assignment=lead, acting_user=staff["handler_cg"], reason="恶意反复投诉"
    )
    metric_actions.exclusion_decide(
        exclusion=asked, acting_user=staff["dispatcher"], approve=True
    )
    actions.appeal_callback(
        appeal=appeal, acting_user=None, resolved=False, satisfaction="unsatisfied"
    )
    later = Fact.objects.filter(assignment=lead, kind__in=["callback", "rehandle"])
    assert later.count() == 2 and all(f.excluded for f in later)
    today = timezone.localdate(clock.now())
    summed_as_counted(street, today, today)


def test_another_streets_leader_sees_only_their_streets_work(
    client, staff, street, departments, bring
):
    from civicgrid.accounts.actions import membership_add
    from civicgrid.accounts.models import Role
    from conftest import make_area, make_user

    bring("closed")
    other = make_area("540103002", "乃琼街道", "street", street.district)
    leader = make_user("other_leader", "外街道领导")
    membership_add(user=leader, role=Role.LEADER, area=other, acting_user=None)
    client.force_login(leader)
    page = client.get(f"/metrics/departments/{departments['cg'].pk}/")
    assert page.status_code == 200
    assert page.context["total"].raw.callbacks == 0  # not 东嘎街道's
    assert page.context["shares"]["handling"] == 0
    client.force_login(staff["handler_cg"])
    own = client.get(f"/metrics/departments/{departments['cg'].pk}/")
    assert own.context["total"].raw.callbacks == 1
    client.force_login(staff["outsider"])
    assert (
        client.get(f"/metrics/departments/{departments['cg'].pk}/").status_code == 404
    )


@pytest.mark.parametrize(
    "url",
    [
        "/metrics/?period=month&date=9999-12-31",
        "/metrics/?period=day&date=0001-01-01",
        "/metrics/?period=custom&start=9999-12-31&end=9999-12-31",
        "/metrics/export/appeals.csv?period=custom&start=2026-01-01&end=9999-12-31",
        "/metrics/digest/?month=0001-01",
        "/metrics/digest/?month=9999-12",
        "/metrics/digest/?month=1-1",
        "/metrics/rankings/?period=year&date=0001-06-01",
    ],
)
def test_odd_dates_fall_back_and_never_fail(client, staff, bring, url):
    bring("closed")
    client.force_login(staff["leader"])
    response = client.get(url)
    assert response.status_code == 200


def test_the_api_names_an_odd_date(staff):
    from civicgrid.api.testing import api_client as api

    response = api(staff["leader"]).get(
        "/api/metrics/rates/", {"start": "0001-01-01", "end": "0001-01-02"}
    )
    assert response.status_code == 400
    assert "start" in response.json()["error"]["fields"]
