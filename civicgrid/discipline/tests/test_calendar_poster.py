"""The calendar poster (信访举报宣传年历): a one-page PDF of the twelve months
with each day's Chinese lunar date and Tibetan (Phugpa) date, Losar marked,
the body's name, 12388, its address and the QR code of its online form —
in fonts of the project's own, Chinese and Tibetan both. And the almanac
under it, checked against the libraries' own day-by-day answers."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.urls import reverse
from lunar_python import Solar
from pypdf import PdfReader

from civicgrid.discipline import almanac, poster, selectors_publicity

# caltib as the almanac imports it (quietly: its tables warn on import).
caltib = almanac.caltib

pytestmark = pytest.mark.django_db


def poster_url(body: str = "dl", year: int | str = 2026) -> str:
    return f"/discipline/calendar/{body}/{year}.pdf"


def text_of(content: bytes) -> str:
    """The page's text without white space (pypdf spaces Tibetan syllables
    apart)."""
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    return re.sub(r"\s+", "", reader.pages[0].extract_text())


@pytest.fixture
def pdf(client, sealed) -> bytes:
    response = client.get(poster_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_the_poster_is_a_one_page_pdf_of_twelve_months(pdf, sealed):
    assert pdf.startswith(b"%PDF-")
    text = text_of(pdf)
    for month in range(1, 13):
        assert f"{month}月ཕྱི་ཟླ་{almanac.tibetan_number(month)}" in text, month
    assert "2026年信访举报宣传年历" in text
    assert "སྤྱི་ལོ་༢༠༢༦ལོའི་ལོ་ཐོ།" in text


def test_the_poster_has_the_body_its_hotline_address_and_online_form(pdf, sealed):
    text = text_of(pdf)
    body = sealed.district
    assert body.name in text
    assert "举报电话12388" in text
    assert re.sub(r"\s+", "", body.address) in text
    assert re.sub(r"\s+", "", body.visiting_hours) in text
    assert selectors_publicity.online_url(body) in text
    assert "扫码在线举报" in text


def test_the_poster_gives_the_lunar_date_spring_festival_on_17_february(pdf):
    assert Solar.fromYmd(2026, 2, 17).getLunar().toString().endswith("正月初一")
    text = text_of(pdf)
    assert "春节（正月初一）2月17日" in text
    # In its cell: the date, then 春节, then the Tibetan day (the 30th).
    assert "17春节༣༠" in text
    # A lunar month's first day shows the month (腊月 begins on 19 January).
    assert "19腊月" in text


def test_the_poster_marks_losar_on_the_day_caltib_gives(pdf):
    losar = caltib.new_year_day(2026, engine="phugpa")
    assert losar == dt.date(2026, 2, 18)
    first = caltib.day_info(losar, engine="phugpa").tibetan
    assert (first.month, first.tithi) == (1, 1)
    text = text_of(pdf)
    assert "藏历新年（ལོ་གསར།）2月18日" in text
    # The cell of 18 February: 雨水 (a solar term that day) and Losar.
    assert "18雨水ལོ་གསར།" in text
    assert text.count("ལོ་གསར།") == 2
    assert "藏历2153年火马年（མེ་ཕོ་རྟ་ལོ།）" in text


def test_the_poster_embeds_its_own_chinese_and_tibetan_fonts(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    resources: Any = reader.pages[0]["/Resources"]
    fonts = resources["/Font"]
    names = {str(font.get_object()["/BaseFont"]) for font in fonts.values()}
    assert any("NotoSansSC" in name for name in names), names
    assert any("NotoSerifTibetan" in name for name in names), names
    # Subset: far smaller than the fonts themselves (2.3 MB and 0.7 MB).
    assert len(pdf) < 300_000


def test_the_poster_on_a4(client, sealed):
    response = client.get(poster_url() + "?paper=a4")
    assert response.status_code == 200
    box = PdfReader(io.BytesIO(response.content)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert client.get(poster_url() + "?paper=a5").status_code == 404


def test_a_body_without_online_reports_prints_no_qr_code(client, sealed):
    sealed.street.accepts_online = False
    sealed.street.save(update_fields=["accepts_online"])
    response = client.get(poster_url("dg", 2027))
    assert response.status_code == 200
    text = text_of(response.content)
    assert "扫码在线举报" not in text
    assert "/discipline/report/" not in text
    assert "东嘎街道纪工委" in text


@pytest.mark.parametrize("year", ["1800", "1949", "2101", "abc", "20260"])
def test_a_year_without_a_calendar_is_404(client, sealed, year):
    assert client.get(poster_url(year=year)).status_code == 404


def test_an_unknown_body_is_404_and_the_poster_takes_no_post(client, sealed):
    assert client.get(poster_url("nowhere")).status_code == 404
    assert client.post(poster_url()).status_code == 405
    url = reverse("discipline:calendar_poster", args=["dl", 2026])
    assert url == poster_url()


def test_the_same_poster_is_drawn_once(sealed):
    body = sealed.district
    first = poster.render(body, 2030, online_url="http://x/")
    assert poster.render(body, 2030, online_url="http://x/") is first
    body.address = "新地址"
    assert poster.render(body, 2030, online_url="http://x/") is not first


# --- the almanac -----------------------------------------------------------------


@pytest.mark.parametrize("year", [1950, 2023, 2025, 2026, 2100])
def test_the_lunar_dates_are_lunar_pythons_day_by_day(year):
    """Counting through the lunar months (fast) gives what converting each
    day (slow) does, leap months (2023: 闰二月, 2025: 闰六月) included."""
    for day in almanac.year(year).days:
        lunar = Solar.fromYmd(day.date.year, day.date.month, day.date.day).getLunar()
        assert (day.lunar_month, day.lunar_leap, day.lunar_day) == (
            abs(lunar.getMonth()),
            lunar.getMonth() < 0,
            lunar.getDay(),
        ), day.date
        assert day.lunar_month_name == lunar.getMonthInChinese() + "月"
        assert day.solar_term == lunar.getJieQi()


@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_the_tibetan_days_run_on_with_repeats_and_omissions(year):
    days = almanac.year(year).days
    assert sum(day.losar for day in days) == 1
    for before, day in zip(days, days[1:], strict=False):
        if day.tibetan_repeated:
            assert day.tibetan_day == before.tibetan_day
            continue
        expected = before.tibetan_day % 30 + 1
        if day.tibetan_skipped:
            assert day.tibetan_skipped == expected
            expected = expected % 30 + 1
        assert day.tibetan_day == expected, day.date
        if day.date.day in (1, 15):  # caltib's public answer, now and then
            info = caltib.day_info(day.date, engine="phugpa").tibetan
            assert (info.month, info.tithi) == (day.tibetan_month, day.tibetan_day)
    losar = next(day for day in days if day.losar)
    assert losar.date == caltib.new_year_day(year, engine="phugpa")
    assert losar.tibetan_month == 1 and losar.tibetan_month_starts


def test_the_tibetan_year_names():
    assert almanac.year(2025).tibetan_year_name == "ཤིང་མོ་སྦྲུལ་ལོ།"
    assert almanac.year(2026).tibetan_year_name == "མེ་ཕོ་རྟ་ལོ།"
    assert almanac.year(2026).tibetan_year_name_zh == "火马年"
    assert almanac.year(2026).lunar_year_name == "丙午马年"
    assert almanac.year(2026).tibetan_year_number == 2153
    with pytest.raises(ValueError, match="no calendar"):
        almanac.year(1800)
