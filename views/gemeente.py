"""Region profile ("Mijn gemeente", /gemeente?regio=GM0363): every opgave's indicators with
data for one gemeente or provincie, against Nederland and comparable municipalities, with
the trend; printable, and downloadable as CSV with provenance."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.mergers import predecessors_of, split_of, successor_of
from analysis.profile import Absence, absence, level_of, standing
from analysis.regional import rank_order, region_counts
from analysis.similar import comparable_regions, features_table, missing_features
from data_sources.api import IndicatorData
from data_sources.catalogue import Indicator
from data_sources.spreadsheet import safe_csv
from ui import format as fmt
from ui.data import catalogue, display_frame, indicator_data, region_names, verdicts
from ui.language import current, pick
from ui.layout import notices
from ui.maps import division_note, mergers, period_division, splits
from ui.safe import plain
from ui.similar import FEATURE_LABELS, feature_frames, similar_regions
from ui.state import View
from ui.texts import t, verdict

PICKER = "profile-region"
# Printing (or saving as PDF) a profile for a council memo: no sidebar, menus or controls.
PRINT_CSS = """
<style>
@media print {
  section[data-testid="stSidebar"], header[data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stSelectbox"], [data-testid="stDownloadButton"], [data-testid="stDecoration"] { display: none !important; }
  .block-container { padding: 0 !important; max-width: 100% !important; }
  table { font-size: 10pt; page-break-inside: auto; } tr { page-break-inside: avoid; }
  h2, h3 { page-break-after: avoid; }
}
</style>
"""


# On a phone each indicator becomes a card: its title, then one labelled line per column (the
# header row stays for screen readers, visually hidden). Screen only: print keeps the table.
PHONE_CSS = """
<style>
@media screen and (max-width: 640px) {{
  [data-testid="stTable"] table, [data-testid="stTable"] tbody, [data-testid="stTable"] tr,
  [data-testid="stTable"] tbody th, [data-testid="stTable"] td {{ display: block; width: 100%; box-sizing: border-box; }}
  [data-testid="stTable"] thead {{ position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }}
  [data-testid="stTable"] tbody tr {{ border: 1px solid #C4CAD0; border-radius: 0.5rem; margin-bottom: 0.75rem; padding: 0.4rem 0.75rem; }}
  [data-testid="stTable"] tbody th {{ border: none; padding: 0 0 0.3rem; font-weight: 600; }}
  [data-testid="stTable"] td {{ display: flex; justify-content: space-between; gap: 0.75rem; border: none; padding: 0.15rem 0; white-space: normal; }}
  [data-testid="stTable"] td::before {{ color: #4A5560; flex: 0 0 45%; }}
  [data-testid="stTable"] td > div {{ flex: 1 1 auto; min-width: 0; }}
  [data-testid="stTable"] td p {{ text-align: right; margin: 0; overflow-wrap: anywhere; }}
{labels}
}}
</style>
"""
SHOWN = ["value", "period", "rank", "nl", "peers", "trend"]  # the table's columns after the indicator


def phone_css() -> str:
    """PHONE_CSS with each card line labelled by its column's header, in the page's language."""
    labels = "\n".join(
        f'  [data-testid="stTable"] td:nth-of-type({n})::before {{ content: "{_css_string(t("profile_col_" + column))}"; }}'
        for n, column in enumerate(SHOWN, start=1))
    return PHONE_CSS.format(labels=labels)


def _css_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")


def render(view: View) -> None:
    st.markdown(PRINT_CSS + phone_css(), unsafe_allow_html=True)
    st.title(t("profile_title"))
    notices(view)
    names = region_names()
    options = sorted((c for c in names if level_of(c)), key=lambda c: (c[:2] != "GM", names[c]))
    region = view.regio[0] if view.regio[0] in options else None
    st.session_state[PICKER] = region  # follows the sidebar's (and the URL's) main region
    st.selectbox(t("profile_pick"), options, key=PICKER, format_func=lambda c: f"{names[c]} ({c})",
                 on_change=_choose, placeholder=t("profile_pick_placeholder"))
    if region is None:
        st.info(t("profile_intro"))
        return
    st.header(f"{plain(names[region])} ({region})")
    lineage_notes(region, names)
    peers, missing = comparable(region)
    if peers:
        st.caption(t("profile_peers", names=", ".join(plain(names.get(c, c)) for c in peers)))
        with st.expander(t("profile_why_peers")):
            similar_regions(region)
    elif missing:
        features = ", ".join(f"{FEATURE_LABELS[current()][name]} ({fmt.period(period)})" for name, period in missing.items())
        st.caption(f"ℹ {t('profile_no_peers', name=plain(names[region]), features=features)}")
    rows, absences = profile_rows(region, peers)
    if not rows:
        st.info(t("profile_no_data"))
    table = pd.DataFrame(rows)
    for opgave in catalogue().opgaven:
        st.subheader(plain(pick(opgave, "title")))
        part = table[table["opgave"] == pick(opgave, "title")] if rows else table
        if part.empty:
            st.caption(absence_line(absences[opgave.id], plain(names[region]), level_of(region)))
            continue
        st.table(part[["shown_indicator", *("shown_" + c for c in SHOWN)]].map(plain)  # st.table renders markdown in cells
                 .rename(columns=lambda c: t("profile_col_" + c.removeprefix("shown_"))).set_index(t("profile_col_indicator")))
    if not rows:
        return
    st.caption(t("profile_rank_help"))
    for note in dict.fromkeys(n for n in table["division_note"] if n):  # one line per older indeling
        st.caption(note)
    st.download_button(t("profile_download"), data=profile_csv(table), file_name=f"profiel-{region}.csv", mime="text/csv")


def absence_line(found: Absence, name: str, level: str) -> str:
    """One line on why an opgave has no figures for this region."""
    level_word = t("level_" + level)
    if found.reason == "level":
        levels = f" {t('and')} ".join(t("profile_levels_" + lvl) for lvl in found.levels if lvl in ("land", "provincie", "gemeente"))
        return t("profile_none_level", level=level_word, levels=levels)
    if found.reason == "store":
        return t("profile_none_store", level=level_word)
    period = fmt.period(found.period)
    if found.reason == "new":
        return t("profile_none_new", name=name, since=found.since, level=level_word, period=period)
    return t("profile_none_region", name=name, level=level_word, period=period)


def _choose() -> None:
    """The picker's choice becomes the main region everywhere (before the rerun)."""
    chosen = st.session_state.get(PICKER)
    if chosen:
        st.session_state["regio"] = [chosen]


def lineage_notes(region: str, names: dict[str, str]) -> None:
    merged, divided = mergers(), splits()
    before = predecessors_of(region, merged)
    if before:
        st.markdown(t("profile_predecessors", names=", ".join(_linked(code, name, year) for code, name, year in before)))
    parts = [s for s in divided if region in s.successors]
    if parts:
        st.markdown(t("profile_split_parts", names=", ".join(_linked(s.code, s.name, s.last_year) for s in parts)))
    after = successor_of(region, merged)
    if after:
        st.warning(t("profile_ended", year=after.last_year, name=plain(after.successor_name), code=after.successor))
    if split := split_of(region, divided):
        st.warning(t("profile_split", year=split.last_year, names=", ".join(plain(name) for name in split.successors.values())))


def _linked(code: str, name: str, last_year: int) -> str:
    """A municipality that ended, linked to its own profile, with its last year of figures."""
    return f"[{plain(name)} ({code})](gemeente?regio={code}) ({t('profile_figures_until', year=last_year)})"


def comparable(region: str) -> tuple[list[str], dict[str, str]]:
    """The comparable municipalities, or none and the features the region lacks (name -> period)."""
    if level_of(region) != "gemeente":
        return [], {}
    frames = feature_frames()
    if frames is None:  # a catalogue or store without the comparison features
        return [], {}
    peers = list(comparable_regions(features_table(frames), region).index)
    return peers, ({} if peers else missing_features(frames, region))


def profile_rows(region: str, peers: list[str]) -> tuple[list[dict], dict[str, Absence]]:
    """The profile's rows, and per opgave without any row why it has none."""
    level = level_of(region)
    loaded = {}
    for opgave in catalogue().opgaven:
        for indicator in sorted(opgave.indicators, key=lambda i: i.kind != "resultaat"):
            data = indicator_data(indicator)
            loaded[indicator.id] = (indicator, data, display_frame(data) if data.available else None)
    # The level's number of regions: a rank over far fewer (4 cities) means nothing.
    size = max((region_counts(frame, level).max() for _, _, frame in loaded.values() if frame is not None
                and not region_counts(frame, level).empty), default=None)
    rows, absences = [], {}
    for opgave in catalogue().opgaven:
        before = len(rows)
        for indicator in sorted(opgave.indicators, key=lambda i: i.kind != "resultaat"):
            _, data, frame = loaded[indicator.id]
            if frame is None:
                continue
            where = standing(frame, region, rank_order(indicator.better, indicator.total), peers,
                             ranks=not indicator.categorical, level_size=size)
            if where is None:
                continue
            trend = verdicts(data, frame, region)[0]
            found = period_division(frame, level, where.period)
            rows.append(_row(pick(opgave, "title"), indicator, data, where, trend.verdict) | {
                "indeling": found.year or "", "division_note": division_note(found),
                "shown_rank": _rank(where, found.year, indicator)})
        if len(rows) == before:
            absences[opgave.id] = absence(region, [(i.region_levels, loaded[i.id][2]) for i in opgave.indicators], mergers())
    return rows, absences


def _row(opgave_title: str, indicator: Indicator, data: IndicatorData, where, trend_word: str) -> dict:
    unit, decimals = pick(indicator, "unit"), indicator.decimals
    difference_unit = t("points") if unit.startswith("%") else unit
    prov = data.record.provenance

    def difference(value):
        return "–" if value is None else f"{fmt.number(value, decimals, signed=True)} {difference_unit}"

    return {
        "opgave": opgave_title, "indicator_id": indicator.id, "indicator": pick(indicator, "title"), "unit": unit,
        "period": where.period, "value": where.value, "rank": where.rank, "count": where.count,
        "nederland": where.national, "vergelijkbaar_mediaan": where.peers, "trend": trend_word,
        "bron": "; ".join(_tables(prov)), "opgehaald": prov.retrieved_at if prov else "", "licentie": f"{prov.attribution}, {prov.licence}" if prov else "",
        "shown_indicator": pick(indicator, "title"),
        "shown_value": fmt.value_with_unit(where.value, unit, decimals),
        "shown_period": fmt.period(where.period),
        # A total (inhabitants, kW) minus the national total says nothing, nor does a class minus a class.
        "shown_nl": "–" if indicator.total or indicator.categorical else difference(where.versus_national),
        "shown_peers": "–" if indicator.categorical else difference(where.versus_peers),
        "shown_trend": verdict(trend_word),
    }


def _rank(where, division_year: int | None, indicator: Indicator) -> str:
    """'3 van 342' ('naar grootte' for a total), and the indeling when the rank runs over an
    older one (explained below)."""
    if where.rank is None:
        return "–"
    shown = t("profile_rank_largest" if indicator.total else "profile_rank", rank=where.rank, n=where.count)
    return shown if division_year is None else f"{shown} ({t('profile_division', year=division_year)})"


def _tables(prov) -> list[str]:
    """CBS table ids and titles behind an indicator (the inputs of a derived one)."""
    if prov is None:
        return []
    return [f"{p.publisher} {p.table_id} {p.table_title}".strip() for p in prov.sources() if p.table_id]


def profile_csv(table: pd.DataFrame) -> bytes:
    columns = ["opgave", "indicator_id", "indicator", "unit", "period", "value", "rank", "count", "indeling", "nederland",
               "vergelijkbaar_mediaan", "trend", "bron", "opgehaald", "licentie"]
    return safe_csv(table[columns], index=False).encode("utf-8")
