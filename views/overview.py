"""Stand van de opgaven: first a status table of every opgave that fits one laptop screen
(catalogue order, which is also the order a screen reader reads), then a card per opgave with
its headline outcomes in detail."""
from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from analysis.changes import Change, latest_change
from analysis.targets import reading_order
from analysis.trend import Trend
from data_sources.catalogue import Indicator, Opgave
from ui import charts
from ui import format as fmt
from ui.data import catalogue, display_frame, indicator_data, store, verdicts
from ui.layout import empty_state, no_figures_notice, notices, target_block, trend_line
from ui.provenance import source_line
from ui.refresh_progress import fill_progress
from ui.safe import plain
from ui.state import View
from ui.texts import t, verdict
from ui.vocabulary import DEFAULT_REGION

TREND_ORDER = ("verslechtert", "stabiel", "verbetert", "stijgt", "daalt")
TARGET_ORDER = ("niet gehaald", "niet op koers", "op koers", "gehaald")  # bad news first
TONE = {"verbetert": "good", "gehaald": "good", "op koers": "good", "verslechtert": "bad", "niet op koers": "bad", "niet gehaald": "bad"}


@dataclass
class Reading:
    """One indicator as the overview shows it, for the region that has its figures."""
    indicator: Indicator
    frame: pd.DataFrame | None = None
    region: str = DEFAULT_REGION
    trend: Trend | None = None
    targets: list = field(default_factory=list)
    latest: Change | None = None


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
    st.markdown(status_table(cat.opgaven, region, view, opgave_pages, lang), unsafe_allow_html=True)
    st.header(t("overview_details", lang))
    for start in range(0, len(cat.opgaven), 2):  # rows of two: the page reads in catalogue order
        columns = st.columns(2, gap="large")
        for column, opgave in zip(columns, cat.opgaven[start:start + 2]):
            with column.container(border=True):
                opgave_card(opgave, region, opgave_pages[opgave.id], lang)
    with st.expander(t("method_title", lang)):
        st.markdown(t("method", lang))


def read(indicator: Indicator, region: str) -> Reading:
    """The indicator's verdicts for ``region``, or for Nederland where the region has none."""
    data = indicator_data(indicator)
    if not data.available:
        return Reading(indicator)
    frame = display_frame(data)
    shown = region if (frame["region_code"] == region).any() else DEFAULT_REGION
    trend, targets, series = verdicts(data, frame, shown)
    if series.empty:
        return Reading(indicator, frame, shown)
    return Reading(indicator, frame, shown, trend, targets, latest_change(frame, shown))


def status_table(opgaven, region: str, view: View, opgave_pages: dict, lang: str) -> str:
    """Per opgave one row: its name (a link to its page), how many outcome indicators improve,
    hold or worsen, its target verdicts (bad news first) and its headline outcome with the
    latest value and a sparkline. Each verdict has an icon and words besides its colour."""
    head = "".join(f"<th scope='col'>{html.escape(t(key, lang))}</th>" for key in ("opgave", "outcome_indicators", "targets", "headline_outcome"))
    rows = "".join(status_row(opgave, region, view, opgave_pages[opgave.id], lang) for opgave in opgaven)
    return f"<table class='om-status'><caption>{html.escape(t('status_caption', lang))}</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def status_row(opgave: Opgave, region: str, view: View, page, lang: str) -> str:
    outcomes = [read(i, region) for i in opgave.indicators if i.kind == "resultaat"]
    trends = Counter(r.trend.verdict for r in outcomes if r.trend is not None)
    goals = Counter(s.verdict for r in outcomes for s in r.targets)
    trend_cell = _counts(trends, TREND_ORDER, lang) or html.escape(t("onvoldoende gegevens", lang))
    target_cell = _counts(goals, TARGET_ORDER, lang) or html.escape(t("no_target", lang))
    headline = next(iter(opgave.headline_indicators()), None)
    href = html.escape(f"{page.url_path}?{urlencode(_link_params(view))}".rstrip("?"), quote=True)
    name = f"<a href='{href}' target='_self'>{html.escape(opgave.title(lang))}</a>"
    return (
        f"<tr><th scope='row'>{name}</th>"
        f"<td data-label='{html.escape(t('outcome_indicators', lang), quote=True)}'>{trend_cell}</td>"
        f"<td data-label='{html.escape(t('targets', lang), quote=True)}'>{target_cell}</td>"
        f"<td>{_headline_cell(read(headline, region), lang) if headline else ''}</td></tr>"
    )


def _counts(counter: Counter, order: tuple[str, ...], lang: str) -> str:
    return " ".join(
        f"<span class='om-v om-{TONE.get(word, 'neutral')}'>{html.escape(verdict(word, lang))} {counter[word]}</span>"
        for word in order if counter[word]
    )


def _headline_cell(reading: Reading, lang: str) -> str:
    """'Tekort aan woningen: 401.000 woningen (Nederland, 2024)' beside its sparkline."""
    indicator = reading.indicator
    title = html.escape(indicator.title(lang))
    if reading.latest is None:
        return f"<div class='om-headline'><span><b>{title}</b><br>{html.escape(t('status_no_figures', lang))}</span></div>"
    latest, frame = reading.latest, reading.frame
    name = frame.loc[frame["region_code"] == reading.region, "region_name"].iloc[0]
    value = fmt.value_with_unit(latest.value, indicator.unit(lang), indicator.decimals, lang)
    provisional = latest.status in ("voorlopig", "nader voorlopig")
    where = f"{name}, {fmt.period(latest.period, lang)}" + (f", {t('status_' + latest.status, lang)}" if provisional else "")
    return (
        f"<div class='om-headline'><span>{title}: <span class='om-value'>{html.escape(value)}</span> "
        f"<span class='om-where'>({html.escape(where)})</span></span>{_spark(reading, lang)}</div>"
    )


def _spark(reading: Reading, lang: str) -> str:
    """The sparkline of a reading, named for screen readers with its trend verdict."""
    frame, indicator = reading.frame, reading.indicator
    name = frame.loc[frame["region_code"] == reading.region, "region_name"].iloc[0]
    label = f"{t('spark_label', lang, title=indicator.title(lang), region=name)}: {verdict(reading.trend.verdict, lang)}"
    return charts.sparkline_svg(frame, reading.region, label, points=indicator.points)


def _link_params(view: View) -> dict:
    """The URL parameters a link to an opgave page keeps: language and regions."""
    params = {}
    if view.taal != "nl":
        params["taal"] = view.taal
    if view.regio != [DEFAULT_REGION]:
        params["regio"] = ",".join(view.regio)
    return params


def opgave_card(opgave: Opgave, region: str, page, lang: str) -> None:
    st.subheader(plain(opgave.title(lang)))
    st.caption(opgave.summary(lang))
    for indicator in opgave.headline_indicators():
        indicator_card(indicator, opgave, region, lang)
    st.page_link(page, label=f"{t('open_opgave', lang)}: {plain(opgave.title(lang))} →")


def indicator_card(indicator, opgave, region: str, lang: str) -> None:
    data = indicator_data(indicator)
    st.markdown(f"**{plain(indicator.title(lang))}** · {t('kind_' + indicator.kind, lang)}")
    if len({i.survey(lang) for i in opgave.indicators if i.survey(lang)}) > 1 and indicator.survey(lang):
        st.caption(f"{t('survey', lang).capitalize()}: {plain(indicator.survey(lang))}")
    if not data.available:
        empty_state(data, lang)
        return
    reading = read(indicator, region)
    if reading.latest is None:
        st.caption(t("onvoldoende gegevens", lang))
        return
    frame, shown, latest = reading.frame, reading.region, reading.latest
    status = f" ({t('status_' + latest.status, lang)})" if latest.status else ""
    name = frame.loc[frame["region_code"] == shown, "region_name"].iloc[0]
    if shown != region:
        no_figures_notice([region], name, lang)
    value = fmt.value_with_unit(latest.value, indicator.unit(lang), indicator.decimals, lang)
    st.markdown(
        f"<div class='om-headline'><span>{html.escape(f'{name}, {fmt.period(latest.period, lang)}{status}')}<br>"
        f"<span class='om-value om-big'>{html.escape(value)}</span></span>{_spark(reading, lang)}</div>",
        unsafe_allow_html=True,
    )
    st.markdown(charts.chart_summary(frame, indicator, [shown], lang, reading.trend, reading.targets), unsafe_allow_html=True)
    st.markdown(f"**{t('trend', lang)}:** {trend_line(reading.trend, lang, indicator.unit(lang), indicator.decimals)}")
    for target_status in reading_order(reading.targets, date.today().year):
        target_block(target_status, lang, indicator.unit(lang), indicator.decimals)
    st.caption(source_line(data, lang))


def first_run(lang: str) -> None:
    st.header(t("first_run_title", lang))
    fill_progress(lang)
    st.markdown(t("first_run", lang))
    st.subheader(t("catalogue", lang))
    for opgave in catalogue().opgaven:
        st.markdown(f"**{plain(opgave.title(lang))}** — " + ", ".join(plain(i.title(lang)) for i in opgave.indicators))
