"""The generic opgave page: why it matters, and per indicator chart, table, regions, source
and download. Renders any opgave in the catalogue."""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from analysis.changes import latest_change
from analysis.regional import latest_period, rank_of, rank_order, ranked, spread
from analysis.targets import reading_order
from data_sources.catalogue import Opgave
from ui import chart_image, chart_moments, charts, deck_editor, download, maps, provenance, publications, ranking
from ui import format as fmt
from ui.data import catalogue, display_frame, indicator_data, region_names, store, verdicts
from ui.language import carried, current, pick, speaking
from ui.layout import empty_state, no_figures_notice, notices, stale_warning, target_block, trend_line
from ui.provenance import source_line, source_panel, source_text
from ui.safe import plain
from ui.similar import similar_regions
from ui.state import View, write
from ui.texts import t
from ui.worded_choices import worded
from vocabulary import MODES, TAB_KEYS, TABS

LEVEL_WORDS = {"gemeente": ("gemeenten", "municipalities"), "provincie": ("provincies", "provinces")}


def render(opgave: Opgave, view: View) -> None:
    st.title(plain(pick(opgave, "title")))
    deck_editor.view_actions(opgave.id)
    notices(view)
    st.markdown(f"**{t('why')}.** {pick(opgave, 'summary')}")
    for fact in opgave.context:
        st.caption(f"ℹ {plain(pick(fact, 'text'))} — {plain(fact.source)}")

    indicators = sorted(opgave.indicators, key=lambda i: i.kind != "resultaat")
    by_id = {i.id: i for i in indicators}
    ids = list(by_id)
    key = worded(f"{opgave.id}-indicator")
    st.session_state.setdefault(key, view.indicator if view.indicator in ids else ids[0])
    chosen = st.selectbox(
        t("indicator"), ids, key=key,
        format_func=lambda i: f"{pick(by_id[i], 'title')} · {t('kind_' + by_id[i].kind)}",
    )
    view.indicator = chosen
    indicator = by_id[chosen]
    st.markdown(pick(indicator, "explanation"))

    data = indicator_data(indicator)
    if not data.available:
        empty_state(data)
        write(view, ("indicator",))
        return
    stale_warning(data)
    frame = display_frame(data)
    regions = [r for r in view.regio if (frame["region_code"] == r).any()]
    if not regions:
        regions = [frame["region_code"].iloc[0]] if not (frame["region_code"] == "NL01").any() else ["NL01"]
    missing = [r for r in view.regio if r not in regions]
    if missing:
        shown = frame.loc[frame["region_code"] == regions[0], "region_name"].iloc[0]
        no_figures_notice(missing, shown)
        if view.regio[0] in missing:
            indicators_with_figures(indicators, chosen, view.regio[0], key)
    trend, targets, _ = verdicts(data, frame, regions[0])
    headline(frame, indicator, regions[0], trend, targets)
    provenance.comparability_note(opgave, indicator)

    tab_key, mode_key = worded(f"{opgave.id}-tab"), worded(f"{opgave.id}-mode")
    st.session_state.setdefault(tab_key, view.tab)
    view.tab = st.radio(t("tab_chart"), TABS, key=tab_key, horizontal=True, format_func=lambda k: t(TAB_KEYS[k]), label_visibility="collapsed")

    years = sorted({int(y) for y in frame["period_start"].dropna().dt.year})
    controls = st.columns([3, 2]) if view.tab == "grafiek" else [st.container()]
    with controls[0]:
        van, tot = _period_range(view, years, indicator.id) if view.tab in ("grafiek", "tabel", "download") and len(years) > 1 else (None, None)
    in_range = frame if van is None else frame[frame["period_start"].dt.year.between(van, tot) | frame["period_start"].isna()]

    if view.tab == "grafiek":
        st.session_state.setdefault(mode_key, view.weergave)
        with controls[-1]:
            view.weergave = st.selectbox(t("mode"), MODES, key=mode_key, format_func=lambda m: t("mode_" + m))
        view.momenten = st.toggle(t("moments_toggle"), value=view.momenten, key=f"{opgave.id}-moments")
        moments = chart_moments.in_span(catalogue().moments(indicator.id), in_range) if view.momenten else []
        figure = _chart(str(store().root), repr(indicator), store().version(indicator.id), tuple(regions), view.weergave, van, tot, current(), view.momenten, indicator, in_range, targets, moments)
        st.plotly_chart(
            figure, key="main-chart", theme=None, config=charts.plotly_config(indicator.id),
            alt=f"{pick(indicator, 'title')} — {', '.join(regions)}",
        )
        st.markdown(charts.chart_summary(in_range, indicator, regions, trend, targets), unsafe_allow_html=True)
        if charts.axis_note(indicator):
            st.caption(plain(charts.axis_note(indicator)))
        maps.ended_series_notes(regions, frame)
        if view.weergave == "index":
            st.caption(t("index_base", year=van or years[0]))
        if (in_range["status"].astype(str).isin(["voorlopig", "nader voorlopig"])).any():
            st.caption(t("provisional_legend"))
        st.caption(source_line(data))
        if indicator.points:
            st.markdown(publications.point_list(in_range, regions[0], indicator))
        if moments:
            st.markdown(chart_moments.caption(moments, frame, regions[0], indicator))
    elif view.tab == "tabel":
        st.dataframe(download.view_table(in_range, regions, indicator), hide_index=True, width="stretch")
    elif view.tab == "regios":
        regional(frame, indicator, regions)
    elif view.tab == "kaart":
        maps.kaart_tab(frame, indicator, view, regions[0])
    elif view.tab == "bron":
        source_panel(data)
        if catalogue().moments(indicator.id):
            shown = frame[frame["period_start"].dt.year.between(view.van or years[0], view.tot or years[-1])] if years else frame
            st.markdown(chart_moments.source_list(catalogue().moments(indicator.id), shown, view.momenten, frame, regions[0], indicator))
    else:
        moments = chart_moments.in_span(catalogue().moments(indicator.id), in_range) if view.momenten else []
        download_tab(in_range, regions, data, view.weergave, targets, moments)
    write(view, ("indicator", "tab", "weergave", "van", "tot") + (("periode", "niveau") if view.tab == "kaart" else ()))


@st.cache_resource(show_spinner=False, max_entries=64)
def _chart(root: str, definition: str, version: tuple, regions: tuple[str, ...], mode: str, van: int | None, tot: int | None,
           lang: str, momenten: bool, _indicator, _frame: pd.DataFrame, _targets: list, _moments: list):
    """The page's chart, built once per store version and view (``definition`` is the
    indicator's repr; the unhashed arguments follow from the others) and shared by every
    session: plotly's validation makes building a figure cost more than the rest of the run.
    The language is part of the key and the chart is built in it."""
    with speaking(lang):
        return charts.time_series(_frame, _indicator, list(regions), mode, _targets, moments=_moments)


def download_tab(frame, regions, data, mode, targets, moments) -> None:
    """The view's figures for Excel and for re-use, and its chart as an image (with the
    policy moments the chart shows); every file is built only when its button is clicked."""
    indicator = data.indicator
    st.header(t("download_data_title"))
    st.download_button(
        t("download_xlsx"), data=carried(lambda: download.xlsx_bundle(frame, regions, data)), type="primary",
        file_name=f"{indicator.id}.xlsx", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    st.download_button(
        t("download_csv"), data=carried(lambda: download.zip_bundle(frame, regions, data)),
        file_name=f"{indicator.id}.zip", mime="application/zip",
    )
    st.caption(t("download_data_note"))
    st.header(t("download_chart_title"))
    if not chart_image.available():
        st.caption(t("download_chart_off"))
        return
    names = list(dict.fromkeys(frame.loc[frame["region_code"].isin(regions), "region_name"].astype(str)))
    years = frame["period_start"].dropna().dt.year
    span = f"{years.min()}–{years.max()}" if len(years) else ""
    chart = charts.time_series(frame, indicator, regions, mode, targets, moments=moments)
    unit = chart.layout.yaxis.title.text or ""  # the axis's unit: also right for an index or a change
    subtitle = " · ".join(part for part in (unit, ", ".join(names), span) if part)
    figure = chart_image.framed(chart, pick(indicator, "title"), subtitle, source_text(data))
    for kind, mime in (("png", "image/png"), ("svg", "image/svg+xml")):
        st.download_button(
            t(f"download_{kind}"), data=lambda kind=kind: chart_image.image(figure, kind),
            file_name=f"{indicator.id}.{kind}", mime=mime, key=f"download-{kind}",
        )
    st.caption(t("download_chart_note"))


def indicators_with_figures(indicators, current: str, region: str, select_key: str) -> None:
    """Offer the opgave's indicators that do have figures for ``region`` (one click to switch)."""
    name = plain(region_names().get(region, region))
    having = [i for i in indicators if i.id != current and _has_region(i, region)]
    if not having:
        st.caption(t("none_with_figures_for", region=name))
        return
    st.caption(t("with_figures_for", region=name))
    columns = st.columns(min(len(having), 3))
    for n, other in enumerate(having):
        columns[n % len(columns)].button(
            plain(pick(other, "title")), key=f"switch-{other.id}", on_click=st.session_state.__setitem__, args=(select_key, other.id),
        )


def _has_region(indicator, region: str) -> bool:
    data = indicator_data(indicator)
    return data.available and bool((data.frame["region_code"] == region).any())


def headline(frame, indicator, region, trend, targets) -> None:
    latest = latest_change(frame, region)
    if latest is None:
        return
    name = frame.loc[frame["region_code"] == region, "region_name"].iloc[0]
    status = f" · {t('status_' + latest.status)}" if latest.status else ""
    unit = pick(indicator, "unit")
    delta = None
    if latest.change is not None:
        places = indicator.decimals + (1 if 0 < abs(latest.change) < 10 ** -indicator.decimals else 0)  # never "−0,0"
        change_unit = t("points") if unit.startswith("%") else unit
        delta = f"{fmt.number(latest.change, places, signed=True)} {change_unit} {t('versus')} {fmt.period(latest.previous_period)}"
    cols = st.columns([1, 1, 2])
    cols[0].metric(
        f"{plain(name)}, {fmt.period(latest.period)}{status}",
        plain(fmt.value_with_unit(latest.value, unit, indicator.decimals)),
        delta=plain(delta) if delta else None, delta_color="off",
        delta_arrow="off" if not latest.change else ("up" if latest.change > 0 else "down"),
    )
    if latest.year_change_pct is not None:
        cols[0].caption(
            f"{fmt.number(latest.year_change_pct, 1, signed=True)}% {t('versus')} {fmt.period(latest.year_ago_period)}"
        )
    cols[1].markdown(f"**{t('trend')}**  \n{trend_line(trend, unit, indicator.decimals)}")
    with cols[2]:
        st.markdown(f"**{t('targets' if len(targets) > 1 else 'target')}**")
        if not targets:
            st.markdown(plain(pick(indicator, "target_note")) or t("no_target"))
        for status_ in reading_order(targets, date.today().year):
            target_block(status_, unit, indicator.decimals)


def _period_range(view: View, years: list[int], indicator_id: str) -> tuple[int, int]:
    key = f"{indicator_id}-years"
    start = view.van if view.van in years else years[0]
    end = view.tot if view.tot in years and view.tot >= start else years[-1]
    chosen = st.session_state.get(key)
    if not (isinstance(chosen, (tuple, list)) and len(chosen) == 2 and all(y in years for y in chosen)):
        st.session_state[key] = (start, end)
    low, high = st.select_slider(t("period_range"), options=years, key=key)
    view.van = low if low != years[0] else None
    view.tot = high if high != years[-1] else None
    return low, high


def regional(frame, indicator, regions) -> None:
    """Per level: the spread, the chosen region's rank, and the ranking of every region drawn
    (Nederland marked, the chosen regions highlighted), then the full table. A total is
    compared per inhabitant by default and otherwise ranked by size, never as better or worse."""
    indicator, frame = maps.compared_on(indicator, frame, f"{indicator.id}-regions-compare")
    levels = [lvl for lvl in ("gemeente", "provincie") if latest_period(frame, lvl)]
    if not levels:
        st.info(t("no_regional"))
        return
    unit, dec = pick(indicator, "unit"), indicator.decimals
    order = rank_order(indicator.better, indicator.total)
    words = ranking.rank_words(indicator)
    for level in levels:
        period = latest_period(frame, level)
        summary = spread(frame, level, period)
        st.header(t("spread", level=LEVEL_WORDS[level][current() == "en"], period=fmt.period(period)))
        st.markdown(
            " · ".join(
                f"{name}: {fmt.number(value, dec)}"
                for name, value in zip(("min", "Q1", "mediaan" if current() == "nl" else "median", "Q3", "max"),
                                       (summary.minimum, summary.q1, summary.median, summary.q3, summary.maximum), strict=True)
            ) + f" {plain(unit)} (n = {summary.count})"
        )
        if note := maps.period_division_note(frame, level, period):
            st.caption(note)
        table = ranked(frame, level, period, order)
        for code in regions:
            position = rank_of(frame, level, period, order, code)
            if position and position[1] > 1:  # "1 van 1" says nothing
                name = frame.loc[frame["region_code"] == code, "region_name"].iloc[0]
                st.markdown(f"{plain(name)}: {t('rank_' + words, rank=position[0], n=position[1])}")
        found = frame.loc[(frame["region_code"] == "NL01") & (frame["period"] == period) & frame["value"].notna(), "value"]
        national = float(found.iloc[0]) if len(found) and not indicator.total else None
        st.plotly_chart(ranking.ranking_figure(table, indicator, regions, national), key=f"ranking-{level}", theme=None,
                        config=charts.plotly_config(f"{indicator.id}-{level}"),
                        alt=t("ranking_alt", title=pick(indicator, "title"), level=LEVEL_WORDS[level][current() == "en"], period=fmt.period(period)))
        maps.unassigned_note(frame, indicator, level, period)
        with st.expander(t("ranking_table", n=len(table), level=LEVEL_WORDS[level][current() == "en"])):
            rank_label = t("rank_axis_" + words)
            st.dataframe(
                pd.DataFrame({rank_label: table["rank"], t("region"): table["region_name"],
                              unit: [fmt.number(v, dec) for v in table["value"]]}),
                hide_index=True, width="stretch",
                column_config={unit: st.column_config.TextColumn(unit, alignment="right"),
                               rank_label: st.column_config.NumberColumn(rank_label, alignment="right")},
            )
    if regions[0].startswith("GM"):
        similar_regions(regions[0])
