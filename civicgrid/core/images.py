"""Photo intake for appeals, replies and check-ins (诉求、答复与打卡照片).

Residents upload photos straight from their phones, so every file is untrusted: it
may not be an image at all, may be built to exhaust memory when decoded (a
decompression bomb), and almost always carries EXIF with the GPS position of the
resident's home. Every photo therefore goes through ``process_image``, which decides
the format by decoding (never by the name or the client's content type), refuses
what it cannot safely handle, and re-encodes the pixels into a new image so that no
metadata of the original survives.

Animated images (APNG, animated WebP) are reduced to their first frame rather than
refused: phones also write JPEGs with extra frames (MPO — HDR gain maps and depth
maps), and refusing those would refuse ordinary photos.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import DomainError

# Nine photos fill the 3×3 grid (九宫格) residents know from their messaging apps.
MAX_PHOTOS_PER_APPEAL = 9

DEFAULT_MAX_PHOTO_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PHOTO_PIXELS = 40_000_000
# Nine full-size phone photos (12 MP each) and then some; not nine bombs.
DEFAULT_MAX_PHOTO_PIXELS_PER_REQUEST = 120_000_000

THUMBNAIL_SIZE = 320
JPEG_QUALITY = 85
WEBP_QUALITY = 85
MAX_NAME_LENGTH = 100

# Only these decoders ever see an upload: fewer parsers, less attack surface.
_DECODERS = ("JPEG", "PNG", "WEBP")

# Decoded format → (format to write, content type, extension). Pillow names a JPEG
# with extra frames (MPO) after those frames; its first frame is an ordinary JPEG.
_OUTPUTS = {
    "JPEG": ("JPEG", "image/jpeg", "jpg"),
    "MPO": ("JPEG", "image/jpeg", "jpg"),
    "PNG": ("PNG", "image/png", "png"),
    "WEBP": ("WEBP", "image/webp", "webp"),
}

_READ_CHUNK = 64 * 1024


@dataclass(frozen=True)
class ProcessedImage:
    """A photo that is safe to store and serve: re-encoded, metadata-free."""

    content: bytes = dataclass_field(repr=False)
    content_type: str
    extension: str
    width: int
    height: int
    thumbnail: bytes = dataclass_field(repr=False)
    thumbnail_content_type: str
    sha256: str
    original_name: str


def store_image(photo: ProcessedImage, storage: Storage, stem: str) -> dict[str, Any]:
    """Write a processed photo as ``stem.<extension>`` and its thumbnail as
    ``stem-thumb.jpg``; what describes them (the names the storage gave, the
    type, the size, the sizes in pixels, the digest, the name it came with)."""
    return {
        "file": storage.save(f"{stem}.{photo.extension}", ContentFile(photo.content)),
        "thumbnail": storage.save(f"{stem}-thumb.jpg", ContentFile(photo.thumbnail)),
        "content_type": photo.content_type,
        "extension": photo.extension,
        "size": len(photo.content),
        "width": photo.width,
        "height": photo.height,
        "thumbnail_content_type": photo.thumbnail_content_type,
        "sha256": photo.sha256,
        "original_name": photo.original_name,
    }


def process_image(
    data: bytes | IO[bytes], *, filename: str = "", field: str = "photos"
) -> ProcessedImage:
    """Check an uploaded photo and return a clean re-encoding and a JPEG thumbnail.

    ``data`` is the upload's bytes or a binary file (a Django ``UploadedFile``);
    a file is read from its start and never beyond one byte over the size limit.
    ``filename`` defaults to the file's ``name``. Anything refused raises
    ``DomainError`` attached to ``field``, with a message that names the file.
    """
    original_name = clean_filename(filename or str(getattr(data, "name", "") or ""))
    label = f"“{original_name}”" if original_name else _("The photo")

    raw = read_limited(
        data,
        limit=int(
            getattr(settings, "CIVICGRID_MAX_PHOTO_BYTES", DEFAULT_MAX_PHOTO_BYTES)
        ),
        label=label,
        field=field,
    )
    with _decode_slot(field):
        image, decoded_format = _decode(raw, label=label, field=field)
        output_format, content_type, extension = _OUTPUTS[decoded_format]
        content = _encode(image, output_format)
        thumbnail = _thumbnail(image)
    return ProcessedImage(
        content=content,
        content_type=content_type,
        extension=extension,
        width=image.width,
        height=image.height,
        thumbnail=thumbnail,
        thumbnail_content_type="image/jpeg",
        sha256=hashlib.sha256(content).hexdigest(),
        original_name=original_name,
    )


def process_images(
    uploads: Sequence[bytes | IO[bytes]], *, field: str = "photos"
) -> list[ProcessedImage]:
    """``process_image`` for every photo of one request, after checking from the
    headers alone that together they stay within
    ``CIVICGRID_MAX_PHOTO_PIXELS_PER_REQUEST``: nine photos each just under the
    per-photo limit are refused before a single pixel is decoded."""
    budget = int(
        getattr(
            settings,
            "CIVICGRID_MAX_PHOTO_PIXELS_PER_REQUEST",
            DEFAULT_MAX_PHOTO_PIXELS_PER_REQUEST,
        )
    )
    limit = int(
        getattr(settings, "CIVICGRID_MAX_PHOTO_PIXELS", DEFAULT_MAX_PHOTO_PIXELS)
    )
    sizes = []
    for upload in uploads:
        pixels = header_pixels(upload)
        if pixels > limit:
            raise _too_many_pixels(_label(upload), limit, field)
        sizes.append(pixels)
    if sum(sizes) > budget:
        raise DomainError(
            _(
                "Together these photos have too many pixels; the limit is "
                "%(limit)s megapixels a time. Send fewer or smaller photos."
            )
            % {"limit": f"{budget / 1_000_000:g}"},
            field=field,
        )
    return [
        process_image(
            upload, filename=str(getattr(upload, "name", "") or ""), field=field
        )
        for upload in uploads
    ]


def header_pixels(data: bytes | IO[bytes]) -> int:
    """Width × height as the file's header states them, read without decoding
    (0 when the header cannot be read: ``process_image`` then says why)."""
    source: IO[bytes] = io.BytesIO(data) if isinstance(data, bytes) else data
    start = source.tell() if source.seekable() else None
    if start is not None:
        source.seek(0)
    try:
        with Image.open(source, formats=_DECODERS) as probe:
            width, height = probe.size
    except Exception:  # refused with its own message when processed
        return 0
    finally:
        if start is not None:
            source.seek(0)
    return width * height


@contextlib.contextmanager
def _decode_slot(field: str) -> Iterator[None]:
    """At most ``CIVICGRID_PHOTO_DECODERS`` photos are decoded at once in a
    process; a request that cannot get a slot within
    ``CIVICGRID_PHOTO_DECODE_WAIT_SECONDS`` is refused rather than queued, so
    uploads cannot hold every thread of the web server."""
    wait = float(getattr(settings, "CIVICGRID_PHOTO_DECODE_WAIT_SECONDS", 10.0))
    slots = _slots()
    if not slots.acquire(timeout=wait):
        raise DomainError(
            _("The server is busy with other photos; please send again in a minute."),
            field=field,
        )
    try:
        yield
    finally:
        slots.release()


_SLOTS: dict[int, threading.BoundedSemaphore] = {}
_SLOTS_LOCK = threading.Lock()


def _slots() -> threading.BoundedSemaphore:
    size = max(1, int(getattr(settings, "CIVICGRID_PHOTO_DECODERS", 2)))
    with _SLOTS_LOCK:
        if size not in _SLOTS:
            _SLOTS[size] = threading.BoundedSemaphore(size)
        return _SLOTS[size]


def clean_filename(name: str) -> str:
    """The client's file name, fit to show and to put in a download header.

    Keeps only the last path component (browsers on Windows may send the full path),
    drops control and bidi-override characters (``\\u202e`` makes ``gpj.exe`` read
    as ``exe.jpg``) and shortens long names while keeping the extension.
    """
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = name.strip().lstrip(".").strip()
    if len(name) <= MAX_NAME_LENGTH:
        return name
    stem, dot, ext = name.rpartition(".")
    if dot and stem and len(ext) <= 10:
        return f"{stem[: MAX_NAME_LENGTH - len(ext) - 1].rstrip()}.{ext}"
    return name[:MAX_NAME_LENGTH].rstrip()


def read_limited(
    data: bytes | IO[bytes], *, limit: int, label: str, field: str
) -> bytes:
    """An upload's bytes (a photo's, a voice message's), refused when empty or
    over ``limit`` bytes before any decoding.

    A file is read at most one byte past the limit: enough to know it is too big
    without pulling a huge upload into memory.
    """
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data[: limit + 1])
    else:
        # A form field may already have read the upload to validate it.
        if data.seekable():
            data.seek(0)
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = data.read(min(remaining, _READ_CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        raw = b"".join(chunks)
    if not raw:
        raise DomainError(_("%(name)s is empty.") % {"name": label}, field=field)
    if len(raw) > limit:
        raise DomainError(
            _("%(name)s is larger than %(limit)s.")
            % {"name": label, "limit": filesizeformat(limit)},
            field=field,
        )
    return raw


def _decode(raw: bytes, *, label: str, field: str) -> tuple[Image.Image, str]:
    """Decode the first frame, upright, into a new image that carries no metadata."""
    max_pixels = int(
        getattr(settings, "CIVICGRID_MAX_PHOTO_PIXELS", DEFAULT_MAX_PHOTO_PIXELS)
    )
    not_allowed = DomainError(
        _("%(name)s is not a JPEG, PNG or WebP photo.") % {"name": label},
        field=field,
    )
    too_many_pixels = _too_many_pixels(label, max_pixels, field)
    damaged = DomainError(
        _("%(name)s is damaged or incomplete; please send it again.") % {"name": label},
        field=field,
    )

    # Pillow raises (and, past its own limit, warns) when the header promises a
    # decompression bomb; the warning is only an exception if warnings are errors,
    # and changing the warning filters here would not be thread-safe.
    bomb = (Image.DecompressionBombError, Image.DecompressionBombWarning)
    # Like Django's ImageField: a decoder fed hostile bytes may raise almost any
    # exception, and each one means the same thing — not a photo we can use.
    try:
        with Image.open(io.BytesIO(raw), formats=_DECODERS) as probe:
            decoded_format = probe.format or ""
            width, height = probe.size
            probe.verify()
    except UnidentifiedImageError as exc:
        raise not_allowed from exc
    except bomb as exc:
        raise too_many_pixels from exc
    except Exception as exc:
        raise damaged from exc
    if decoded_format not in _OUTPUTS:
        raise not_allowed
    # The header alone tells the size: refuse before a single pixel is decoded.
    if width * height > max_pixels:
        raise too_many_pixels

    # verify() leaves the image unusable, so decode from a fresh open. Truncated
    # files fail here because ImageFile.LOAD_TRUNCATED_IMAGES is left False.
    try:
        with Image.open(io.BytesIO(raw), formats=_DECODERS) as image:
            image.seek(0)
            image.load()
            ImageOps.exif_transpose(image, in_place=True)
            mode = "RGBA" if _keeps_alpha(image, decoded_format) else "RGB"
            pixels = image if image.mode == mode else image.convert(mode)
            # A new image starts with empty info: no EXIF, GPS, XMP, ICC, comments
            # or PNG text can ride along into the encoder.
            clean = Image.new(mode, pixels.size)
            clean.paste(pixels)
    except bomb as exc:
        raise too_many_pixels from exc
    except Exception as exc:
        raise damaged from exc
    return clean, decoded_format


def _label(upload: bytes | IO[bytes]) -> str:
    name = clean_filename(str(getattr(upload, "name", "") or ""))
    return f"“{name}”" if name else _("The photo")


def _too_many_pixels(label: str, limit: int, field: str) -> DomainError:
    return DomainError(
        _("%(name)s has too many pixels; the limit is %(limit)s megapixels.")
        % {"name": label, "limit": f"{limit / 1_000_000:g}"},
        field=field,
    )


def _keeps_alpha(image: Image.Image, decoded_format: str) -> bool:
    return _OUTPUTS[decoded_format][0] != "JPEG" and image.has_transparency_data


def _encode(image: Image.Image, output_format: str) -> bytes:
    buffer = io.BytesIO()
    if output_format == "JPEG":
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    elif output_format == "WEBP":
        image.save(buffer, "WEBP", quality=WEBP_QUALITY)
    else:
        # PNG's optimize means zlib level 9 and slow saves of big photos; the
        # default level is close enough in size.
        image.save(buffer, "PNG")
    return buffer.getvalue()


def _thumbnail(image: Image.Image) -> bytes:
    """A JPEG at most THUMBNAIL_SIZE on its longest side for lists and timelines.

    Small photos keep their size (no upscaling); transparency turns white rather
    than JPEG's default black.
    """
    width, height = image.size
    scale = THUMBNAIL_SIZE / max(width, height)
    thumb = image
    if scale < 1:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        thumb = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    if thumb.mode == "RGBA":
        background = Image.new("RGB", thumb.size, (255, 255, 255))
        background.paste(thumb, mask=thumb.getchannel("A"))
        thumb = background
    elif thumb.mode != "RGB":
        thumb = thumb.convert("RGB")
    buffer = io.BytesIO()
    thumb.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return buffer.getvalue()
