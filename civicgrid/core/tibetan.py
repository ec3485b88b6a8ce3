"""The Tibetan calendar (藏历, བོད་ལོ་ཐོ།) as Lhasa's almanacs keep it: the Phugpa
tradition (ཕུག་ལུགས), worked out by caltib. The work calendar takes Losar
(藏历新年) and the Shoton festival (雪顿节) from here, the resident's pages the
Tibetan date beside the Gregorian one, and the discipline channel's calendar
poster its almanac.

caltib names a Tibetan year after the Gregorian year its Losar falls in (the
year that begins on 2026-02-18 is caltib's 2026); the Tibetan year number
(藏历2153年, བོད་ལོ་ ༢༡༥༣) is 127 more. A Tibetan lunar day (tithi, ཚེས) may be
left out of the civil days (ཆད) or fill two of them (ལྷག). caltib is pure
Python and deterministic."""

from __future__ import annotations

import datetime as dt
import warnings
from functools import cache
from typing import Any

with warnings.catch_warnings():
    # caltib's engine tables warn about their own explicit constants on import.
    warnings.simplefilter("ignore", UserWarning)
    import caltib
    from caltib.core.time import to_jdn

# The years worked out here: caltib (and lunar-python, for the poster) are well
# tested there.
YEARS = range(1950, 2101)

# 藏历 numbers the years from the first Tibetan king (127 BCE): 2153 in 2026.
YEAR_NUMBER_OFFSET = 127
# The first sixty-year cycle (རབ་བྱུང་) began in 1027.
RABJUNG_EPOCH = 1027

TIBETAN_DIGITS = str.maketrans("0123456789", "༠༡༢༣༤༥༦༧༨༩")

# The year's element (after the Chinese year's stem), gender and animal (after
# its branch): 2026 is the male fire horse year (མེ་ཕོ་རྟ་ལོ).
ELEMENTS_BO = ("ཤིང", "མེ", "ས", "ལྕགས", "ཆུ")
GENDERS_BO = ("ཕོ", "མོ")
ANIMALS_BO = (
    "བྱི",
    "གླང",
    "སྟག",
    "ཡོས",
    "འབྲུག",
    "སྦྲུལ",
    "རྟ",
    "ལུག",
    "སྤྲེལ",
    "བྱ",
    "ཁྱི",
    "ཕག",
)


def tibetan_number(value: int | str) -> str:
    """12 → ༡༢."""
    return str(value).translate(TIBETAN_DIGITS)


@cache
def _phugpa() -> Any:
    return caltib.get_calendar("phugpa")


def tibetan_date(date: dt.date) -> dict[str, Any]:
    """caltib's Phugpa date of a civil day: year (caltib's), month, is_leap, day
    (the lunar day), repeated (a second civil day of it) and skipped (the lunar
    day before it was left out)."""
    return _phugpa().from_jdn(to_jdn(date))


def losar(year: int) -> dt.date:
    """The first day of the Tibetan year that begins in ``year`` (藏历新年初一)."""
    return caltib.new_year_day(year, engine="phugpa")


def civil_day(year: int, month: int, day: int) -> dt.date:
    """The civil day of a lunar day of the (ordinary, not leap) Tibetan month
    ``month`` of caltib's ``year``: the day after when that lunar day is left
    out, the month's last day when it is the 30th that is left out. Month 1 day
    1 is :func:`losar`."""
    if (month, day) == (1, 1):
        return losar(year)
    days = caltib.days_in_month(year, month, engine="phugpa")
    for row in days:
        if row["tithi"] >= day:
            found: dt.date = row["date"]
            return found
    last: dt.date = days[-1]["date"]
    return last


def year_number(year: int) -> int:
    """caltib's year → the Tibetan year number (2026 → 2153)."""
    return year + YEAR_NUMBER_OFFSET


def rabjung(year: int) -> tuple[int, int]:
    """caltib's year → (sixty-year cycle, year in it): 2026 is the 40th year of
    the 17th rabjung."""
    return (year - RABJUNG_EPOCH) // 60 + 1, (year - RABJUNG_EPOCH) % 60 + 1


def year_name(year: int) -> str:
    """caltib's year → its element, gender and animal: མེ་ཕོ་རྟ་ལོ (2026)."""
    stem, branch = (year - 4) % 10, (year - 4) % 12
    parts = (ELEMENTS_BO[stem // 2], GENDERS_BO[stem % 2], ANIMALS_BO[branch])
    return "་".join(parts) + "་ལོ"


def format_date(date: dt.date, *, with_rabjung: bool = False) -> str:
    """The Tibetan date of a civil day in Tibetan script: བོད་ལོ་ ༢༡༥༣ ཟླ་ ༡ ཚེས་ ༡,
    or with the rabjung year instead of the number: རབ་བྱུང་ ༡༧ མེ་ཕོ་རྟ་ལོ་ ཟླ་ ༡ ཚེས་ ༡.
    A leap month reads ཟླ་ལྷག་, the second civil day of a lunar day ends in ལྷག."""
    found = tibetan_date(date)
    if with_rabjung:
        cycle, _in_cycle = rabjung(found["year"])
        year = f"རབ་བྱུང་ {tibetan_number(cycle)} {year_name(found['year'])}་"
    else:
        year = f"བོད་ལོ་ {tibetan_number(year_number(found['year']))}"
    leap = "ལྷག་" if found["is_leap"] else ""
    day = f"ཚེས་ {tibetan_number(found['day'])}"
    if found["repeated"]:
        day += " ལྷག"
    return f"{year} ཟླ་{leap} {tibetan_number(found['month'])} {day}"
