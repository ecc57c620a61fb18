"""Dutch (and English) formatting of numbers, percentages, dates and CBS periods."""
from __future__ import annotations

import math
from datetime import datetime

import pandas as pd

from data_sources.codes import parse_period

from .language import current

MONTHS = {
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
}


def number(value: float | None, decimals: int = 0, signed: bool = False) -> str:
    """8.149.000 and 17,4 in Dutch; 8,149,000 and 17.4 in English; '–' for no value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:{'+' if signed else ''}z,.{decimals}f}"  # z: no "−0,0" for a tiny negative
    if current() == "nl":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text.replace("-", "−")


def value_with_unit(value: float | None, unit: str, decimals: int) -> str:
    text = number(value, decimals)
    if text == "–":
        return text
    return f"{text}{unit}" if unit.startswith("%") else f"{text} {unit}"  # 17,4% and 28,3% van de woningen


def date(value: str | datetime | None) -> str:
    """1 januari 2024 / 1 January 2024."""
    if value in (None, ""):
        return "–"
    ts = pd.Timestamp(value)
    if ts.tzinfo is not None:
        ts = ts.tz_convert("Europe/Amsterdam")
    return f"{ts.day} {MONTHS[current()][ts.month - 1]} {ts.year}"


def datetime_text(value: str | None) -> str:
    if not value:
        return "–"
    ts = pd.Timestamp(value)
    if ts.tzinfo is not None:
        ts = ts.tz_convert("Europe/Amsterdam")
    return f"{date(ts)} {ts:%H:%M}"


def period(code: str) -> str:
    """2023 / 2e kwartaal 2023 / november 2023; unknown forms as CBS wrote them."""
    parsed = parse_period(code)
    if parsed.start is None:
        return str(code)
    if parsed.frequency == "year":
        return str(parsed.start.year)
    if parsed.frequency == "quarter":
        q = (parsed.start.month - 1) // 3 + 1
        return f"{q}e kwartaal {parsed.start.year}" if current() == "nl" else f"Q{q} {parsed.start.year}"
    return f"{MONTHS[current()][parsed.start.month - 1]} {parsed.start.year}"


def age_days(iso: str | None, now: datetime | None = None) -> int | None:
    if not iso:
        return None
    ts = pd.Timestamp(iso)
    now_ts = pd.Timestamp(now or datetime.now(ts.tzinfo))
    return max(0, (now_ts - ts).days)


AGE_UNITS = {  # (from how many days, days in the unit, singular, plural), largest first
    "nl": ((730, 365, "jaar", "jaar"), (61, 30, "maand", "maanden"), (14, 7, "week", "weken"), (2, 1, "dag", "dagen")),
    "en": ((730, 365, "year", "years"), (61, 30, "month", "months"), (14, 7, "week", "weeks"), (2, 1, "day", "days")),
}


def age_words(iso: str | None, now: datetime | None = None) -> str:
    """'vandaag', 'gisteren', '5 dagen geleden', '3 weken geleden', '8 maanden geleden', '2 jaar
    geleden' (English alike); '–' without a date."""
    days = age_days(iso, now)
    if days is None:
        return "–"
    if days < 2:
        return {"nl": ("vandaag", "gisteren"), "en": ("today", "yesterday")}[current()][days]
    _, size, one, many = next(u for u in AGE_UNITS[current()] if days >= u[0])
    n = days // size
    return f"{n} {one if n == 1 else many} {'geleden' if current() == 'nl' else 'ago'}"
