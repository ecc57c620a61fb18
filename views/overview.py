"""Stand van de opgaven: one card per opgave with its headline outcomes."""
from __future__ import annotations

import streamlit as st

from ui import charts
from ui import format as fmt
from ui.data import catalogue, display_frame, indicator_data, store, verdicts
from ui.layout import empty_state, notices, target_line, trend_line
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
            st.subheader(opgave.title(lang))
            st.markdown(f"<span class='om-muted'>{opgave.summary(lang)}</span>", unsafe_allow_html=True)
            headline = [i for i in opgave.indicators if i.headline] or list(opgave.indicators[:2])
            headline.sort(key=lambda i: i.kind != "resultaat")
            for indicator in headline[:3]:
                indicator_card(indicator, region, lang)
            st.page_link(opgave_pages[opgave.id], label=f"{t('open_opgave', lang)}: {opgave.title(lang)} →")
    with st.expander(t("method_title", lang)):
        st.markdown(t("method", lang))


def indicator_card(indicator, region: str, lang: str) -> None:
    data = indicator_data(indicator)
    st.markdown(f"**{indicator.title(lang)}** <span class='om-muted'>· {t('kind_' + indicator.kind, lang)}</span>", unsafe_allow_html=True)
    if not data.available:
        empty_state(data, lang)
        return
    frame = display_frame(data)
    shown = region if (frame["region_code"] == region).any() else "NL01"
    trend, targets, series = verdicts(data, frame, shown)
    if series.empty:
        st.caption(t("onvoldoende gegevens", lang))
        return
    rows = frame[(frame["region_code"] == shown) & frame["value"].notna() & frame["period_start"].notna()].sort_values("period_start")
    last = rows.iloc[-1]
    status = f" ({t('status_' + str(last['status']), lang)})" if isinstance(last["status"], str) else ""
    left, right = st.columns([3, 2])
    with left:
        st.markdown(
            f"<span style='font-size:1.5rem;font-weight:700'>{fmt.value_with_unit(last['value'], indicator.unit(lang), indicator.decimals, lang)}</span><br>"
            f"<span class='om-muted'>{last['region_name']}, {fmt.period(last['period'], lang)}{status}</span>",
            unsafe_allow_html=True,
        )
        st.markdown(f"<span class='om-verdict'>{t('trend', lang)}: {trend_line(trend, lang, indicator.unit(lang), indicator.decimals)}</span>", unsafe_allow_html=True)
        for target_status in targets[:1]:
            st.markdown(target_line(target_status, lang, indicator.unit(lang), indicator.decimals), unsafe_allow_html=True)
    with right:
        st.plotly_chart(
            charts.sparkline(frame, shown, lang), config={"displayModeBar": False, "staticPlot": True},
            key=f"spark-{indicator.id}", alt=f"{indicator.title(lang)}: {verdict(trend.verdict, lang)}",
        )


def first_run(lang: str) -> None:
    st.header(t("first_run_title", lang))
    st.markdown(t("first_run", lang))
    st.subheader(t("catalogue", lang))
    for opgave in catalogue().opgaven:
        st.markdown(f"**{opgave.title(lang)}** — " + ", ".join(i.title(lang) for i in opgave.indicators))
