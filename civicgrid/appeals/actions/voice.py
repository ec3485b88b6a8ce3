"""Voice messages (语音留言): a resident who spoke instead of typing is written
down by the street's operator (听写), and the timeline keeps the recording and
what was written down. The recording itself arrives with the appeal (intake)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from civicgrid.core import clock
from civicgrid.core.db import compare_and_set
from civicgrid.core.errors import ConflictError

from .. import permissions
from ..models import Appeal, CaseEvent, VoiceMessage
from ..workflow import hold, require_state
from . import timeline
from .intake import MAX_DESCRIPTION
from .timeline import _text


def voice_transcribe(
    *, voice: VoiceMessage, transcript: str, acting_user: Any
) -> CaseEvent:
    """听写: write down what a voice message says, or correct what was written.

    The write names the transcription the operator read (``voice.revision``, as
    the voice message was loaded or as their form carried it): of two operators
    writing at once, one wins and the other gets a ``ConflictError`` and reads
    the winner's. When the resident typed no description, the transcript
    becomes the appeal's description (``transcript_is_description``) and a
    corrected transcript corrects it too. The event on the timeline holds the
    transcript (masked like every note where a number may be said)."""
    appeal = voice.appeal
    require_state(appeal, "transcribe")
    permissions.require(permissions.may_transcribe(acting_user, appeal))
    transcript = _text(
        transcript,
        field="transcript",
        label=_("The transcript"),
        limit=MAX_DESCRIPTION,
    )
    becomes_description = (
        voice.transcript_is_description or not (appeal.description or "").strip()
    )
    corrected = voice.transcribed_at is not None
    now = clock.now()
    with transaction.atomic():
        if not compare_and_set(
            voice,
            {"revision": voice.revision},
            {
                "transcript": transcript,
                "transcript_is_description": becomes_description,
                "transcribed_at": now,
                "transcribed_by": acting_user,
                "revision": F("revision") + 1,
            },
            touch=False,
        ):
            raise ConflictError(
                _(
                    "Someone else wrote down this voice message just now; reload "
                    "the appeal and read what they wrote."
                ),
                field="transcript",
            )
        if becomes_description:
            # Any state: the record is corrected, the appeal does not move.
            hold(appeal, states=Appeal.State.values, description=transcript)
        else:
            hold(appeal, states=Appeal.State.values)
        return timeline.write(
            appeal,
            "transcribe",
            actor=acting_user,
            note=transcript,
            data={
                "voice": voice.pk,
                "corrected": corrected,
                "description": becomes_description,
            },
        )
