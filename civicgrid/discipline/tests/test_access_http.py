"""Who may open which page of the sealed channel, over HTTP.

Every pattern of the ``discipline:`` namespace is found from the resolver
(so a page added tomorrow is covered, or this test says what arguments it
needs) and requested by everyone of the platform who holds no post in the
channel — the superuser too — signed in with a password and again with a
verified second factor: every staff page is 404 to them, and the public pages
never show a report's words. Then the rules between posts: the body, the
grant, the docket, the custodian and the principal."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from civicgrid.discipline import actions, qr
from civicgrid.discipline.models import Post, Report

from .conftest import MARKER, granted, pdf, submit, valid_id_number, verified_login
from .pages import assert_sealed_headers, post_report

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

PERSONAS = (
    "resident",
    "dispatcher",
    "gridworker",
    "handler_cg",
    "handler_zj",
    "outsider",
    "superuser",
)
# The reporter's pages: anyone may open them, signed in or not.
PUBLIC = {
    "discipline:start",
    "discipline:report",
    "discipline:follow_up",
    "discipline:follow_up_report",
    "discipline:follow_up_message",
    "discipline:follow_up_object",
    "discipline:follow_up_leave",
    "discipline:scan",
    "discipline:survey",
}
PUBLIC_ANSWERS = {200, 302, 400, 404, 405}
IDENTITY = "实名-IDENT-次旦"
CONTENT = {
    "accused_name": f"某某{MARKER}",
    "accused_unit": f"某局{MARKER}",
    "what": f"收受红包 {MARKER}",
    "when": f"2026年3月 {MARKER}",
}


def discipline_patterns(
    entries: list[Any], prefix: str = "", guide: bool = False
) -> list[tuple[str, str, bool, URLPattern]]:
    """(name, route, from urls_guide, pattern) of every named pattern."""
    found = []
    for entry in entries:
        if isinstance(entry, URLResolver):
            inner = guide or (prefix.startswith("discipline") and not entry.namespace)
            route = prefix + str(entry.pattern)
            found.extend(discipline_patterns(entry.url_patterns, route, inner))
        elif entry.name:
            found.append((entry.name, prefix + str(entry.pattern), guide, entry))
    return found


def every_page() -> list[tuple[str, str, bool, URLPattern]]:
    root = [
        entry
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and entry.namespace == "discipline"
    ]
    assert len(root) == 1
    return [
        (f"discipline:{name}", route, guide, pattern)
        for name, route, guide, pattern in discipline_patterns(
            root[0].url_patterns, "discipline/"
        )
    ]


def is_public(name: str, route: str, guide: bool) -> bool:
    """The reporter's pages, and what the guide adds outside the desk."""
    return name in PUBLIC or (guide and not route.startswith("discipline/desk/"))


@pytest.fixture
def seed(sealed: Any, media: Any) -> dict[str, Any]:
    """A real-name report with a file, granted, an identity request waiting,
    and a code with a questionnaire: the arguments of every pattern."""
    submitted = submit(
        sealed.district,
        real_name=True,
        name=IDENTITY,
        phone="13912345678",
        uploads=[pdf()],
        **CONTENT,
    )
    report = granted(sealed, submitted.report)
    officer = sealed["officer"]
    actions.report_register(
        report=report, matter=report.matter, note=MARKER, acting_user=officer
    )
    request = actions.identity_request(
        report=report, reason="核实身份", acting_user=officer
    )
    code = actions.code_create(
        body=sealed.district,
        kind="unit",
        label="第一巡察组",
        target="某局",
        questions="作风如何? | 好 | 差",
        acting_user=sealed["head"],
    )
    return {
        "by_name": {
            "body": sealed.district.code,
            "number": report.number,
            "token": qr.token(code),
            "uid": report.attachments.get().uid,
            "step": "register",
            "year": 2026,  # the calendar poster's
        },
        "pk": {
            "discipline:code_card": code.pk,
            "discipline:code_retire": code.pk,
            "discipline:custody_decide": request.pk,
        },
        "report": report,
        "receipt": submitted.receipt,
    }


def urls(seed: dict[str, Any]) -> tuple[list[tuple[str, str, bool]], list[str]]:
    """(name, URL, public) of every page; the patterns nothing fills."""
    found, unfilled = [], []
    for name, route, guide, pattern in every_page():
        kwargs = {}
        for argument in pattern.pattern.regex.groupindex:
            if argument == "pk" and name in seed["pk"]:
                kwargs[argument] = seed["pk"][name]
            elif argument != "pk" and argument in seed["by_name"]:
                kwargs[argument] = seed["by_name"][argument]
            else:
                unfilled.append(name)
        if name not in unfilled:
            found.append(
                (name, reverse(name, kwargs=kwargs), is_public(name, route, guide))
            )
    return found, unfilled


def signed_in(user: Any, *, second_factor: bool) -> Client:
    client = Client()
    if second_factor:
        verified_login(client, user)  # a TOTP device made for them, and passed
    else:
        client.force_login(user)
    return client


@pytest.fixture
def everyone(people, sealed) -> dict[str, Any]:
    return {**people, "superuser": sealed["superuser"]}


@pytest.mark.parametrize("second_factor", [False, True], ids=["password", "otp"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_nobody_without_a_post_opens_a_staff_page(
    everyone, seed, persona, second_factor
):
    found, unfilled = urls(seed)
    assert not unfilled, f"give these patterns their arguments in seed(): {unfilled}"
    assert {name for name, _url, public in found if not public} >= {
        "discipline:desk",
        "discipline:report_detail",
        "discipline:docket_entry",
        "discipline:custody_decide",
        "discipline:verify",
    }
    client = signed_in(everyone[persona], second_factor=second_factor)
    # Leaving a followed-up report ends the browser's session, signed in or
    # not: that request comes last.
    found.sort(key=lambda page: page[0] == "discipline:follow_up_leave")
    requests: list[
        tuple[Callable[..., _MonkeyPatchedWSGIResponse], tuple[str, str, bool]]
    ] = [(client.get, page) for page in found]
    requests += [(client.post, page) for page in found]
    for method, (_name, url, public) in requests:
        response = method(url)
        where = f"{method.__name__.upper()} {url} as {persona}"
        assert_sealed_headers(response, where)
        body = response.content.decode(errors="replace")
        assert MARKER not in body, where
        assert IDENTITY not in body, where
        if public:
            assert response.status_code in PUBLIC_ANSWERS, where
            location = response.get("Location", "")
            assert "/desk/" not in location, where
        else:
            assert response.status_code == 404, where
    report = Report.objects.get(pk=seed["report"].pk)
    assert report.state == Report.State.REGISTERED  # nothing was done to it
    assert report.grants.filter(revoked_at__isnull=True).count() == 1


def test_a_signed_out_visitor_is_sent_to_sign_in_for_a_staff_page(client, seed):
    for name, url, public in urls(seed)[0]:
        if public:
            continue
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:login")), name


# --- between the posts ----------------------------------------------------------


def test_an_officer_of_another_body_cannot_open_the_report(client, sealed, seed):
    number = seed["report"].number
    uid = seed["by_name"]["uid"]
    for who in ("city_officer", "street_officer", "city_head"):
        verified_login(client, sealed[who])
        for url in (
            reverse("discipline:report_detail", args=[number]),
            reverse("discipline:attachment", args=[number, uid]),
            reverse("discipline:identity", args=[number]),
            reverse("discipline:docket_entry", args=["dl", number]),
            reverse("discipline:docket", args=["dl"]),
        ):
            assert client.get(url).status_code == 404, (who, url)
        response = client.post(
            reverse("discipline:step", args=[number, "message"]), {"text": "x"}
        )
        assert response.status_code == 404
    assert not seed["report"].steps.filter(kind="message").exists()


def test_an_officer_without_a_grant_gets_404_on_the_report(client, sealed, seed):
    number = seed["report"].number
    verified_login(client, sealed["officer2"])
    assert (
        client.get(reverse("discipline:report_detail", args=[number])).status_code
        == 404
    )
    assert (
        client.get(
            reverse("discipline:attachment", args=[number, seed["by_name"]["uid"]])
        ).status_code
        == 404
    )
    response = client.post(
        reverse("discipline:step", args=[number, "accept"]), {"notice": "受理"}
    )
    assert response.status_code == 404
    desk = client.get(reverse("discipline:desk"))
    assert desk.status_code == 200
    assert number not in desk.content.decode()


def test_the_head_keeps_the_docket_without_the_words(client, sealed, seed):
    number = seed["report"].number
    verified_login(client, sealed["head"])
    docket = client.get(reverse("discipline:docket", args=["dl"]))
    entry = client.get(reverse("discipline:docket_entry", args=["dl", number]))
    for page in (docket, entry):
        assert page.status_code == 200
        text = page.content.decode()
        assert number in text
        assert MARKER not in text
        assert IDENTITY not in text
    # Without a grant of their own, the head does not read it either.
    assert (
        client.get(reverse("discipline:report_detail", args=[number])).status_code
        == 404
    )


def test_a_custodian_never_sees_the_report_nor_the_identity(client, sealed, seed):
    number = seed["report"].number
    verified_login(client, sealed["custodian"])
    pages = [
        client.get(reverse("discipline:desk")),
        client.get(reverse("discipline:custody")),
    ]
    assert number in pages[1].content.decode()  # the request is there to decide
    decided = client.post(
        reverse(
            "discipline:custody_decide", args=[seed["pk"]["discipline:custody_decide"]]
        ),
        {"approve": "1", "reason": "同意核实"},
        follow=True,
    )
    pages.append(decided)
    for page in pages:
        assert page.status_code == 200
        text = page.content.decode()
        assert MARKER not in text
        assert IDENTITY not in text
        assert "13912345678" not in text
    for url in (
        reverse("discipline:report_detail", args=[number]),
        reverse("discipline:identity", args=[number]),
        reverse("discipline:docket", args=["dl"]),
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("discipline:identity", args=[number]), {"reveal": "1"}
        ).status_code
        == 404
    )


@pytest.fixture
def about_the_principal(client, sealed, media) -> Report:
    """A report naming the district's principal, sent through the form: it
    lands at the city, granted to the city's officer."""
    response = post_report(client, accused_name=sealed["principal"].full_name)
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.body == sealed.city
    assert report.concerns_principal_of == sealed.district
    return granted(sealed, report, "city_officer")


@pytest.mark.parametrize("who", ["principal", "office"])
def test_the_principal_and_their_office_see_nothing_of_a_report_about_them(
    client, sealed, about_the_principal, who
):
    number = about_the_principal.number
    verified_login(client, sealed[who])
    desk = client.get(reverse("discipline:desk"))
    assert desk.status_code == 200
    assert number not in desk.content.decode()
    for url in (
        reverse("discipline:report_detail", args=[number]),
        reverse("discipline:docket", args=["ls"]),
        reverse("discipline:docket_entry", args=["ls", number]),
        reverse("discipline:docket", args=["dl"]),
        reverse("discipline:identity", args=[number]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert MARKER not in response.content.decode()


def test_the_principal_rule_holds_where_the_office_also_holds_a_post_above(
    client, sealed, about_the_principal
):
    """The principal's office made head and officer at the city too: the
    report about their principal is still out of their sight and reach."""
    office = sealed["office"]
    actions.post_add(body=sealed.city, user=office, kind=Post.Kind.HEAD)
    actions.post_add(body=sealed.city, user=office, kind=Post.Kind.OFFICER)
    number = about_the_principal.number
    verified_login(client, office)
    docket = client.get(reverse("discipline:docket", args=["ls"]))
    assert docket.status_code == 200
    assert number not in docket.content.decode()
    assert (
        client.get(reverse("discipline:docket_entry", args=["ls", number])).status_code
        == 404
    )
    assert (
        client.get(reverse("discipline:report_detail", args=[number])).status_code
        == 404
    )
    # … and the city's head cannot hand it to them.
    verified_login(client, sealed["city_head"])
    page = client.get(reverse("discipline:docket_entry", args=["ls", number]))
    assert page.status_code == 200
    assert str(office.pk) not in dict(page.context["form"].fields["officer"].choices)
    response = client.post(
        reverse("discipline:docket_entry", args=["ls", number]),
        {"officer": office.pk, "reason": "承办"},
    )
    assert response.status_code == 400
    assert "officer" in response.context["form"].errors
    assert not about_the_principal.grants.filter(officer=office).exists()


def test_a_real_name_report_about_the_principal_keeps_its_identity_away(
    client, sealed, media
):
    response = post_report(
        client,
        about_principal="on",
        real_name="1",
        name=IDENTITY,
        phone="13912345678",
        id_number=valid_id_number(),
    )
    assert response.status_code == 200, response.content.decode()
    report = Report.objects.get()
    assert report.body == sealed.city
    verified_login(client, sealed["principal"])
    assert (
        client.get(
            reverse("discipline:report_detail", args=[report.number])
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("discipline:identity", args=[report.number]), {"reveal": "1"}
        ).status_code
        == 404
    )
