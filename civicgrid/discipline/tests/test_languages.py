"""Every page of the sealed channel, in English and in Chinese — and its
public pages in Tibetan too — as each of its posts and a reporter see it: no
Chinese left on an English page, no English on a Chinese one, neither on a
Tibetan one (tests/test_page_languages.py reads the rest of the site the same
way; it leaves this namespace to this test, whose readers hold posts behind a
second factor).

The bodies, reports and codes are written in English, so any Chinese on an
English page is the software's own; on the other pages the data's own words
are taken out first."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from civicgrid.discipline import actions, qr
from civicgrid.discipline.models import Code, Disposal, Matter, Post, Report
from civicgrid.org.models import Area
from conftest import make_user
from tests.test_page_languages import (
    CJK,
    chinese_leftovers,
    english_leftovers,
    patterns,
    visible_text,
    without_data,
)

from .conftest import device_for, photo, verified_login

TIBETAN_ALLOWED_CJK = {"中文"}  # the language switch names Chinese in Chinese
# Reporter-facing pages, which are in Tibetan too.
PUBLIC = {
    "discipline:start",
    "discipline:report",
    "discipline:follow_up",
    "discipline:follow_up_report",
    "discipline:survey",
    "discipline:guide",
    "discipline:guide_print",
}
# Patterns that are no page to read, and why.
NOT_PAGES = {
    "discipline:calendar_poster": "a PDF (its words are tested with it)",
    "discipline:attachment": "the evidence file itself",
    "discipline:scan": "a redirect to the report form",
    "discipline:follow_up_message": "a POST that redirects",
    "discipline:follow_up_object": "a POST that redirects",
    "discipline:follow_up_leave": "a POST that redirects",
    "discipline:code_retire": "a POST that redirects",
    "discipline:custody_decide": "a POST that redirects",
}
# Pages that answer a POST: what is posted.
POSTED = {"discipline:identity": {"reveal": "1"}}
WORDS = [
    "Lhasa City Commission",
    "Doilungdêqên District Commission",
    "Dongga Street Committee",
    "Dongga Road 1",
    "Workdays 9:30-12:30",
    "Mr Somebody",
    "The Water Bureau",
    "Deputy director",
    "Took money for the subsidy list",
    "Last spring",
    "Group One at the Water Bureau",
    "The Water Bureau",
]


def _people(area: Any) -> dict[str, Any]:
    from civicgrid.discipline.models import Body

    city = Body.objects.create(
        name=WORDS[0],
        code="ls",
        area=area["city"],
        address=WORDS[3],
        visiting_hours=WORDS[4],
    )
    district = Body.objects.create(
        name=WORDS[1],
        code="dl",
        area=area["district"],
        parent=city,
        address=WORDS[3],
        visiting_hours=WORDS[4],
    )
    users = {}
    for name, kind in (
        ("head", Post.Kind.HEAD),
        ("officer", Post.Kind.OFFICER),
        ("custodian", Post.Kind.CUSTODIAN),
    ):
        user = make_user(f"lang_{name}", f"Officer {name.title()}")
        actions.post_add(body=district, user=user, kind=kind)
        device_for(user)
        users[name] = user
    return {"district": district, "city": city, **users}


ENGLISH_AREAS = {
    "拉萨市": "Lhasa",
    "堆龙德庆区": "Doilungdêqên",
    "东嘎街道": "Dongga Street",
    "东嘎社区": "Dongga Community",
    "林堆社区": "Lindui Community",
}
TEXTAREAS = re.compile(r"(<textarea[^>]*>).*?(</textarea>)", re.S)


def _site(street: Any) -> tuple[dict[str, Any], dict[str, Any], str]:
    for chinese, english in ENGLISH_AREAS.items():
        Area.objects.filter(name=chinese).update(name=english)
    areas = {"city": street.city, "district": street.district}
    who = _people(areas)
    district = who["district"]
    head, officer, custodian = who["head"], who["officer"], who["custodian"]
    texts: dict[str, Any] = {
        "matter": Matter.DUTY_VIOLATION,
        "accused_name": WORDS[5],
        "accused_unit": WORDS[6],
        "accused_post": WORDS[7],
        "what": WORDS[8],
        "when": WORDS[9],
    }
    submitted = actions.report_submit(
        body=district,
        channel="online",
        real_name=True,
        name="Reporter Name",
        phone="13800000000",
        uploads=[photo()],
        **texts,
    )
    report = submitted.report
    actions.grant_give(
        report=report, officer=officer, reason="Handle", acting_user=head
    )
    actions.report_register(report=report, matter=report.matter, acting_user=officer)
    actions.report_accept(report=report, notice="Accepted", acting_user=officer)
    actions.report_dispose(
        report=report, disposal=Disposal.VERIFY, note="Check", acting_user=officer
    )
    actions.report_conclude(report=report, result="Found true", acting_user=officer)
    actions.report_feed_back(report=report, result="Dealt with", acting_user=officer)
    actions.officer_message(report=report, text="Thank you", acting_user=officer)
    request = actions.identity_request(
        report=report, reason="To call back", acting_user=officer
    )
    waiting = actions.report_submit(body=district, channel="online", **texts).report
    actions.grant_give(
        report=waiting, officer=officer, reason="Handle", acting_user=head
    )
    actions.alerts_sweep()
    code = actions.code_create(
        body=district,
        kind=Code.Kind.UNIT,
        label=WORDS[10],
        target=WORDS[11],
        questions="Is their work style good? | Good | Fair | Poor",
        acting_user=head,
    )
    arguments = {
        "discipline:report": [{"body": "dl"}],
        "discipline:enter": [{"body": "dl"}],
        "discipline:report_detail": [
            {"number": report.number},
            {"number": waiting.number},
        ],
        "discipline:step": [
            {"number": waiting.number, "step": "register"},
            {"number": report.number, "step": "message"},
        ],
        "discipline:identity": [{"number": report.number}],
        "discipline:docket": [{"body": "dl"}],
        "discipline:docket_entry": [{"body": "dl", "number": report.number}],
        "discipline:rollup": [{"body": "dl"}],
        "discipline:codes": [{"body": "dl"}],
        "discipline:code_card": [{"body": "dl", "pk": code.pk}],
        "discipline:survey": [{"token": qr.token(code)}],
        "discipline:guide": [{"body": "dl"}],
        "discipline:guide_print": [{"body": "dl"}],
        "discipline:guide_desk": [{"body": "dl"}],
        "discipline:publicity": [{"body": "dl"}],
        "discipline:publicity_print": [{"body": "dl"}],
        "discipline:publicity_material_add": [{"body": "dl"}],
        "discipline:publicity_distribution_add": [{"body": "dl"}],
        "discipline:publicity_activity_add": [{"body": "dl"}],
    }
    actions.identity_decide(
        request=request, approve=True, reason="Needed", acting_user=custodian
    )
    return who, arguments, submitted.receipt


def _clients(who: dict[str, Any], language: str, receipt: str) -> dict[str, Client]:
    clients = {}
    for name in ("head", "officer", "custodian"):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        verified_login(client, who[name])
        clients[name] = client
    # Signed in with the password alone: the second factor's page.
    unverified = Client(HTTP_ACCEPT_LANGUAGE=language)
    unverified.force_login(who["custodian"])
    clients["unverified"] = unverified
    reporter = Client(HTTP_ACCEPT_LANGUAGE=language)
    reporter.post(reverse("discipline:follow_up"), {"receipt": receipt})
    clients["reporter"] = reporter
    return clients


def _pages(arguments: dict[str, Any]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    unfilled: list[str] = []
    for name, pattern in patterns(get_resolver().url_patterns):
        if not name.startswith("discipline:") or name in NOT_PAGES:
            continue
        if pattern.pattern.regex.groupindex and name not in arguments:
            unfilled.append(name)
            continue
        found.extend(
            (name, reverse(name, kwargs=kwargs)) for kwargs in arguments.get(name, [{}])
        )
    assert not unfilled, f"give these pages arguments (or a reason): {unfilled}"
    return found


def _read(
    clients: dict[str, Client], pages: list[tuple[str, str]], query: str = ""
) -> tuple[dict[str, str], set[str]]:
    """Each page's visible text, as the first of its readers who may open
    it; and the pages nobody could open."""
    seen: dict[str, str] = {}
    unopened = set()
    for name, url in pages:
        for reader in ("reporter", "officer", "head", "custodian", "unverified"):
            if name in POSTED:
                response = clients[reader].post(url + query, POSTED[name])
            else:
                response = clients[reader].get(url + query)
            if response.status_code == 405:
                response = clients[reader].post(url + query)
            if response.status_code in (200, 400) and response.get(
                "Content-Type", ""
            ).startswith("text/html"):
                # What a textarea holds is text being edited (the guide's
                # three languages, side by side), not the page's own words.
                page = TEXTAREAS.sub(r"\1\2", response.content.decode())
                seen[f"{url} as {reader}"] = visible_text(
                    page, response["Content-Type"]
                )
        if not any(key.startswith(f"{url} as ") for key in seen):
            unopened.add(name)
    return seen, unopened


@pytest.mark.django_db
def test_no_chinese_is_left_on_the_english_pages(street, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    who, arguments, receipt = _site(street)
    seen, unopened = _read(_clients(who, "en", receipt), _pages(arguments))
    assert not unopened, unopened
    problems = {
        where: sorted({words for words, _context in chinese_leftovers(text)})
        for where, text in seen.items()
    }
    problems = {
        where: [w for w in words if w not in TIBETAN_ALLOWED_CJK]
        for where, words in problems.items()
    }
    assert not {k: v for k, v in problems.items() if v}


def _known() -> list[str]:
    names = [
        *WORDS,
        "Officer Head",
        "Officer Officer",
        "Officer Custodian",
        "Reporter Name",
        "Accepted",
        "Check",
        "Found true",
        "Dealt with",
        "Thank you",
        "To call back",
        "Needed",
        "13800000000",
        "Handle",
        "Is their work style good?",
        "Good",
        "Fair",
        "Poor",
        "lang_head",
        "lang_officer",
        "lang_custodian",
    ]
    names += [area.name for area in Area.objects.all()]
    names += list(Report.objects.values_list("number", flat=True))
    names += ["evidence.jpg"]
    return sorted(set(names), key=len, reverse=True)


@pytest.mark.django_db
def test_no_english_is_left_on_the_chinese_pages(street, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    who, arguments, receipt = _site(street)
    seen, unopened = _read(_clients(who, "zh-hans", receipt), _pages(arguments))
    assert not unopened, unopened
    known = _known()
    problems = {
        where: sorted({w for w, _c in english_leftovers(without_data(text, known))})
        for where, text in seen.items()
    }
    assert not {k: v for k, v in problems.items() if v}


@pytest.mark.django_db
def test_the_public_pages_read_in_tibetan(street, settings, tmp_path):
    """The reporter's pages in Tibetan: neither English nor Chinese left
    (Chinese would be the catalogue's fallback for a string not translated)."""
    settings.MEDIA_ROOT = tmp_path
    who, arguments, receipt = _site(street)
    pages = [(n, u) for n, u in _pages(arguments) if n in PUBLIC]
    assert {n for n, _u in pages} == PUBLIC
    seen, unopened = _read(_clients(who, "en", receipt), pages, "?lang=bo")
    assert not unopened, unopened
    known = _known()
    problems = {}
    for where, text in seen.items():
        if " as reporter" not in where:
            continue
        text = without_data(text, known)
        latin = {w for w, _c in english_leftovers(text)}
        chinese = {m.group() for m in CJK.finditer(text)} - TIBETAN_ALLOWED_CJK
        if latin or chinese:
            problems[where] = sorted(latin | chinese)
    assert not problems
    assert re.search("[\u0f00-\u0fff]", next(iter(seen.values())))
