"""A resident's language is kept with their appeal: the page they reported on, or
what the operator heard on the phone. Their messages go out in it, and their own
tracking page opens in it until they choose another."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from civicgrid.api.testing import api_client as api
from civicgrid.appeals.access import resident_key
from civicgrid.appeals.jobs import register_submissions
from civicgrid.appeals.models import Appeal
from civicgrid.notifications.models import Notification

from .conftest import INSIDE_E1, PHONE

pytestmark = pytest.mark.django_db
TIBETAN = re.compile(r"[\u0f00-\u0fff]")
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def report(street, catalogue) -> dict[str, Any]:
    return {
        "idempotency_key": "lang-1",
        "description": "ལམ་སྒྲོན་ཉིན་གསུམ་རིང་འཚེར་མེད།",
        "category": str(catalogue["lamp"].pk),
        "kind": "",
        "latitude": "29.605",
        "longitude": "91.005",
        "address": "",
        "name": "སྒྲོལ་མ།",
        "phone": PHONE,
        "consent": "on",
    }


def received_sms() -> Notification:
    return Notification.objects.get(event="appeal.received")


def test_a_report_on_the_tibetan_page_is_answered_in_tibetan(client, report):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "bo"
    assert client.post(reverse("appeals:report"), report).status_code == 302
    register_submissions()
    appeal = Appeal.objects.get()
    assert appeal.language == "bo"
    message = received_sms()
    assert message.language == "bo"
    assert TIBETAN.search(message.body) and appeal.tracking_code in message.body
    assert not HAN.search(message.body)


def test_a_report_in_chinese_stays_in_chinese(client, report):
    client.post(reverse("appeals:report"), report, HTTP_ACCEPT_LANGUAGE="zh-CN")
    register_submissions()
    assert Appeal.objects.get().language == "zh-hans"
    assert not TIBETAN.search(received_sms().body)


def test_the_phone_of_a_tibetan_speaker_has_the_operator_choose_tibetan(
    client, staff, street
):
    client.force_login(staff["operator"])
    call = {
        "idempotency_key": "call-bo",
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
        "language": "bo",
    }
    assert client.post(reverse("appeals:staff_new"), call).status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.language == "bo"
    assert TIBETAN.search(received_sms().body)


def test_an_unknown_language_is_refused_on_its_field(client, staff, street):
    client.force_login(staff["operator"])
    page = client.post(
        reverse("appeals:staff_new"),
        {
            "idempotency_key": "call-xx",
            "channel": "phone",
            "received_at": "2026-11-27T09:30",
            "street": street.street.pk,
            "priority": "normal",
            "kind": "complaint",
            "description": "来电反映夜间施工噪音。",
            "address": "东嘎社区2号楼",
            "phone": "13900001111",
            "language": "fr",
        },
    )
    assert page.status_code == 400
    assert "language" in page.context["form"].errors
    assert not Appeal.objects.exists()


def test_another_system_gives_the_residents_language(staff, street, catalogue):
    desk = api(staff["operator"])
    call = {
        "channel": "phone",
        "description": "楼下路灯坏了",
        "kind": "help",
        "category": catalogue["lamp"].pk,
        "phone": PHONE,
        "language": "bo",
        **INSIDE_E1,
    }
    assert desk.post("/api/appeals/", call, format="json").status_code == 201
    assert Appeal.objects.get().language == "bo"
    bad = desk.post("/api/appeals/", {**call, "language": "xx"}, format="json")
    assert bad.status_code == 400 and "language" in bad.content.decode()


def test_the_residents_own_page_opens_in_their_language(client, submit):
    appeal = submit(language="bo")
    code = appeal.tracking_code
    own = reverse("appeals:track_resident", args=[code, resident_key(code)])
    page = client.get(own, HTTP_ACCEPT_LANGUAGE="zh-CN", follow=True)
    assert page.status_code == 200
    assert '<html lang="bo">' in page.content.decode()
    # Chosen on the page, another language wins.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(own, HTTP_ACCEPT_LANGUAGE="zh-CN", follow=True)
    assert '<html lang="zh-hans">' in page.content.decode()


def test_anyone_reading_with_the_code_alone_gets_their_own_language(client, submit):
    appeal = submit(language="bo")
    page = client.get(
        reverse("appeals:track", args=[appeal.tracking_code]),
        HTTP_ACCEPT_LANGUAGE="zh-CN",
    )
    assert '<html lang="zh-hans">' in page.content.decode()
