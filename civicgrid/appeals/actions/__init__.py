"""Use cases of the appeal loop (接诉即办). Every function takes keyword arguments
and an explicit ``acting_user`` (None for a resident using a tracking code, or for
the system), checks permission and state, moves by compare-and-set, writes the
timeline in the same transaction and leaves side effects to the outbox.

One module per section of the loop: ``intake`` (接), ``routing`` (派),
``handling`` (办), ``callback`` (评), ``gridwork`` (就地处置 and 核查 by
a grid worker), ``voice`` (听写: a voice message written down), ``sms``
(短信报事: a text to the street's number), and
``timeline``, which writes the events they all write. Callers import from
here."""

from civicgrid.core.errors import IdempotencyMismatch

from .. import notify, permissions
from .callback import (
    appeal_add_information,
    appeal_callback,
    appeal_callback_unreachable,
    appeal_close_unanswered,
    appeal_reveal_contact,
    callbacks_close_unanswered,
)
from .gridwork import appeal_dispose_on_site, appeal_verify, verification_request
from .handling import (
    appeal_record_whistle,
    appeal_reply,
    appeal_supervise,
    appeal_urge,
    appeal_whistle_reply,
    assignment_close,
    assignment_complete,
    assignment_mark_late_to_sign,
    assignment_mark_overdue,
    assignment_mark_warned,
    assignment_progress,
    assignment_return,
    assignment_sign,
    deadlines_sweep,
    extension_decide,
    extension_request,
)
from .intake import (
    INSERT_COLUMNS,
    MAX_DESCRIPTION,
    PHONE_RE,
    STAFF_CHANNELS,
    TRACKING_ALPHABET,
    AppealInput,
    appeal_file,
    appeal_receive,
    appeal_submit,
    due_submissions,
    new_tracking_code,
    submission_register,
    submission_registration_failed,
    submissions_register_pending,
)
from .routing import (
    Unit,
    appeal_accept,
    appeal_categorise,
    appeal_dispatch,
    appeal_merge,
    appeal_reject,
    assignment_reassign,
    assignment_recall,
)
from .sms import InboundSms, appeal_from_sms, sender_number
from .timeline import CONTROL_CHARACTERS
from .voice import voice_transcribe

__all__ = [
    "CONTROL_CHARACTERS",
    "INSERT_COLUMNS",
    "MAX_DESCRIPTION",
    "PHONE_RE",
    "STAFF_CHANNELS",
    "TRACKING_ALPHABET",
    "AppealInput",
    "InboundSms",
    "IdempotencyMismatch",
    "appeal_from_sms",
    "sender_number",
    "Unit",
    "appeal_accept",
    "appeal_add_information",
    "appeal_callback",
    "appeal_callback_unreachable",
    "appeal_categorise",
    "appeal_dispose_on_site",
    "appeal_close_unanswered",
    "appeal_dispatch",
    "appeal_file",
    "appeal_merge",
    "appeal_receive",
    "appeal_record_whistle",
    "appeal_reject",
    "appeal_reply",
    "appeal_reveal_contact",
    "appeal_submit",
    "appeal_supervise",
    "appeal_urge",
    "appeal_verify",
    "appeal_whistle_reply",
    "assignment_close",
    "assignment_complete",
    "assignment_mark_late_to_sign",
    "assignment_mark_overdue",
    "assignment_mark_warned",
    "assignment_progress",
    "assignment_reassign",
    "assignment_recall",
    "assignment_return",
    "assignment_sign",
    "callbacks_close_unanswered",
    "deadlines_sweep",
    "due_submissions",
    "extension_decide",
    "extension_request",
    "new_tracking_code",
    "notify",
    "permissions",
    "submission_register",
    "submission_registration_failed",
    "submissions_register_pending",
    "verification_request",
    "voice_transcribe",
]
