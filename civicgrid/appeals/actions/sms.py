"""短信报事: a text a resident sends to the street's number becomes an appeal.

The SMS gateway posts each text it receives to us (the API's inbound webhook);
:func:`appeal_from_sms` files it in the API channel as the gateway's API
client, under the gateway's id for the message as its idempotency key: a
gateway that posts the same text again — it did not hear our answer — gets the
same tracking code, and one appeal is made. The sender's number is the
resident's (encrypted like every number, masked where shown); the receipt SMS
goes back to it in the language the text was written in (Tibetan script:
Tibetan). A text names no pin: the operator places it when accepting, from
what the text says."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from civicgrid.core.errors import DomainError

from .. import selectors
from ..models import Channel, Submission
from .intake import AppealInput, appeal_receive

# A Chinese mobile number as gateways write it: +86 or 0086 before it, or not.
_COUNTRY = re.compile(r"^(\+|00)?86")
_TIBETAN = re.compile(r"[\u0f00-\u0fff]")
_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class InboundSms:
    """A text as the gateway delivered it."""

    message_id: str  # the gateway's own id: the same on every retry
    sender: str
    to: str
    text: str
    received_at: datetime | None = None


def language_of(text: str) -> str:
    """The language to answer a text in: Tibetan when it is written mostly in
    Tibetan script, Chinese when in Chinese, else the platform's."""
    tibetan = len(_TIBETAN.findall(text))
    han = len(_HAN.findall(text))
    if tibetan and tibetan >= han:
        return "bo"
    return "zh-hans" if han else settings.LANGUAGE_CODE


def sender_number(sender: str) -> str:
    """The sender as the intake writes numbers: without the country code."""
    plain = re.sub(r"[\s-]", "", sender or "")
    return _COUNTRY.sub("", plain) if len(plain) > 11 else plain


def idempotency_key(client_user: Any, message_id: str) -> str:
    key = f"sms:{client_user.pk}:{message_id}"
    if len(key) > 100:
        key = f"sms:{client_user.pk}:#{hashlib.sha256(message_id.encode()).hexdigest()}"
    return key


def appeal_from_sms(
    *, message: InboundSms, acting_user: Any
) -> tuple[Submission, bool]:
    """Receive a text as an appeal; the submission, and whether it is new
    (False: the gateway's retry of a text already received)."""
    if not message.message_id.strip():
        raise DomainError(_("The gateway's message id is missing."), field="message_id")
    number = message.to.strip()
    street_code = settings.CIVICGRID_SMS_INBOUND_NUMBERS.get(number, "")
    street = selectors.default_street(street_code or None)
    if street is None:
        raise DomainError(
            _("No street receives texts sent to this number."), field="to"
        )
    with translation.override(settings.LANGUAGE_CODE):
        # What the operator reads as the address until they place the pin.
        address = _("In the text message")
    return appeal_receive(
        data=AppealInput(
            description=message.text,
            street=street,
            channel=Channel.API,
            address=address,
            phone=sender_number(message.sender),
            language=language_of(message.text),
            received_at=message.received_at,
            source={"via": "sms", "to": number},
        ),
        acting_user=acting_user,
        idempotency_key=idempotency_key(acting_user, message.message_id.strip()),
    )
