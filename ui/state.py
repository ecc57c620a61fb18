"""Everything a view shows lives in its URL (Dutch parameter names, see docs/pages.md).

``read`` validates the query parameters against what exists; anything unknown falls back to
its default and is reported as a quiet notice, never an exception. ``write`` puts the
current view back, leaving out defaults so links stay short.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import streamlit as st

from vocabulary import DEFAULT_REGION, LEVELS, MAX_REGIONS, MODES, PRESENTATION, TABS

from .texts import LANGUAGES


@dataclass
class View:
    taal: str = "nl"
    regio: list[str] = field(default_factory=lambda: [DEFAULT_REGION])
    indicator: str | None = None
    tab: str = TABS[0]
    weergave: str = MODES[0]
    van: int | None = None
    tot: int | None = None
    periode: str | None = None  # a CBS period code (maps, samenhang)
    niveau: str | None = None  # gemeente or provincie (maps, samenhang)
    x: str | None = None  # samenhang: indicator on the horizontal axis
    y: str | None = None  # samenhang: indicator on the vertical axis
    modus: str = ""
    momenten: bool = True  # policy moments on charts; momenten=uit switches them off
    notices: list[tuple[str, str, str]] = field(default_factory=list)  # (text key, parameter, what was ignored)


_URL_INT = re.compile(r"[0-9]{1,9}")  # ASCII digits only, a bounded count of them


def url_int(text: str | None) -> int | None:
    """A whole number from the URL, or None. ``str.isdigit`` accepts ``²`` and other scripts'
    digits (which ``int`` then refuses or reads), and ``int`` refuses strings of 4,300 digits
    and more: so only ASCII digits, at most nine of them."""
    if text is None or not _URL_INT.fullmatch(text):
        return None
    return int(text)


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    year = url_int(text)
    if year is None or not 1800 <= year <= 2100:
        raise ValueError(text)
    return year


def _period(text: str) -> str:
    """A CBS period code (2023JJ00, 2023KW02, 2023MM11); the page checks it exists."""
    if not re.fullmatch(r"\d{4}(JJ|KW|MM)\d{2}", text):
        raise ValueError(text)
    return text


def read(region_codes: set[str], indicator_ids: set[str] | None = None) -> View:
    params = st.query_params
    view = View()

    def take(name, check, default):
        raw = params.get(name)
        if raw is None or raw == "":
            return default
        try:
            value = check(raw)
        except (ValueError, KeyError):
            view.notices.append(("bad_param", name, raw))
            return default
        return value

    def one_of(options):
        def check(raw):
            if raw not in options:
                raise ValueError(raw)
            return raw
        return check

    view.taal = take("taal", one_of(LANGUAGES), "nl")
    view.tab = take("tab", one_of(TABS), TABS[0])
    view.weergave = take("weergave", one_of(MODES), MODES[0])
    view.modus = take("modus", one_of((PRESENTATION,)), "")
    view.momenten = take("momenten", one_of(("uit",)), "") != "uit"
    view.van = take("van", _year, None)
    view.tot = take("tot", _year, None)
    if view.van is not None and view.tot is not None and view.van > view.tot:
        view.notices.append(("bad_range", "van/tot", f"{view.van} > {view.tot}"))
        view.van = view.tot = None
    view.periode = take("periode", _period, None)
    view.niveau = take("niveau", one_of(LEVELS), None)
    if indicator_ids is not None:
        view.indicator = take("indicator", one_of(indicator_ids), None)
        view.x = take("x", one_of(indicator_ids), None)
        view.y = take("y", one_of(indicator_ids), None)
    raw_regions = params.get("regio")
    if raw_regions:
        codes = [c.strip().upper() for c in raw_regions.split(",") if c.strip()]
        known = [c for c in dict.fromkeys(codes) if c in region_codes]
        if len(known) != len(codes):
            view.notices.append(("bad_param", "regio", ",".join(c for c in codes if c not in known)))
        if len(known) > MAX_REGIONS:
            view.notices.append(("too_many_regions", "regio", ",".join(known[MAX_REGIONS:])))
            known = known[:MAX_REGIONS]
        view.regio = known or [DEFAULT_REGION]
    return view


def write(view: View, page_params: tuple[str, ...] = ()) -> None:
    """Write the view's parameters to the URL (defaults omitted)."""
    wanted = {}
    if view.taal != "nl":
        wanted["taal"] = view.taal
    if view.regio != [DEFAULT_REGION]:
        wanted["regio"] = ",".join(view.regio)
    if "indicator" in page_params and view.indicator:
        wanted["indicator"] = view.indicator
    if "tab" in page_params and view.tab != TABS[0]:
        wanted["tab"] = view.tab
    if "weergave" in page_params and view.weergave != MODES[0]:
        wanted["weergave"] = view.weergave
    if view.modus:
        wanted["modus"] = view.modus
    if not view.momenten:
        wanted["momenten"] = "uit"
    for name in ("van", "tot", "periode", "niveau", "x", "y"):
        if name in page_params and getattr(view, name) is not None:
            wanted[name] = str(getattr(view, name))
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)
