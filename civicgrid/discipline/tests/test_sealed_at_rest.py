"""Sealed at rest: with every word a reporter or an officer can write holding
MARKER, neither the whole database nor any file under MEDIA_ROOT holds
MARKER in any form — as text, as its ASCII part, JSON-escaped, or as the
bytes of a blob — and no receipt is there either."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from civicgrid.discipline import actions
from civicgrid.discipline.models import Channel, Disposal

from .conftest import MARKER, files_in, granted, pdf, photo, real_name, submit

M = MARKER


def every_word(sealed):
    """Reports in every state that holds words, each word with MARKER."""
    officer = sealed["officer"]
    content = {
        "accused_name": M,
        "accused_unit": f"{M} 局",
        "accused_post": f"{M} 副局长",
        "when": f"{M} 三月",
        "what": f"{M} 收受红包 " * 20,
    }
    named = real_name(name=M, phone=M, address=f"{M} 东嘎社区")
    attachment = pdf()
    attachment.name = f"{M}.pdf"
    picture = photo(f"{M}.jpg")
    submitted = [
        submit(sealed.district, **content, **named, uploads=[attachment, picture]),
        submit(sealed.district, **content),
        submit(sealed.district, **content, about_principal=True),
        submit(
            sealed.district,
            **content,
            **named,
            channel=Channel.LETTER,
            acting_user=officer,
        ),
    ]
    first = granted(sealed, submitted[0].report)
    actions.report_open(report=first, acting_user=officer)
    actions.report_register(
        report=first, matter=first.matter, note=M, acting_user=officer
    )
    actions.report_accept(report=first, notice=M, told_by=M, acting_user=officer)
    actions.officer_message(report=first, text=M, acting_user=officer)
    actions.reporter_message(report=first, text=M, uploads=[pdf()])
    actions.report_dispose(
        report=first, disposal=Disposal.HOLD, note=M, acting_user=officer
    )
    actions.report_dispose(
        report=first, disposal=Disposal.VERIFY, note=M, acting_user=officer
    )
    actions.report_conclude(report=first, result=M, acting_user=officer)
    actions.report_feed_back(report=first, result=M, told_by=M, acting_user=officer)
    actions.reporter_object(report=first, text=M, uploads=[pdf()])
    actions.report_reopen(report=first, reason=M, acting_user=officer)
    request = actions.identity_request(
        report=first, reason="核实身份", acting_user=officer
    )
    actions.identity_decide(
        request=request, approve=True, reason="同意", acting_user=sealed["custodian"]
    )
    assert actions.identity_reveal(report=first, acting_user=officer)["name"] == M
    stored = first.attachments.first()
    assert stored is not None
    body, _type = actions.attachment_open(attachment=stored, acting_user=officer)
    assert M.encode() in body  # the PDF itself holds MARKER

    second = granted(sealed, submitted[1].report, "officer2")
    officer2 = sealed["officer2"]
    actions.report_register(report=second, matter=second.matter, acting_user=officer2)
    actions.report_not_accept(
        report=second,
        reason=M,
        go_to="other_body",
        go_to_detail=M,
        told_by=M,
        acting_user=officer2,
    )
    actions.reporter_object(report=second, text=M)
    actions.objection_uphold(report=second, answer=M, acting_user=officer2)

    # The one sent up a level at intake, and one sent up by the officer.
    granted(sealed, submitted[2].report, "city_officer")
    actions.report_refer(report=submitted[3].report, reason=M, acting_user=officer)
    actions.receipt_open(receipt=submitted[0].receipt)
    return submitted


def table_values() -> bytes:
    """Every value of every column of every table, as bytes."""
    chunks = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 — our tables
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | bytearray | memoryview):
                        chunks.append(bytes(value))
                    else:
                        chunks.append(str(value).encode())
    return b"\n".join(chunks)


def sqlite_dump() -> bytes:
    return "\n".join(connection.connection.iterdump()).encode()


NEEDLES = [
    M.encode(),  # MARKER as UTF-8
    b"MARKER",  # its ASCII parts
    b"-7c1e0b",
    json.dumps(M)[1:-1].encode(),  # JSON-escaped: MARKER-\u7eaa\u68c0-7c1e0b
]


def assert_nowhere(haystack: bytes, needles: list[bytes], where: str) -> None:
    for needle in needles:
        assert needle not in haystack, f"{needle!r} found in {where}"


@pytest.fixture
def seeded(sealed, media):
    return every_word(sealed)


def test_no_word_of_any_report_is_in_the_database(seeded):
    dump = table_values()
    assert len(dump) > 10_000  # the dump did read the tables
    assert_nowhere(dump, NEEDLES, "the tables")


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="iterdump is SQLite's own dump"
)
def test_no_word_of_any_report_is_in_the_sqlite_dump(seeded):
    dump = sqlite_dump()
    assert b"discipline_report" in dump
    # Blobs are dumped as X'…' hex: look for MARKER's bytes that way too.
    hexed = [M.encode().hex().upper().encode(), b"MARKER".hex().upper().encode()]
    assert_nowhere(dump, NEEDLES + hexed, "the SQLite dump")


def test_no_word_of_any_report_is_in_the_files(seeded, media):
    files = files_in(media)
    assert len(files) == 4  # the PDF and the photo, and two added later
    for path in files:
        assert_nowhere(path.read_bytes(), NEEDLES, str(path))


def test_no_receipt_is_in_the_database(seeded):
    dump = table_values()
    if connection.vendor == "sqlite":
        dump += sqlite_dump()
    for submitted in seeded:
        assert submitted.receipt.encode() not in dump


def test_the_words_are_there_for_those_who_hold_the_keys(seeded, sealed):
    """The check above is not vacuous: the sealed columns do open to MARKER."""
    report = seeded[0].report
    report.refresh_from_db()
    assert actions.read_content(report)["accused_name"] == M
    texts = [actions.read_words(report, step) for step in report.steps.all()]
    assert any(M in json.dumps(words, ensure_ascii=False) for words in texts)
