"""Photos (and a voice message) kept while a form is fixed (待提交的照片).

A browser never refills a file input, so a form sent back for one wrong field
would lose the photos a resident or a grid worker took on the spot. The form's
page instead keeps the processed photos (already decoded, re-encoded and stripped
of metadata by ``images.process_image``) under ``MEDIA_ROOT/pending/<random>/``
and carries a signed token in a hidden field; the next try sends them along.

Only whoever uploaded them gets them back: the token is signed, names its owner
(a user, or a hash of the resident's session) and lasts a day; the kept photos are
shown in that one answer as inline thumbnails, so no URL leads to them. The job
``core.forget_pending_uploads`` removes what is older than a day.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import re
import secrets
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from . import clock
from .audio import ProcessedAudio, audio_from_stored, store_audio
from .images import ProcessedImage, store_image

FOLDER = "pending"
MAX_AGE = timedelta(days=1)
_SALT = "civicgrid.core.pending"
_ID = re.compile(r"^[0-9a-f]{32}$")


def owner_of(request: Any) -> str:
    """Who a kept photo belongs to: the signed-in user, or the resident's browser
    (their session, started here if they have none; only its hash is named)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    session = request.session
    if not session.session_key:
        session["pending_uploads"] = True  # an empty session is not saved
        session.save()
    digest = hashlib.sha256(session.session_key.encode()).hexdigest()[:32]
    return f"session:{digest}"


def _kept(owner: str, name: str, store: Any) -> str:
    """A new folder for the owner: ``store(folder)`` writes the files and says
    what they are, kept as ``<name>.json``; returns the token naming it."""
    folder_id = secrets.token_hex(16)
    folder = f"{FOLDER}/{folder_id}"
    meta = store(folder)
    default_storage.save(
        f"{folder}/{name}.json", ContentFile(json.dumps(meta).encode())
    )
    return signing.dumps({"id": folder_id, "owner": owner}, salt=_SALT)


def keep(photos: Sequence[ProcessedImage], *, owner: str) -> str:
    """Store ``photos`` for the owner's next try; returns the token naming them
    ("" when there are none)."""
    if not photos or not owner:
        return ""
    return _kept(
        owner,
        "photos",
        lambda folder: [
            store_image(photo, default_storage, f"{folder}/{n}")
            for n, photo in enumerate(photos)
        ],
    )


def _folder(token: str, owner: str) -> str | None:
    if not token or not owner:
        return None
    try:
        value = signing.loads(token, salt=_SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or value.get("owner") != owner:
        return None
    folder_id = str(value.get("id", ""))
    return f"{FOLDER}/{folder_id}" if _ID.match(folder_id) else None


def load(token: str, *, owner: str) -> list[ProcessedImage]:
    """The photos kept under ``token`` if it is the owner's and still there;
    otherwise none (a forged, foreign or expired token gets nothing)."""
    folder = _folder(token, owner)
    if folder is None:
        return []
    try:
        with default_storage.open(f"{folder}/photos.json") as handle:
            meta = json.loads(handle.read())
        photos = []
        for item in meta:
            with default_storage.open(item["file"]) as handle:
                content = handle.read()
            with default_storage.open(item["thumbnail"]) as handle:
                thumbnail = handle.read()
            photos.append(
                ProcessedImage(
                    content=content,
                    content_type=item["content_type"],
                    extension=item["extension"],
                    width=item["width"],
                    height=item["height"],
                    thumbnail=thumbnail,
                    thumbnail_content_type=item["thumbnail_content_type"],
                    sha256=item["sha256"],
                    original_name=item["original_name"],
                )
            )
    except (OSError, ValueError, KeyError):
        return []
    return photos


def keep_voice(voice: ProcessedAudio | None, *, owner: str) -> str:
    """Store a voice message for the owner's next try, as :func:`keep` stores
    photos; returns the token naming it ("" when there is none)."""
    if voice is None or not owner:
        return ""
    return _kept(
        owner,
        "voice",
        lambda folder: store_audio(voice, default_storage, f"{folder}/voice"),
    )


def load_voice(token: str, *, owner: str) -> ProcessedAudio | None:
    """The voice message kept under ``token`` if it is the owner's and still
    there; otherwise None."""
    folder = _folder(token, owner)
    if folder is None:
        return None
    try:
        with default_storage.open(f"{folder}/voice.json") as handle:
            meta = json.loads(handle.read())
        with default_storage.open(meta["file"]) as handle:
            return audio_from_stored(meta, handle.read())
    except (OSError, ValueError, KeyError):
        return None


def audio_data_url(voice: ProcessedAudio) -> str:
    """The kept voice message inline, so it has no address of its own."""
    return _data_url(voice.content, voice.content_type)


def _data_url(content: bytes, content_type: str) -> str:
    return f"data:{content_type};base64,{base64.b64encode(content).decode()}"


def thumbnail_data_url(photo: ProcessedImage) -> str:
    """The thumbnail inline, so the kept photo has no address of its own."""
    return _data_url(photo.thumbnail, photo.thumbnail_content_type)


def _remove_folder(folder: str, *, older_than: Any = None) -> int:
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    removed = 0
    for name in files:
        path = f"{folder}/{name}"
        if older_than is None or default_storage.get_modified_time(path) < older_than:
            default_storage.delete(path)
            removed += 1
    # A folder on disk outlives its files; other storages have no folders.
    with contextlib.suppress(NotImplementedError, OSError):
        os.rmdir(default_storage.path(folder))
    return removed


def discard(token: str, *, owner: str) -> None:
    """The owner sent them (or removed them): nothing more to keep."""
    folder = _folder(token, owner)
    if folder is not None:
        _remove_folder(folder)


def forget_older_than(age: timedelta = MAX_AGE) -> int:
    """Remove kept photos and voice messages older than ``age``; returns how
    many files went."""
    cutoff = clock.now() - age
    try:
        folders, _files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    return sum(
        _remove_folder(f"{FOLDER}/{name}", older_than=cutoff) for name in folders
    )
