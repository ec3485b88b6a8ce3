"""Evidence (证据材料): an image re-encoded so that its metadata is gone, a
document or a video stored as given, every file on disk only as ciphertext,
its name, type and size sealed beside it, and every download recorded."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from civicgrid.core.errors import DomainError, PermissionDeniedError
from civicgrid.discipline import actions, evidence
from civicgrid.discipline.models import Attachment, AuditEntry

from .conftest import MARKER, bring, files_in, granted, pdf, photo, submit

CAMERA = "MARKERCAM-7c1e0b"


def photo_with_exif() -> SimpleUploadedFile:
    """A phone photo that says which camera took it, when, and where."""
    exif = Image.Exif()
    exif[0x010F] = CAMERA  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x0132] = "2026:03:01 10:00:00"  # DateTime
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"  # GPSLatitudeRef
    gps[2] = (29.0, 38.0, 24.0)  # GPSLatitude
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "navy").save(buffer, "JPEG", exif=exif)
    data = buffer.getvalue()
    assert b"Exif" in data and CAMERA.encode() in data
    return SimpleUploadedFile("IMG_0001.jpg", data, content_type="image/jpeg")


def the_file(report, attachment=None):
    attachment = attachment or report.attachments.get()
    key = actions.content_key(report)
    return (
        evidence.read(key, str(attachment.uid), attachment.file),
        evidence.describe(key, str(attachment.uid), attachment.sealed),
    )


def test_an_image_is_re_encoded_without_its_metadata(sealed, media):
    report = submit(sealed.district, uploads=[photo_with_exif()]).report
    data, description = the_file(report)
    assert b"Exif" not in data
    assert CAMERA.encode() not in data
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and image.size == (64, 48)
    assert dict(image.getexif()) == {}
    assert description["kind"] == evidence.IMAGE
    assert description["type"] == "image/jpeg"
    assert description["name"] == "IMG_0001.jpg"
    assert description["size"] == len(data)


def test_a_pdf_is_stored_as_given(sealed, media):
    upload = pdf()
    given = upload.read()
    report = submit(sealed.district, uploads=[upload]).report
    data, description = the_file(report)
    assert data == given
    assert description == {
        "name": "doc.pdf",
        "type": "application/pdf",
        "kind": evidence.DOCUMENT,
        "size": len(given),
    }


def test_a_video_is_recognised_by_its_first_bytes(sealed, media):
    mp4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
    upload = SimpleUploadedFile("clip.bin", mp4, content_type="text/plain")
    report = submit(sealed.district, uploads=[upload]).report
    data, description = the_file(report)
    assert data == mp4
    assert (description["kind"], description["type"]) == (evidence.VIDEO, "video/mp4")


def test_the_type_is_what_the_bytes_say_not_the_name(sealed, media):
    fake = SimpleUploadedFile(
        "report.pdf", b"<html>not a pdf</html>", content_type="application/pdf"
    )
    with pytest.raises(DomainError) as refused:
        submit(sealed.district, uploads=[fake])
    assert refused.value.field == "evidence"
    assert "report.pdf" in refused.value.message


def test_a_heic_photo_is_refused_rather_than_kept_unread(sealed, media):
    heic = b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64
    with pytest.raises(DomainError) as refused:
        submit(sealed.district, uploads=[SimpleUploadedFile("a.heic", heic)])
    assert refused.value.field == "evidence"


def test_a_file_too_large_is_refused(sealed, media, settings):
    settings.CIVICGRID_DISCIPLINE_MAX_FILE_BYTES = 64
    with pytest.raises(DomainError) as refused:
        submit(sealed.district, uploads=[pdf("x" * 100)])
    assert refused.value.field == "evidence"
    assert files_in(media) == []


def test_the_files_on_disk_are_ciphertext(sealed, media):
    upload = pdf()
    given = upload.read()
    picture = photo()
    report = submit(sealed.district, uploads=[upload, picture]).report
    on_disk = files_in(media)
    assert len(on_disk) == 2
    places = set(report.attachments.values_list("file", flat=True))
    for path in on_disk:
        raw = path.read_bytes()
        assert path.relative_to(media).as_posix() in places
        assert path.suffix == ".bin"
        assert MARKER.encode() not in raw
        assert b"%PDF" not in raw
        assert not raw.startswith(b"\xff\xd8\xff")
        assert raw != given


def test_the_file_s_name_is_not_in_the_clear(sealed, media):
    upload = pdf()
    upload.name = f"{MARKER}.pdf"
    report = submit(sealed.district, uploads=[upload]).report
    attachment = report.attachments.get()
    assert MARKER not in attachment.file
    assert MARKER.encode() not in bytes(attachment.sealed)
    assert the_file(report)[1]["name"] == f"{MARKER}.pdf"


def test_a_download_is_for_the_officer_holding_the_report_and_recorded(sealed, media):
    upload = pdf()
    given = upload.read()
    report = granted(sealed, submit(sealed.district, uploads=[upload]).report)
    attachment = report.attachments.get()
    data, description = actions.attachment_open(
        attachment=attachment, acting_user=sealed["officer"]
    )
    assert data == given and description["name"] == "doc.pdf"
    entry = AuditEntry.objects.filter(action="attachment.downloaded").get()
    assert entry.actor == sealed["officer"]
    assert entry.detail == {"attachment": attachment.pk}
    for who in ("officer2", "head", "custodian", "city_officer", "superuser"):
        with pytest.raises(PermissionDeniedError):
            actions.attachment_open(attachment=attachment, acting_user=sealed[who])
    assert AuditEntry.objects.filter(action="attachment.downloaded").count() == 1


def test_the_reporter_downloads_their_own_file_recorded_as_the_reporter(sealed, media):
    report = submit(sealed.district, uploads=[pdf()]).report
    actions.attachment_open(attachment=report.attachments.get(), by_reporter=True)
    entry = AuditEntry.objects.get(action="attachment.downloaded")
    assert (entry.actor, entry.actor_label) == (None, "reporter")


def test_the_reporter_adds_evidence_with_a_message(sealed, media):
    report = bring(sealed, "accepted")
    step = actions.reporter_message(
        report=report, text="补充材料", uploads=[photo_with_exif(), pdf()]
    )
    assert step.shown_to_reporter and step.actor is None
    assert actions.read_words(report, step) == {
        "text": "补充材料",
        "from": "reporter",
        "files": 2,
    }
    added = list(Attachment.objects.filter(report=report))
    assert len(added) == 2 and all(a.from_reporter for a in added)
    image = next(a for a in added if the_file(report, a)[1]["kind"] == "image")
    assert b"Exif" not in the_file(report, image)[0]
    assert len(files_in(media)) == 2


def test_refused_evidence_with_a_message_writes_nothing(sealed, media):
    report = bring(sealed, "accepted")
    steps = report.steps.count()
    bad = SimpleUploadedFile("x.exe", b"MZ\x90\x00 not allowed")
    with pytest.raises(DomainError) as refused:
        actions.reporter_message(report=report, text="补充", uploads=[pdf(), bad])
    assert refused.value.field == "evidence"
    assert report.steps.count() == steps
    assert not Attachment.objects.exists()
    assert files_in(media) == []
