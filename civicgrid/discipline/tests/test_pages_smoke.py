import pytest
from django.urls import reverse

from civicgrid.discipline import actions
from civicgrid.discipline.models import Report
from civicgrid.discipline.tests.conftest import granted, photo, submit, verified_login


def test_pages_render(client, sealed, media):
    r = client.get(reverse("discipline:start"))
    assert r.status_code == 200, r.content
    r = client.get(reverse("discipline:report", args=["dl"]))
    assert r.status_code == 200
    r = client.post(reverse("discipline:report", args=["dl"]), {
        "matter": "duty_violation", "accused_name": "某某", "accused_unit": "某局",
        "what": "收受红包", "real_name": "1", "name": "张三", "phone": "13800000000",
        "evidence": [photo()],
    })
    assert r.status_code == 200, r.content.decode()
    receipt = r.context["receipt"]
    report = Report.objects.get()
    granted(sealed, report)
    verified_login(client, sealed["officer"])
    assert client.get(reverse("discipline:desk")).status_code == 200
    r = client.get(reverse("discipline:report_detail", args=[report.number]))
    assert r.status_code == 200, r.content.decode()
    r = client.post(reverse("discipline:step", args=[report.number, "register"]), {"matter": "duty_violation"})
    assert r.status_code == 302
    r = client.post(reverse("discipline:step", args=[report.number, "accept"]), {"notice": ""})
    assert r.status_code == 400
    r = client.post(reverse("discipline:identity", args=[report.number]), {"reason": "核实"})
    assert r.status_code == 302
    att = report.attachments.first()
    r = client.get(reverse("discipline:attachment", args=[report.number, att.uid]))
    assert r.status_code == 200 and r["Content-Type"] == "image/jpeg"
    verified_login(client, sealed["head"])
    assert client.get(reverse("discipline:docket", args=["dl"])).status_code == 200
    assert client.get(reverse("discipline:docket_entry", args=["dl", report.number])).status_code == 200
    assert client.get(reverse("discipline:rollup", args=["dl"])).status_code == 200
    verified_login(client, sealed["custodian"])
    r = client.get(reverse("discipline:custody"))
    assert r.status_code == 200
    rid = report.identity_requests.get().pk
    r = client.post(reverse("discipline:custody_decide", args=[rid]), {"approve": "1", "reason": "同意"})
    assert r.status_code == 302
    verified_login(client, sealed["officer"])
    r = client.post(reverse("discipline:identity", args=[report.number]), {"reveal": "1"})
    assert "张三" in r.content.decode()
    client.logout()
    r = client.post(reverse("discipline:follow_up"), {"receipt": receipt})
    assert r.status_code == 302
    r = client.get(reverse("discipline:follow_up_report"))
    assert r.status_code == 200, r.content.decode()
    assert r["Cache-Control"].startswith("no-store")
