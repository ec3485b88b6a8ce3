"""The demo's sealed channel: three bodies and their roster, each login with a
TOTP device on the demo key, and a year of forty reports in every state and
with all four disposals — one about the district's principal at the city, two
sent up a level, objections reopened and answered — whose late steps are on
the heads' desks, with the audit chain whole, none of the reports' words in
the database in the clear, and nothing added by seeding again."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from civicgrid.accounts.models import User
from civicgrid.core import clock
from civicgrid.discipline import audit, selectors
from civicgrid.discipline.demo import reports as demo
from civicgrid.discipline.models import (
    Alert,
    Attachment,
    AuditEntry,
    Body,
    Channel,
    Code,
    Disposal,
    Grant,
    Identity,
    IdentityRequest,
    Matter,
    Post,
    Report,
    Step,
)
from conftest import make_user

pytestmark = pytest.mark.django_db

S = Report.State


@pytest.fixture
def demo_year(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=StringIO())
    return tmp_path / "media"


def _user(username: str) -> User:
    return User.objects.get(username=username)


def test_the_year_has_every_state_disposal_channel_and_kind_of_matter(demo_year):
    reports = Report.objects.all()
    assert reports.count() == len(demo.CASES) == 40
    assert {r.state for r in reports} == set(S.values)
    assert {r.disposal for r in reports} - {""} == set(Disposal.values)
    assert {r.channel for r in reports} == set(Channel.values)
    assert {r.matter for r in reports} == set(Matter.values)
    real = reports.filter(real_name=True).count()
    assert Identity.objects.count() == real
    assert 0.25 <= real / 40 <= 0.4
    assert Attachment.objects.values("report").distinct().count() >= 8
    assert reports.filter(channel=Channel.QR, code__isnull=True).count() == 0
    assert Code.objects.get(label=demo.QR_LABEL).scans >= 5
    # The year: December to November, each step at or after its report came in.
    for report in reports:
        local = report.received_at.astimezone(clock.now().tzinfo)
        assert (2025, 12) <= (local.year, local.month) <= (2026, 11)
        assert report.created_at == report.received_at
    december = timezone.make_aware(dt.datetime(2026, 12, 1))  # noqa: DTZ001
    for step in Step.objects.select_related("report"):
        assert step.report.received_at <= step.at < december


def test_the_rules_paths_are_all_there(demo_year):
    city, district, street = (Body.objects.get(code=c) for c in ("ls", "dl", "dg"))
    assert (district.parent, street.parent, city.parent) == (city, district, None)
    assert district.address == "堆龙德庆区东嘎镇"
    assert district.visiting_hours == "工作日 9:30-12:30、15:30-18:00"
    assert {b.hotline for b in (city, district, street)} == {"12388"}

    # The report about the district's principal went up to the city.
    about = Report.objects.get(concerns_principal_of__isnull=False)
    assert (about.body, about.lodged_with, about.concerns_principal_of) == (
        city,
        district,
        district,
    )
    assert about.state == S.DISPOSED and about.disposal == Disposal.VERIFY
    for who in ("dl_principal", "dl_office"):
        assert not selectors.granted_reports(_user(who)).filter(pk=about.pk).exists()
    assert selectors.report_for(_user("ls_officer"), about.number) == about

    # Two sent up a level by an officer, each handled there by a new grant.
    referred = Step.objects.filter(kind=Step.Kind.REFERRED, actor__isnull=False)
    assert referred.count() == 2
    assert {(s.body.code, s.report.body.code) for s in referred} == {
        ("dg", "dl"),
        ("dl", "ls"),
    }
    for step in referred:
        grants = Grant.objects.filter(report=step.report)
        assert grants.filter(revoked_at__isnull=False).exists()  # ended below
        assert grants.filter(revoked_at__isnull=True).exists()  # given above

    # Not accepted with where to go instead; objections reopened, answered, open.
    assert Report.objects.filter(state=S.NOT_ACCEPTED).count() == 4
    kinds = set(Step.objects.values_list("kind", flat=True))
    assert {Step.Kind.REOPENED, Step.Kind.UPHELD, Step.Kind.REVOKED} <= kinds
    assert Report.objects.filter(state=S.OBJECTED).count() == 1
    assert set(IdentityRequest.objects.values_list("state", flat=True)) == {
        IdentityRequest.State.PENDING,
        IdentityRequest.State.APPROVED,
        IdentityRequest.State.REFUSED,
    }
    # Every officer entry and grant went to someone of the report's body.
    for held in Grant.objects.filter(revoked_at__isnull=True).select_related(
        "report__body"
    ):
        assert Post.objects.filter(
            body=held.report.body, user=held.officer, ended_at__isnull=True
        ).exists()


def test_what_is_late_is_on_the_heads_desks_and_the_audit_chain_holds(demo_year):
    late = selectors.alerts_for(_user("dl_head"))
    assert {a.kind for a in late} == set(Alert.Kind.values)
    assert all(a.report.body.code == "dl" for a in late)
    # Alerts of the year were raised and cleared as steps were taken.
    assert Alert.objects.filter(cleared_at__isnull=False).exists()
    assert not selectors.alerts_for(_user("dl_officer")).exists()
    assert list(audit.verify()) == []
    assert AuditEntry.objects.filter(action="identity.viewed").count() == 3


def test_every_discipline_login_has_the_demo_authenticator(demo_year):
    for username, _name, code, kind in demo.ROSTER:
        user = _user(username)
        assert user.check_password("civicgrid-demo-2026")
        assert Post.objects.filter(user=user, body__code=code, kind=kind).exists()
        device = TOTPDevice.objects.get(user=user)
        assert device.confirmed and device.key == demo.DEMO_TOTP_KEY
    assert _user("discipline").full_name == "德吉"
    assert f"secret={demo.demo_totp_base32()}" in device.config_url


def test_seeding_the_demo_again_adds_nothing(demo_year):
    def counts() -> tuple[int, ...]:
        return tuple(
            model.objects.count()
            for model in (
                Body,
                Post,
                User,
                TOTPDevice,
                Code,
                Report,
                Step,
                Grant,
                Attachment,
                IdentityRequest,
                Alert,
                AuditEntry,
            )
        )

    before = counts()
    assert demo.seed_reports() == "3 discipline bodies, 40 reports"
    call_command("seed_demo", stdout=StringIO())
    assert counts() == before


def _words() -> list[str]:
    """What the reporters and officers wrote, as the demo has it."""
    sealed = {"say", "write", "object", "conclude", "feed_back", "reopen", "uphold"}
    words = [case.what for case in demo.CASES]
    words += [
        deed.text for case in demo.CASES for deed in case.deeds if deed.do in sealed
    ]
    return words


def test_no_reports_words_are_in_the_database_in_the_clear(demo_year):
    connection.ensure_connection()
    if connection.vendor != "sqlite":
        pytest.skip("the dump is SQLite's")
    dump = "\n".join(connection.connection.iterdump())
    # The docket's clear columns are in the dump (a report's number); a
    # grant's reason, which an officer types, is encrypted like the words.
    first = Report.objects.first()
    assert first is not None
    assert first.number in dump
    assert "按分工承办" not in dump
    assert "草原生态保护补助奖励" not in dump
    for text in _words():
        assert text not in dump
        assert json.dumps(text)[1:-1] not in dump
    for case in demo.CASES:
        if case.reporter:
            assert case.reporter[1] not in dump
    # The evidence files are ciphertext: not one is a JPEG on the disk.
    files = list((demo_year / "discipline").iterdir())
    assert len(files) == Attachment.objects.count() >= 10
    assert not any(path.read_bytes().startswith(b"\xff\xd8") for path in files)


def test_the_readme_gives_the_demo_key():
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    assert f"`{demo.demo_totp_base32()}`" in readme
    assert "discipline-demo-totp" in readme


def test_the_demo_code_command_prints_a_code_only_for_the_demo_key():
    user = make_user("dl_head", "次仁央宗")
    device = TOTPDevice.objects.create(
        user=user, name="demo", key=demo.DEMO_TOTP_KEY, confirmed=True
    )
    out = StringIO()
    call_command("discipline_demo_totp", "dl_head", stdout=out)
    code = out.getvalue().strip()
    assert code == f"{totp(device.bin_key):06d}"
    assert device.verify_token(code)

    real = make_user("officer_real", "某某")
    TOTPDevice.objects.create(user=real, name="phone", confirmed=True)
    with pytest.raises(CommandError, match="demo key"):
        call_command("discipline_demo_totp", "officer_real", stdout=StringIO())
    with pytest.raises(CommandError, match="No user"):
        call_command("discipline_demo_totp", "nobody", stdout=StringIO())
