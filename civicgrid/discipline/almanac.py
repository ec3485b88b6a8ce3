"""The days of a year for the calendar poster (宣传年历): each Gregorian date
with its Chinese lunar date (农历) and solar term (节气), from lunar-python,
and its Tibetan calendar date (藏历, the Phugpa tradition that Lhasa's
almanacs follow), from caltib through ``civicgrid.core.tibetan``, with Losar
(藏历新年) marked.

A Tibetan lunar day (tithi, ཚེས) may be left out of the civil days (ཆད) or
fill two of them (ལྷག); :class:`Day` says which. Both libraries are pure
Python and deterministic, so a year is worked out once per process."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from lunar_python import LunarMonth, Solar
from lunar_python.util import LunarUtil

# The Tibetan calendar is core's, shared with the work calendar (Losar and Shoton
# as days off) and the resident's pages; caltib and tibetan_number are named
# here too, for the poster and its tests; YEARS are those a poster is made for.
from civicgrid.core.tibetan import YEARS as YEARS
from civicgrid.core.tibetan import caltib as caltib
from civicgrid.core.tibetan import losar, tibetan_date, year_name, year_number
from civicgrid.core.tibetan import tibetan_number as tibetan_number

# lunar-python names the next year's first solar terms in pinyin.
_TERMS = {
    "DONG_ZHI": "冬至",
    "XIAO_HAN": "小寒",
    "DA_HAN": "大寒",
    "LI_CHUN": "立春",
    "YU_SHUI": "雨水",
    "JING_ZHE": "惊蛰",
    "DA_XUE": "大雪",
}

# The Tibetan year's element (after the Chinese year's stem) and animal (after
# its branch), in Chinese: 2026 is the fire horse year (火马年).
_ELEMENTS_ZH = ("木", "火", "土", "铁", "水")
_ANIMALS_ZH = "鼠牛虎兔龙蛇马羊猴鸡狗猪"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"


@dataclass(frozen=True)
class Day:
    date: dt.date
    lunar_month: int
    lunar_leap: bool
    lunar_day: int
    solar_term: str
    tibetan_month: int
    tibetan_leap: bool
    tibetan_day: int
    # This civil day repeats the lunar day of the day before (ལྷག).
    tibetan_repeated: bool
    # The lunar day that was left out just before this one (ཆད), if any.
    tibetan_skipped: int | None
    losar: bool

    @property
    def lunar_month_name(self) -> str:
        return (
            ("闰" if self.lunar_leap else "") + LunarUtil.MONTH[self.lunar_month] + "月"
        )

    @property
    def lunar_day_name(self) -> str:
        return LunarUtil.DAY[self.lunar_day]

    @property
    def lunar_text(self) -> str:
        """What a calendar prints under the date: the solar term, else the
        month's name on its first day, else the day's."""
        if self.solar_term:
            return self.solar_term
        if self.lunar_day == 1:
            return self.lunar_month_name
        return self.lunar_day_name

    @property
    def spring_festival(self) -> bool:
        return self.lunar_month == 1 and self.lunar_day == 1 and not self.lunar_leap

    @property
    def tibetan_month_starts(self) -> bool:
        return self.tibetan_day == 1 or (
            self.tibetan_skipped == 1 and self.tibetan_day == 2
        )


@dataclass(frozen=True)
class Year:
    year: int
    days: tuple[Day, ...]
    spring_festival: dt.date
    losar: dt.date

    def month(self, month: int) -> list[Day]:
        return [day for day in self.days if day.date.month == month]

    @property
    def tibetan_year_number(self) -> int:
        """The Tibetan year that begins at this year's Losar (藏历2153年 in
        2026)."""
        return year_number(self.year)

    def _stem_branch(self) -> tuple[int, int]:
        ganzhi = Solar.fromDate(_noon(self.spring_festival)).getLunar()
        name = ganzhi.getYearInGanZhi()
        return _STEMS.index(name[0]), _BRANCHES.index(name[1])

    @property
    def tibetan_year_name(self) -> str:
        """E.g. མེ་ཕོ་རྟ་ལོ། (fire male horse year)."""
        return year_name(self.year) + "།"

    @property
    def tibetan_year_name_zh(self) -> str:
        """E.g. 火马年."""
        stem, branch = self._stem_branch()
        return f"{_ELEMENTS_ZH[stem // 2]}{_ANIMALS_ZH[branch]}年"

    @property
    def lunar_year_name(self) -> str:
        """E.g. 丙午马年."""
        lunar = Solar.fromDate(_noon(self.spring_festival)).getLunar()
        return f"{lunar.getYearInGanZhi()}{lunar.getYearShengXiao()}年"


def _noon(day: dt.date) -> dt.datetime:
    # lunar-python takes a naive datetime for a civil date (no time zone).
    return dt.datetime(day.year, day.month, day.day, 12)  # noqa: DTZ001


def _dates(year: int) -> list[dt.date]:
    first = dt.date(year, 1, 1)
    count = (dt.date(year + 1, 1, 1) - first).days
    return [first + dt.timedelta(days=n) for n in range(count)]


def _lunar(year: int) -> dict[dt.date, tuple[int, bool, int]]:
    """(month, leap, day) of every date, month by month: one conversion for
    the first of January, then counting through the lunar months."""
    start = Solar.fromYmd(year, 1, 1).getLunar()
    month = LunarMonth.fromYm(start.getYear(), start.getMonth())
    day = start.getDay()
    found = {}
    for date in _dates(year):
        found[date] = (abs(month.getMonth()), month.isLeap(), day)
        day += 1
        if day > month.getDayCount():
            month, day = month.next(1), 1
    return found


def _solar_terms(year: int) -> dict[dt.date, str]:
    terms = {}
    for month, day in ((1, 1), (12, 31)):
        table = Solar.fromYmd(year, month, day).getLunar().getJieQiTable()
        for name, solar in table.items():
            date = dt.date(solar.getYear(), solar.getMonth(), solar.getDay())
            if date.year == year:
                terms[date] = _TERMS.get(name, name)
    return terms


@lru_cache(maxsize=8)
def year(number: int) -> Year:
    if number not in YEARS:
        raise ValueError(f"no calendar for {number}")
    lunar = _lunar(number)
    terms = _solar_terms(number)
    new_year = losar(number)
    days = []
    for date in _dates(number):
        month, leap, day = lunar[date]
        tibetan = tibetan_date(date)
        skipped = None
        if tibetan["skipped"]:
            skipped = tibetan["day"] - 1 or 30
        days.append(
            Day(
                date=date,
                lunar_month=month,
                lunar_leap=leap,
                lunar_day=day,
                solar_term=terms.get(date, ""),
                tibetan_month=tibetan["month"],
                tibetan_leap=tibetan["is_leap"],
                tibetan_day=tibetan["day"],
                tibetan_repeated=tibetan["repeated"],
                tibetan_skipped=skipped,
                losar=date == new_year,
            )
        )
    spring = next(d.date for d in days if d.spring_festival)
    return Year(year=number, days=tuple(days), spring_festival=spring, losar=new_year)
