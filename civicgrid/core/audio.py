"""Voice messages for appeals (语音留言).

A resident who cannot or will not type records a voice message on the report
page (the browser's recorder writes WebM/Opus in Chromium, MP4/AAC in Safari)
or uploads one (Ogg, MP3 or M4A from a phone's recorder). Every file is
untrusted, so ``process_audio`` decides what it is from its bytes — the
container's magic and structure, never the name or the client's content type —
reads how long it lasts from the container itself, refuses what is too big,
too long, not sound or not whole, and clears the tags a phone's recorder may
leave (an M4A's ``udta``/``meta`` boxes can hold where it was recorded; an
MP3's ID3 tags a name). The sound itself is kept as recorded: decoding and
re-encoding it would need a codec library on every server for no gain in
safety, since browsers play it in their own media sandbox.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .errors import DomainError
from .images import clean_filename, read_limited

DEFAULT_MAX_VOICE_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_VOICE_SECONDS = 180

# Sniffed container → (content type served, extension stored).
CONTAINERS = {
    "webm": ("audio/webm", "webm"),
    "ogg": ("audio/ogg", "ogg"),
    "mp4": ("audio/mp4", "m4a"),
    "mp3": ("audio/mpeg", "mp3"),
}
CONTENT_TYPES = frozenset(content_type for content_type, _ext in CONTAINERS.values())


@dataclass(frozen=True)
class ProcessedAudio:
    """A voice message that is safe to store and serve: its container checked,
    its tags cleared, its length known where the container states it."""

    content: bytes = dataclass_field(repr=False)
    content_type: str
    extension: str
    duration: float | None
    sha256: str
    original_name: str


class _Refused(Exception):
    """The bytes are not what they claim (``damaged``: they start as a known
    container but break off or contradict themselves)."""

    def __init__(self, damaged: bool = False) -> None:
        super().__init__()
        self.damaged = damaged


def max_bytes() -> int:
    return int(getattr(settings, "CIVICGRID_MAX_VOICE_BYTES", DEFAULT_MAX_VOICE_BYTES))


def max_seconds() -> int:
    return int(
        getattr(settings, "CIVICGRID_MAX_VOICE_SECONDS", DEFAULT_MAX_VOICE_SECONDS)
    )


def limit_words(seconds: int) -> str:
    """How long a voice message may last, in words: "3 minutes", "90 seconds"."""
    if seconds >= 60 and seconds % 60 == 0:
        minutes = seconds // 60
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}


def store_audio(audio: ProcessedAudio, storage: Storage, stem: str) -> dict[str, Any]:
    """Write a processed voice message as ``stem.<extension>``; what describes it."""
    return {
        "file": storage.save(f"{stem}.{audio.extension}", ContentFile(audio.content)),
        "content_type": audio.content_type,
        "extension": audio.extension,
        "size": len(audio.content),
        "duration": audio.duration,
        "sha256": audio.sha256,
        "original_name": audio.original_name,
    }


def audio_from_stored(meta: dict[str, Any], content: bytes) -> ProcessedAudio:
    """A voice message again from what :func:`store_audio` described."""
    return ProcessedAudio(
        content=content,
        content_type=meta["content_type"],
        extension=meta["extension"],
        duration=meta["duration"],
        sha256=meta["sha256"],
        original_name=meta["original_name"],
    )


def process_audio(
    data: bytes | IO[bytes], *, filename: str = "", field: str = "voice"
) -> ProcessedAudio:
    """Check an uploaded voice message and return it with its tags cleared.

    ``data`` is the upload's bytes or a binary file (a Django ``UploadedFile``),
    read never beyond one byte over ``CIVICGRID_MAX_VOICE_BYTES``. Anything
    refused raises ``DomainError`` attached to ``field``, with a message that
    names the voice message (and its file, when it has a name).
    """
    original_name = clean_filename(filename or str(getattr(data, "name", "") or ""))
    label = (
        _("The voice message “%(name)s”") % {"name": original_name}
        if original_name
        else _("The voice message")
    )
    raw = read_limited(data, limit=max_bytes(), label=label, field=field)
    try:
        container = sniff(raw)
        if container is None:
            raise _Refused
        content, duration = _PARSERS[container](raw)
    except _Refused as exc:
        if exc.damaged:
            raise DomainError(
                _("%(name)s is damaged or incomplete; please send it again.")
                % {"name": label},
                field=field,
            ) from exc
        raise DomainError(
            _(
                "%(name)s is not a sound recording we can play: send WebM, Ogg, "
                "MP4 (M4A) or MP3 audio."
            )
            % {"name": label},
            field=field,
        ) from exc
    except (IndexError, struct.error, ValueError, OverflowError) as exc:
        raise DomainError(
            _("%(name)s is damaged or incomplete; please send it again.")
            % {"name": label},
            field=field,
        ) from exc
    limit = max_seconds()
    if duration is not None and duration > limit + 0.5:
        raise DomainError(
            _("%(name)s lasts longer than %(limit)s; please keep it shorter.")
            % {"name": label, "limit": limit_words(limit)},
            field=field,
        )
    content_type, extension = CONTAINERS[container]
    return ProcessedAudio(
        content=content,
        content_type=content_type,
        extension=extension,
        duration=round(duration, 2) if duration is not None else None,
        sha256=hashlib.sha256(content).hexdigest(),
        original_name=original_name,
    )


def sniff(raw: bytes) -> str | None:
    """The container the bytes begin as, by its magic: ``webm`` (EBML),
    ``ogg``, ``mp4`` (an ``ftyp`` box), ``mp3`` (ID3 or an MPEG audio frame),
    or None."""
    if raw[:4] == b"\x1a\x45\xdf\xa3":
        return "webm"
    if raw[:4] == b"OggS":
        return "ogg"
    if raw[4:8] == b"ftyp":
        return "mp4"
    if raw[:3] == b"ID3" or _mp3_frame(raw, 0) is not None:
        return "mp3"
    return None


# --- WebM (Matroska, EBML) --------------------------------------------------------

_EBML, _SEGMENT, _INFO, _TRACKS, _TRACK = (
    0x1A45DFA3,
    0x18538067,
    0x1549A966,
    0x1654AE6B,
    0xAE,
)
_CLUSTER, _BLOCK_GROUP = 0x1F43B675, 0xA0
# Masters walked into; their children are read in line, so a size the recorder
# left unknown (a live recording's segment and clusters) needs no end.
_EBML_MASTERS = {_EBML, _SEGMENT, _INFO, _TRACKS, _TRACK, _CLUSTER, _BLOCK_GROUP}
# Where a muxer writes names and titles: Tags, an Info's Title, Attachments
# (cover art), Chapters. Blanked into Void elements of the same size, so every
# position the file states (its SeekHead, its Cues) stays right.
_EBML_TAGS = {0x1254C367, 0x7BA9, 0x1941A469, 0x1043A770}
_EBML_VOID = 0xEC


def _ebml_void(total: int) -> bytes:
    """A Void element ``total`` bytes long, its size written in as many bytes
    as make it fit."""
    for length in range(1, 9):
        payload = total - 1 - length
        if 0 <= payload < (1 << (7 * length)) - 1:
            size = (1 << (7 * length)) | payload  # the length marker, then the size
            return bytes([_EBML_VOID]) + size.to_bytes(length, "big") + bytes(payload)
    raise _Refused(damaged=True)


def _vint(raw: bytes, pos: int, *, keep_marker: bool) -> tuple[int, int, bool]:
    """An EBML variable-size integer at ``pos``: (value, its length, whether
    all its value bits are set: an unknown size)."""
    first = raw[pos]
    if first == 0:
        raise _Refused(damaged=True)
    length = 9 - first.bit_length()
    value = first if keep_marker else first & (0xFF >> length)
    for byte in raw[pos + 1 : pos + length]:
        value = (value << 8) | byte
    if pos + length > len(raw):
        raise _Refused(damaged=True)
    unknown = not keep_marker and value == (1 << (7 * length)) - 1
    return value, length, unknown


def _parse_webm(raw: bytes) -> tuple[bytes, float | None]:
    content = bytearray(raw)
    doc_type = ""
    scale = 1_000_000  # TimecodeScale: nanoseconds per tick
    stated: float | None = None
    kinds: set[int] = set()
    cluster_time = 0
    last_time = -1
    pos = 0
    while pos < len(raw):
        element, id_length, _unknown = _vint(raw, pos, keep_marker=True)
        size, size_length, unknown = _vint(raw, pos + id_length, keep_marker=False)
        start = pos + id_length + size_length
        if element in _EBML_MASTERS:
            pos = start
            continue
        end = start + size
        if unknown or end > len(raw):
            raise _Refused(damaged=True)
        payload = raw[start:end]
        if element in _EBML_TAGS:
            content[pos:end] = _ebml_void(end - pos)
        elif element == 0x4282:  # DocType
            doc_type = payload.rstrip(b"\x00").decode("ascii", "replace")
        elif element == 0x2AD7B1:  # TimecodeScale
            scale = int.from_bytes(payload, "big") or scale
        elif element == 0x4489:  # Duration, in ticks
            stated = struct.unpack(">f" if size == 4 else ">d", payload)[0]
        elif element == 0x83:  # TrackType: 1 video, 2 audio
            kinds.add(int.from_bytes(payload, "big"))
        elif element == 0xE7:  # a cluster's Timecode
            cluster_time = int.from_bytes(payload, "big")
        elif element in (0xA3, 0xA1):  # SimpleBlock, Block: track, int16 time
            _track, track_length, _u = _vint(payload, 0, keep_marker=False)
            (relative,) = struct.unpack(">h", payload[track_length : track_length + 2])
            last_time = max(last_time, cluster_time + relative)
        pos = end
    if doc_type not in ("webm", "matroska") or 2 not in kinds or 1 in kinds:
        raise _Refused
    if stated is not None and stated > 0:
        return bytes(content), stated * scale / 1e9
    duration = (last_time * scale / 1e9) if last_time >= 0 else None
    return bytes(content), duration


# --- Ogg (Opus, Vorbis) -----------------------------------------------------------


def _ogg_crc_table() -> list[int]:
    table = []
    for n in range(256):
        crc = n << 24
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
        table.append(crc & 0xFFFFFFFF)
    return table


_OGG_CRC = _ogg_crc_table()


def _ogg_crc(page: bytes) -> int:
    """Ogg's page checksum (CRC-32, polynomial 0x04C11DB7, not reflected),
    over the page with its checksum field zeroed."""
    crc = 0
    for byte in page:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ _OGG_CRC[(crc >> 24) ^ byte]
    return crc


@dataclass
class _OggPage:
    flags: int
    granule: int
    serial: int
    sequence: int
    lacing: bytes
    body: bytes

    def encode(self) -> bytes:
        header = struct.pack(
            "<4sBBqIIIB",
            b"OggS",
            0,
            self.flags,
            self.granule,
            self.serial,
            self.sequence,
            0,
            len(self.lacing),
        )
        page = bytearray(header + self.lacing + self.body)
        page[22:26] = struct.pack("<I", _ogg_crc(bytes(page)))
        return bytes(page)


def _ogg_pages(raw: bytes) -> list[_OggPage]:
    """Every page, back to back from the first byte to the last, all of one
    stream, the last one ending it: a file cut short or spliced is damaged."""
    pages = []
    pos = 0
    while pos < len(raw):
        if raw[pos : pos + 4] != b"OggS" or pos + 27 > len(raw) or raw[pos + 4] != 0:
            raise _Refused(damaged=True)
        flags, granule, serial, sequence, _crc, count = struct.unpack(
            "<BqIIIB", raw[pos + 5 : pos + 27]
        )
        lacing = raw[pos + 27 : pos + 27 + count]
        start = pos + 27 + count
        end = start + sum(lacing)
        if len(lacing) != count or end > len(raw):
            raise _Refused(damaged=True)
        pages.append(_OggPage(flags, granule, serial, sequence, lacing, raw[start:end]))
        pos = end
    if not pages or not pages[0].flags & 0x02 or not pages[-1].flags & 0x04:
        raise _Refused(damaged=True)
    if any(page.serial != pages[0].serial for page in pages):
        raise _Refused  # several streams: a video's, or not one recording
    return pages


def _ogg_headers(pages: list[_OggPage], wanted: int) -> tuple[list[bytes], int]:
    """The first ``wanted`` packets (the codec's headers) and how many pages
    they fill; the sound starts on a page of its own."""
    packets: list[bytes] = []
    partial = bytearray()
    for index, page in enumerate(pages):
        at = 0
        for size in page.lacing:
            partial += page.body[at : at + size]
            at += size
            if size < 255:
                packets.append(bytes(partial))
                partial.clear()
        if len(packets) >= wanted:
            if len(packets) > wanted or partial:
                raise _Refused(damaged=True)
            return packets, index + 1
    raise _Refused(damaged=True)


def _ogg_paginate(
    packets: list[bytes], *, serial: int, sequence: int, first: bool
) -> list[_OggPage]:
    """Header packets laid out on pages (granule 0), as an encoder writes them."""
    pages: list[_OggPage] = []
    lacing = bytearray()
    body = bytearray()
    continued = False

    def flush() -> None:
        nonlocal continued
        flags = (0x01 if continued else 0) | (0x02 if first and not pages else 0)
        pages.append(
            _OggPage(
                flags, 0, serial, sequence + len(pages), bytes(lacing), bytes(body)
            )
        )
        lacing.clear()
        body.clear()

    for packet in packets:
        sizes = [255] * (len(packet) // 255) + [len(packet) % 255]
        at = 0
        for size in sizes:
            if len(lacing) == 255:
                flush()
                continued = True
            lacing.append(size)
            body.extend(packet[at : at + size])
            at += size
        continued = False
    flush()
    return pages


def _ogg_vendor(packet: bytes, offset: int) -> bytes:
    (length,) = struct.unpack("<I", packet[offset : offset + 4])
    if offset + 4 + length > len(packet):
        raise _Refused(damaged=True)
    return packet[offset + 4 : offset + 4 + length]


def _parse_ogg(raw: bytes) -> tuple[bytes, float | None]:
    pages = _ogg_pages(raw)
    first = pages[0].body
    if first.startswith(b"OpusHead"):
        codec, wanted = "opus", 2
        rate, offset = 48_000, struct.unpack("<H", first[10:12])[0]
    elif first.startswith(b"\x01vorbis"):
        codec, wanted = "vorbis", 3
        rate, offset = struct.unpack("<I", first[12:16])[0], 0
    else:
        raise _Refused  # Theora (video), Speex (no browser plays it), not sound
    headers, header_pages = _ogg_headers(pages, wanted)
    # The comments (title, artist, where it was made) go; the encoder's name stays.
    if codec == "opus":
        if not headers[1].startswith(b"OpusTags"):
            raise _Refused(damaged=True)
        vendor = _ogg_vendor(headers[1], 8)
        headers[1] = b"OpusTags" + struct.pack("<I", len(vendor)) + vendor + bytes(4)
        layout = [headers[:1], headers[1:]]
    else:
        if not headers[1].startswith(b"\x03vorbis"):
            raise _Refused(damaged=True)
        vendor = _ogg_vendor(headers[1], 7)
        headers[1] = (
            b"\x03vorbis" + struct.pack("<I", len(vendor)) + vendor + bytes(4) + b"\x01"
        )
        layout = [headers[:1], headers[1:]]
    serial = pages[0].serial
    rebuilt: list[_OggPage] = []
    for group in layout:
        rebuilt += _ogg_paginate(
            group, serial=serial, sequence=len(rebuilt), first=not rebuilt
        )
    shift = len(rebuilt) - header_pages
    content = bytearray(b"".join(page.encode() for page in rebuilt))
    sound = sum(27 + len(p.lacing) + len(p.body) for p in pages[:header_pages])
    if shift == 0:
        content += raw[sound:]
    else:  # the pages that follow are numbered anew
        for page in pages[header_pages:]:
            page.sequence += shift
            content += page.encode()
    # The last page holds the stream's position in samples.
    granule = pages[-1].granule
    if not rate or granule < 0:
        return bytes(content), None
    return bytes(content), max(0, granule - offset) / rate


# --- MP4 (M4A, and Safari's recorder) ---------------------------------------------

_MP4_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"mvex", b"moof", b"traf"}
# Where a phone's recorder writes names, titles and the place it was recorded.
_MP4_TAGS = {b"udta", b"meta"}


def _boxes(raw: bytes, start: int, end: int) -> list[tuple[bytes, int, int, int]]:
    """The boxes between ``start`` and ``end``: (type, start, payload, end)."""
    found = []
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack(">I4s", raw[pos : pos + 8])
        payload = pos + 8
        if size == 1:
            (size,) = struct.unpack(">Q", raw[pos + 8 : pos + 16])
            payload = pos + 16
        elif size == 0:
            size = end - pos
        if size < payload - pos or pos + size > end:
            raise _Refused(damaged=True)
        found.append((kind, pos, payload, pos + size))
        pos += size
    if pos != end:
        raise _Refused(damaged=True)
    return found


def _full_box_times(raw: bytes, payload: int) -> tuple[int, int]:
    """(timescale, duration) of an ``mvhd`` or ``mdhd`` box."""
    if raw[payload] == 1:
        return struct.unpack(">IQ", raw[payload + 20 : payload + 32])
    return struct.unpack(">II", raw[payload + 12 : payload + 20])


def _parse_mp4(raw: bytes) -> tuple[bytes, float | None]:
    content = bytearray(raw)
    handlers: list[bytes] = []
    movie: tuple[int, int] | None = None
    sound_scale = 0
    fragments_end = 0  # in the sound track's timescale
    defaults: dict[int, int] = {}

    def walk(start: int, end: int) -> None:
        nonlocal movie, sound_scale, fragments_end
        track_handler = b""
        track_scale = 0
        decode_time = 0
        track_id = 0
        for kind, box, payload, box_end in _boxes(raw, start, end):
            if kind in _MP4_TAGS:
                # Blank, not cut: cutting would move every sample's offset.
                content[box + 4 : box + 8] = b"free"
                content[box + 8 : box_end] = bytes(box_end - box - 8)
            elif kind in _MP4_CONTAINERS:
                walk(payload, box_end)
            elif kind == b"mvhd":
                movie = _full_box_times(raw, payload)
            elif kind == b"mdhd":
                track_scale = _full_box_times(raw, payload)[0]
            elif kind == b"hdlr":
                track_handler = raw[payload + 8 : payload + 12]
                handlers.append(track_handler)
            elif kind == b"trex":  # a track's default sample duration
                tid, _index, duration = struct.unpack(
                    ">III", raw[payload + 4 : payload + 16]
                )
                defaults[tid] = duration
            elif kind == b"tfhd":
                flags = int.from_bytes(raw[payload + 1 : payload + 4], "big")
                (track_id,) = struct.unpack(">I", raw[payload + 4 : payload + 8])
                at = (
                    payload
                    + 8
                    + (8 if flags & 0x01 else 0)
                    + (4 if flags & 0x02 else 0)
                )
                if flags & 0x08:
                    (defaults[-track_id],) = struct.unpack(">I", raw[at : at + 4])
            elif kind == b"tfdt":
                version = raw[payload]
                (decode_time,) = struct.unpack(
                    ">Q" if version == 1 else ">I",
                    raw[payload + 4 : payload + (12 if version == 1 else 8)],
                )
            elif kind == b"trun":
                flags = int.from_bytes(raw[payload + 1 : payload + 4], "big")
                (count,) = struct.unpack(">I", raw[payload + 4 : payload + 8])
                at = (
                    payload
                    + 8
                    + (4 if flags & 0x01 else 0)
                    + (4 if flags & 0x04 else 0)
                )
                each = 4 * bin(flags & 0xF00).count("1")
                default = defaults.get(-track_id, defaults.get(track_id, 0))
                total = 0
                for n in range(count):
                    if flags & 0x100:
                        (step,) = struct.unpack(
                            ">I", raw[at + n * each : at + n * each + 4]
                        )
                        total += step
                    else:
                        total += default
                fragments_end = max(fragments_end, decode_time + total)
        if track_handler == b"soun" and track_scale:
            sound_scale = track_scale

    top = _boxes(raw, 0, len(raw))
    if not any(kind == b"moov" for kind, *_rest in top):
        raise _Refused(damaged=True)
    walk(0, len(raw))
    if b"soun" not in handlers or b"vide" in handlers:
        raise _Refused
    duration: float | None = None
    if movie is not None and movie[0] and movie[1] and movie[1] != 0xFFFFFFFF:
        duration = movie[1] / movie[0]
    elif fragments_end and sound_scale:  # fragmented: the fragments' end
        duration = fragments_end / sound_scale
    return bytes(content), duration


# --- MP3 --------------------------------------------------------------------------

_MP3_BITRATES = {
    1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_MP3_RATES = (44_100, 48_000, 32_000)


def _mp3_frame(raw: bytes, pos: int) -> tuple[int, int, int, int] | None:
    """An MPEG audio layer III frame header at ``pos``: (length in bytes,
    bitrate in kbit/s, sample rate, samples per frame), or None."""
    if pos + 4 > len(raw) or raw[pos] != 0xFF or raw[pos + 1] & 0xE0 != 0xE0:
        return None
    version = (raw[pos + 1] >> 3) & 0x03  # 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
    layer = (raw[pos + 1] >> 1) & 0x03  # 1: layer III
    bitrate_index = raw[pos + 2] >> 4
    rate_index = (raw[pos + 2] >> 2) & 0x03
    if version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    mpeg1 = version == 3
    bitrate = _MP3_BITRATES[1 if mpeg1 else 2][bitrate_index]
    rate = _MP3_RATES[rate_index] // (1 if mpeg1 else 2 if version == 2 else 4)
    padding = (raw[pos + 2] >> 1) & 0x01
    samples = 1152 if mpeg1 else 576
    length = (samples // 8) * bitrate * 1000 // rate + padding
    return length, bitrate, rate, samples


def _parse_mp3(raw: bytes) -> tuple[bytes, float | None]:
    start = 0
    if raw[:3] == b"ID3":
        size = 0
        for byte in raw[6:10]:
            if byte & 0x80:
                raise _Refused(damaged=True)
            size = (size << 7) | byte
        start = 10 + size + (10 if raw[5] & 0x10 else 0)
    end = len(raw) - 128 if raw[-128:-125] == b"TAG" else len(raw)
    first = _mp3_frame(raw, start)
    if first is None:
        raise _Refused
    _length, _bitrate, rate, samples = first
    # Frame after frame to the end: one header by chance is not a stream of
    # them, and a last frame that breaks off is a file cut short.
    frames = 0
    pos = start
    while pos < end:
        frame = _mp3_frame(raw, pos)
        if frame is None:
            if frames == 1:
                raise _Refused
            if raw[pos : pos + 8] == b"APETAGEX":  # a tag after the sound
                end = pos
                break
            raise _Refused(damaged=True)
        if pos + frame[0] > end:
            raise _Refused(damaged=True)
        pos += frame[0]
        frames += 1
    # A Xing or Info header in the first frame counts the frames itself.
    mono = (raw[start + 3] >> 6) == 3
    mpeg1 = samples == 1152
    side = (17 if mono else 32) if mpeg1 else (9 if mono else 17)
    xing = start + 4 + side
    duration = frames * samples / rate
    if raw[xing : xing + 4] in (b"Xing", b"Info"):
        (flags,) = struct.unpack(">I", raw[xing + 4 : xing + 8])
        if flags & 0x01:
            (counted,) = struct.unpack(">I", raw[xing + 8 : xing + 12])
            duration = counted * samples / rate
    # The tags go (ID3v2 before the sound, ID3v1 after): only the frames stay.
    return raw[start:end], duration


_PARSERS = {
    "webm": _parse_webm,
    "ogg": _parse_ogg,
    "mp4": _parse_mp4,
    "mp3": _parse_mp3,
}
