"""The discipline channel's fixtures: three bodies one above the other (the
city's 纪委监委 over the district's over the street's 纪工委), everyone who
holds a post in them, each with a confirmed TOTP device, and helpers that
bring reports about through the actions people use."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from civicgrid.discipline import actions
from civicgrid.discipline.models import Body, Channel, Matter, Post, Report
from conftest import make_user

MARKER = "MARKER-纪检-7c1e0b"


@dataclass
class Sealed:
    city: Body
    district: Body
    street: Body
    users: dict[str, Any]

    def __getitem__(self, name: str) -> Any:
        return self.users[name]


ROSTER = {
    # name: (full name, body, post)
    "head": ("卓玛", "district", Post.Kind.HEAD),
    "officer": ("平措", "district", Post.Kind.OFFICER),
    "officer2": ("旺堆", "district", Post.Kind.OFFICER),
    "custodian": ("央金", "district", Post.Kind.CUSTODIAN),
    "principal": ("罗布次仁", "district", Post.Kind.PRINCIPAL),
    "office": ("格桑", "district", Post.Kind.PRINCIPAL_OFFICE),
    "city_head": ("尼玛", "city", Post.Kind.HEAD),
    "city_officer": ("达瓦", "city", Post.Kind.OFFICER),
    "city_custodian": ("白玛", "city", Post.Kind.CUSTODIAN),
    "street_head": ("普布", "street", Post.Kind.HEAD),
    "street_officer": ("索朗", "street", Post.Kind.OFFICER),
}


def device_for(user: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def token(device: TOTPDevice) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:06d}"


@pytest.fixture
def sealed(street) -> Sealed:
    city = Body.objects.create(
        name="拉萨市纪委监委",
        code="ls",
        area=street.city,
        address="拉萨市城关区",
        visiting_hours="工作日 9:00-12:00",
    )
    district = Body.objects.create(
        name="堆龙德庆区纪委监委",
        code="dl",
        area=street.district,
        parent=city,
        address="堆龙德庆区东嘎镇",
        visiting_hours="工作日 9:00-12:00, 15:30-18:00",
    )
    street_body = Body.objects.create(
        name="东嘎街道纪工委",
        code="dg",
        area=street.street,
        parent=district,
        address="东嘎街道办事处二楼",
        visiting_hours="工作日 10:00-12:00",
    )
    bodies = {"city": city, "district": district, "street": street_body}
    users = {}
    for name, (full_name, body, kind) in ROSTER.items():
        user = make_user(f"d_{name}", full_name)
        actions.post_add(body=bodies[body], user=user, kind=kind)
        device_for(user)
        users[name] = user
    users["superuser"] = make_user("d_root", "管理员", is_superuser=True, is_staff=True)
    return Sealed(city, district, street_body, users)


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def photo(name: str = "evidence.jpg", colour: str = "red") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def pdf(text: str = MARKER) -> SimpleUploadedFile:
    body = f"%PDF-1.4\n1 0 obj << /Title ({text}) >> endobj\ntrailer\n%%EOF\n"
    return SimpleUploadedFile("doc.pdf", body.encode(), content_type="application/pdf")


def submit(body: Body, **extra: Any) -> actions.Submitted:
    fields: dict[str, Any] = {
        "body": body,
        "channel": Channel.ONLINE,
        "matter": Matter.DUTY_VIOLATION,
        "accused_name": "某某",
        "accused_unit": "某局",
        "accused_post": "副局长",
        "what": "收受红包",
        "when": "2026年3月",
    }
    fields.update(extra)
    return actions.report_submit(**fields)


def granted(sealed: Sealed, report: Report, officer: str = "officer") -> Report:
    head = "city_head" if report.body == sealed.city else "head"
    if report.body == sealed.street:
        head = "street_head"
    actions.grant_give(
        report=report, officer=sealed[officer], reason="承办", acting_user=sealed[head]
    )
    report.refresh_from_db()
    return report


def verified_login(client: Any, user: Any) -> None:
    """Sign ``user`` in with their second factor passed, as the verify page
    leaves a session."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user).first() or device_for(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def audit_cleared_at_teardown(transactional_db: Any) -> Any:
    """For tests that commit (a live server): the test runner empties every
    table afterwards, which SQLite's append-only triggers on the audit log
    refuse (PostgreSQL's runner truncates, which they allow). Empty the log
    with the triggers lifted, then put them back, before the runner flushes."""
    yield
    import importlib

    from django.db import connection

    if connection.vendor != "sqlite":
        return
    migration = importlib.import_module(
        "civicgrid.discipline.migrations.0002_audit_append_only"
    )
    with connection.cursor() as cursor:
        for statement in migration.SQLITE_DROP:
            cursor.execute(statement)
        cursor.execute("DELETE FROM discipline_auditentry")
        for statement in migration.SQLITE:
            cursor.execute(statement)


# --- helpers for the action tests --------------------------------------------------


def valid_id_number(first17: str = "54010319900101123") -> str:
    """An ID number with the right check digit (a Lhasa resident born 1990)."""
    from civicgrid.core.pii import id_check_digit

    return first17 + id_check_digit(first17)


def real_name(**extra: Any) -> dict[str, Any]:
    """The fields of a real-name report (实名举报)."""
    fields = {
        "real_name": True,
        "name": "张三",
        "phone": "13800000000",
        "id_number": valid_id_number(),
        "address": "东嘎社区3号",
    }
    fields.update(extra)
    return fields


def files_in(root: Any) -> list[Any]:
    """Every file under ``root`` (the media folder), none if it was never made."""
    from pathlib import Path

    root = Path(root)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def trail(report: Report) -> list[str]:
    """The audit actions recorded for ``report``, oldest first."""
    from civicgrid.discipline.models import AuditEntry

    return list(
        AuditEntry.objects.filter(report=report)
        .order_by("seq")
        .values_list("action", flat=True)
    )


def kinds(steps: Any) -> list[str]:
    return [step.kind for step in steps]


def last_step(report: Report) -> Any:
    return report.steps.order_by("-at", "-pk").first()


def words(report: Report, step: Any) -> dict:
    return actions.read_words(report, step)


def bring(sealed: Sealed, to: str, officer: str = "officer", **extra: Any) -> Report:
    """A district report, granted to ``officer``, brought to ``to`` through the
    actions the officer and the reporter use. ``to`` is a state, or
    ``objected_not_accepted`` for an objection to a refusal."""
    from civicgrid.discipline.models import Disposal

    S = Report.State
    report = granted(sealed, submit(sealed.district, **extra).report, officer)
    user = sealed[officer]
    if to == S.RECEIVED:
        return report
    actions.report_register(report=report, matter=report.matter, acting_user=user)
    if to == S.REGISTERED:
        return _fresh(report)
    if to in (S.NOT_ACCEPTED, "objected_not_accepted"):
        actions.report_not_accept(
            report=report, reason="不属于受理范围", go_to="litigation", acting_user=user
        )
        if to == S.NOT_ACCEPTED:
            return _fresh(report)
        actions.reporter_object(report=report, text="我不同意")
        return _fresh(report)
    actions.report_accept(report=report, notice="已受理", acting_user=user)
    if to == S.ACCEPTED:
        return _fresh(report)
    actions.report_dispose(report=report, disposal=Disposal.VERIFY, acting_user=user)
    if to == S.DISPOSED:
        return _fresh(report)
    actions.report_conclude(report=report, result="问题属实", acting_user=user)
    if to == S.CONCLUDED:
        return _fresh(report)
    actions.report_feed_back(report=report, result="已给予处分", acting_user=user)
    if to == S.FED_BACK:
        return _fresh(report)
    actions.reporter_object(report=report, text="处理太轻")
    assert to == S.OBJECTED, to
    return _fresh(report)


def _fresh(report: Report) -> Report:
    report.refresh_from_db()
    return report
