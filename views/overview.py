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
from ui.language import pick
from ui.layout import empty_state, no_figures_notice, notices, target_block, trend_line
from ui.provenance import source_line
from ui.refresh_progress import fill_progress
from ui.safe import plain
from ui.state import View
from ui.texts import t, verdict
from vocabulary import DEFAULT_REGION

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
    cat = catalogue()
    st.title(t("overview"))
    st.markdown(t("tagline"))
    notices(view)
    if store().is_empty():
        first_run()
        return
    region = view.regio[0]
    st.markdown(status_table(cat.opgaven, region, view, opgave_pages), unsafe_allow_html=True)
    st.header(t("overview_details"))
    for start in range(0, len(cat.opgaven), 2):  # rows of two: the page reads in catalogue order
        columns = st.columns(2, gap="large")
        for column, opgave in zip(columns, cat.opgaven[start:start + 2], strict=False):
            with column.container(border=True):
                opgave_card(opgave, region, opgave_pages[opgave.id])
    with st.expander(t("method_title")):
        st.markdown(t("method"))


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


def status_table(opgaven, region: str, view: View, opgave_pages: dict) -> str:
    """Per opgave one row: its name (a link to its page), how many outcome indicators improve,
    hold or worsen, its target verdicts (bad news first) and its headline outcome with the
    latest value and a sparkline. Each verdict has an icon and words besides its colour."""
    head = "".join(f"<th scope='col'>{html.escape(t(key))}</th>" for key in ("opgave", "outcome_indicators", "targets", "headline_outcome"))
    rows = "".join(status_row(opgave, region, view, opgave_pages[opgave.id]) for opgave in opgaven)
    return f"<table class='om-status'><caption>{html.escape(t('status_caption'))}</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def status_row(opgave: Opgave, region: str, view: View, page) -> str:
    outcomes = [read(i, region) for i in opgave.indicators if i.kind == "resultaat"]
    trends = Counter(r.trend.verdict for r in outcomes if r.trend is not None)
    goals = Counter(s.verdict for r in outcomes for s in r.targets)
    trend_cell = _counts(trends, TREND_ORDER) or html.escape(t("onvoldoende gegevens"))
    target_cell = _counts(goals, TARGET_ORDER) or html.escape(t("no_target"))
    headline = next(iter(opgave.headline_indicators()), None)
    href = html.escape(f"{page.url_path}?{urlencode(_link_params(view))}".rstrip("?"), quote=True)
    name = f"<a href='{href}' target='_self'>{html.escape(pick(opgave, 'title'))}</a>"
    return (
        f"<tr><th scope='row'>{name}</th>"
        f"<td data-label='{html.escape(t('outcome_indicators'), quote=True)}'>{trend_cell}</td>"
        f"<td data-label='{html.escape(t('targets'), quote=True)}'>{target_cell}</td>"
        f"<td>{_headline_cell(read(headline, region)) if headline else ''}</td></tr>"
    )


def _counts(counter: Counter, order: tuple[str, ...]) -> str:
    return " ".join(
        f"<span class='om-v om-{TONE.get(word, 'neutral')}'>{html.escape(verdict(word))} {counter[word]}</span>"
        for word in order if counter[word]
    )


def _headline_cell(reading: Reading) -> str:
    """'Tekort aan woningen: 401.000 woningen (Nederland, 2024)' beside its sparkline."""
    indicator = reading.indicator
    title = html.escape(pick(indicator, "title"))
    if reading.latest is None:
        return f"<div class='om-headline'><span><b>{title}</b><br>{html.escape(t('status_no_figures'))}</span></div>"
    latest, frame = reading.latest, reading.frame
    name = frame.loc[frame["region_code"] == reading.region, "region_name"].iloc[0]
    value = fmt.value_with_unit(latest.value, pick(indicator, "unit"), indicator.decimals)
    provisional = latest.status in ("voorlopig", "nader voorlopig")
    where = f"{name}, {fmt.period(latest.period)}" + (f", {t('status_' + latest.status)}" if provisional else "")
    return (
        f"<div class='om-headline'><span>{title}: <span class='om-value'>{html.escape(value)}</span> "
        f"<span class='om-where'>({html.escape(where)})</span></span>{_spark(reading)}</div>"
    )


def _spark(reading: Reading) -> str:
    """The sparkline of a reading, named for screen readers with its trend verdict."""
    frame, indicator = reading.frame, reading.indicator
    name = frame.loc[frame["region_code"] == reading.region, "region_name"].iloc[0]
    label = f"{t('spark_label', title=pick(indicator, 'title'), region=name)}: {verdict(reading.trend.verdict)}"
    return charts.sparkline_svg(frame, reading.region, label, points=indicator.points)


def _link_params(view: View) -> dict:
    """The URL parameters a link to an opgave page keeps: language and regions."""
    params = {}
    if view.taal != "nl":
        params["taal"] = view.taal
    if view.regio != [DEFAULT_REGION]:
        params["regio"] = ",".join(view.regio)
    return params


def opgave_card(opgave: Opgave, region: str, page) -> None:
    st.subheader(plain(pick(opgave, "title")))
    st.caption(pick(opgave, "summary"))
    for indicator in opgave.headline_indicators():
        indicator_card(indicator, opgave, region)
    st.page_link(page, label=f"{t('open_opgave')}: {plain(pick(opgave, 'title'))} →")


def indicator_card(indicator, opgave, region: str) -> None:
    data = indicator_data(indicator)
    st.markdown(f"**{plain(pick(indicator, 'title'))}** · {t('kind_' + indicator.kind)}")
    if len({pick(i, "survey") for i in opgave.indicators if pick(i, "survey")}) > 1 and pick(indicator, "survey"):
        st.caption(f"{t('survey').capitalize()}: {plain(pick(indicator, 'survey'))}")
    if not data.available:
        empty_state(data)
        return
    reading = read(indicator, region)
    if reading.latest is None:
        st.caption(t("onvoldoende gegevens"))
        return
    frame, shown, latest = reading.frame, reading.region, reading.latest
    status = f" ({t('status_' + latest.status)})" if latest.status else ""
    name = frame.loc[frame["region_code"] == shown, "region_name"].iloc[0]
    if shown != region:
        no_figures_notice([region], name)
    value = fmt.value_with_unit(latest.value, pick(indicator, "unit"), indicator.decimals)
    st.markdown(
        f"<div class='om-headline'><span>{html.escape(f'{name}, {fmt.period(latest.period)}{status}')}<br>"
        f"<span class='om-value om-big'>{html.escape(value)}</span></span>{_spark(reading)}</div>",
        unsafe_allow_html=True,
    )
    st.markdown(charts.chart_summary(frame, indicator, [shown], reading.trend, reading.targets), unsafe_allow_html=True)
    st.markdown(f"**{t('trend')}:** {trend_line(reading.trend, pick(indicator, 'unit'), indicator.decimals)}")
    for target_status in reading_order(reading.targets, date.today().year):
        target_block(target_status, pick(indicator, "unit"), indicator.decimals)
    st.caption(source_line(data))


def first_run() -> None:
    st.header(t("first_run_title"))
    fill_progress()
    st.markdown(t("first_run"))
    st.subheader(t("catalogue"))
    for opgave in catalogue().opgaven:
        st.markdown(f"**{plain(pick(opgave, 'title'))}** — " + ", ".join(plain(pick(i, 'title')) for i in opgave.indicators))
