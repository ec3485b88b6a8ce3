"""The resident's pages: report, tracking, callback — through HTTP, as a phone
browser would send them."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from civicgrid.appeals.access import resident_key, resident_link
from civicgrid.appeals.jobs import register_submissions
from civicgrid.appeals.models import Appeal, Attachment, Submission

PHONE_RE = re.compile(r"1[3-9]\d{9}")


def mine(appeal: Appeal) -> str:
    """The resident's own page: the code and the resident key."""
    return reverse(
        "appeals:track_resident",
        args=[appeal.tracking_code, resident_key(appeal.tracking_code)],
    )


def jpeg(name: str = "lamp.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (180, 60, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def form_data(street, catalogue):
    return {
        "idempotency_key": "k-1",
        "description": "路灯坏了，晚上很黑。",
        "category": str(catalogue["lamp"].pk),
        "kind": "",
        "latitude": "29.605",
        "longitude": "91.005",
        "address": "",
        "name": "卓玛",
        "phone": "13812345678",
        "consent": "on",
    }


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_report_page_opens_for_anyone(client, street, catalogue):
    response = client.get(reverse("appeals:report"))
    assert response.status_code == 200
    assert "路灯不亮" in response.content.decode()


def test_a_resident_reports_with_a_photo_and_gets_a_tracking_code(client, form_data):
    response = client.post(reverse("appeals:report"), {**form_data, "photos": [jpeg()]})
    assert response.status_code == 302
    code = Submission.objects.get().tracking_code
    key = resident_key(code)
    done_url = reverse("appeals:report_done", args=[code])
    # The key never rides in a URL the server sees (access logs keep those).
    assert response.url == done_url and key not in response.url
    # The code works at once, before the worker has registered the appeal.
    done = client.get(response.url).content.decode()
    assert code in done
    own_link = resident_link(code)
    assert own_link in done and own_link.endswith(f"#key={key}")
    own_page = reverse("appeals:track", args=[code])
    pending = client.get(own_page)
    assert pending.status_code == 200
    assert 'id="pending"' in pending.content.decode()
    assert client.post(own_page, {"info-text": "补充"}).status_code == 404
    # Another browser (no session) does not open the done page with the code.
    assert Client().get(done_url).status_code == 404

    assert register_submissions() == 1

    appeal = Appeal.objects.get()
    assert appeal.tracking_code == code
    assert appeal.attachments.count() == 1
    # The session remembers the resident: their own page, with the forms.
    page = client.get(own_page).content.decode()
    assert 'id="pending"' not in page and "路灯坏了" in page
    assert 'name="info-text"' in page


def test_the_link_with_the_key_in_its_fragment_opens_the_residents_page(client, bring):
    """Browsers never send the fragment: the page's script posts the key once,
    the session keeps it, and no URL the server logs ever holds it."""
    appeal = bring("replied")
    code = appeal.tracking_code
    url = reverse("appeals:track", args=[code])
    stranger = client.get(url).content.decode()
    assert 'id="resident-claim"' in stranger
    assert 'name="callback-satisfaction"' not in stranger
    assert client.post(url, {"claim-key": "0" * 24}).status_code == 404
    claimed = client.post(
        url, {"claim-key": resident_key(code), "claim-anchor": "callback"}
    )
    assert claimed.status_code == 302 and claimed.url == f"{url}#callback"
    assert resident_key(code) not in claimed.url
    page = client.get(url).content.decode()
    assert 'name="callback-satisfaction"' in page
    assert 'id="resident-claim"' not in page
    answered = client.post(
        url, {"callback-resolved": "yes", "callback-satisfaction": "satisfied"}
    )
    assert answered.status_code == 302
    appeal.refresh_from_db()
    assert appeal.state != "replied"


def test_a_double_submit_makes_one_appeal(client, form_data):
    first = client.post(reverse("appeals:report"), form_data)
    second = client.post(reverse("appeals:report"), form_data)
    assert first.url == second.url
    register_submissions()
    third = client.post(reverse("appeals:report"), form_data)
    assert third.url == first.url
    assert Appeal.objects.count() == 1


def test_the_same_key_with_other_words_is_refused(client, form_data):
    client.post(reverse("appeals:report"), form_data)
    response = client.post(
        reverse("appeals:report"), {**form_data, "description": "另一件事"}
    )
    assert response.status_code == 422
    assert Submission.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"consent": ""}, "consent"),
        ({"description": ""}, "description"),
        ({"phone": "12345"}, "phone"),
        ({"latitude": "", "longitude": "", "address": ""}, "address"),
        ({"latitude": "95"}, "latitude"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(client, form_data, change, field):
    response = client.post(reverse("appeals:report"), {**form_data, **change})
    assert response.status_code in (400, 422)
    form = response.context["form"]
    assert field in form.errors or (field == "latitude" and form.errors)
    assert not Appeal.objects.exists() and not Submission.objects.exists()


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_stored(
    client, form_data
):
    fake = SimpleUploadedFile(
        "lamp.jpg", b"<html>not a photo</html>", content_type="image/jpeg"
    )
    response = client.post(reverse("appeals:report"), {**form_data, "photos": [fake]})
    assert response.status_code == 400
    assert "lamp.jpg" in str(response.context["form"].errors["photos"])
    assert not Appeal.objects.exists() and not Submission.objects.exists()
    assert not Attachment.objects.exists()


def test_a_truncated_photo_is_refused(client, form_data):
    whole = jpeg().read()
    cut = SimpleUploadedFile(
        "cut.jpg", whole[: len(whole) // 2], content_type="image/jpeg"
    )
    response = client.post(reverse("appeals:report"), {**form_data, "photos": [cut]})
    assert response.status_code == 400
    assert not Appeal.objects.exists() and not Submission.objects.exists()


def test_ten_photos_are_too_many(client, form_data):
    response = client.post(
        reverse("appeals:report"),
        {**form_data, "photos": [jpeg(f"{n}.jpg") for n in range(10)]},
    )
    assert response.status_code == 400
    assert not Appeal.objects.exists() and not Submission.objects.exists()


def test_script_in_the_description_is_shown_as_text(client, submit):
    appeal = submit(description="<script>alert('x')</script>路灯")
    content = client.get(
        reverse("appeals:track", args=[appeal.tracking_code])
    ).content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;" in content


def test_the_tracking_page_never_shows_the_phone_number_or_name(client, submit):
    appeal = submit()
    content = client.get(
        reverse("appeals:track", args=[appeal.tracking_code])
    ).content.decode()
    assert not PHONE_RE.search(content)
    assert "卓玛" not in content


def test_an_unknown_tracking_code_is_404(client, db):
    assert client.get(reverse("appeals:track", args=["ZZZZZZZZZZ"])).status_code == 404


def test_the_lookup_form_takes_a_code_with_spaces_and_lower_case(client, submit):
    appeal = submit()
    messy = (
        " " + appeal.tracking_code.lower()[:5] + " " + appeal.tracking_code.lower()[5:]
    )
    response = client.post(reverse("appeals:track_lookup"), {"code": messy})
    assert response.status_code == 302
    assert response.url == reverse("appeals:track", args=[appeal.tracking_code])


def test_the_resident_adds_information_and_a_photo(client, submit):
    appeal = submit()
    url = mine(appeal)
    response = client.post(url, {"info-text": "灯杆编号 A-17", "info-photos": [jpeg()]})
    assert response.status_code == 302
    assert appeal.events.filter(action="add_information", note="灯杆编号 A-17").exists()
    assert appeal.attachments.count() == 1


def test_the_resident_rates_a_reply_and_it_closes(client, bring):
    appeal = bring("replied")
    url = mine(appeal)
    page = client.get(url).content.decode()
    assert 'name="callback-satisfaction"' in page
    response = client.post(
        url,
        {
            "callback-resolved": "yes",
            "callback-satisfaction": "satisfied",
            "callback-comment": "",
        },
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.state == "closed"
    assert appeal.satisfaction == "satisfied"


def test_an_unsatisfied_resident_sends_it_back(client, bring):
    appeal = bring("replied")
    client.post(
        mine(appeal),
        {
            "callback-resolved": "no",
            "callback-satisfaction": "unsatisfied",
            "callback-comment": "灯还是不亮",
        },
    )
    appeal.refresh_from_db()
    assert appeal.state == "handling"
    assert appeal.rehandle_count == 1


def test_rating_before_the_reply_is_refused(client, bring):
    appeal = bring("handling")
    response = client.post(
        mine(appeal),
        {"callback-resolved": "yes", "callback-satisfaction": "satisfied"},
    )
    assert response.status_code == 400
    appeal.refresh_from_db()
    assert appeal.state == "handling"


def test_photos_are_served_with_nosniff_and_only_public_ones(client, submit):
    appeal = submit()
    from civicgrid.appeals.actions import appeal_add_information
    from civicgrid.core.images import process_image

    appeal_add_information(
        appeal=appeal, acting_user=None, text="", photos=[process_image(jpeg().read())]
    )
    photo = appeal.attachments.get()
    url = reverse("appeals:track_photo", args=[appeal.tracking_code, photo.pk, "thumb"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline;")
    Attachment.objects.filter(pk=photo.pk).update(public=False)
    assert client.get(url).status_code == 404
    other = reverse("appeals:track_photo", args=["ZZZZZZZZZZ", photo.pk, "thumb"])
    assert client.get(other).status_code == 404


def test_nearby_reports_are_offered_without_their_words(client, submit, catalogue):
    other = submit(description="我家楼下的私事：门牌 3-201")
    response = client.post(
        reverse("appeals:nearby"),
        {
            "latitude": "29.6051",
            "longitude": "91.0051",
            "category": catalogue["lamp"].pk,
        },
    )
    content = response.content.decode()
    assert "路灯不亮" in content
    assert "门牌" not in content
    found = re.search(r"/follow/([^/]+)/", content)
    assert found is not None
    token = found.group(1)
    follow = client.get(reverse("appeals:follow", args=[token])).content.decode()
    assert "门牌" not in follow
    assert other.tracking_code not in follow
    assert client.get(reverse("appeals:follow", args=[token + "x"])).status_code == 404


def test_nothing_nearby_is_an_empty_answer(client, submit, catalogue):
    submit()
    response = client.post(
        reverse("appeals:nearby"),
        {"latitude": "29.65", "longitude": "91.09", "category": ""},
    )
    assert response.content.strip() == b""
    assert client.post(reverse("appeals:nearby"), {"latitude": "x"}).content == b""


def test_the_code_alone_follows_but_cannot_rate_or_add(client, bring, staff):
    """Staff see tracking codes all day: a code must not let them rate."""
    appeal = bring("replied")
    url = reverse("appeals:track", args=[appeal.tracking_code])
    page = client.get(url).content.decode()
    assert 'name="callback-satisfaction"' not in page
    client.force_login(staff["handler_cg"])
    response = client.post(
        url, {"callback-resolved": "yes", "callback-satisfaction": "satisfied"}
    )
    assert response.status_code == 404
    wrong = reverse("appeals:track_resident", args=[appeal.tracking_code, "0" * 24])
    assert client.post(wrong, {"callback-resolved": "yes"}).status_code == 404
    appeal.refresh_from_db()
    assert appeal.state == "replied"


def test_a_merged_resident_follows_the_main_appeal_without_its_code(client, bring):
    appeal = bring("merged")
    page = client.get(mine(appeal)).content.decode()
    assert appeal.merged_into is not None
    assert appeal.merged_into.tracking_code not in page
    assert "/follow/" in page


def test_the_lookup_takes_the_code_by_post_only(client, submit):
    appeal = submit()
    response = client.get(
        reverse("appeals:track_lookup"), {"code": appeal.tracking_code}
    )
    assert response.status_code == 200


def test_complaints_and_reports_are_never_offered_to_strangers(
    client, submit, catalogue
):
    submit(kind="complaint", description="举报邻居")
    response = client.post(
        reverse("appeals:nearby"),
        {"latitude": "29.605", "longitude": "91.005", "category": catalogue["lamp"].pk},
    )
    assert response.content.strip() == b""


def kept_token(response) -> str:
    found = re.search(r'name="kept_photos" value="([^"]*)"', response.content.decode())
    assert found is not None
    return found.group(1)


def kept_files(settings) -> list:
    folder = settings.MEDIA_ROOT / "pending"
    return (
        sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
    )


def test_a_form_sent_back_for_a_fix_keeps_the_photos_for_the_next_try(
    client, form_data, settings
):
    response = client.post(
        reverse("appeals:report"),
        {**form_data, "consent": "", "photos": [jpeg("a.jpg"), jpeg("b.jpg")]},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "2 photos kept" in page
    assert page.count('src="data:image/jpeg;base64,') == 2
    # No address leads to a kept photo: only the inline thumbnails show them.
    assert "/pending/" not in page
    token = kept_token(response)
    assert token and kept_files(settings)

    again = client.post(reverse("appeals:report"), {**form_data, "kept_photos": token})
    assert again.status_code == 302
    assert register_submissions() == 1
    appeal = Appeal.objects.get()
    assert appeal.attachments.count() == 2
    assert kept_files(settings) == []


def test_photos_are_kept_when_the_intake_refuses_the_form(client, form_data):
    response = client.post(
        reverse("appeals:report"), {**form_data, "phone": "", "photos": [jpeg()]}
    )
    assert response.status_code == 400
    assert "1 photo kept" in response.content.decode()


def test_kept_photos_add_to_new_ones_and_can_be_removed(client, form_data, settings):
    first = client.post(
        reverse("appeals:report"), {**form_data, "consent": "", "photos": [jpeg()]}
    )
    second = client.post(
        reverse("appeals:report"),
        {
            **form_data,
            "consent": "",
            "kept_photos": kept_token(first),
            "photos": [jpeg("b.jpg")],
        },
    )
    assert "2 photos kept" in second.content.decode()
    dropped = client.post(
        reverse("appeals:report"),
        {**form_data, "kept_photos": kept_token(second), "drop_kept_photos": "1"},
    )
    assert dropped.status_code == 302
    register_submissions()
    assert Appeal.objects.get().attachments.count() == 0
    assert kept_files(settings) == []


def test_kept_photos_are_given_back_to_no_other_browser(client, form_data, settings):
    from django.test import Client

    first = client.post(
        reverse("appeals:report"), {**form_data, "consent": "", "photos": [jpeg()]}
    )
    token = kept_token(first)
    stranger = Client()
    response = stranger.post(
        reverse("appeals:report"), {**form_data, "consent": "", "kept_photos": token}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "photo kept" not in page and "data:image" not in page
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = client.post(
        reverse("appeals:report"), {**form_data, "consent": "", "kept_photos": forged}
    )
    assert "photo kept" not in response.content.decode()
    # The stranger's try took nothing: the owner still has them.
    assert kept_files(settings)


def test_chinese_labels_carry_one_mark_of_punctuation(client, bring, street, catalogue):
    """A label that ends in a question mark gets no colon after it; the others
    get the full-width one (遇到了什么问题？ not 遇到了什么问题？：)."""
    report = client.get("/report/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "遇到了什么问题？</label>" in report
    assert "地址或附近标志性地点：</label>" in report
    rating = client.get(
        mine(bring("replied")), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "您的问题解决了吗？" in rating
    for doubled in ("？：", "？:", "：：", "::"):
        assert doubled not in report
        assert doubled not in rating
