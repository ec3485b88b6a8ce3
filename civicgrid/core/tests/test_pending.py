"""Photos kept while a form is fixed (core.pending): back only to their owner,
and gone after a day."""

from __future__ import annotations

import io
import os
import time

from PIL import Image

from civicgrid.core import pending
from civicgrid.core.images import process_image
from civicgrid.core.jobs import forget_pending_uploads


def photo():
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (10, 120, 60)).save(buffer, "JPEG")
    return process_image(buffer.getvalue(), filename="spot.jpg")


def files_under(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_kept_photos_come_back_whole_to_their_owner_only(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    kept = photo()
    token = pending.keep([kept], owner="user:7")
    back = pending.load(token, owner="user:7")
    assert [p.sha256 for p in back] == [kept.sha256]
    assert back[0].content == kept.content and back[0].thumbnail == kept.thumbnail
    assert pending.load(token, owner="user:8") == []
    assert pending.load(token + "x", owner="user:7") == []
    pending.discard(token, owner="user:8")  # not theirs to remove
    assert pending.load(token, owner="user:7")
    pending.discard(token, owner="user:7")
    assert files_under(tmp_path / "pending") == []


def test_the_job_forgets_kept_photos_older_than_a_day(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    old = pending.keep([photo()], owner="user:1")
    fresh = pending.keep([photo()], owner="user:2")
    old_folder = tmp_path / "pending" / folder_id(old)
    two_days_ago = time.time() - 2 * 24 * 3600
    for path in old_folder.iterdir():
        os.utime(path, (two_days_ago, two_days_ago))

    assert forget_pending_uploads() == 3
    assert not old_folder.exists()
    assert pending.load(old, owner="user:1") == []
    assert len(pending.load(fresh, owner="user:2")) == 1


def folder_id(token):
    from django.core import signing

    return signing.loads(token, salt="civicgrid.core.pending")["id"]
