"""Evidence files: checked, cleaned where we can, and sealed before they touch
the disk.

Images are re-encoded by ``core.images`` (so EXIF, GPS and every other
metadata are gone, and a crafted file is not stored as sent); a video (MP4,
MOV, WebM) and a document (PDF, Word, Excel, OpenDocument) are stored as
given, recognised by their first bytes, never by the name or type the browser
claims. Whatever it is, the file is written only as AES-GCM ciphertext under a
random name, and its name, type and size are sealed beside it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from civicgrid.core.errors import DomainError
from civicgrid.core.images import clean_filename, process_image

from . import sealing

IMAGE, VIDEO, DOCUMENT = "image", "video", "document"
KINDS = {IMAGE: _lazy("Photo"), VIDEO: _lazy("Video"), DOCUMENT: _lazy("Document")}
FOLDER = "discipline"

_IMAGE_MAGIC = (
    b"\xff\xd8\xff",
    b"\x89PNG\r\n\x1a\n",
    b"GIF87a",
    b"GIF89a",
    b"RIFF",  # WebP (checked further by Pillow)
)


@dataclass(frozen=True)
class Evidence:
    content: bytes
    name: str
    content_type: str
    kind: str


def _max(setting: str, default: int) -> int:
    return int(getattr(settings, setting, default))


def _read(upload: IO[bytes] | bytes, limit: int, label: str) -> bytes:
    if isinstance(upload, bytes):
        data = upload
    else:
        upload.seek(0)
        data = upload.read(limit + 1)
    if len(data) > limit:
        raise DomainError(
            _("%(file)s is larger than %(mb)s MB.")
            % {"file": label, "mb": f"{limit / 1024 / 1024:g}"},
            field="evidence",
        )
    if not data:
        raise DomainError(_("%(file)s is empty.") % {"file": label}, field="evidence")
    return data


def _sniff(head: bytes) -> tuple[str, str] | None:
    """(kind, content type) from the first bytes, or None."""
    if head.startswith(b"%PDF-"):
        return DOCUMENT, "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        return DOCUMENT, "application/zip"  # docx, xlsx, odt …
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return DOCUMENT, "application/msword"  # doc, xls
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"mif1", b"msf1"):
            return None
        if brand == b"qt  ":
            return VIDEO, "video/quicktime"
        return VIDEO, "video/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return VIDEO, "video/webm"
    if head.startswith(_IMAGE_MAGIC) and (
        not head.startswith(b"RIFF") or head[8:12] == b"WEBP"
    ):
        return IMAGE, ""
    return None


def check(uploads: Sequence[Any]) -> list[Evidence]:
    """Every upload checked and cleaned, or a DomainError on ``evidence``
    naming the file; nothing is written."""
    most = _max("CIVICGRID_DISCIPLINE_MAX_FILES", 9)
    if len(uploads) > most:
        raise DomainError(
            _("Attach at most %(n)s files at a time.") % {"n": most},
            field="evidence",
        )
    checked = []
    for upload in uploads:
        name = clean_filename(str(getattr(upload, "name", "") or ""))
        label = f"“{name}”" if name else _("The file")
        data = _read(
            upload, _max("CIVICGRID_DISCIPLINE_MAX_FILE_BYTES", 50 * 1024 * 1024), label
        )
        sniffed = _sniff(data[:16])
        if sniffed is None:
            raise DomainError(
                _(
                    "%(file)s is not a photo, a video or a document we can keep "
                    "(JPEG, PNG, WebP, GIF, MP4, MOV, WebM, PDF, Word, Excel)."
                )
                % {"file": label},
                field="evidence",
            )
        kind, content_type = sniffed
        if kind == IMAGE:
            image = process_image(data, filename=name, field="evidence")
            checked.append(Evidence(image.content, name, image.content_type, IMAGE))
        else:
            checked.append(Evidence(data, name, content_type, kind))
    return checked


def store(data_key: bytes, evidence: Evidence) -> tuple[str, str, bytes]:
    """Write one file sealed; (its uid, its place in storage, its sealed
    description)."""
    uid = str(uuid.uuid4())
    sealed = sealing.seal_bytes(data_key, evidence.content, aad=f"file:{uid}")
    place = default_storage.save(
        f"{FOLDER}/{uuid.uuid4().hex}.bin", ContentFile(sealed)
    )
    description = sealing.seal_json(
        data_key,
        {
            "name": evidence.name,
            "type": evidence.content_type,
            "kind": evidence.kind,
            "size": len(evidence.content),
        },
        aad=f"file-meta:{uid}",
    )
    return uid, place, description


def read(data_key: bytes, uid: str, place: str) -> bytes:
    with default_storage.open(place, "rb") as handle:
        return sealing.open_bytes(data_key, handle.read(), aad=f"file:{uid}")


def describe(data_key: bytes, uid: str, sealed: sealing.Blob) -> dict:
    return sealing.open_json(data_key, sealed, aad=f"file-meta:{uid}")


def discard(places: Sequence[str]) -> None:
    """Remove files written for a step that did not commit."""
    for place in places:
        default_storage.delete(place)
