"""Voice messages (语音留言): the recording checked as a photo is (its container
sniffed, its tags cleared, its size and length limited), carried by the report
form and the staff's entry through intake, played only to who may see the
appeal, and written down by an operator (听写) — one winner when two race."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from civicgrid.api.testing import api_client as api
from civicgrid.appeals import actions
from civicgrid.appeals.access import resident_key
from civicgrid.appeals.jobs import register_submissions
from civicgrid.appeals.models import Appeal, CaseEvent, Submission, VoiceMessage
from civicgrid.core.audio import process_audio
from civicgrid.core.errors import ConflictError, DomainError, PermissionDeniedError

# Tiny recordings of "你好" (espeak-ng), each container written by its usual
# encoder with a title and an artist set, and two short videos.
FIXTURES = Path(__file__).parent / "fixtures" / "voice"
SOUNDS = {
    "voice.ogg": "audio/ogg",
    "voice.webm": "audio/webm",
    "voice.m4a": "audio/mp4",
    "voice.mp3": "audio/mpeg",
}


def sample(name: str = "voice.ogg") -> bytes:
    return (FIXTURES / name).read_bytes()


def upload(name: str = "voice.ogg", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, sample(name) if content is None else content, "audio/ogg"
    )


@pytest.fixture(autouse=True)
def _media_and_fresh_throttles(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


# --- the recording itself -------------------------------------------------------------


@pytest.mark.parametrize(("name", "content_type"), sorted(SOUNDS.items()))
def test_each_container_of_a_real_recording_is_accepted_with_its_length(
    name, content_type
):
    voice = process_audio(sample(name), filename=name)
    assert voice.content_type == content_type
    assert voice.duration is not None and 1.0 <= voice.duration <= 1.5
    assert voice.original_name == name


@pytest.mark.parametrize("name", sorted(SOUNDS))
def test_the_tags_a_recorder_writes_are_cleared(name):
    raw = sample(name)
    assert "秘密".encode() in raw  # the title the fixture was written with
    voice = process_audio(raw, filename=name)
    assert "秘密".encode() not in voice.content
    assert "张三".encode() not in voice.content


def test_text_renamed_to_ogg_is_refused_as_not_sound():
    with pytest.raises(DomainError) as refused:
        process_audio("我不是录音，只是文字。".encode() * 20, filename="note.ogg")
    assert refused.value.field == "voice"
    assert "not a sound recording" in refused.value.message
    assert "note.ogg" in refused.value.message


@pytest.mark.parametrize("name", sorted(SOUNDS))
def test_a_recording_cut_short_is_refused_as_damaged(name):
    raw = sample(name)
    with pytest.raises(DomainError) as refused:
        process_audio(raw[: len(raw) * 2 // 3], filename=name)
    assert "damaged or incomplete" in refused.value.message


@pytest.mark.parametrize("name", ["video.webm", "video.mp4"])
def test_a_video_is_refused(name):
    with pytest.raises(DomainError) as refused:
        process_audio(sample(name), filename=name)
    assert "not a sound recording" in refused.value.message


def test_a_recording_over_the_size_limit_is_refused(settings):
    settings.CIVICGRID_MAX_VOICE_BYTES = 1000
    with pytest.raises(DomainError) as refused:
        process_audio(sample("voice.ogg"))
    assert "larger than" in refused.value.message


def test_a_recording_over_the_time_limit_is_refused(settings):
    settings.CIVICGRID_MAX_VOICE_SECONDS = 0
    with pytest.raises(DomainError) as refused:
        process_audio(sample("voice.webm"))
    assert "lasts longer than" in refused.value.message


def test_an_empty_file_is_refused():
    with pytest.raises(DomainError, match="empty"):
        process_audio(b"", filename="voice.ogg")


# --- the resident's report form -------------------------------------------------------


@pytest.fixture
def form_data(street, catalogue):
    return {
        "idempotency_key": "v-1",
        "description": "",
        "category": str(catalogue["lamp"].pk),
        "kind": "",
        "latitude": "29.605",
        "longitude": "91.005",
        "address": "",
        "name": "卓玛",
        "phone": "13812345678",
        "consent": "on",
    }


def test_a_voice_message_without_a_description_is_accepted_and_registered(
    client, form_data
):
    response = client.post(reverse("appeals:report"), {**form_data, "voice": upload()})
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert register_submissions() == 1
    appeal = Appeal.objects.get(tracking_code=submission.tracking_code)
    assert appeal.description == ""
    voice = appeal.voice_messages.get()
    assert voice.content_type == "audio/ogg" and voice.duration
    assert voice.event is not None and voice.event.action == "submit"
    assert voice.transcript == "" and not voice.transcribed
    assert voice.file.read() == process_audio(sample()).content


def test_neither_description_nor_voice_is_an_error_on_the_description(
    client, form_data
):
    response = client.post(reverse("appeals:report"), form_data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["description"] == [
        "Say in a few words what happened, or record a voice message."
    ]
    assert not Submission.objects.exists()


def test_a_refused_recording_is_an_error_on_the_voice_field(client, form_data):
    response = client.post(
        reverse("appeals:report"),
        {**form_data, "voice": upload("voice.ogg", "文字".encode() * 50)},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "not a sound recording" in errors["voice"][0]
    assert "description" not in errors


def test_another_fields_error_keeps_the_voice_message_for_the_next_try(
    client, form_data
):
    response = client.post(
        reverse("appeals:report"), {**form_data, "consent": "", "voice": upload()}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Your voice message is kept" in page
    assert 'src="data:audio/ogg;base64,' in page
    assert "/pending/" not in page  # no address leads to the kept recording
    token = re.search(r'name="kept_voice" value="([^"]+)"', page)
    assert token is not None
    again = client.post(
        reverse("appeals:report"), {**form_data, "kept_voice": token.group(1)}
    )
    assert again.status_code == 302
    register_submissions()
    assert Appeal.objects.get().voice_messages.count() == 1


def test_a_kept_voice_message_is_not_someone_elses(client, form_data):
    response = client.post(
        reverse("appeals:report"), {**form_data, "consent": "", "voice": upload()}
    )
    token = re.search(r'name="kept_voice" value="([^"]+)"', response.content.decode())
    assert token is not None
    other = Client().post(
        reverse("appeals:report"), {**form_data, "kept_voice": token.group(1)}
    )
    assert other.status_code == 400
    assert "description" in other.context["form"].errors


def test_the_report_page_offers_the_recorder(client, street, catalogue):
    page = client.get(reverse("appeals:report")).content.decode()
    assert 'name="voice"' in page and 'accept="audio/*"' in page and "capture" in page
    assert "data-voice-recorder" in page and 'data-max-seconds="180"' in page
    assert "js/voice-recorder.js" in page


def test_an_operator_enters_a_call_as_a_voice_message(client, staff, street):
    client.force_login(staff["operator"])
    response = client.post(
        reverse("appeals:staff_new"),
        {
            "idempotency_key": "call-v",
            "channel": "phone",
            "received_at": "2026-11-27T09:30",
            "street": street.street.pk,
            "priority": "normal",
            "kind": "complaint",
            "description": "",
            "category": "",
            "address": "东嘎社区2号楼",
            "name": "次仁",
            "phone": "13900001111",
            "voice": upload("voice.m4a"),
        },
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    voice = appeal.voice_messages.get()
    assert voice.uploaded_by == staff["operator"] and voice.content_type == "audio/mp4"


def test_an_entry_that_fails_to_register_leaves_no_recording_behind(
    submit, settings, monkeypatch
):
    """The voice message is stored in the appeal's own transaction: a failure
    after it was written leaves neither its row nor its file."""

    def broken(*args, **kwargs):
        raise RuntimeError("the notice could not be queued")

    monkeypatch.setattr("civicgrid.appeals.actions.intake.notify.resident", broken)
    with pytest.raises(RuntimeError):
        submit(description="", voice=process_audio(sample()))
    assert not Appeal.objects.exists() and not VoiceMessage.objects.exists()
    assert not Submission.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not list(media.rglob("*.ogg"))


# --- playing it -----------------------------------------------------------------------


@pytest.fixture
def spoken(submit):
    """An appeal the resident only spoke: no description, one voice message."""
    return submit(description="", voice=process_audio(sample("voice.webm")))


def test_staff_who_see_the_appeal_play_it_and_outsiders_get_404(client, spoken, staff):
    voice = spoken.voice_messages.get()
    url = reverse("appeals:staff_voice", args=[voice.pk])
    assert str(voice.pk) in url and spoken.tracking_code not in url
    client.force_login(staff["operator"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/webm"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == voice.file.open("rb").read()
    part = client.get(url, HTTP_RANGE="bytes=0-9")
    assert part.status_code == 206 and len(part.content) == 10
    assert part["Content-Range"] == f"bytes 0-9/{voice.size}"
    for who in ("outsider", "handler_zj", "resident"):
        client.force_login(staff[who])
        assert client.get(url).status_code == 404, who
    client.logout()
    assert client.get(url).status_code == 302  # to the login


def test_the_resident_plays_their_own_and_the_code_alone_plays_nothing(spoken):
    voice = spoken.voice_messages.get()
    url = reverse("appeals:track_voice", args=[spoken.tracking_code, voice.pk])
    stranger = Client()
    assert stranger.get(url).status_code == 404
    page = stranger.get(reverse("appeals:track", args=[spoken.tracking_code]))
    assert url not in page.content.decode()
    resident = Client()
    own = resident.get(
        reverse(
            "appeals:track_resident",
            args=[spoken.tracking_code, resident_key(spoken.tracking_code)],
        )
    )
    assert url in own.content.decode() and "<audio controls" in own.content.decode()
    response = resident.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "audio/webm"


def test_the_console_page_plays_it_and_offers_to_write_it_down(client, spoken, staff):
    voice = spoken.voice_messages.get()
    client.force_login(staff["operator"])
    page = client.get(reverse("appeals:detail", args=[spoken.pk])).content.decode()
    assert reverse("appeals:staff_voice", args=[voice.pk]) in page
    assert "waiting to be written down" in page
    assert 'id="action-transcribe"' in page


# --- writing it down (听写) ---------------------------------------------------------


def test_the_operator_writes_it_down_and_it_becomes_the_description(spoken, staff):
    voice = spoken.voice_messages.get()
    event = actions.voice_transcribe(
        voice=voice,
        transcript="东嘎社区3号楼路灯不亮，电话13812345678。",
        acting_user=staff["operator"],
    )
    assert event.action == "transcribe" and event.actor == staff["operator"]
    assert not event.public
    assert event.data == {"voice": voice.pk, "corrected": False, "description": True}
    assert "13812345678" not in event.note  # masked like every note
    voice.refresh_from_db()
    spoken.refresh_from_db()
    assert voice.transcript_is_description and voice.transcribed
    assert voice.transcribed_by == staff["operator"] and voice.revision == 1
    assert spoken.description.startswith("东嘎社区3号楼路灯不亮")
    assert "13812345678" not in spoken.description
    assert "13812345678" in spoken.description_sealed
    # A correction corrects the description too; the timeline keeps both.
    actions.voice_transcribe(
        voice=voice, transcript="东嘎社区4号楼路灯不亮。", acting_user=staff["operator"]
    )
    spoken.refresh_from_db()
    assert spoken.description == "东嘎社区4号楼路灯不亮。"
    notes = list(
        CaseEvent.objects.filter(appeal=spoken, action="transcribe").values_list(
            "note", "data__corrected"
        )
    )
    assert [corrected for _note, corrected in notes] == [False, True]


def test_a_typed_description_stays_when_the_voice_message_is_written_down(
    submit, staff
):
    appeal = submit(voice=process_audio(sample()))
    voice = appeal.voice_messages.get()
    actions.voice_transcribe(
        voice=voice, transcript="补充的话。", acting_user=staff["operator"]
    )
    appeal.refresh_from_db()
    voice.refresh_from_db()
    assert appeal.description == "楼下路灯坏了三天，晚上很黑。"
    assert voice.transcript == "补充的话。" and not voice.transcript_is_description


@pytest.mark.parametrize("who", ["handler_cg", "gridworker", "outsider", None])
def test_only_the_streets_operators_write_it_down(spoken, staff, who):
    voice = spoken.voice_messages.get()
    with pytest.raises(PermissionDeniedError):
        actions.voice_transcribe(
            voice=voice, transcript="听到的话", acting_user=staff[who] if who else None
        )
    assert not CaseEvent.objects.filter(action="transcribe").exists()


def test_two_operators_writing_at_once_end_with_one_winner(spoken, staff):
    first = spoken.voice_messages.get()
    second = VoiceMessage.objects.get(pk=first.pk)  # read before either wrote
    actions.voice_transcribe(
        voice=first, transcript="路灯不亮", acting_user=staff["operator"]
    )
    with pytest.raises(ConflictError) as lost:
        actions.voice_transcribe(
            voice=second, transcript="路灯坏了", acting_user=staff["dispatcher"]
        )
    assert lost.value.field == "transcript" and "just now" in lost.value.message
    first.refresh_from_db()
    spoken.refresh_from_db()
    assert first.transcript == "路灯不亮" and spoken.description == "路灯不亮"
    assert CaseEvent.objects.filter(action="transcribe").count() == 1


def test_an_empty_transcript_is_refused_on_its_field(spoken, staff):
    with pytest.raises(DomainError) as refused:
        actions.voice_transcribe(
            voice=spoken.voice_messages.get(),
            transcript="  ",
            acting_user=staff["operator"],
        )
    assert refused.value.field == "transcript"


def test_the_console_form_writes_it_down_and_the_timeline_shows_both(
    client, spoken, staff
):
    voice = spoken.voice_messages.get()
    client.force_login(staff["operator"])
    url = reverse("appeals:action", args=[spoken.pk, "transcribe"])
    data = {
        "transcribe-voice": voice.pk,
        "transcribe-revision": 0,
        "transcribe-transcript": "路灯不亮了",
    }
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "the transcript is the appeal&#x27;s description too" in page
    assert "Voice message written down" in page  # the event
    assert reverse("appeals:staff_voice", args=[voice.pk]) in page  # the recording
    assert "路灯不亮了" in page
    # A form opened before that write is refused, in words, on the page.
    stale = client.post(url, {**data, "transcribe-transcript": "另一种写法"})
    assert stale.status_code == 409
    assert "Someone else wrote down this voice message" in stale.content.decode()


def test_the_api_writes_it_down_and_a_stale_revision_is_409(spoken, staff):
    voice = spoken.voice_messages.get()
    operator = api(staff["operator"])
    detail = operator.get(f"/api/appeals/{spoken.pk}/").json()
    assert "transcribe" in detail["actions"]
    (listed,) = detail["voice_messages"]
    assert listed["id"] == voice.pk and listed["revision"] == 0
    assert listed["content_type"] == "audio/webm"
    played = operator.get(listed["url"])
    assert played.status_code == 200 and played["Content-Type"] == "audio/webm"
    answer = operator.post(
        f"/api/appeals/{spoken.pk}/transcribe/",
        {"voice": voice.pk, "transcript": "路灯不亮", "revision": 0},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["description"] == "路灯不亮"
    assert body["voice_messages"][0]["transcript"] == "路灯不亮"
    assert body["voice_messages"][0]["transcript_is_description"] is True
    assert any(e["action"] == "transcribe" for e in body["timeline"])
    stale = operator.post(
        f"/api/appeals/{spoken.pk}/transcribe/",
        {"voice": voice.pk, "transcript": "别的", "revision": 0},
        format="json",
    )
    assert stale.status_code == 409
    handler = api(staff["handler_zj"])
    assert handler.get(listed["url"]).status_code == 404
    assert (
        handler.post(
            f"/api/appeals/{spoken.pk}/transcribe/",
            {"voice": voice.pk, "transcript": "x"},
            format="json",
        ).status_code
        == 404
    )


def test_the_api_refuses_another_appeals_voice_message(submit, spoken, staff):
    other = submit(voice=process_audio(sample()))
    answer = api(staff["operator"]).post(
        f"/api/appeals/{spoken.pk}/transcribe/",
        {"voice": other.voice_messages.get().pk, "transcript": "x"},
        format="json",
    )
    assert answer.status_code == 400
    assert "voice" in str(answer.json())


def test_the_api_takes_a_voice_message_with_an_entry(staff, street, catalogue):
    answer = api(staff["operator"]).post(
        "/api/appeals/",
        {
            "channel": "phone",
            "kind": "help",
            "category": catalogue["lamp"].pk,
            "name": "卓玛",
            "phone": "13812345678",
            "latitude": 29.605,
            "longitude": 91.005,
            "voice": upload("voice.mp3"),
        },
        format="multipart",
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["voice_messages"][0]["content_type"] == "audio/mpeg"


# --- the demo -------------------------------------------------------------------------


def test_the_demo_has_small_voice_messages_some_written_down(db, settings):
    from io import StringIO

    from django.core.management import call_command

    from civicgrid.appeals.demo import DEMO_VOICE

    for recording in DEMO_VOICE.glob("*.ogg"):
        assert recording.stat().st_size <= 30 * 1024, recording.name
    call_command("seed_demo", stdout=StringIO())
    voices = VoiceMessage.objects.select_related("appeal")
    assert voices.count() == 3
    waiting = [v for v in voices if not v.transcribed]
    assert len(waiting) == 1 and waiting[0].appeal.description == ""
    written = [v for v in voices if v.transcribed]
    assert any(v.transcript_is_description for v in written)
    assert all(v.appeal.description for v in written)
    assert all(v.content_type == "audio/ogg" and v.duration for v in voices)
    call_command("seed_demo", stdout=StringIO())
    assert VoiceMessage.objects.count() == 3
