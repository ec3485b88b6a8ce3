"""The acceptance guide (《信访举报指南》): every save by the head of a body's
reports office is a new version and the old ones stay; nobody else reaches
the desk (404); the public page shows the latest version, in Chinese,
Tibetan or English, with the body's facts and the QR code of its online
form; and there is an A4 version to print."""

from __future__ import annotations

import pytest
import segno
from django.urls import reverse

from civicgrid.core.errors import DomainError, PermissionDeniedError
from civicgrid.discipline import actions, guide_texts, qr
from civicgrid.discipline.models import AuditEntry, GuideVersion

from .conftest import verified_login
from .pages import assert_clean_page

pytestmark = pytest.mark.django_db


def texts(**changes: str) -> dict[str, dict[str, str]]:
    """The default texts, with ``changes`` (by field name) made."""
    found = guide_texts.default_texts()
    for name, value in changes.items():
        for code in guide_texts.LANGUAGE_CODES:
            prefix = guide_texts.field_name(code, "")
            if name.startswith(prefix):
                found[code][name.removeprefix(prefix)] = value
    return found


def form_data(given: dict[str, dict[str, str]]) -> dict[str, str]:
    return {
        guide_texts.field_name(code, key): value
        for code, keys in given.items()
        for key, value in keys.items()
    }


def guide_url(body: str = "dl", **query: str) -> str:
    url = reverse("discipline:guide", args=[body])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


# --- versions -------------------------------------------------------------------


def test_a_save_makes_the_next_version_and_keeps_the_old(sealed):
    head = sealed["head"]
    first = actions.guide_save(
        body=sealed.district, texts=texts(zh_hans_title="指南一"), acting_user=head
    )
    second = actions.guide_save(
        body=sealed.district, texts=texts(zh_hans_title="指南二"), acting_user=head
    )
    assert (first.number, second.number) == (1, 2)
    kept = GuideVersion.objects.filter(body=sealed.district).order_by("number")
    assert [v.texts["zh-hans"]["title"] for v in kept] == ["指南一", "指南二"]
    assert second.author == head
    # Another body's numbers are its own.
    street = actions.guide_save(
        body=sealed.street, texts=texts(), acting_user=sealed["street_head"]
    )
    assert street.number == 1


def test_every_save_is_in_the_audit_log_with_ids_only(sealed):
    version = actions.guide_save(
        body=sealed.district, texts=texts(), acting_user=sealed["head"]
    )
    entry = AuditEntry.objects.get(action="guide.saved")
    assert entry.actor == sealed["head"]
    assert entry.detail == {
        "body": sealed.district.pk,
        "guide_version": version.pk,
        "number": 1,
    }


@pytest.mark.parametrize(
    "who", ["officer", "custodian", "principal", "city_head", "street_head"]
)
def test_only_the_head_of_the_body_saves_its_guide(sealed, who):
    with pytest.raises(PermissionDeniedError):
        actions.guide_save(body=sealed.district, texts=texts(), acting_user=sealed[who])
    assert not GuideVersion.objects.exists()


def test_a_text_left_empty_is_refused_naming_its_field(sealed):
    with pytest.raises(DomainError) as refused:
        actions.guide_save(
            body=sealed.district,
            texts=texts(bo_warning="  "),
            acting_user=sealed["head"],
        )
    assert refused.value.field == "bo_warning"
    with pytest.raises(DomainError) as refused:
        actions.guide_save(
            body=sealed.district,
            texts=texts(en_scope_heading="one\ntwo"),
            acting_user=sealed["head"],
        )
    assert refused.value.field == "en_scope_heading"
    assert not GuideVersion.objects.exists()


def test_an_unknown_placeholder_is_refused_and_nothing_is_evaluated(sealed):
    with pytest.raises(DomainError) as refused:
        actions.guide_save(
            body=sealed.district,
            texts=texts(zh_hans_preface="{body.__class__} {secret}"),
            acting_user=sealed["head"],
        )
    assert refused.value.field == "zh_hans_preface"
    assert "{secret}" in refused.value.message or "{body" in refused.value.message


# --- the desk -----------------------------------------------------------------------


def test_the_head_saves_versions_on_the_desk_and_sees_the_history(client, sealed):
    verified_login(client, sealed["head"])
    desk = reverse("discipline:guide_desk", args=["dl"])
    page = client.get(desk)
    assert page.status_code == 200
    assert_clean_page(page, desk)
    assert page.context["versions"] == []
    # Before any save the form holds the defaults.
    assert page.context["form"]["zh_hans_title"].value() == "信访举报指南"
    for title in ("第一版", "第二版"):
        response = client.post(desk, form_data(texts(zh_hans_title=title)))
        assert response.status_code == 302, response.content.decode()
    page = client.get(desk)
    assert [v.number for v in page.context["versions"]] == [2, 1]
    assert page.context["form"]["zh_hans_title"].value() == "第二版"
    # An old version opens in the form, to start again from it.
    old = client.get(desk + "?version=1")
    assert old.context["form"]["zh_hans_title"].value() == "第一版"
    assert client.get(desk + "?version=9").status_code == 404
    assert "第二版" in client.get(guide_url(lang="zh-hans")).content.decode()


def test_the_desk_puts_a_refusal_on_its_field(client, sealed):
    verified_login(client, sealed["head"])
    desk = reverse("discipline:guide_desk", args=["dl"])
    response = client.post(desk, form_data(texts(en_channels="Write to {nowhere}")))
    assert response.status_code == 400
    assert "en_channels" in response.context["form"].errors
    assert not GuideVersion.objects.exists()


@pytest.mark.parametrize(
    "who",
    ["officer", "custodian", "principal", "office", "city_head", "street_head"],
)
def test_other_posts_get_404_on_the_desk(client, sealed, who):
    verified_login(client, sealed[who])
    desk = reverse("discipline:guide_desk", args=["dl"])
    assert client.get(desk).status_code == 404
    assert client.post(desk, form_data(texts())).status_code == 404
    assert not GuideVersion.objects.exists()


@pytest.mark.parametrize("who", ["resident", "dispatcher", "outsider", "superuser"])
def test_who_holds_no_post_gets_404_on_the_desk(client, people, sealed, who):
    user = sealed["superuser"] if who == "superuser" else people[who]
    verified_login(client, user)
    desk = reverse("discipline:guide_desk", args=["dl"])
    assert client.get(desk).status_code == 404
    assert client.post(desk, form_data(texts())).status_code == 404


# --- the public page ----------------------------------------------------------------


def test_the_public_page_needs_no_sign_in_and_shows_the_latest(client, sealed):
    page = client.get(guide_url(lang="zh-hans"))
    assert page.status_code == 200
    assert_clean_page(page, guide_url())
    text = page.content.decode()
    # The defaults, before the head saves anything, with the body's facts.
    assert "信访举报指南" in text
    assert sealed.district.address in text
    assert sealed.district.visiting_hours in text
    assert "12388" in text
    assert "{address}" not in text
    for title in ("第一版", "第二版"):
        actions.guide_save(
            body=sealed.district,
            texts=texts(zh_hans_title=title),
            acting_user=sealed["head"],
        )
    text = client.get(guide_url(lang="zh-hans")).content.decode()
    assert "第二版" in text and "第一版" not in text
    assert client.get(guide_url("nowhere")).status_code == 404
    assert client.post(guide_url()).status_code == 405


def test_the_page_shows_the_five_kinds_accepted_and_what_is_not(client, sealed):
    page = client.get(guide_url(lang="en"))
    scope = next(b for b in page.context["doc"].blocks if b.key == "scope")
    assert len(scope.lines) == 5
    text = page.content.decode()
    for words in (
        "litigation, arbitration or administrative review",
        "outside the remit",
        "without concrete facts or substance",
        "kept strictly confidential",
        "nobody may retaliate",
        "told whether it was accepted and what the result was",
        "you may object",
        "Report truthfully",
        "proper channels",
        "Do not make false accusations",
        "Criminal Law",
    ):
        assert words in text, words


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("zh-hans", "信访举报指南"),
        ("bo", guide_texts.BO["title"]),
        ("en", "Guide to reporting"),
    ],
)
def test_the_page_is_in_each_of_three_languages_with_links_to_the_others(
    client, sealed, lang, title
):
    page = client.get(guide_url(lang=lang))
    assert page.status_code == 200
    assert page["Content-Language"] == lang
    assert page.context["doc"].language == lang
    text = page.content.decode()
    assert title in text
    assert f'lang="{lang}"' in text
    others = [code for code in guide_texts.LANGUAGE_CODES if code != lang]
    for code in others:
        assert f'href="?lang={code}"' in text


def test_without_a_language_asked_the_page_is_in_the_active_one(client, sealed):
    # The suite runs in English.
    assert client.get(guide_url()).context["doc"].language == "en"
    assert client.get(guide_url(lang="fr")).context["doc"].language == "en"
    # A Chinese browser, asking for nothing.
    page = client.get(guide_url(), headers={"accept-language": "zh-hans"})
    assert page.context["doc"].language == "zh-hans"


def test_a_language_without_a_guide_falls_back_to_chinese():
    texts = guide_texts.default_texts()
    facts = dict.fromkeys(guide_texts.PLACEHOLDERS, "")
    assert guide_texts.document(texts, "fr", facts).language == "zh-hans"
    del texts["bo"]
    document = guide_texts.document(texts, "bo", facts)
    assert document.language == "zh-hans"
    assert document.title == "信访举报指南"


def test_the_page_carries_the_qr_code_of_the_online_form(client, sealed):
    page = client.get(guide_url())
    link = page.context["page"].online_url
    assert link == qr.absolute(reverse("discipline:report", args=["dl"]))
    image = page.context["page"].qr_image
    # The image is the form's address, encoded by segno.
    assert image == segno.make(link, error="m").svg_data_uri(scale=6, border=2)
    assert image.startswith("data:image/svg+xml")
    text = page.content.decode()
    assert f'src="{image}"' in text
    assert link in text


def test_a_body_without_online_reports_has_no_qr_code_nor_online_line(client, sealed):
    sealed.district.accepts_online = False
    sealed.district.save(update_fields=["accepts_online"])
    page = client.get(guide_url())
    assert page.context["page"].qr_image == ""
    channels = next(b for b in page.context["doc"].blocks if b.key == "channels")
    assert len(channels.lines) == 3
    assert "data:image/svg" not in page.content.decode()


@pytest.mark.parametrize("how", ["print_url", "query"])
def test_there_is_an_a4_version_to_print(client, sealed, how):
    url = (
        reverse("discipline:guide_print", args=["dl"]) + "?lang=bo"
        if how == "print_url"
        else guide_url(lang="bo", **{"print": "1"})
    )
    page = client.get(url)
    assert page.status_code == 200
    assert_clean_page(page, url)
    assert page.templates[0].name == "discipline/guide/print.html"
    text = page.content.decode()
    assert "guide-print" in text
    assert "data-print" in text
    assert "js/print.js" in text
    assert guide_texts.BO["warning_heading"] in text


def test_the_desk_and_the_page_have_nothing_inline(client, sealed):
    """The sealed channel's CSP: no inline script, style or handler."""
    actions.guide_save(body=sealed.district, texts=texts(), acting_user=sealed["head"])
    verified_login(client, sealed["head"])
    for url in (
        guide_url(lang="bo"),
        reverse("discipline:guide_print", args=["dl"]),
        reverse("discipline:guide_desk", args=["dl"]),
    ):
        assert_clean_page(client.get(url), url)


def test_every_default_text_is_complete_in_every_language():
    cleaned = guide_texts.clean(guide_texts.default_texts())
    for code in guide_texts.LANGUAGE_CODES:
        assert set(cleaned[code]) == set(guide_texts.KEYS)
    facts = dict.fromkeys(guide_texts.PLACEHOLDERS, "X")
    for code in guide_texts.LANGUAGE_CODES:
        document = guide_texts.document(cleaned, code, facts)
        assert [len(b.lines) for b in document.blocks if b.key == "scope"] == [5]
        assert "{" not in str(document)
