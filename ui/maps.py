"""The Kaart tab: a choropleth of one period and level on the boundaries of that year (or the
nearest, said so), quantile classes in a colour-blind-safe sequential palette whose dark end is
the better one (the larger one for totals, the higher one for indicators without a direction),
Nederland's value marked in the legend, regions without data grey with a cross and named in
the hover. No background tiles: it works offline. A click
on a region makes it the chosen region of every tab and of the URL. Also what the mergers table
means on screen: ended series, and the notice when a rank runs over an older indeling."""
from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.changes import latest_change
from analysis.maps import Classes, choose_boundaries, classify, inner_points, join_values, opening_view
from analysis.mergers import Division, division, ended_codes, split_of
from analysis.regional import NOT_ASSIGNABLE_CODES, level_values, pseudo_values
from data_sources import mergers as merger_table
from data_sources.boundaries import BoundaryStore
from data_sources.catalogue import Indicator
from data_sources.settings import data_dir
from vocabulary import MAX_REGIONS

from . import format as fmt
from .charts import FONT, separators
from .data import catalogue, display_frame, indicator_data
from .language import current, pick
from .safe import echo, plain
from .state import View
from .texts import t
from .worded_choices import worded

# ColorBrewer YlGnBu: sequential and safe for the common colour-vision deficiencies.
SEQUENTIAL = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]
NO_DATA = "#BDBDBD"
NO_DATA_MARK = "#333333"  # the cross on grey regions: 6.7:1 against the grey (WCAG 1.4.11 asks 3:1)
LEVELS = ("gemeente", "provincie")
SELECTED_LINE = "#000000"
NAMES_SHOWN = 5  # municipalities named in an indeling notice before "…"
# plotly.js fetches a world map (topojson) from cdn.plot.ly for every choropleth, even with the
# base map hidden, and draws nothing when that fails (offline). An empty topology as a data
# URL ends the fetch; the '#' makes the file name plotly appends a fragment, not data.
OFFLINE_TOPOJSON = "data:application/json," + quote('{"type":"Topology","objects":{},"arcs":[]}') + "#"
CHART_CONFIG = {"displaylogo": False, "scrollZoom": False, "topojsonURL": OFFLINE_TOPOJSON}


def boundary_store() -> BoundaryStore:
    return BoundaryStore(data_dir())


@st.cache_resource(show_spinner=False, max_entries=32)
def _shapes(root: str, level: str, year: int, version: tuple) -> dict:
    return BoundaryStore(Path(root)).shapes(level, year)


def shapes(level: str, year: int) -> dict:
    """The stored (already simplified) GeoJSON; read once per store version, shared by all
    sessions. Never modify it."""
    store = boundary_store()
    return _shapes(str(store.folder.parent), level, year, store.version())


def shape_names(geojson: dict) -> dict[str, str]:
    return {f["properties"]["statcode"]: f["properties"]["statnaam"] for f in geojson["features"]}


def mergers():
    """The mergers table (read once per file; the file is looked up at call time)."""
    return _mergers(str(merger_table.MERGERS_FILE))


@st.cache_resource(show_spinner=False)
def _mergers(path: str):
    return merger_table.load_mergers(Path(path))


def splits():
    """The municipalities split over several others (same file, same caching)."""
    return _splits(str(merger_table.MERGERS_FILE))


@st.cache_resource(show_spinner=False)
def _splits(path: str):
    return merger_table.load_splits(Path(path))


def colours(count: int, indicator: Indicator) -> list[str]:
    """``count`` colours light to dark over the palette; reversed when lower is better, so the
    dark end is always the better one (for totals and neutral indicators: the higher one)."""
    picks = [SEQUENTIAL[round(i * (len(SEQUENTIAL) - 1) / max(1, count - 1))] for i in range(count)]
    return picks[::-1] if indicator.better == "lager" and not indicator.total else picks


def direction_words(indicator: Indicator) -> str:
    """What the dark end means, in the words the legend uses next to its swatches."""
    if indicator.total:
        return t("map_dark_larger")
    return t("map_dark_higher" if indicator.better == "neutraal" else "map_dark_better")


def versus_national(value: float, national: float, indicator: Indicator) -> str:
    unit = pick(indicator, "unit")
    shown = t("points") if unit.startswith("%") else unit
    return f"{fmt.number(value - national, indicator.decimals, signed=True)} {shown}"


def class_labels(classes: Classes, decimals: int) -> list[str]:
    edges = classes.edges
    if classes.method == "één waarde":
        return [fmt.number(edges[0], decimals)]
    return [f"{fmt.number(edges[i], decimals)} – {fmt.number(edges[i + 1], decimals)}" for i in range(classes.count)]


def map_figure(table: pd.DataFrame, geojson: dict, classes: Classes | None, indicator: Indicator, selected: str | None = None, height: int = 600, national: float | None = None) -> go.Figure:
    """One trace of classed regions with values, one of grey regions without; hovers in Dutch,
    with the difference from Nederland where that means something (never for a total)."""
    unit, decimals = pick(indicator, "unit"), indicator.decimals
    has_value = table[table["value"].notna()]
    missing = table[table["value"].isna()]
    fig = go.Figure()
    # Each trace carries only its own shapes, so the browser gets every shape once.
    if classes is not None and not has_value.empty:
        count = classes.count
        palette = colours(count, indicator)
        compare = national is not None and not indicator.total
        scale = [[pos, colour] for i, colour in enumerate(palette) for pos in (i / count, (i + 1) / count)]
        labels = class_labels(classes, decimals)
        index = classes.index(has_value["value"])
        fig.add_trace(go.Choropleth(
            geojson=_subset(geojson, has_value["region_code"]), locations=has_value["region_code"], z=index, zmin=-0.5, zmax=count - 0.5,
            colorscale=scale, marker=_outline(has_value["region_code"], selected),
            customdata=list(zip(has_value["region_code"], [html.escape(str(n)) for n in has_value["region_name"]],
                                [html.escape(fmt.value_with_unit(v, unit, decimals)) for v in has_value["value"]],
                                [labels[int(i)] for i in index],
                                [html.escape(versus_national(v, national, indicator)) if compare else "" for v in has_value["value"]], strict=True)),
            hovertemplate="<b>%{customdata[1]}</b><br>%{customdata[2]}<br>" + t("map_class") + ": %{customdata[3]}"
                          + ("<br>" + t("profile_col_nl") + ": %{customdata[4]}" if compare else "") + "<extra></extra>",
            showscale=False,  # the legend is HTML under the map: it wraps on a phone
            name=pick(indicator, "title"),
        ))
    if not missing.empty:
        fig.add_trace(go.Choropleth(
            geojson=_subset(geojson, missing["region_code"]), locations=missing["region_code"], z=[0] * len(missing), showscale=False,
            colorscale=[[0, NO_DATA], [1, NO_DATA]], marker=_outline(missing["region_code"], selected),
            customdata=list(zip(missing["region_code"], [html.escape(str(n)) for n in missing["region_name"]], strict=True)),
            hovertemplate="<b>%{customdata[1]}</b><br>" + t("no_data") + "<extra></extra>",
            name=t("no_data"),
        ))
        # A cross in every region without data: grey is not the only sign (plotly has no hatching).
        crosses = inner_points(_subset(geojson, missing["region_code"]))
        fig.add_trace(go.Scattergeo(
            lon=[crosses[c][0] for c in missing["region_code"]], lat=[crosses[c][1] for c in missing["region_code"]],
            mode="markers", marker=dict(symbol="x-thin", size=7, line=dict(width=1.5, color=NO_DATA_MARK)),
            hoverinfo="skip", showlegend=False, name=t("no_data"),
        ))
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    fig.update_layout(
        height=height, margin=dict(l=0, r=0, t=0, b=0), separators=separators(), font=FONT,
        paper_bgcolor="white", dragmode=False, clickmode="event+select",
    )
    return fig


def _subset(geojson: dict, codes: pd.Series) -> dict:
    wanted = set(codes)
    return {"type": "FeatureCollection", "features": [f for f in geojson["features"] if f["id"] in wanted]}


def legend_html(classes: Classes | None, indicator: Indicator, missing: int, national: float | None = None) -> str:
    """The map's legend as text with colour swatches (wraps on a phone; readable without
    colour), with Nederland's value marked after the class it falls in. Built from numbers
    and catalogue texts only, escaped all the same."""
    unit = pick(indicator, "unit")
    items = []
    if classes is not None:
        items = list(zip(colours(classes.count, indicator), class_labels(classes, indicator.decimals), strict=False))
        if national is not None:
            value = fmt.value_with_unit(national, unit, indicator.decimals)
            position = 0 if national < classes.edges[0] else int(classes.index(pd.Series([national])).clip(upper=classes.count - 1).iloc[0]) + 1
            items.insert(position, (None, f"◆ {t('map_national', value=value)}"))
    if missing:
        items.append((NO_DATA, t("no_data")))

    def swatch(colour):
        return "" if colour is None else f'<span class="om-swatch" style="background:{colour}">{"×" if colour == NO_DATA else ""}</span>'

    cells = "".join(f'<span class="om-legend-item" role="listitem">{swatch(colour)}{html.escape(label)}</span>' for colour, label in items)
    direction = direction_words(indicator)
    return f'<div class="om-legend" role="list" aria-label="{html.escape(t("map_legend"))}"><strong>{html.escape(unit)}</strong> ({html.escape(direction)}) {cells}</div>'


LEGEND_CSS = """
<style>
  .om-legend { display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; align-items: center; font-size: 0.95rem; margin: -0.5rem 0 0.8rem; }
  .om-legend-item { display: inline-flex; align-items: center; gap: 0.35rem; white-space: nowrap; }
  .om-swatch { width: 1.1rem; height: 1.1rem; border: 1px solid #4A5560; display: inline-flex; align-items: center; justify-content: center; color: #4A5560; font-size: 0.9rem; line-height: 1; }
</style>
"""


def _outline(codes: pd.Series, selected: str | None) -> dict:
    chosen = (codes == selected).to_numpy()
    return dict(line=dict(color=[SELECTED_LINE if c else "#FFFFFF" for c in chosen],
                          width=[3 if c else 0.5 for c in chosen]))


def _select_from_map(key: str) -> None:
    """on_select callback: the clicked region becomes the main region (before the rerun, so
    the sidebar's region picker shows it)."""
    points = ((st.session_state.get(key) or {}).get("selection") or {}).get("points") or []
    codes = [p["customdata"][0] for p in points if p.get("customdata")]
    if codes:
        others = [c for c in st.session_state.get("regio", []) if c not in (codes[0], "NL01")]
        st.session_state["regio"] = [codes[0], *others][:MAX_REGIONS]


def compared_on(indicator: Indicator, frame: pd.DataFrame, key: str) -> tuple[Indicator, pd.DataFrame]:
    """What regions are compared on: a total's version per inhabitant (or per hectare) by
    default, the total itself one click away; a total without such a version says that its
    order is one of size, not of better or worse."""
    if not indicator.total:
        return indicator, frame
    other = catalogue().indicator(indicator.per_size) if indicator.per_size else None
    data = indicator_data(other) if other is not None else None
    if data is None or not data.available:
        st.caption(f"ℹ {t('total_is_size')}")
        return indicator, frame
    chosen = st.radio(t("compare_on"), (other.id, indicator.id), key=worded(key), horizontal=True,
                      format_func=lambda i: plain(f"{pick(other, 'title')} ({pick(other, 'unit')})" if i == other.id
                                                  else f"{pick(indicator, 'title')} ({pick(indicator, 'unit')}, {t('total')})"))
    if chosen == other.id:
        return other, display_frame(data)
    st.caption(f"ℹ {t('total_is_size')}")
    return indicator, frame


def kaart_tab(frame: pd.DataFrame, indicator: Indicator, view: View, region: str) -> None:
    headline = latest_change(frame, region)
    indicator, frame = compared_on(indicator, frame, f"{indicator.id}-map-compare")
    headline_period = headline.period if headline is not None else None
    levels = [lvl for lvl in LEVELS if opening_view(frame, [lvl])]
    if not levels:
        st.info(t("no_regional"))
        return
    opening_level, _ = opening_view(frame, levels, headline_period)
    level_key, period_key = worded(f"{indicator.id}-map-level"), worded(f"{indicator.id}-map-period")
    if view.niveau is not None and view.niveau not in levels:
        st.caption(f"ℹ {t('map_level_fallback', level=view.niveau)}")
    st.session_state.setdefault(level_key, view.niveau if view.niveau in levels else opening_level)
    columns = st.columns([1, 2])
    with columns[0]:
        level = st.radio(t("map_level"), levels, key=level_key, horizontal=True, format_func=lambda lvl: t("level_" + lvl))
    rows = frame[(frame["region_level"] == level) & frame["value"].notna() & frame["period_start"].notna()]
    periods = list(rows.sort_values("period_start")["period"].drop_duplicates())
    _, opening_period = opening_view(frame, [level], headline_period)
    if view.periode is not None and view.periode not in periods:
        st.caption(f"ℹ {t('bad_param', name='periode', value=echo(view.periode))}")
    if st.session_state.get(period_key) not in periods:
        st.session_state[period_key] = view.periode if view.periode in periods else opening_period
    with columns[1]:
        period = st.select_slider(t("map_period"), periods, key=period_key, format_func=lambda p: fmt.period(p)) if len(periods) > 1 else periods[0]
    view.niveau = level if level != opening_level else None
    view.periode = period if period != opening_period else None
    if headline_period is not None and period != headline_period and period == opening_period:
        st.caption(f"ℹ {t('map_period_why', period=fmt.period(period), level=t('level_' + level + '_plural'), headline=fmt.period(headline_period))}")

    values = level_values(frame, level, period)
    wanted = int(pd.Timestamp(rows.loc[rows["period"] == period, "period_start"].iloc[0]).year)
    store = boundary_store()
    years = store.years(level)
    choice = choose_boundaries(years, wanted, set(values["region_code"]), {y: set(shape_names(shapes(level, y))) for y in years})
    if choice is None:
        st.warning(t("map_no_boundaries"))
        return
    geojson = shapes(level, choice.year)
    join = join_values(values, shape_names(geojson))
    found = frame.loc[(frame["region_code"] == "NL01") & (frame["period"] == period) & frame["value"].notna(), "value"]
    national = float(found.iloc[0]) if len(found) and not indicator.total else None  # a national total is no reference for a region
    classes = classify(join.table["value"], indicator.decimals)
    fig = map_figure(join.table, geojson, classes, indicator, selected=region, national=national)
    key = f"map-{indicator.id}"
    st.plotly_chart(fig, key=key, on_select=lambda: _select_from_map(key), selection_mode="points",
                    config={**CHART_CONFIG, "locale": current()},
                    alt=t("map_alt", title=pick(indicator, "title"), period=fmt.period(period)))
    st.markdown(LEGEND_CSS + legend_html(classes, indicator, len(join.without_data), national), unsafe_allow_html=True)
    map_notes(join, classes, choice, wanted, level)
    unassigned_note(frame, indicator, level, period)
    meta = store.meta(level, choice.year)
    attribution = meta.get("attribution", "")
    if attribution.startswith("Bron: "):  # stored as CBS asks to be named, in Dutch
        attribution = f"{t('source_label')}: {attribution.removeprefix('Bron: ')}"
    st.caption(f"{t('map_boundaries_source', year=choice.year)}: {plain(attribution)}, {plain(meta.get('licence', ''))} · "
               f"{t('map_selected_help')}")


def unassigned_note(frame: pd.DataFrame, indicator: Indicator, level: str, period: str) -> None:
    """What CBS could not assign to any region of ``level`` (PV99, GM0000): listed apart,
    never ranked, counted or mapped."""
    rows = pseudo_values(frame, level, period)
    if rows.empty:
        return
    listed = "; ".join(f"{plain(pseudo_name(code, name))}: {fmt.value_with_unit(value, pick(indicator, 'unit'), indicator.decimals)}"
                       for code, name, value in rows.itertuples(index=False))
    st.caption(f"ℹ {t('unassigned', level=t('level_' + level), values=listed)}")


def pseudo_name(code: str, name: str) -> str:
    """A readable name for a non-geographic code (GM0000 has no CBS title)."""
    known = NOT_ASSIGNABLE_CODES.get(code)
    return known[current() == "en"] if known and name in ("", code) else name


def map_notes(join, classes, choice, wanted: int, level: str) -> None:
    """Everything the map does not show by itself: other boundaries, unmatched codes, classes."""
    words = t("level_" + level + "_plural")
    if not choice.exact:
        st.warning(t("map_nearest_year", wanted=wanted, year=choice.year, level=words))
    if classes is not None:
        method = {"kwantielen": "quantiles", "één waarde": "single"}[classes.method]
        st.caption(t("map_classes_" + method, n=classes.count, level=words))
    if join.without_data:
        count = len(join.without_data)
        st.caption(t("map_without_data", n=fmt.number(count, 0), level=words if count != 1 else t("level_" + level)))
    if not join.without_shape.empty:
        ended = ended_codes(list(join.without_shape["region_code"]), mergers())
        names = []
        for code, name in zip(join.without_shape["region_code"], join.without_shape["region_name"], strict=True):
            merger, split = ended.get(code), split_of(code, splits())
            later = (f" → {merger.successor_name} ({t('map_merged_after', year=merger.last_year)})" if merger else
                     f" → {t('map_split_after', year=split.last_year, names=', '.join(split.successors.values()))}" if split else "")
            names.append(f"{name} ({code}){later}")
        st.warning(t("map_without_shape", n=len(names), year=choice.year, names="; ".join(names)))


def ended_series_notes(regions: list[str], frame: pd.DataFrame) -> None:
    """Below a time series: a region whose code ended in a merger says so, so its line visibly
    ends instead of seeming to stop for no reason."""
    for code, merger in ended_codes(regions, mergers()).items():
        name = frame.loc[frame["region_code"] == code, "region_name"]
        st.caption(t("series_ended", region=name.iloc[0] if len(name) else code, year=merger.last_year, successor=merger.successor_name))
    for split in (s for code in regions if (s := split_of(code, splits()))):
        st.caption(t("series_split", region=split.name, year=split.last_year, successors=", ".join(split.successors.values())))



def division_of(values: pd.DataFrame) -> Division:
    """The indeling of the municipalities in ``values`` (region_code, region_name)."""
    return division(dict(zip(values["region_code"], values["region_name"], strict=True)), mergers(), splits())


def period_division(frame: pd.DataFrame, level: str, period: str) -> Division:
    """The indeling of the regions of ``level`` with a value in ``period`` (only municipalities merge)."""
    return division_of(level_values(frame, level, period) if level == "gemeente" else frame.iloc[0:0])


def period_division_note(frame: pd.DataFrame, level: str, period: str) -> str | None:
    return division_note(period_division(frame, level, period))


def division_note(found: Division, counted: bool = True) -> str | None:
    """A plain sentence when a rank runs over municipalities of another indeling than today's,
    with its n (``counted`` off: the caller says what the note covers); None for today's
    indeling."""
    if found.current:
        return None

    def listed(pairs) -> str:
        names = [plain(name) for _, name in pairs]
        return ", ".join(names[:NAMES_SHOWN]) + (", …" if len(names) > NAMES_SHOWN else "")

    def count(key: str, n: int) -> str:
        return t(key + ("_one" if n == 1 else "_many"), n=fmt.number(n, 0))

    parts = [t("division_ended", year=found.year, ended=count("division_ended", len(found.ended)), names=listed(found.ended))]
    if found.not_yet:
        parts.append(t("division_not_yet", not_yet=count("division_not_yet", len(found.not_yet)), names=listed(found.not_yet)))
    if counted:
        parts.append(t("division_counted_rank", n=fmt.number(found.count, 0)))
    return "ℹ " + "; ".join(parts) + "."
