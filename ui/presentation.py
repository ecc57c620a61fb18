"""Presentation mode (``modus=presentatie``): one view per screen for a projector.

No sidebar or Streamlit chrome, type a back row can read (body 26 px, chart title 32 px,
ticks and legend 22 px, lines 4 px), black on white, the headline number and verdict big
above the chart and the source line fixed at the bottom of the screen.
"""
from __future__ import annotations

import html
from datetime import date

import plotly.graph_objects as go
import streamlit as st

from analysis.changes import latest_change
from analysis.targets import reading_order
from data_sources.api import IndicatorData
from data_sources.catalogue import Catalogue, Indicator, Opgave
from vocabulary import DEFAULT_REGION
from workshop.bundle import snapshot_imported_at
from workshop.decks import Deck

from . import chart_moments, charts
from . import format as fmt
from .data import catalogue, display_frame, indicator_data, store, verdicts
from .language import current, pick, speaking
from .layout import empty_state, level_order, trend_line
from .safe import plain
from .state import View
from .texts import t, verdict

BODY_PX, TITLE_PX, TICK_PX, LINE_PX = 26, 32, 22, 4
PLOT_PX = 1100  # the plot's width on a 1280 px projector: moment labels are spaced for it
CHART_HEIGHT = 420  # with the headline, title and talking point above the source bar at 1080 px
SCREENS = ("projector", "phone")  # the slide's chart sizes; CSS shows the one that fits the screen
QR_WIDTH = "min(360px, 26vw, 34vh)"

CSS = f"""
<style>
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stExpandSidebarButton"] {{ display: none !important; }}
  html, body, .stApp, [data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,
  [data-testid="stCaptionContainer"], button p, label p {{ font-size: {BODY_PX}px !important; color: #000; }}
  .stApp {{ background: #FFFFFF; }}
  [data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {{ color: #1A1A1A !important; }}
  [data-testid="stBaseButton-primary"] p {{ color: #FFFFFF !important; }}
  [data-testid="stBaseButton-primary"]:disabled {{ background: #FFFFFF !important; border: 2px solid #6B6B6B !important; }}
  [data-testid="stBaseButton-primary"]:disabled p {{ color: #4A4A4A !important; }}  /* the last slide's 'Volgende' stays legible */
  .block-container {{ max-width: 100% !important; padding: 1rem 2.5rem 9rem 2.5rem !important; }}
  h1 {{ font-size: 44px !important; color: #000 !important; padding: 0 0 0.2rem 0 !important; }}
  .st-key-om-pres-kicker p {{ font-size: {BODY_PX}px !important; color: #1A1A1A !important; font-weight: 600; }}
  .st-key-om-pres-value p {{ font-size: 64px !important; font-weight: 700; line-height: 1.1; margin: 0; }}
  .st-key-om-pres-verdict p {{ font-size: 34px !important; font-weight: 600; }}
  .st-key-om-pres-source {{ position: fixed; left: 0; right: 0; bottom: 0; z-index: 999990; background: #FFFFFF;
                            border-top: 2px solid #000; padding: 0.3rem 2.5rem 0.6rem 2.5rem; }}
  .st-key-om-pres-source [data-testid="stMarkdownContainer"] {{ margin-bottom: 0 !important; }}  /* Streamlit's -1rem let the text hang below the screen */
  .st-key-om-pres-source p {{ font-size: 24px !important; margin: 0; line-height: 1.3; }}
  p.om-pres-chart-title {{ font-size: {TITLE_PX}px !important; font-weight: 700; margin: 0.2rem 0 0 0; line-height: 1.2; overflow-wrap: anywhere; }}
  .st-key-om-pres-chart-phone {{ display: none !important; }}
  /* The QR code has a column of its own beside the slide, below the controls: it covers nothing */
  .om-qr {{ position: fixed; right: 2.5rem; top: 6.5rem; z-index: 999991; width: {QR_WIDTH}; background: #FFFFFF;
            border: 2px solid #000; padding: 0.6rem; }}
  .block-container:has(.om-qr) .st-key-om-pres-slide {{ padding-right: calc({QR_WIDTH} + 2.5rem); }}
  .om-qr small {{ display: block; font-size: 18px; line-height: 1.25; margin-top: 0.3rem; }}
  .om-qr img {{ width: 100%; height: auto; display: block; }}
  .om-qr p {{ font-size: {BODY_PX}px !important; margin: 0.4rem 0 0 0; line-height: 1.25; }}
  @media (max-height: 800px) {{ .om-qr p {{ font-size: 20px !important; }} .om-qr small {{ font-size: 16px; }} }}  /* a laptop: above the source line */
  @media (max-width: 640px) {{  /* a phone: reading distance, not the back row; the source line follows the slide */
    .st-key-om-pres-source {{ position: static; padding: 0.3rem 0; }}
    .block-container {{ padding: 1rem 1rem 2rem 1rem !important; }}
    html, body, .stApp, [data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,
    [data-testid="stCaptionContainer"], button p, label p, .st-key-om-pres-source p {{ font-size: 18px !important; }}
    h1 {{ font-size: 28px !important; }}
    .st-key-om-pres-value p {{ font-size: 40px !important; }}
    .st-key-om-pres-verdict p {{ font-size: 24px !important; }}
    .om-qr {{ position: static; width: min(320px, 90vw); }}
    p.om-pres-chart-title {{ font-size: 22px !important; }}
    .st-key-om-pres-chart-projector {{ display: none !important; }}
    .st-key-om-pres-chart-phone {{ display: block !important; }}
    .block-container:has(.om-qr) .st-key-om-pres-slide {{ padding-right: 0; }}
  }}
  a:focus, button:focus, button:focus-visible, [tabindex]:focus-visible {{ outline: 4px solid #000 !important; outline-offset: 3px; box-shadow: 0 0 0 7px #FFD400 !important; }}
</style>
"""


def apply() -> None:
    """The projector layout for the whole page (call once, before the page renders)."""
    st.markdown(CSS, unsafe_allow_html=True)


def projector_figure(fig: go.Figure) -> go.Figure:
    """The page's chart made readable from the back row: bigger type and lines."""
    fig.update_layout(
        height=CHART_HEIGHT, font=dict(size=TICK_PX, color="#000000"),
        # the legend stays above the plot (as on the page): never over the years
        legend=dict(font=dict(size=TICK_PX), orientation="h", yanchor="bottom", y=1.02, x=0, xanchor="left"),
        margin=dict(l=10, r=10, t=10, b=10),
    )
    fig.update_xaxes(tickfont=dict(size=TICK_PX, color="#000000"), title_font=dict(size=TICK_PX))
    fig.update_yaxes(tickfont=dict(size=TICK_PX, color="#000000"), title_font=dict(size=TICK_PX, color="#000000"))
    fig.update_annotations(font_size=TICK_PX)
    for trace in fig.data:
        if getattr(trace, "line", None) is not None and (trace.line.width or 0) < LINE_PX:
            trace.line.width = LINE_PX
        if getattr(trace, "marker", None) is not None and trace.marker.size is not None:
            trace.marker.size = max(trace.marker.size, 12)
    for shape in fig.layout.shapes:
        shape.line.width = max(shape.line.width or 0, LINE_PX)
    chart_moments.fit_labels(fig, TICK_PX, PLOT_PX)
    return fig


def chart_title(frame, regions: list[str], indicator: Indicator) -> str:
    """What the chart shows, without repeating the slide title: regions, years and unit."""
    names = dict(zip(frame["region_code"], frame["region_name"], strict=True))
    years = frame["period_start"].dropna().dt.year
    span = f"{years.min()}–{years.max()}" if len(years) else ""
    return f"{', '.join(str(names[r]) for r in regions)} · {span} · {pick(indicator, 'unit')}"


def within_years(frame, van: int | None, tot: int | None):
    """The frame's rows in the years van–tot; all of them when none fall in those years (a
    link or deck slide may name years the data does not have, as the opgave page allows)."""
    if van is None and tot is None:
        return frame
    years = frame["period_start"].dt.year
    inside = years.between(van or 0, tot or 9999)
    return frame[inside | frame["period_start"].isna()] if inside.any() else frame


def shown_regions(frame, wanted: list[str]) -> list[str]:
    """The asked regions that have figures; else Nederland; else, of the regions in the latest
    period (never one merged away since), the highest level with the longest series."""
    present = set(frame["region_code"])
    regions = [r for r in wanted if r in present]
    if regions:
        return regions
    if DEFAULT_REGION in present:
        return [DEFAULT_REGION]
    latest = frame[frame["period_start"] == frame["period_start"].max()]["region_code"].unique()
    rows = frame[frame["region_code"].isin(latest)]
    lengths = rows.groupby("region_code")["value"].count()
    return [min(latest, key=lambda code: (level_order(code), -lengths.get(code, 0), code))]


def slide(opgave: Opgave, indicator: Indicator, view: View, title: str = "", note: str = "") -> None:
    """One view as a projector slide: kicker, title, big number and verdict, chart, source."""
    with st.container(key="om-pres-kicker"):
        st.markdown(plain(pick(opgave, "title")))
    st.title(plain(title or pick(indicator, "title")), anchor=False)
    version = store().version(indicator.id)  # before the read: a write in between rebuilds the chart, never hides
    data = indicator_data(indicator)
    if not data.available:
        empty_state(data)
        source_bar(data, None)
        return
    frame = within_years(display_frame(data), view.van, view.tot)
    regions = shown_regions(frame, view.regio)  # after the years: a region merged away before them has no figures left
    latest = latest_change(frame, regions[0])
    big_number(frame, indicator, regions[0], data)
    if view.tab == "tabel":
        from .download import view_table  # only tables need it

        st.dataframe(view_table(frame, regions, indicator), hide_index=True, width="stretch")
    else:
        # The chart's title is text above it, so it wraps on a narrow screen and never meets the
        # legend; the chart itself comes in two sizes, one shown by the screen's width (CSS).
        st.markdown(f"<p class='om-pres-chart-title'>{html.escape(chart_title(frame, regions, indicator))}</p>", unsafe_allow_html=True)
        for size in SCREENS:
            figure = _slide_chart(str(store().root), repr(indicator), version, tuple(regions), view.weergave, view.van, view.tot, current(), view.momenten, size, data, frame)
            with st.container(key=f"om-pres-chart-{size}"):
                st.plotly_chart(
                    figure, key=f"presentation-chart-{size}",
                    config={"displaylogo": False, "displayModeBar": False, "locale": current()},
                    alt=f"{pick(indicator, 'title')} — {', '.join(regions)}",
                )
        _, targets, _ = verdicts(data, frame, regions[0])
        for chart_note in charts.chart_notes(indicator, targets):
            st.caption(plain(chart_note))
    if note:
        st.markdown(f"▸ {plain(note)}")
    source_bar(data, latest)


@st.cache_resource(show_spinner=False, max_entries=64)
def _slide_chart(root: str, definition: str, version: tuple, regions: tuple[str, ...], weergave: str, van: int | None, tot: int | None,
                 lang: str, momenten: bool, size: str, _data: IndicatorData, _frame) -> go.Figure:
    """A slide's chart for a ``size`` of SCREENS, built once per store version and shared by
    every session showing it. When a room moves, all its followers ask for the same chart at
    once, and building a plotly figure costs far more than sending one; st.plotly_chart only
    reads it (to_dict). A phone gets the page's own chart, sized for reading distance. The
    language is part of the key and the chart is built in it."""
    _, targets, _ = verdicts(_data, _frame, regions[0])
    moments = chart_moments.in_span(catalogue().moments(_data.indicator.id), _frame) if momenten else []
    with speaking(lang):
        figure = charts.time_series(_frame, _data.indicator, list(regions), weergave, targets, moments=moments)
    return projector_figure(figure) if size == "projector" else figure


def big_number(frame, indicator: Indicator, region: str, data: IndicatorData) -> None:
    """The latest value of the main region, large, with the trend and target verdicts."""
    latest = latest_change(frame, region)
    if latest is None:
        return
    name = frame.loc[frame["region_code"] == region, "region_name"].iloc[0]
    trend, targets, _ = verdicts(data, frame, region)
    left, right = st.columns([2, 3])
    with left:
        st.markdown(f"{plain(name)}, {fmt.period(latest.period)}")
        with st.container(key="om-pres-value"):
            st.markdown(plain(fmt.value_with_unit(latest.value, pick(indicator, "unit"), indicator.decimals)))
    with right, st.container(key="om-pres-verdict"):
        st.markdown(f"{t('trend')}: {trend_line(trend, pick(indicator, 'unit'), indicator.decimals)}")
        for status in reading_order(targets, date.today().year)[:1]:
            st.markdown(f"{t('target')}: {verdict(status.verdict)} — {plain(pick(status.target, 'label'))}")


def source_text(data: IndicatorData, latest_period: str | None, latest_status: str | None) -> str:
    """'Bron: CBS, 82235NED, 2024, voorlopig · gegevens van 3 maart 2026 (12 dagen oud)'."""
    prov = data.record.provenance
    parts = []
    if prov is not None:
        for source in prov.sources():
            parts.append(f"{source.publisher}, {source.table_id}" if source.table_id else source.publisher)
    text = f"{t('source_label')}: {'; '.join(dict.fromkeys(parts)) or '–'}"
    if latest_period:
        text += f", {fmt.period(latest_period)}"
    if latest_status:
        text += f", {t('status_' + latest_status)}"
    retrieved = data.record.last_refresh
    if retrieved:
        text += " · " + t("pres_data_age", date=fmt.date(retrieved), n=fmt.age_days(retrieved) or 0)
    if snapshot_imported_at(store(), data.indicator.id, retrieved):
        text = f"{t('pres_snapshot')} · {text}"
    return text


def source_bar(data: IndicatorData, latest) -> None:
    """The source line, fixed at the bottom of the screen so it is always in view."""
    with st.container(key="om-pres-source"):
        text = source_text(data, latest.period if latest else None, latest.status if latest else None)
        st.markdown(plain(text))


def opgave_slide(opgave: Opgave, view: View) -> None:
    """An opgave page in presentation mode: the indicator in the link, else the first outcome."""
    by_id = {i.id: i for i in opgave.indicators}
    first = sorted(opgave.indicators, key=lambda i: i.kind != "resultaat")[0]
    slide(opgave, by_id.get(view.indicator, first), view)


def leave_button() -> None:
    st.button(t("pres_leave"), key="om-leave", on_click=_leave)


def _leave() -> None:
    del st.query_params["modus"]


SUMMARY_LINES_IN_ONE_COLUMN = 6  # more go in two columns, so a long deck's summary fits the screen


def summary(deck: Deck, cat: Catalogue) -> None:
    """The last slide: per opgave shown, each indicator's latest value and trend."""
    st.title(t("show_summary"), anchor=False)
    for opgave_id in deck.opgaven():
        st.subheader(plain(pick(cat.opgave(opgave_id), "title")), anchor=False)
        lines = ["- " + summary_line(cat.indicator(i), list(r)) for i, r in dict.fromkeys((s.indicator, s.regio) for s in deck.slides if s.opgave == opgave_id)]
        half = (len(lines) + 1) // 2 if len(lines) > SUMMARY_LINES_IN_ONE_COLUMN else len(lines)
        for column, part in zip(st.columns(2) if half < len(lines) else [st.container()], (lines[:half], lines[half:]), strict=False):
            column.markdown("\n".join(part))
    refreshed = [d.record.last_refresh for d in map(indicator_data, (cat.indicator(i) for i in deck.indicators())) if d.available and d.record.last_refresh]
    with st.container(key="om-pres-source"):  # the summary, too, says where and how old
        oldest = min(refreshed) if refreshed else None
        age = " · " + t("pres_oldest_age", date=fmt.date(oldest), n=fmt.age_days(oldest) or 0) if oldest else ""
        st.markdown(plain(t("pres_summary_source") + age))


def summary_line(indicator: Indicator, regions: list[str]) -> str:
    title = plain(pick(indicator, "title"))
    data = indicator_data(indicator)
    if not data.available:
        return f"**{title}**: –"
    frame = display_frame(data)
    region = shown_regions(frame, regions)[0]
    latest = latest_change(frame, region)
    if latest is None:
        return f"**{title}**: –"
    name = frame.loc[frame["region_code"] == region, "region_name"].iloc[0]
    trend, _, _ = verdicts(data, frame, region)
    value = plain(fmt.value_with_unit(latest.value, pick(indicator, "unit"), indicator.decimals))
    return f"**{title}** ({plain(name)}, {fmt.period(latest.period)}): {value} — {verdict(trend.verdict)}"
