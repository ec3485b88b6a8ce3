"""The staff console through HTTP: scoping (an outsider gets 404 everywhere),
exactly the allowed actions, CSRF, privacy and query counts."""

from __future__ import annotations

import logging
import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from civicgrid.appeals.models import Appeal
from civicgrid.appeals.permissions import available_actions
from civicgrid.appeals.steps import when

PHONE_RE = re.compile(r"1[3-9]\d{9}")
ACTIONS = [
    "accept",
    "categorise",
    "reject",
    "merge",
    "dispatch",
    "sign",
    "return",
    "progress",
    "reply",
    "request_extension",
    "decide_extension",
    "urge",
    "supervise",
    "callback",
    "reveal_contact",
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_console_needs_a_login(client, db):
    response = client.get(reverse("appeals:console_queue", args=["all"]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


@pytest.mark.parametrize("who", ["outsider", "resident"])
def test_people_without_a_staff_role_get_404_for_the_console(client, staff, who):
    client.force_login(staff[who])
    assert client.get(reverse("appeals:console_queue", args=["all"])).status_code == 404
    assert client.get(reverse("appeals:staff_new")).status_code == 404


def test_an_outsider_handler_gets_404_for_every_appeal_url(client, bring, staff):
    appeal = bring("handling")
    photo_appeal = appeal  # the same appeal's photo URLs
    client.force_login(staff["handler_zj"])
    assert client.get(reverse("appeals:detail", args=[appeal.pk])).status_code == 404
    for action in ACTIONS:
        url = reverse("appeals:action", args=[appeal.pk, action])
        assert client.post(url, {}).status_code == 404, action
    for attachment in photo_appeal.attachments.all():
        url = reverse("appeals:staff_photo", args=[attachment.pk, "thumb"])
        assert client.get(url).status_code == 404
    listed = client.get(reverse("appeals:console_queue", args=["all"])).content.decode()
    assert appeal.tracking_code not in listed
    appeal.refresh_from_db()
    assert appeal.state == "handling"


def test_a_grid_worker_of_another_grid_sees_nothing(client, bring, staff, street):
    from civicgrid.accounts.actions import membership_add
    from civicgrid.accounts.models import Role
    from conftest import make_user

    appeal = bring("received")
    other = make_user("w1worker")
    membership_add(
        user=other, role=Role.GRID_WORKER, area=street.grids["w1"], acting_user=None
    )
    client.force_login(other)
    assert client.get(reverse("appeals:detail", args=[appeal.pk])).status_code == 404


def test_the_dispatcher_accepts_and_dispatches_through_the_page(
    client, bring, staff, departments
):
    appeal = bring("received")
    client.force_login(staff["dispatcher"])
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert 'id="action-accept"' in page
    assert 'id="action-sign"' not in page
    client.post(
        reverse("appeals:action", args=[appeal.pk, "accept"]), {"accept-note": ""}
    )
    response = client.post(
        reverse("appeals:action", args=[appeal.pk, "dispatch"]),
        {
            "dispatch-lead": f"department:{departments['cg'].pk}",
            "dispatch-note": "尽快",
        },
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.state == "dispatched"
    assert appeal.assignments.get().department == departments["cg"]


def test_a_dispatch_without_a_lead_names_the_field(client, bring, staff):
    appeal = bring("accepted")
    client.force_login(staff["dispatcher"])
    response = client.post(reverse("appeals:action", args=[appeal.pk, "dispatch"]), {})
    assert response.status_code == 400
    assert "lead" in response.context["action_forms"]["dispatch"].errors


def test_the_handler_signs_and_replies_through_the_page(client, bring, staff):
    appeal = bring("dispatched")
    client.force_login(staff["handler_cg"])
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert 'id="action-sign"' in page and 'id="action-accept"' not in page
    client.post(reverse("appeals:action", args=[appeal.pk, "sign"]))
    response = client.post(
        reverse("appeals:action", args=[appeal.pk, "reply"]),
        {
            "reply-outcome": "resolved",
            "reply-public_reply": "已修复。",
            "reply-internal_note": "换了镇流器",
        },
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.state == "replied"
    assert appeal.events.get(action="internal_note").public is False


def test_each_role_is_offered_exactly_its_actions(bring, staff):
    appeal = bring("handling")
    assert available_actions(staff["dispatcher"], appeal) == {"urge", "reveal_contact"}
    assert available_actions(staff["handler_cg"], appeal) == {
        "progress",
        "reply",
        "request_extension",
        "reveal_contact",
    }
    assert available_actions(staff["handler_zj"], appeal) == set()
    assert available_actions(staff["leader"], appeal) == {"supervise"}
    assert available_actions(staff["operator"], appeal) == {"reveal_contact"}


def test_a_state_changed_meanwhile_is_a_clear_error(client, bring, staff):
    appeal = bring("received")
    client.force_login(staff["dispatcher"])
    client.post(reverse("appeals:action", args=[appeal.pk, "accept"]), {})
    again = client.post(reverse("appeals:action", args=[appeal.pk, "accept"]), {})
    assert again.status_code in (302, 400)
    appeal.refresh_from_db()
    assert appeal.state == "accepted"
    assert appeal.events.filter(action="accept").count() == 1


def test_state_changing_forms_need_the_csrf_token(bring, staff):
    appeal = bring("received")
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff["dispatcher"])
    response = client.post(reverse("appeals:action", args=[appeal.pk, "accept"]), {})
    assert response.status_code == 403
    appeal.refresh_from_db()
    assert appeal.state == "received"


def test_handler_pages_and_lists_show_no_full_number(client, bring, staff):
    appeal = bring("handling")
    for who in ("handler_cg", "dispatcher", "leader"):
        client.force_login(staff[who])
        for url in (
            reverse("appeals:detail", args=[appeal.pk]),
            reverse("appeals:console_queue", args=["all"]),
        ):
            content = client.get(url).content.decode()
            assert not PHONE_RE.search(content), (who, url)
            assert "卓玛" not in content


def test_revealing_the_number_shows_it_once_and_records_who(client, bring, staff):
    appeal = bring("replied")
    client.force_login(staff["operator"])
    response = client.post(
        reverse("appeals:action", args=[appeal.pk, "reveal_contact"])
    )
    assert "13812345678" in response.content.decode()
    event = appeal.events.get(action="reveal_contact")
    assert event.actor == staff["operator"] and not event.public
    client.force_login(staff["handler_cg"])
    denied = client.post(reverse("appeals:action", args=[appeal.pk, "reveal_contact"]))
    assert denied.status_code == 302
    assert appeal.events.filter(action="reveal_contact").count() == 1


def test_no_full_number_reaches_the_logs(client, form_data_for_logs, caplog):
    caplog.set_level(logging.DEBUG)
    client.post(reverse("appeals:report"), form_data_for_logs)
    from django.core.management import call_command

    call_command("worker", "--once")
    assert Appeal.objects.count() == 1
    assert not PHONE_RE.search(caplog.text)


@pytest.fixture
def form_data_for_logs(street, catalogue):
    return {
        "idempotency_key": "log-1",
        "description": "路灯坏了",
        "category": str(catalogue["lamp"].pk),
        "latitude": "29.605",
        "longitude": "91.005",
        "name": "卓玛",
        "phone": "13812345678",
        "consent": "on",
    }


def test_bulk_dispatch_sends_the_chosen_appeals(client, bring, staff, departments):
    first, second = bring("accepted"), bring("accepted")
    client.force_login(staff["dispatcher"])
    page = client.get(
        reverse("appeals:console_queue", args=["to_dispatch"])
    ).content.decode()
    assert 'name="appeal"' in page
    response = client.post(
        reverse("appeals:bulk_dispatch"),
        {
            "appeal": [first.pk, second.pk],
            "bulk-lead": f"department:{departments['cg'].pk}",
        },
    )
    assert response.status_code == 302
    assert set(Appeal.objects.values_list("state", flat=True)) == {"dispatched"}
    said = [str(m) for m in get_messages(response.wsgi_request)]
    # One line per appeal: its code, the unit and the deadlines it was given.
    by_code = {line.split(": ", 1)[0]: line for line in said}
    assert len(said) == 2
    for appeal in (first, second):
        lead = appeal.assignments.get(role="lead")
        line = by_code[appeal.tracking_code]
        assert str(lead.department.name) in line
        assert when(lead.due_at) in line


def test_the_queue_page_query_count_does_not_grow_with_appeals(
    client, bring, staff, django_assert_max_num_queries
):
    for _ in range(3):
        bring("accepted")
    client.force_login(staff["dispatcher"])
    url = reverse("appeals:console_queue", args=["all"])
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for _ in range(6):
        bring("dispatched")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_filters_narrow_the_list(client, bring, staff, catalogue):
    appeal = bring("received")
    client.force_login(staff["dispatcher"])
    url = reverse("appeals:console_queue", args=["all"])
    hit = client.get(url, {"q": appeal.tracking_code}).content.decode()
    assert appeal.tracking_code in hit
    miss = client.get(url, {"state": "closed"}).content.decode()
    assert appeal.tracking_code not in miss


def test_an_operator_enters_a_hotline_call(client, staff, street, catalogue):
    client.force_login(staff["operator"])
    page = client.get(reverse("appeals:staff_new"))
    assert page.status_code == 200
    response = client.post(
        reverse("appeals:staff_new"),
        {
            "idempotency_key": "call-1",
            "channel": "phone",
            "received_at": "2026-11-27T09:30",
            "street": street.street.pk,
            "priority": "normal",
            "kind": "complaint",
            "description": "来电反映夜间施工噪音。",
            "category": "",
            "address": "东嘎社区2号楼",
            "name": "次仁",
            "phone": "13900001111",
        },
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.channel == "phone" and appeal.entered_by == staff["operator"]
    from django.utils import timezone

    assert timezone.localtime(appeal.received_at).strftime("%H:%M") == "09:30"


def test_a_unit_that_returned_its_share_no_longer_sees_the_appeal(client, bring, staff):
    from civicgrid.appeals import actions

    appeal = bring("dispatched")
    actions.assignment_return(
        assignment=appeal.assignments.get(role="lead"),
        acting_user=staff["handler_cg"],
        reason="不归我们管",
    )
    client.force_login(staff["handler_cg"])
    assert client.get(reverse("appeals:detail", args=[appeal.pk])).status_code == 404


def test_the_appeal_page_is_never_cached(client, bring, staff):
    appeal = bring("received")
    client.force_login(staff["dispatcher"])
    response = client.get(reverse("appeals:detail", args=[appeal.pk]))
    assert "no-store" in response["Cache-Control"]


def test_the_console_log_keeps_the_code_but_not_the_residents_key(caplog, submit):
    from django.core.management import call_command

    from civicgrid.appeals.access import resident_key

    caplog.set_level(logging.INFO)
    appeal = submit()
    call_command("worker", "--once")
    assert appeal.tracking_code in caplog.text
    assert resident_key(appeal.tracking_code) not in caplog.text


def test_the_dispatcher_places_an_address_only_appeal_in_its_grid(
    client, submit, staff, street
):
    appeal = submit(latitude=None, longitude=None, address="东嘎社区3号楼")
    assert appeal.grid is None
    client.force_login(staff["dispatcher"])
    response = client.post(
        reverse("appeals:action", args=[appeal.pk, "categorise"]),
        {
            "categorise-kind": appeal.kind,
            "categorise-priority": "normal",
            "categorise-category": appeal.category_id,
            "categorise-grid": street.grids["e2"].pk,
        },
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.grid == street.grids["e2"]


def test_the_overdue_queue_lists_the_oldest_deadline_first(client, bring, staff):
    import time_machine

    first, second = bring("dispatched"), bring("dispatched")
    from civicgrid.appeals.models import Appeal as A

    A.objects.filter(pk=second.pk).update(due_at=first.due_at.replace(year=2020))
    with time_machine.travel("2030-01-01 00:00 +0800"):
        client.force_login(staff["dispatcher"])
        page = client.get(reverse("appeals:console_queue", args=["overdue"]))
    codes = [a.tracking_code for a in page.context["page"]]
    assert codes.index(second.tracking_code) < codes.index(first.tracking_code)


def test_the_queue_tabs_speak_the_users_language(client, staff):
    """The tabs are read per request, not in the language the process started
    in (the suite starts in English; this dispatcher reads Chinese)."""
    staff["dispatcher"].language = "zh-hans"
    staff["dispatcher"].save(update_fields=["language"])
    client.force_login(staff["dispatcher"])
    page = client.get(reverse("appeals:console"), follow=True).content.decode()
    assert "待派单" in page and "To dispatch" not in page


def test_the_admins_add_links_keep_djangos_words(client, staff):
    """Our "Add" (补充, adding information to an appeal) has a context of its
    own, so the admin's "Add" still reads 增加."""
    from conftest import make_user

    admin = make_user("root", is_superuser=True, is_staff=True, language="zh-hans")
    client.force_login(admin)
    page = client.get("/admin/").content.decode()
    assert "增加" in page and "补充" not in page
