"""Parsing of CBS region and period codes.

CBS pads codes with spaces in OData v3 (``"GM0363    "``) and uses several period forms
(``2023JJ00``, ``2023KW02``, ``2023MM11``, and rarer ones such as ``2023X000``). Nothing here
raises on an unknown form: an unknown period keeps ``period_start`` empty, an unknown region
prefix gets level ``other``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

REGION_LEVELS = ("land", "landsdeel", "provincie", "corop", "gemeente", "wijk", "buurt", "other")
FREQUENCIES = ("year", "quarter", "month", "other")

_REGION_PREFIX_LEVEL = {
    "NL": "land",
    "LD": "landsdeel",
    "PV": "provincie",
    "CR": "corop",
    "CO": "corop",
    "GM": "gemeente",
    "WK": "wijk",
    "BU": "buurt",
}

# Prefix a code with this to select a level in an OData filter (startswith).
LEVEL_PREFIXES = {
    "land": ("NL",),
    "landsdeel": ("LD",),
    "provincie": ("PV",),
    "corop": ("CR", "CO"),
    "gemeente": ("GM",),
    "wijk": ("WK",),
    "buurt": ("BU",),
}

_PERIOD = re.compile(r"^(\d{4})(JJ|KW|MM|HJ)(\d{2})$")


def strip_code(code: object) -> str:
    """A CBS code without its padding; ``None`` becomes ``""``."""
    return "" if code is None else str(code).strip()


def region_level(code: str) -> str:
    """The region level of a CBS region code, from its two-letter prefix."""
    return _REGION_PREFIX_LEVEL.get(strip_code(code)[:2].upper(), "other")


@dataclass(frozen=True)
class Period:
    code: str
    start: pd.Timestamp | None
    frequency: str

    @property
    def year(self) -> int | None:
        return None if self.start is None else self.start.year


def parse_period(code: object) -> Period:
    """Parse a CBS period code; unknown forms give ``start=None`` and frequency ``other``."""
    text = strip_code(code)
    match = _PERIOD.match(text)
    if not match:
        return Period(text, None, "other")
    year, kind, number = int(match.group(1)), match.group(2), int(match.group(3))
    if kind == "JJ" and number == 0:
        return Period(text, pd.Timestamp(year, 1, 1), "year")
    if kind == "KW" and 1 <= number <= 4:
        return Period(text, pd.Timestamp(year, 3 * (number - 1) + 1, 1), "quarter")
    if kind == "MM" and 1 <= number <= 12:
        return Period(text, pd.Timestamp(year, number, 1), "month")
    return Period(text, None, "other")


def status_from_cbs(status: object, title: object = None) -> str | None:
    """Normalise CBS's period status (``Voorlopig``, ``Nader voorlopig``, ``Definitief``).

    Where a table gives no status field, StatLine marks provisional periods in the title
    with ``*`` (voorlopig) or ``**`` (nader voorlopig).
    """
    if status:
        text = str(status).strip().lower()
        if text in ("definitief", "voorlopig", "nader voorlopig"):
            return text
        if text.startswith("nader"):
            return "nader voorlopig"
        return text or None
    if title:
        t = str(title).strip()
        if t.endswith("**"):
            return "nader voorlopig"
        if t.endswith("*"):
            return "voorlopig"
    return None
