"""What the sealed channel keeps of a reporter, over HTTP: nothing of their
address or browser — in no table and no log line, whatever headers the
request came with — and neither the receipt nor what they wrote in the
clear. And the headers and pages every answer under /discipline/ has:
never cached, a strict Content-Security-Policy, no referrer to another site,
no inline script or style and no address of another host."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from civicgrid.discipline import actions, qr
from civicgrid.discipline.middleware import CSP
from civicgrid.discipline.models import IdentityRequest, Report

from .conftest import MARKER, granted, pdf, photo, submit, token, verified_login
from .pages import (
    assert_clean_page,
    database_dump,
    every_log_line,
    open_report,
    post_report,
    receipt_of,
)

ADDRESS = "203.0.113.77"
FORWARDED = "198.51.100.9"
BROWSER = "UA-MARKER-Firefox"
TRACES = (ADDRESS, FORWARDED, "UA-MARKER")
HEADERS: dict[str, Any] = {
    "REMOTE_ADDR": ADDRESS,
    "HTTP_X_FORWARDED_FOR": FORWARDED,
    "HTTP_X_REAL_IP": ADDRESS,
    "HTTP_FORWARDED": f"for={FORWARDED}",
    "HTTP_USER_AGENT": BROWSER,
    "HTTP_SEC_CH_UA": BROWSER,
}


def traced_client() -> Client:
    return Client(**HEADERS)


def test_a_reporter_leaves_no_address_browser_or_receipt_behind(sealed, media, caplog):
    reporter = traced_client()
    with every_log_line(caplog) as lines:
        reporter.get(reverse("discipline:start"))
        reporter.get(reverse("discipline:report", args=["dl"]))
        refused = post_report(reporter, accused_name="")  # a refusal, logged
        assert refused.status_code == 400
        sent = post_report(reporter, evidence=[photo(), pdf()])
        assert sent.status_code == 200
        receipt = receipt_of(sent)
        wrong = reporter.post(
            reverse("discipline:follow_up"), {"receipt": "0000 0000 0000 0000"}
        )
        assert wrong.status_code == 400
        open_report(reporter, receipt)
        assert reporter.get(reverse("discipline:follow_up_report")).status_code == 200
        reporter.post(
            reverse("discipline:follow_up_message"),
            {"text": f"补充 {MARKER}", "evidence": [photo("more.jpg")]},
        )
        reporter.post(reverse("discipline:follow_up_leave"))
        assert reporter.get(reverse("discipline:follow_up_report")).status_code == 404
    assert lines, "no log line was captured: the capture is broken"
    shown = " ".join(receipt[i : i + 4] for i in range(0, 16, 4))
    secrets = (*TRACES, receipt, shown, MARKER)
    for line in lines:
        for secret in secrets:
            assert secret not in line, (secret, line)
    dump = database_dump()
    assert Report.objects.get().number in dump  # the dump holds the rows
    for secret in secrets:
        assert secret not in dump, secret


def test_the_officers_desk_keeps_no_address_or_browser_either(sealed, media, caplog):
    report = granted(
        sealed, submit(sealed.district, uploads=[photo()], what=MARKER).report
    )
    officer = sealed["officer"]
    desk = traced_client()
    with every_log_line(caplog) as lines:
        desk.force_login(officer)
        device = TOTPDevice.objects.get(user=officer)
        verified = desk.post(reverse("discipline:verify"), {"token": token(device)})
        assert verified.status_code == 302
        page = desk.get(reverse("discipline:report_detail", args=[report.number]))
        assert page.status_code == 200
        desk.post(
            reverse("discipline:step", args=[report.number, "register"]),
            {"matter": "duty_violation", "note": "登记"},
        )
        attachment = report.attachments.first()
        assert attachment is not None
        desk.get(reverse("discipline:attachment", args=[report.number, attachment.uid]))
    dump = database_dump()
    for secret in TRACES:
        assert secret not in dump, secret
        for line in lines:
            assert secret not in line, (secret, line)


# --- headers and pages ----------------------------------------------------------


def tour(sealed: Any) -> list[tuple[str, Any]]:
    """(what, response) of every kind of page: the reporter's, each post's,
    the refusals and the 404s."""
    seen: list[tuple[str, Any]] = []

    def visit(client: Client, label: str, method: str, url: str, *a, **kw) -> Any:
        response = getattr(client, method)(url, *a, **kw)
        seen.append(
            (f"{label} {method.upper()} {url} → {response.status_code}", response)
        )
        return response

    reporter = Client()
    visit(reporter, "reporter", "get", reverse("discipline:start"))
    visit(reporter, "reporter", "get", reverse("discipline:report", args=["dl"]))
    visit(
        reporter,
        "reporter",
        "post",
        reverse("discipline:report", args=["dl"]),
        {"lang": "en"},
    )
    sent = post_report(
        reporter,
        evidence=[photo(), pdf()],
        real_name="1",
        name="张三",
        phone="13800000000",
    )
    seen.append(("reporter POST the report (receipt)", sent))
    receipt = receipt_of(sent)
    visit(reporter, "reporter", "get", reverse("discipline:follow_up"))
    visit(
        reporter, "reporter", "post", reverse("discipline:follow_up"), {"receipt": "1"}
    )
    opened = visit(
        reporter,
        "reporter",
        "post",
        reverse("discipline:follow_up"),
        {"receipt": receipt},
    )
    visit(reporter, "reporter", "get", opened["Location"])
    visit(
        reporter,
        "reporter",
        "post",
        reverse("discipline:follow_up_message"),
        {"text": ""},
    )
    visit(
        reporter,
        "reporter",
        "post",
        reverse("discipline:follow_up_message"),
        {"text": "补充"},
    )
    visit(
        reporter,
        "reporter",
        "post",
        reverse("discipline:follow_up_object"),
        {"text": "不服"},
    )
    visit(reporter, "reporter", "get", reverse("discipline:follow_up_message"))
    visit(reporter, "reporter", "post", reverse("discipline:follow_up_leave"))
    visit(reporter, "reporter", "get", reverse("discipline:follow_up_report"))
    visit(reporter, "reporter", "get", "/discipline/no-such-page/")

    report = Report.objects.get()
    head = sealed["head"]
    code = actions.code_create(
        body=sealed.district,
        kind="unit",
        label="巡察组",
        target="某局",
        questions="作风? | 好 | 差",
        acting_user=head,
    )
    token_ = qr.token(code)
    visit(reporter, "scanner", "get", reverse("discipline:scan", args=[token_]))
    visit(reporter, "scanner", "get", reverse("discipline:survey", args=[token_]))
    visit(
        reporter,
        "scanner",
        "post",
        reverse("discipline:survey", args=[token_]),
        {"lang": "en"},
    )
    visit(
        reporter,
        "scanner",
        "post",
        reverse("discipline:survey", args=[token_]),
        {"q0": "0"},
    )
    visit(reporter, "scanner", "get", reverse("discipline:scan", args=["forged"]))

    granted(sealed, report)
    officer = Client()
    officer.force_login(sealed["officer"])
    visit(officer, "unverified", "get", reverse("discipline:desk"))
    visit(officer, "unverified", "get", reverse("discipline:verify"))
    visit(
        officer, "unverified", "post", reverse("discipline:verify"), {"token": "000000"}
    )
    verified_login(officer, sealed["officer"])
    number = report.number
    visit(officer, "officer", "get", reverse("discipline:desk"))
    visit(officer, "officer", "get", reverse("discipline:report_detail", args=[number]))
    visit(
        officer,
        "officer",
        "post",
        reverse("discipline:step", args=[number, "accept"]),
        {"notice": ""},
    )
    visit(
        officer,
        "officer",
        "post",
        reverse("discipline:step", args=[number, "register"]),
        {"matter": "other"},
    )
    visit(
        officer,
        "officer",
        "post",
        reverse("discipline:identity", args=[number]),
        {"reason": "核实"},
    )
    for attachment in report.attachments.all():
        visit(
            officer,
            "officer",
            "get",
            reverse("discipline:attachment", args=[number, attachment.uid]),
        )
    visit(officer, "officer", "get", reverse("discipline:enter", args=["dl"]))
    visit(
        officer,
        "officer",
        "post",
        reverse("discipline:enter", args=["dl"]),
        {"channel": "letter"},
    )
    visit(officer, "officer", "get", reverse("discipline:docket", args=["dl"]))

    custodian = Client()
    verified_login(custodian, sealed["custodian"])
    visit(custodian, "custodian", "get", reverse("discipline:custody"))
    request = IdentityRequest.objects.get()
    visit(
        custodian,
        "custodian",
        "post",
        reverse("discipline:custody_decide", args=[request.pk]),
        {"approve": "1", "reason": "同意"},
    )
    visit(
        officer,
        "officer",
        "post",
        reverse("discipline:identity", args=[number]),
        {"reveal": "1"},
    )

    boss = Client()
    verified_login(boss, head)
    visit(boss, "head", "get", reverse("discipline:docket", args=["dl"]))
    visit(boss, "head", "get", reverse("discipline:docket_entry", args=["dl", number]))
    visit(
        boss,
        "head",
        "post",
        reverse("discipline:docket_entry", args=["dl", number]),
        {"reason": ""},
    )
    visit(boss, "head", "get", reverse("discipline:rollup", args=["dl"]))
    visit(boss, "head", "get", reverse("discipline:codes", args=["dl"]))
    visit(
        boss,
        "head",
        "post",
        reverse("discipline:codes", args=["dl"]),
        {"kind": "group"},
    )
    visit(boss, "head", "get", reverse("discipline:code_card", args=["dl", code.pk]))
    visit(boss, "head", "get", reverse("discipline:report_detail", args=[number]))

    outsider = Client()
    outsider.force_login(sealed["superuser"])
    visit(outsider, "superuser", "get", reverse("discipline:desk"))
    return seen


def test_every_answer_is_uncached_and_under_the_strict_policy(sealed, media):
    seen = tour(sealed)
    statuses = {response.status_code for _label, response in seen}
    assert {200, 302, 400, 404, 405} <= statuses
    for label, response in seen:
        assert_clean_page(response, label)


def test_the_pages_carry_no_script_or_style_of_their_own(sealed, media):
    """The check itself sees what it must refuse."""
    from .pages import PageReading, own_hosts

    reading = PageReading(own_hosts())
    reading.feed(
        '<p style="color:red">x</p><script>alert(1)</script>'
        '<img src="https://tracker.example/p.gif"><a href="//cdn.example/x">y</a>'
        '<button onclick="go()">z</button><style>p{}</style>'
        '<img src="data:image/svg+xml;utf8,https://ok.example">'
        '<a href="/discipline/">ours</a>'
    )
    assert len(reading.problems) == 6, reading.problems


@pytest.mark.parametrize(
    "path", ["/discipline/", "/discipline/desk/", "/discipline/x/"]
)
def test_the_channel_is_marked_for_a_signed_out_visitor(client, sealed, path):
    response = client.get(path)
    assert_clean_page(response, path)
    assert response["X-Frame-Options"] == "DENY"
    assert response["Pragma"] == "no-cache"


def test_pages_outside_the_channel_are_left_alone(client, sealed):
    response = client.get(reverse("accounts:login"))
    assert response.get("Content-Security-Policy") != CSP
    assert not response.get("Cache-Control", "").startswith("no-store")
