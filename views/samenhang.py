"""Samenhang (/samenhang?x=..&y=..&periode=..&niveau=..&regio=..): two indicators over all
municipalities in one period, their correlation with its caveats, and 'stapeling': where
the worst fifth on several opgaven coincide."""
from __future__ import annotations

import html
import textwrap

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.mergers import Division
from analysis.samenhang import MIN_PAIRS, Correlation, correlation, marker_sizes, overlapping_periods, paired, stapeling, worst_fifth
from data_sources.catalogue import Indicator
from ui import format as fmt
from ui.charts import FONT, PALETTE, TEXT_COLOUR, separators
from ui.data import catalogue, display_frame, indicator_data, region_names, versions
from ui.language import current, pick, speaking
from ui.layout import notices
from ui.maps import division_note, division_of, period_division
from ui.safe import echo, plain
from ui.state import View
from ui.texts import t
from vocabulary import LEVELS

# Opening pair, from two different opgaven: is loneliness higher where homes are expensive?
DEFAULT_PAIR = ("samenhang-x", "samenhang-y")  # the catalogue roles of the pair shown when the URL names none
HIGHLIGHT = PALETTE[1]
AXIS_TITLE_WIDTH = 28  # characters per line of an axis title: fits a 390 px phone


# Every page over all indicators is built once per store and catalogue version (``key``, from
# ui.data.versions) and shared by every visitor: reading and joining every frame again on each
# run made this page the slowest to its first chart. st.plotly_chart and the page only read
# what these return.


def regional_indicators(level: str, key: str) -> dict[str, Indicator]:
    """Indicators with values for regions of ``level``, in catalogue order."""
    cat = catalogue()
    return {i: cat.indicator(i) for i in _regional_ids(key, level)}


@st.cache_resource(show_spinner=False, max_entries=16)
def _regional_ids(key: str, level: str) -> tuple[str, ...]:
    found = []
    for indicator in catalogue().indicators():
        data = indicator_data(indicator)
        if data.available and ((data.frame["region_level"] == level) & data.frame["value"].notna()).any():
            found.append(indicator.id)
    return tuple(found)


def default_pair(ids: list[str], by_id: dict[str, Indicator]) -> tuple[str, str]:
    pair = tuple(ind.id for ind in map(catalogue().with_role, DEFAULT_PAIR) if ind)
    if len(pair) == 2 and all(i in ids for i in pair):
        return pair
    other = next((i for i in ids[1:] if by_id[i].opgave != by_id[ids[0]].opgave), ids[1])
    return ids[0], other


def render(view: View) -> None:
    st.title(t("samenhang_title"))
    notices(view)
    st.markdown(t("samenhang_intro"))
    if view.niveau is not None and view.niveau not in LEVELS:
        view.niveau = None
    level = st.radio(t("map_level"), LEVELS, index=LEVELS.index(view.niveau or "gemeente"), horizontal=True,
                     format_func=lambda lvl: t("level_" + lvl), key="samenhang-level")
    view.niveau = level if level != "gemeente" else None
    key = versions()
    by_id = regional_indicators(level, key)
    ids = list(by_id)
    if len(ids) < 2:
        st.info(t("samenhang_too_few"))
        return
    x_default, y_default = default_pair(ids, by_id)
    cat = catalogue()
    label = {i: f"{pick(by_id[i], 'title')} ({pick(cat.opgave(by_id[i].opgave), 'title')})" for i in ids}
    left, right = st.columns(2)
    x_id = left.selectbox(t("samenhang_x"), ids, index=ids.index(view.x if view.x in ids else x_default), format_func=label.get, key="samenhang-x")
    y_id = right.selectbox(t("samenhang_y"), ids, index=ids.index(view.y if view.y in ids else y_default), format_func=label.get, key="samenhang-y")
    view.x, view.y = (x_id if x_id != x_default else None), (y_id if y_id != y_default else None)
    periods = _periods(key, x_id, y_id, level)
    if not periods:
        st.info(t("samenhang_no_overlap"))
        division_notes(worst_together(level, key))
        return
    if view.periode is not None and view.periode not in periods:
        st.caption(f"ℹ {t('bad_param', name='periode', value=echo(view.periode))}")
    period = st.select_slider(t("map_period"), periods, value=view.periode if view.periode in periods else periods[-1],
                              format_func=lambda p: fmt.period(p), key=f"samenhang-period-{x_id}-{y_id}-{level}") if len(periods) > 1 else periods[0]
    view.periode = period if period != periods[-1] else None
    figure, corr, division = _scatter(key, x_id, y_id, level, period, view.regio[0], current())
    st.plotly_chart(figure, key="samenhang-scatter", theme=None,
                    config={"displaylogo": False, "locale": current()},
                    alt=t("samenhang_alt", x=pick(by_id[x_id], "title"), y=pick(by_id[y_id], "title"), period=fmt.period(period)))
    describe(corr, level, period)
    scatter_use = (t("samenhang_division_scatter", n=fmt.number(corr.n, 0)), division)
    division_notes([scatter_use, *worst_together(level, key)])


def _frames(x_id: str, y_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    return tuple(display_frame(indicator_data(catalogue().indicator(i))) for i in (x_id, y_id))


@st.cache_resource(show_spinner=False, max_entries=64)
def _periods(key: str, x_id: str, y_id: str, level: str) -> list[str]:
    return overlapping_periods(*_frames(x_id, y_id), level)


@st.cache_resource(show_spinner=False, max_entries=64)
def _scatter(key: str, x_id: str, y_id: str, level: str, period: str, region: str, lang: str) -> tuple[go.Figure, Correlation, Division]:
    """The scatter of one pair in one period (in ``lang``, part of the key), its correlation
    and the indeling it uses."""
    pairs = paired(*_frames(x_id, y_id), level, period)
    x_ind, y_ind = catalogue().indicator(x_id), catalogue().indicator(y_id)
    with speaking(lang):
        figure = scatter(pairs, x_ind, y_ind, population(level, period), region)
    return figure, correlation(pairs), division_of(pairs)


def division_notes(uses: list[tuple[str, Division]]) -> None:
    """One note per older indeling on the page (not one per figure or indicator), naming what
    it applies to."""
    groups: dict[tuple, list[str]] = {}
    first: dict[tuple, Division] = {}
    for label, found in uses:
        if found.current:
            continue
        key = (found.year, tuple(found.ended), tuple(found.not_yet))
        groups.setdefault(key, []).append(label)
        first.setdefault(key, found)
    for key, labels in groups.items():
        st.caption(f"{division_note(first[key], counted=False)[:-1]}; {t('samenhang_division_applies', what='; '.join(labels))}.")


def population(level: str, period: str) -> pd.Series:
    """Inhabitants per region in ``period`` (else the nearest earlier or later year), for sizes."""
    indicator = catalogue().with_role("inwoners")
    data = indicator_data(indicator) if indicator else None
    if data is None or not data.available:
        return pd.Series(dtype=float)
    rows = data.frame[(data.frame["region_level"] == level) & data.frame["value"].notna() & data.frame["period_start"].notna()]
    if rows.empty:
        return pd.Series(dtype=float)
    year = int(period[:4])
    rows = rows.assign(distance=(rows["period_start"].dt.year - year).abs()).sort_values(["distance", "period_start"])
    return rows.drop_duplicates("region_code").set_index("region_code")["value"]


def scatter(pairs: pd.DataFrame, x_ind: Indicator, y_ind: Indicator, inhabitants: pd.Series, region: str) -> go.Figure:
    sizes = marker_sizes(pairs["region_code"].map(inhabitants))
    hover = [f"<b>{html.escape(str(name))}</b><br>{html.escape(pick(x_ind, 'title'))}: {html.escape(fmt.value_with_unit(a, pick(x_ind, 'unit'), x_ind.decimals))}"
             f"<br>{html.escape(pick(y_ind, 'title'))}: {html.escape(fmt.value_with_unit(b, pick(y_ind, 'unit'), y_ind.decimals))}"
             + (f"<br>{fmt.number(p, 0)} {t('inhabitants')}" if pd.notna(p) else "")
             for name, a, b, p in zip(pairs["region_name"], pairs["x"], pairs["y"], pairs["region_code"].map(inhabitants), strict=True)]
    chosen = (pairs["region_code"] == region).to_numpy()
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=pairs["x"][~chosen], y=pairs["y"][~chosen], mode="markers", name=t("samenhang_points"),
        marker=dict(size=sizes[~chosen], color=PALETTE[0], opacity=0.55, line=dict(color="white", width=0.5), sizemode="diameter"),
        hovertext=[h for h, c in zip(hover, chosen, strict=True) if not c], hoverinfo="text",
    ))
    if chosen.any():
        fig.add_trace(go.Scatter(
            x=pairs["x"][chosen], y=pairs["y"][chosen], mode="markers+text", name=html.escape(str(pairs["region_name"][chosen].iloc[0])),
            text=[html.escape(str(n)) for n in pairs["region_name"][chosen]], textposition="top center",
            marker=dict(size=sizes[chosen], color=HIGHLIGHT, symbol="diamond", line=dict(color="black", width=2), sizemode="diameter"),
            hovertext=[h for h, c in zip(hover, chosen, strict=True) if c], hoverinfo="text",
        ))
    fig.update_layout(
        height=520, font=FONT, separators=separators(), hovermode="closest", plot_bgcolor="white", paper_bgcolor="white",
        margin=dict(l=80, r=20, t=30, b=70), showlegend=False,  # the chosen region carries its name beside its diamond
        xaxis=dict(title=_axis_title(x_ind), separatethousands=True, exponentformat="none", gridcolor="#E3E7EB",
                   tickfont=dict(color=TEXT_COLOUR), linecolor="#9AA5B1", zerolinecolor="#9AA5B1", automargin=True),
        yaxis=dict(title=_axis_title(y_ind), separatethousands=True, exponentformat="none", gridcolor="#E3E7EB",
                   tickfont=dict(color=TEXT_COLOUR), linecolor="#9AA5B1", zerolinecolor="#9AA5B1", automargin=True),
    )
    return fig


def _axis_title(indicator: Indicator) -> str:
    """Title and unit in lines that fit a phone's width."""
    return "<br>".join(textwrap.wrap(html.escape(f"{pick(indicator, 'title')} ({pick(indicator, 'unit')})"), AXIS_TITLE_WIDTH))


def describe(corr, level: str, period: str) -> None:
    words = t("level_" + level + "_plural")
    if corr.pearson is None:
        st.markdown(t("samenhang_no_corr", n=corr.n, level=words, minimum=MIN_PAIRS))
    else:
        st.markdown(t("samenhang_corr", r=fmt.number(corr.pearson, 2), rho=fmt.number(corr.spearman, 2),
                      n=fmt.number(corr.n, 0), level=words, period=fmt.period(period), strength=t("strength_" + corr.strength)))
    st.caption(t("samenhang_caveat"))


def worst_together(level: str, key: str) -> list[tuple[str, Division]]:
    """The stapeling section; returns the indeling of each worst fifth, for the page's note."""
    st.subheader(t("stapeling_title"))
    several, opgaven, periods, uses = _stapeling(key, level, current())
    st.markdown(t("stapeling_summary", n=len(several), level=t("level_" + level + "_plural"), opgaven=opgaven))
    if not several.empty:
        # A table, not a data grid: names and indicator lists wrap instead of being cut off. st.table
        # renders markdown in cells, so every text is plain.
        st.table(pd.DataFrame({
            t("region"): several["region_name"].map(plain), t("stapeling_count"): several["opgaven"],
            t("stapeling_which"): several["which_opgaven"].map(plain), t("stapeling_indicators"): several["indicators"].map(plain),
        }).set_index(t("region")))
    st.caption(t("stapeling_method", periods="; ".join(periods) or "–"))
    return uses


@st.cache_resource(show_spinner=False, max_entries=16)
def _stapeling(key: str, level: str, lang: str) -> tuple[pd.DataFrame, int, list[str], list[tuple[str, Division]]]:
    """The regions in the worst fifth on several opgaven, how many opgaven had a worst fifth,
    the period of each indicator and the indeling of each worst fifth, worded in ``lang``
    (part of the key)."""
    with speaking(lang):
        return _worst_fifths(level)


def _worst_fifths(level: str) -> tuple[pd.DataFrame, int, list[str], list[tuple[str, Division]]]:
    worst, periods, uses = {}, [], []
    for indicator in catalogue().indicators():
        data = indicator_data(indicator)
        if indicator.kind != "resultaat" or not data.available or indicator.total:
            continue
        frame = display_frame(data)
        period, codes = worst_fifth(frame, level, indicator.better)
        if codes:
            worst[pick(indicator, "title")] = (pick(catalogue().opgave(indicator.opgave), "title"), codes)
            periods.append(f"{plain(pick(indicator, 'title'))} ({fmt.period(period)})")
            found = period_division(frame, level, period)
            uses.append((t("samenhang_division_worst", title=plain(pick(indicator, "title")), n=fmt.number(found.count, 0)), found))
    table = stapeling(worst, region_names())
    return table[table["opgaven"] >= 2], len({o for o, _ in worst.values()}), periods, uses
