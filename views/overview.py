"""Stand van de opgaven: one card per opgave with its headline outcomes."""
from __future__ import annotations

from collections import Counter
from datetime import date

import streamlit as st

from analysis.changes import latest_change
from analysis.targets import reading_order
from ui import charts
from ui import format as fmt
from ui.data import catalogue, display_frame, indicator_data, store, verdicts
from ui.layout import empty_state, no_figures_notice, notices, target_block, trend_line
from ui.provenance import source_line
from ui.refresh_progress import fill_progress
from ui.safe import plain
from ui.state import View
from ui.texts import t, verdict


def render(view: View, opgave_pages: dict) -> None:
    lang = view.taal
    cat = catalogue()
    st.title(t("overview", lang))
    st.markdown(t("tagline", lang))
    notices(view)
    if store().is_empty():
        first_run(lang)
        return
    region = view.regio[0]
    columns = st.columns(2, gap="large")
    for n, opgave in enumerate(cat.opgaven):
        with columns[n % 2].container(border=True):
            st.header(plain(opgave.title(lang)))
            st.caption(opgave.summary(lang))
            st.markdown(scoreboard(opgave, region, lang))
            for indicator in opgave.headline_indicators():
                indicator_card(indicator, opgave, region, lang)
            st.page_link(opgave_pages[opgave.id], label=f"{t('open_opgave', lang)}: {plain(opgave.title(lang))} →")
    with st.expander(t("method_title", lang)):
        st.markdown(t("method", lang))


def indicator_card(indicator, opgave, region: str, lang: str) -> None:
    data = indicator_data(indicator)
    st.markdown(f"**{plain(indicator.title(lang))}** · {t('kind_' + indicator.kind, lang)}")
    if len({i.survey(lang) for i in opgave.indicators if i.survey(lang)}) > 1 and indicator.survey(lang):
        st.caption(f"{t('survey', lang).capitalize()}: {plain(indicator.survey(lang))}")
    if not data.available:
        empty_state(data, lang)
        return
    frame = display_frame(data)
    shown = region if (frame["region_code"] == region).any() else "NL01"
    trend, targets, series = verdicts(data, frame, shown)
    if series.empty:
        st.caption(t("onvoldoende gegevens", lang))
        return
    latest = latest_change(frame, shown)
    status = f" ({t('status_' + latest.status, lang)})" if latest.status else ""
    name = frame.loc[frame["region_code"] == shown, "region_name"].iloc[0]
    if shown != region:
        no_figures_notice([region], name, lang)
    left, right = st.columns([3, 2])
    with left:
        st.metric(
            f"{plain(name)}, {fmt.period(latest.period, lang)}{status}",
            plain(fmt.value_with_unit(latest.value, indicator.unit(lang), indicator.decimals, lang)),
        )
        st.markdown(f"**{t('trend', lang)}:** {trend_line(trend, lang, indicator.unit(lang), indicator.decimals)}")
        for target_status in reading_order(targets, date.today().year):
            target_block(target_status, lang, indicator.unit(lang), indicator.decimals)
        st.caption(source_line(data, lang))
    with right:
        st.plotly_chart(
            charts.sparkline(frame, shown, lang), config={"displayModeBar": False, "staticPlot": True}, theme=None,
            key=f"spark-{indicator.id}", alt=f"{indicator.title(lang)}: {verdict(trend.verdict, lang)}",
        )
        st.markdown(charts.chart_summary(frame, indicator, [shown], lang, trend, targets), unsafe_allow_html=True)


def scoreboard(opgave, region: str, lang: str) -> str:
    """All outcome indicators of an opgave in one line: how many improve, worsen, are on track."""
    trends, targets = Counter(), Counter()
    for indicator in opgave.indicators:
        data = indicator_data(indicator)
        if indicator.kind != "resultaat" or not data.available:
            continue
        frame = display_frame(data)
        shown = region if (frame["region_code"] == region).any() else "NL01"
        trend, statuses, _ = verdicts(data, frame, shown)
        trends[trend.verdict] += 1
        targets.update(s.verdict for s in statuses)
    parts = [f"{verdict(word, lang)} {trends[word]}" for word in ("verbetert", "stabiel", "verslechtert", "stijgt", "daalt") if trends[word]]
    goals = [f"{verdict(word, lang)} {targets[word]}" for word in ("gehaald", "op koers", "niet op koers", "niet gehaald") if targets[word]]
    line = f"**{t('outcomes', lang)}:** " + (" · ".join(parts) or "–")
    if goals:
        line += f"  \n**{t('targets', lang)}:** " + " · ".join(goals)
    return line


def first_run(lang: str) -> None:
    st.header(t("first_run_title", lang))
    fill_progress(lang)
    st.markdown(t("first_run", lang))
    st.subheader(t("catalogue", lang))
    for opgave in catalogue().opgaven:
        st.markdown(f"**{plain(opgave.title(lang))}** — " + ", ".join(plain(i.title(lang)) for i in opgave.indicators))
