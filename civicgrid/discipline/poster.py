"""The calendar poster (信访举报宣传年历) as a PDF: the twelve months of a year
with each day's Chinese lunar date and Tibetan calendar date (``almanac``),
the body's name, the 12388 hotline, its address and visiting hours, and the
QR code of its online report form.

It is a printed poster in Tibetan and Chinese (藏汉双语), whatever the language
of the page it was asked from, as posters in Tibet are; so its words are
written here in those two languages, not taken from the interface's
catalogue. The fonts are the project's own (``static/vendor/fonts``: Noto Sans
SC cut to GB 2312 and Noto Serif Tibetan); Tibetan is shaped with HarfBuzz
(fpdf2's text shaping) so that its letters stack, and fpdf2 embeds only the
glyphs the page uses. Drawn on A3; A4 is the same drawing scaled (the A sizes
share their proportions).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import segno
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured

from . import almanac
from .almanac import tibetan_number as tib
from .models import Body

# fpdf2 subsets the fonts with fontTools, which logs every table at INFO.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONTS = {
    "sc": "vendor/fonts/NotoSansSC-Regular-GB2312.ttf",
    "bo": "vendor/fonts/NotoSerifTibetan-Regular.ttf",
}
PAPERS = {"a3": (297.0, 420.0), "a4": (210.0, 297.0)}

RED = (139, 26, 26)
INK = (26, 26, 26)
GREY = (95, 95, 95)
GREEN = (30, 110, 50)
PALE_RED = (251, 228, 224)
PALE = (246, 241, 232)

WEEKDAYS_ZH = "一二三四五六日"
# ཟླ་བ (Monday) … ཉི་མ (Sunday), as almanacs abbreviate གཟའ་…
WEEKDAYS_BO = ("ཟླ་བ།", "མིག་དམར།", "ལྷག་པ།", "ཕུར་བུ།", "པ་སངས།", "སྤེན་པ།", "ཉི་མ།")


def _font(name: str) -> str:
    path = finders.find(FONTS[name])
    if not path:
        raise ImproperlyConfigured(f"the poster's font {FONTS[name]} is missing")
    return str(path)


def render(body: Body, year: int, *, online_url: str = "", paper: str = "a3") -> bytes:
    """The poster of ``year`` for ``body``; ``online_url`` (the report form)
    is printed with its QR code when the body takes online reports. The same
    poster asked for again is not drawn again (it takes a second)."""
    return _render(
        _Facts(body.name, body.hotline, body.address, body.visiting_hours),
        year,
        online_url,
        paper if paper in PAPERS else "a3",
    )


@dataclass(frozen=True)
class _Facts:
    """What the poster prints of its body."""

    name: str
    hotline: str
    address: str
    visiting_hours: str


@lru_cache(maxsize=16)
def _render(body: _Facts, year: int, online_url: str, paper: str) -> bytes:
    from fpdf import FPDF  # imported here: it takes a second to load

    width, height = PAPERS[paper]
    scale = width / PAPERS["a3"][0]
    pdf = FPDF(orientation="P", unit="mm", format=(width, height))
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.c_margin = 0
    pdf.add_font("sc", fname=_font("sc"))
    pdf.add_font("bo", fname=_font("bo"))
    pdf.set_fallback_fonts(["bo", "sc"], exact_match=False)
    pdf.set_title(f"{body.name} {year}年信访举报宣传年历")
    pdf.set_author(body.name)
    pdf.set_subject(body.hotline)
    pdf.set_creator("CivicGrid")
    pdf.set_lang("zh-CN")
    pdf.add_page()
    _Poster(pdf, scale, body, almanac.year(year), online_url).draw()
    return bytes(pdf.output())


Rect = tuple[float, float, float, float]
WHITE = (255, 255, 255)


class _Poster:
    """Drawn in A3 millimetres and points; ``scale`` makes it any A size."""

    MARGIN = 12.0
    TOP = 46.0
    FOOTER = 56.0
    GUTTER = 4.0

    def __init__(
        self, pdf: Any, scale: float, body: _Facts, year: almanac.Year, online: str
    ) -> None:
        self.pdf = pdf
        self.s = scale
        self.body = body
        self.year = year
        self.online = online
        self.width = pdf.w / scale
        self.shaped = False

    # drawing in A3 units

    def text(
        self,
        text: str,
        rect: Rect,
        size: float,
        *,
        font: str = "sc",
        colour: tuple[int, int, int] = INK,
        align: str = "L",
        bold: bool = False,
    ) -> None:
        pdf, s = self.pdf, self.s
        # Only Tibetan needs shaping (its stacks); it costs time per call.
        shaped = any("\u0f00" <= char <= "\u0fff" for char in text)
        if shaped != self.shaped:
            pdf.set_text_shaping(shaped)
            self.shaped = shaped
        pdf.set_font(font, size=size * s)
        pdf.set_text_color(*colour)
        if bold:
            # The fonts come in one weight: a thin outline in the same colour
            # makes a heading bold.
            pdf.text_mode = "FILL_STROKE"
            pdf.set_draw_color(*colour)
            pdf.set_line_width(size * s * 0.012)
        x, y, w, h = rect
        pdf.set_xy(x * s, y * s)
        pdf.cell(w * s, h * s, text, align=align)
        if bold:
            pdf.text_mode = "FILL"

    def box(
        self,
        rect: Rect,
        *,
        fill: tuple[int, int, int] | None = None,
        line: tuple[int, int, int] | None = None,
        width: float = 0.3,
    ) -> None:
        pdf, s = self.pdf, self.s
        if fill:
            pdf.set_fill_color(*fill)
        if line:
            pdf.set_draw_color(*line)
            pdf.set_line_width(width * s)
        x, y, w, h = rect
        style = ("F" if fill else "") + ("D" if line else "")
        pdf.rect(x * s, y * s, w * s, h * s, style=style)

    # the parts

    def draw(self) -> None:
        self.header()
        columns, rows = 3, 4
        inner = self.width - 2 * self.MARGIN
        month_w = (inner - (columns - 1) * self.GUTTER) / columns
        bottom = self.pdf.h / self.s - self.MARGIN - self.FOOTER
        month_h = (bottom - self.TOP - (rows - 1) * self.GUTTER) / rows
        for index in range(12):
            column, row = index % columns, index // columns
            x = self.MARGIN + column * (month_w + self.GUTTER)
            y = self.TOP + row * (month_h + self.GUTTER)
            self.month(index + 1, (x, y, month_w, month_h))
        self.footer(bottom + self.GUTTER)

    def header(self) -> None:
        year, m = self.year, self.MARGIN
        full = self.width - 2 * m
        self.text(
            self.body.name, (m, 9.5, full, 11), 28, colour=RED, align="C", bold=True
        )
        self.text(
            f"{year.year}年 信访举报宣传年历",
            (m, 21, full, 7.5),
            17,
            align="C",
            bold=True,
        )
        self.text(
            f"སྤྱི་ལོ་{tib(year.year)} ལོའི་ལོ་ཐོ།",
            (m, 28.5, full, 7.5),
            15,
            font="bo",
            align="C",
        )
        line = (
            f"农历{year.lunar_year_name} · 春节（正月初一）{_md(year.spring_festival)}"
            f" · 藏历新年（ལོ་གསར།）{_md(year.losar)} · 藏历{year.tibetan_year_number}"
            f"年{year.tibetan_year_name_zh}（{year.tibetan_year_name}）"
        )
        self.text(line, (m, 36.5, full, 5.5), 10, colour=GREY, align="C")
        self.box((m, 43, full, 0.6), fill=RED)

    def month(self, month: int, rect: Rect) -> None:
        x, y, w, h = rect
        days = self.year.month(month)
        title_h, weekday_h = 8.0, 7.0
        self.box((x, y, w, title_h), fill=RED)
        self.text(f"{month}月", (x + 2.5, y + 0.6, 20, 7), 14, colour=WHITE, bold=True)
        self.text(
            f"ཕྱི་ཟླ་{tib(month)}",
            (x + 17, y + 1.1, 30, 6.2),
            10.5,
            font="bo",
            colour=WHITE,
        )
        tibetan = _runs(day.tibetan_month for day in days)
        self.text(
            f"藏历{tibetan}月", (x, y + 1.4, w - 2.5, 5.6), 8.5, colour=WHITE, align="R"
        )
        cell_w = w / 7
        top = y + title_h
        self.box((x, top, w, weekday_h), fill=PALE)
        for column in range(7):
            colour = RED if column >= 5 else INK
            cx = x + column * cell_w
            self.text(
                WEEKDAYS_ZH[column],
                (cx, top + 0.3, cell_w, 3.4),
                8.5,
                colour=colour,
                align="C",
            )
            self.text(
                WEEKDAYS_BO[column],
                (cx, top + 3.4, cell_w, 3.4),
                5.6,
                font="bo",
                colour=colour,
                align="C",
            )
        rows_top = top + weekday_h
        row_h = (y + h - rows_top) / 6
        offset = days[0].date.weekday()
        for n, day in enumerate(days):
            column, row = (offset + n) % 7, (offset + n) // 7
            self.day(day, (x + column * cell_w, rows_top + row * row_h, cell_w, row_h))
        self.box(rect, line=RED, width=0.35)

    def day(self, day: almanac.Day, rect: Rect) -> None:
        x, y, w, h = rect
        if day.losar or day.spring_festival:
            self.box((x + 0.3, y + 0.3, w - 0.6, h - 0.6), fill=PALE_RED)
        weekend = day.date.weekday() >= 5
        self.text(
            str(day.date.day),
            (x, y + 0.4, w, 4.2),
            12,
            colour=RED if weekend else INK,
            align="C",
            bold=True,
        )
        if day.spring_festival:
            lunar, colour = "春节", RED
        elif day.solar_term:
            lunar, colour = day.solar_term, GREEN
        else:
            lunar, colour = day.lunar_text, GREY
        self.text(lunar, (x, y + 4.7, w, 2.5), 6.4, colour=colour, align="C")
        self.text(
            _tibetan_text(day),
            (x, y + 6.9, w, 2.7),
            6.4,
            font="bo",
            colour=RED if day.losar else GREY,
            align="C",
        )

    def footer(self, top: float) -> None:
        m = self.MARGIN
        full = self.width - 2 * m
        self.box((m, top, full, 0.6), fill=RED)
        body = self.body
        x = m
        if self.online:
            size = self.FOOTER - 12
            self.qr(self.online, m, top + 3, size)
            self.text(
                "扫码在线举报",
                (m, top + 3.3 + size, size, 4.5),
                9,
                colour=RED,
                align="C",
            )
            x = m + size + 6
        w = self.width - m - x
        self.text(
            f"举报电话 {body.hotline}",
            (x, top + 2.5, 90, 11),
            26,
            colour=RED,
            bold=True,
        )
        self.text(
            f"གསལ་སྟོན་ཁ་གཏད་ཁ་པར། {tib(body.hotline)}",
            (x + 92, top + 4.5, w - 92, 8),
            14,
            font="bo",
            colour=RED,
        )
        lines = [
            (f"来信来访地址：{body.address}", "sc", 11.5, INK),
            (f"接待时间：{body.visiting_hours}", "sc", 11.5, INK),
        ]
        if self.online:
            lines += [
                (f"网上举报：{self.online}", "sc", 10, INK),
                (SCAN_BO, "bo", 10, INK),
            ]
        lines += [
            (PROMISE_ZH, "sc", 9.5, RED),
            (PROMISE_BO, "bo", 9.5, RED),
            (LEGEND_ZH, "sc", 8, GREY),
        ]
        y = top + 14
        for text, font, size, colour in lines:
            step = size * 0.353 * 1.5
            self.text(text, (x, y, w, step), size, font=font, colour=colour)
            y += step

    def qr(self, link: str, x: float, y: float, size: float) -> None:
        """The code drawn as squares (sharp at any print size): one
        rectangle for each run of dark modules in a row."""
        code = segno.make(link, error="m")
        rows = [list(row) for row in code.matrix_iter(scale=1, border=2)]
        module = size / len(rows)
        for r, row in enumerate(rows):
            start = None
            for c, dark in enumerate([*row, False]):
                if dark and start is None:
                    start = c
                elif not dark and start is not None:
                    run = (c - start) * module + 0.02
                    cell = (x + start * module, y + r * module, run, module + 0.02)
                    self.box(cell, fill=(0, 0, 0))
                    start = None


SCAN_BO = "ཨང་རྟགས་བཤེར་ནས་དྲ་ཐོག་ནས་གསལ་སྟོན་ཁ་གཏད་བྱེད་ཆོག མིང་སྦས་ནས་ཀྱང་ཆོག"
PROMISE_ZH = (
    "提倡实名举报，实名举报优先办理；依规依纪依法保护举报人，严禁打击报复；"
    "诬告陷害他人的，依规依纪依法严肃处理。"
)
PROMISE_BO = (
    "མིང་ངོ་མའི་གསལ་སྟོན་ཁ་གཏད་ལ་སྔོན་ལ་ཐག་གཅོད་བྱེད། གསལ་སྟོན་ཁ་གཏད་བྱེད་མཁན་ལ་"
    "སྲུང་སྐྱོབ་བྱེད། རྫུན་ཁ་གཏད་བྱེད་པ་དམ་བཀག"
)
LEGEND_ZH = (
    "日期下第一行为农历日期或节气，第二行为藏历日期（ཚེས་གྲངས།）；“ཟླ་”为藏历月首，"
    "“ཆད”为缺日，“ལྷག”为重日。"
)


def _md(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def _runs(months: Iterable[int]) -> str:
    """The Tibetan months a Gregorian month spans, e.g. 11—12."""
    seen: list[int] = []
    for month in months:
        if month not in seen:
            seen.append(month)
    return "—".join(str(m) for m in seen)


def _tibetan_text(day: almanac.Day) -> str:
    if day.losar:
        return "ལོ་གསར།"
    if day.tibetan_month_starts:
        leap = "ལྷག་" if day.tibetan_leap else ""
        return f"ཟླ་{leap}{tib(day.tibetan_month)}"
    text = tib(day.tibetan_day)
    if day.tibetan_repeated:
        return f"{text} ལྷག"
    if day.tibetan_skipped:
        return f"{text} ({tib(day.tibetan_skipped)}ཆད)"
    return text
