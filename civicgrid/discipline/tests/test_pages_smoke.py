from django.urls import reverse

from civicgrid.discipline.models import Report
from civicgrid.discipline.tests.conftest import granted, photo, verified_login


def test_pages_render(client, sealed, media):
    r = client.get(reverse("discipline:start"))
    assert r.status_code == 200, r.content
    r = client.get(reverse("discipline:report", args=["dl"]))
    assert r.status_code == 200
    r = client.post(
        reverse("discipline:report", args=["dl"]),
        {
            "matter": "duty_violation",
            "accused_name": "某某",
            "accused_unit": "某局",
            "what": "收受红包",
            "real_name": "1",
            "name": "张三",
            "phone": "13800000000",
            "evidence": [photo()],
        },
    )
    assert r.status_code == 200, r.content.decode()
    receipt = r.context["receipt"]
    report = Report.objects.get()
    granted(sealed, report)
    verified_login(client, sealed["officer"])
    assert client.get(reverse("discipline:desk")).status_code == 200
    r = client.get(reverse("discipline:report_detail", args=[report.number]))
    assert r.status_code == 200, r.content.decode()
    r = client.post(
        reverse("discipline:step", args=[report.number, "register"]),
        {"matter": "duty_violation"},
    )
    assert r.status_code == 302
    r = client.post(
        reverse("discipline:step", args=[report.number, "accept"]), {"notice": ""}
    )
    assert r.status_code == 400
    r = client.post(
        reverse("discipline:identity", args=[report.number]), {"reason": "核实"}
    )
    assert r.status_code == 302
    att = report.attachments.get()
    r = client.get(reverse("discipline:attachment", args=[report.number, att.uid]))
    assert r.status_code == 200 and r["Content-Type"] == "image/jpeg"
    verified_login(client, sealed["head"])
    assert client.get(reverse("discipline:docket", args=["dl"])).status_code == 200
    assert (
        client.get(
            reverse("discipline:docket_entry", args=["dl", report.number])
        ).status_code
        == 200
    )
    assert client.get(reverse("discipline:rollup", args=["dl"])).status_code == 200
    verified_login(client, sealed["custodian"])
    r = client.get(reverse("discipline:custody"))
    assert r.status_code == 200
    rid = report.identity_requests.get().pk
    r = client.post(
        reverse("discipline:custody_decide", args=[rid]),
        {"approve": "1", "reason": "同意"},
    )
    assert r.status_code == 302
    verified_login(client, sealed["officer"])
    r = client.post(
        reverse("discipline:identity", args=[report.number]), {"reveal": "1"}
    )
    assert "张三" in r.content.decode()
    client.logout()
    r = client.post(reverse("discipline:follow_up"), {"receipt": receipt})
    assert r.status_code == 302
    r = client.get(reverse("discipline:follow_up_report"))
    assert r.status_code == 200, r.content.decode()
    assert r["Cache-Control"].startswith("no-store")


def test_codes_smoke(client, sealed, media):
    verified_login(client, sealed["head"])
    r = client.post(
        reverse("discipline:codes", args=["dl"]),
        {
            "kind": "unit",
            "label": "第一巡察组·某局",
            "target": "某局",
            "questions": "作风如何? | 好 | 一般 | 差",
        },
    )
    assert r.status_code == 302, r.content.decode()
    from civicgrid.discipline import qr
    from civicgrid.discipline.models import Code

    code = Code.objects.get()
    r = client.get(reverse("discipline:code_card", args=["dl", code.pk]))
    assert r.status_code == 200
    client.logout()
    token = qr.token(code)
    r = client.get(reverse("discipline:scan", args=[token]))
    assert r.status_code == 302
    r = client.get(r["Location"])
    assert "某局" in r.content.decode()
    r = client.post(reverse("discipline:survey", args=[token]), {"q0": "1"})
    assert r.status_code == 200
    code.refresh_from_db()
    assert (code.scans, code.answered) == (1, 1)


def test_the_same_form_sent_twice_makes_one_report(client, sealed, media):
    fields = {
        "matter": "duty_violation",
        "accused_name": "某某",
        "accused_unit": "某局",
        "what": "收受红包",
        "real_name": "0",
        "intake_key": "a" * 32,
    }
    first = client.post(reverse("discipline:report", args=["dl"]), fields)
    assert first.status_code == 200 and "receipt" in first.context
    again = client.post(reverse("discipline:report", args=["dl"]), fields)
    assert again.status_code == 400
    assert "already sent" in again.content.decode()
    assert Report.objects.count() == 1
