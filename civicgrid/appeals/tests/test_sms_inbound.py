"""短信报事: a text to the street's number, posted by the SMS gateway, becomes
one appeal in the API channel — once, however often the gateway retries — and
the receipt goes back to the sender in the text's language."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from civicgrid.api.clients import api_client_create
from civicgrid.api.models import ApiClientUse
from civicgrid.appeals.jobs import register_submissions
from civicgrid.appeals.models import Appeal, CaseEvent, Channel, Submission
from civicgrid.core.signatures import sign
from civicgrid.notifications.models import Notification

from .conftest import PHONE

pytestmark = pytest.mark.django_db
SECRET = "gateway-shared-secret"
TIBETAN = re.compile(r"[\u0f00-\u0fff]")


@pytest.fixture
def gateway(settings, street):
    client, _key = api_client_create(name="短信网关")
    settings.LANGUAGE_CODE = "zh-hans"  # the street's operators read Chinese
    settings.CIVICGRID_SMS_INBOUND_SECRET = SECRET
    settings.CIVICGRID_SMS_INBOUND_CLIENT = "短信网关"
    settings.CIVICGRID_SMS_INBOUND_NUMBERS = {"10690001": street.street.code}
    return client


def text(**given: Any) -> dict[str, Any]:
    return {
        "message_id": "gw-20261206-0001",
        "from": f"+86{PHONE}",
        "to": "10690001",
        "text": "幸福路12号门口的路灯坏了三天，晚上很黑。",
        **given,
    }


def post(payload: dict[str, Any], *, secret: str = SECRET, signature: str = ""):
    body = json.dumps(payload, ensure_ascii=False).encode()
    return Client().post(
        reverse("api:sms-inbound"),
        body,
        content_type="application/json",
        HTTP_X_CIVICGRID_SIGNATURE=signature or sign(body, secret),
    )


def test_a_text_becomes_one_appeal_in_the_api_channel(gateway, street):
    answer = post(text())
    assert answer.status_code == 202, answer.json()
    receipt = answer.json()
    assert set(receipt) == {"tracking_code", "state", "received_at"}
    assert receipt["state"] == "pending"
    assert register_submissions() == 1
    appeal = Appeal.objects.get()
    assert appeal.tracking_code == receipt["tracking_code"]
    assert appeal.channel == Channel.API and appeal.street == street.street
    assert appeal.description == text()["text"]
    assert appeal.appellant_phone == PHONE
    assert appeal.language == "zh-hans"
    assert appeal.address == "见短信内容"
    submitted = CaseEvent.objects.get(appeal=appeal, action="submit")
    assert submitted.data["via"] == "sms" and submitted.data["to"] == "10690001"
    # The number is encrypted at rest: no column of the appeal holds it.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM appeals_appeal WHERE id = %s", [appeal.pk])
        row = cursor.fetchone()
    assert not any(PHONE in str(value) for value in row)
    # The receipt goes back to the sender, with the code to follow it by.
    receipt_sms = Notification.objects.get(event="appeal.received")
    assert appeal.tracking_code in receipt_sms.body
    # The gateway's request is in its client's use log.
    use = ApiClientUse.objects.get(client=gateway)
    assert use.path == reverse("api:sms-inbound") and use.status == 202


def test_the_gateway_retrying_a_text_makes_no_second_appeal(gateway):
    first = post(text())
    assert first.status_code == 202
    again = post(text())
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["tracking_code"] == first.json()["tracking_code"]
    register_submissions()
    # Retried after the appeal was registered: still the same one.
    late = post(text())
    assert late.status_code == 200
    assert late.json()["tracking_code"] == first.json()["tracking_code"]
    assert late.json()["state"] == Appeal.objects.get().state
    assert Submission.objects.count() == 1 and Appeal.objects.count() == 1
    assert Notification.objects.filter(event="appeal.received").count() == 1


def test_another_text_under_the_same_message_id_is_refused(gateway):
    assert post(text()).status_code == 202
    other = post(text(text="另一条短信"))
    assert other.status_code == 422
    assert Submission.objects.count() == 1


def test_a_text_in_tibetan_is_answered_in_tibetan(gateway):
    answer = post(text(message_id="gw-2", text="ལམ་སྒྲོན་ཉིན་གསུམ་རིང་འཚེར་མེད། བཀྲ་ཤིས་བདེ་ལེགས།"))
    assert answer.status_code == 202
    register_submissions()
    appeal = Appeal.objects.get()
    assert appeal.language == "bo"
    receipt_sms = Notification.objects.get(event="appeal.received")
    assert receipt_sms.language == "bo" and TIBETAN.search(receipt_sms.body)


@pytest.mark.parametrize("forged", ["other secret", "no signature", "body changed"])
def test_a_text_not_signed_by_the_gateway_is_refused(gateway, forged):
    if forged == "other secret":
        answer = post(text(), secret="guessed")
    elif forged == "no signature":
        answer = Client().post(
            reverse("api:sms-inbound"), text(), content_type="application/json"
        )
    else:
        signed = sign(json.dumps(text()).encode(), SECRET)
        answer = post(text(text="改过的短信"), signature=signed)
    assert answer.status_code == 403
    assert Submission.objects.count() == 0


def test_without_a_secret_the_address_is_not_there(gateway, settings):
    settings.CIVICGRID_SMS_INBOUND_SECRET = ""
    assert post(text(), secret="").status_code == 404
    settings.CIVICGRID_SMS_INBOUND_SECRET = SECRET
    settings.CIVICGRID_SMS_INBOUND_CLIENT = "no such client"
    assert post(text()).status_code == 404
    assert Submission.objects.count() == 0


@pytest.mark.parametrize(
    "given, field",
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"from": "12345"}, "from"),
        ({"message_id": ""}, "message_id"),
        ({"received_at": "tomorrow"}, "received_at"),
    ],
)
def test_a_bad_text_names_the_field_and_files_nothing(gateway, given, field):
    answer = post(text(**given))
    assert answer.status_code == 400, answer.json()
    assert field in answer.json()["error"]["fields"], answer.json()
    assert Submission.objects.count() == 0


def test_the_number_a_text_was_sent_to_names_the_street(gateway, settings, street):
    settings.CIVICGRID_SMS_INBOUND_NUMBERS = {"10690001": "540103999"}
    answer = post(text())
    assert answer.status_code == 400
    assert "to" in answer.json()["error"]["fields"]
    # A number not listed, none, or left out: the default street (here the
    # only one).
    answer = post(text(to="10690002"))
    assert answer.status_code == 202
    assert post(text(message_id="gw-2", to="")).status_code == 202
    unnamed = text(message_id="gw-3")
    del unnamed["to"]
    assert post(unnamed).status_code == 202
    assert set(Submission.objects.values_list("street_id", flat=True)) == {
        street.street.pk
    }


def test_one_number_is_held_to_the_residents_hourly_limit(gateway, settings):
    settings.CIVICGRID_RATE_LIMITS = True
    settings.CIVICGRID_INTAKE_PER_HOUR = 2
    codes = [post(text(message_id=f"gw-{n}")).status_code for n in range(3)]
    assert codes == [202, 202, 429]
    assert post(text(message_id="gw-9", **{"from": "13900000000"})).status_code == 202
