"""Plotly charts in one colour-blind-safe palette (Okabe–Ito), Dutch number formatting,
provisional figures drawn open and dotted, targets as labelled lines; every chart's text
meets WCAG AA contrast, and each chart has a text summary for screen readers.

Pages pass ``theme=None`` to ``st.plotly_chart``: Streamlit's theme would override this
layout (grey 12.75 px tick labels at 3.7:1 contrast)."""
from __future__ import annotations

import html
import textwrap

import pandas as pd
import plotly.graph_objects as go

from analysis.changes import latest_change
from analysis.series import with_gaps
from analysis.targets import TargetStatus
from analysis.trend import Trend
from data_sources.catalogue import Indicator, Moment

from . import chart_margins, chart_moments, publications
from . import format as fmt
from .language import current, pick
from .texts import t, verdict

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "cross", "x"]
TARGET_COLOUR = "#404040"
TEXT_COLOUR = "#1A1A1A"  # 17:1 on white
FONT = dict(family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif", size=15, color=TEXT_COLOUR)
LEGEND_WIDTH = 28  # characters per legend line, so an entry fits a 390 px phone
LEGEND_LINE_PX, LEGEND_GAP_PX = 24, 6  # a legend line at 15 px type (with a 16 px symbol), the space between entries
PLOT_MIN_PX = 320  # the plot area and axes under a legend stacked one entry per row
# The modebar keeps the buttons whose tooltips are translated below (plotly.js ships no Dutch
# dictionary; a chart's config may carry its own).
MODEBAR_REMOVE = ["select2d", "lasso2d", "toggleSpikelines", "hoverClosestCartesian", "hoverCompareCartesian"]
PLOTLY_NL = {
    "dictionary": {
        "Download plot as a PNG": "Grafiek downloaden als PNG",
        "Download plot as a png": "Grafiek downloaden als PNG",
        "Download plot": "Grafiek downloaden",
        "Zoom": "Inzoomen op gebied",
        "Pan": "Verschuiven",
        "Zoom in": "Inzoomen",
        "Zoom out": "Uitzoomen",
        "Autoscale": "Automatisch schalen",
        "Reset axes": "Assen herstellen",
        "Taking snapshot - this may take a few seconds": "Afbeelding maken, een ogenblik",
        "Snapshot succeeded": "Afbeelding gemaakt",
        "Sorry, there was a problem downloading your snapshot!": "Het maken van de afbeelding is mislukt.",
        "Double-click to zoom back out": "Dubbelklik om terug te zoomen",
        "Double-click on legend to isolate one trace": "Dubbelklik op de legenda om één lijn apart te tonen",
    },
    "format": {
        "days": ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
        "shortDays": ["zo", "ma", "di", "wo", "do", "vr", "za"],
        "months": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
        "shortMonths": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
        "date": "%d-%m-%Y",
    },
}


def separators() -> str:
    """Plotly's separators: decimal mark then thousands mark."""
    return ",." if current() == "nl" else ".,"


def plotly_config(filename: str) -> dict:
    """``st.plotly_chart`` config: the modebar in the page's language, PNG download named."""
    config = {
        "displaylogo": False, "locale": current(), "modeBarButtonsToRemove": MODEBAR_REMOVE,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
    }
    if current() == "nl":
        config["locales"] = {"nl": PLOTLY_NL}
    return config


def transform(frame: pd.DataFrame, mode: str) -> pd.DataFrame:
    """absoluut, index (first year in view = 100) or verandering (% on the previous period)."""
    frame = frame.sort_values("period_start").copy()
    if mode == "index":
        first = frame.groupby("region_code")["value"].transform(lambda v: v.dropna().iloc[0] if v.notna().any() else float("nan"))
        frame["value"] = frame["value"] / first * 100
    elif mode == "verandering":
        frame["value"] = frame.groupby("region_code")["value"].pct_change(fill_method=None) * 100
    return frame


def time_series(
    frame: pd.DataFrame,
    indicator: Indicator,
    regions: list[str],
    mode: str,
    targets: list[TargetStatus] | None = None,
    height: int = 460,
    moments: list[Moment] = ()) -> go.Figure:
    rows = frame[frame["region_code"].isin(regions) & frame["period_start"].notna()]
    freq = "year" if (rows["frequency"] == "year").any() else None
    if freq:
        rows = rows[rows["frequency"] == "year"]
    rows = transform(_with_gaps(rows, regions), mode)
    unit = _axis_unit(indicator, mode)
    decimals = 1 if mode != "absoluut" else indicator.decimals
    fig = go.Figure()
    for n, code in enumerate(regions):
        series = rows[rows["region_code"] == code]
        if series.empty:
            continue
        name = str(series["region_name"].iloc[0])
        colour, dash, symbol = PALETTE[n % len(PALETTE)], DASHES[n % len(DASHES)], SYMBOLS[n % len(SYMBOLS)]
        provisional = series["status"].astype(str).isin(["voorlopig", "nader voorlopig"]).to_numpy()
        final_x = series["period_start"].where(~provisional)
        hover = [
            f"<b>{html.escape(name)}</b><br>{fmt.period(p)}: {html.escape(fmt.value_with_unit(v, unit, decimals))}"
            + (f" ({t('status_' + str(s))})" if isinstance(s, str) and s != "nan" else "")
            for p, v, s in zip(series["period"], series["value"], series["status"].astype(object), strict=True)
        ]
        if "note" in series.columns:  # separate publications: each point says what it is
            hover = [h + publications.hover_suffix(note) for h, note in zip(hover, series["note"].astype(object), strict=True)]
        if mode == "absoluut" and chart_margins.has_margins(series):
            chart_margins.add_band(fig, series, _wrap(name), colour, code)
            hover = [h + chart_margins.hover_suffix(lo, hi, decimals) for h, lo, hi in zip(hover, series["lower"], series["upper"], strict=True)]
        fig.add_trace(
            go.Scatter(
                x=final_x, y=series["value"].where(~provisional), name=_wrap(name), mode="markers" if indicator.points else "lines+markers",
                line=dict(color=colour, width=3, dash=dash), marker=dict(symbol=symbol, size=8, color=colour),
                hovertext=hover, hoverinfo="text", legendgroup=code, connectgaps=False,
            )
        )
        if provisional.any():
            # Join the last final figure to the provisional ones with a dotted line, open markers.
            idx = max(0, int(provisional.argmax()) - 1)
            part = series.iloc[idx:]
            fig.add_trace(
                go.Scatter(
                    x=part["period_start"], y=part["value"], mode="lines+markers",
                    name=_wrap(f"{name} ({t('status_voorlopig')})"), legendgroup=code,
                    line=dict(color=colour, width=2, dash="dot"),
                    marker=dict(symbol=symbol + "-open", size=10, color=colour, line=dict(width=2)),
                    hovertext=hover[idx:], hoverinfo="text",
                )
            )
    if mode == "absoluut":
        for status in targets or []:
            _add_target(fig, status, indicator)
    # The legend sits above the plot, where it can wrap into rows without covering the years;
    # automargin keeps every label inside the chart. Plotly picks fewer year ticks on a narrow
    # chart; only short spans get one tick per year, so no year is labelled twice.
    legend_px = _legend_height(fig)
    fig.update_layout(
        separators=separators(), height=max(height, PLOT_MIN_PX + legend_px), font=FONT, hovermode="closest", template="none",
        margin=dict(l=10, r=10, t=10, b=10), plot_bgcolor="white", paper_bgcolor="white",
        hoverlabel=dict(bgcolor="white", bordercolor=TEXT_COLOUR, font=dict(FONT)),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, xanchor="left", maxheight=legend_px),
        yaxis=dict(title=unit, automargin=True, separatethousands=True, rangemode=y_rangemode(indicator),
                   exponentformat="none", gridcolor="#E3E7EB", zerolinecolor="#9AA5B1", linecolor="#9AA5B1"),
        xaxis=dict(tickformat="%Y", automargin=True, dtick="M12" if _years_shown(rows) <= 6 else None,
                   gridcolor="#F1F4F7", linecolor="#9AA5B1", hoverformat="%Y"),
    )
    chart_moments.add(fig, list(moments), rows)
    fig.update_layout(height=fig.layout.height + fig.layout.margin.b - 10)  # moment labels under the years take no room from the plot
    return fig


SPARK_WIDTH, SPARK_HEIGHT = 120, 36


def sparkline_svg(frame: pd.DataFrame, region: str, label: str, points: bool = False, colour: str = PALETTE[0]) -> str:
    """A region's last twelve periods (yearly where it has years) as a small inline SVG: far
    lighter for the browser than a plotly figure per indicator. The line breaks where a period
    is missing, the scale includes zero (as every chart's axis does), the latest value is a dot;
    figures from separate publications (``points``) are dots only, never joined.
    ``label`` is what a screen reader hears; returns escaped HTML."""
    rows = frame[(frame["region_code"] == region) & frame["period_start"].notna()]
    if (rows["frequency"] == "year").any():
        rows = rows[rows["frequency"] == "year"]
    rows = with_gaps(rows[rows["value"].notna()].sort_values("period_start").tail(12)).reset_index(drop=True)
    known = rows[rows["value"].notna()]
    if known.empty:
        return ""
    days = (rows["period_start"] - rows["period_start"].iloc[0]).dt.days.to_numpy()
    low, high = min(0.0, known["value"].min()), max(0.0, known["value"].max())
    pad = 4

    def point(day, value) -> str:
        x = pad + (day / days[-1] if days[-1] else 0.5) * (SPARK_WIDTH - 2 * pad)
        y = SPARK_HEIGHT - pad - ((value - low) / (high - low) if high > low else 0.5) * (SPARK_HEIGHT - 2 * pad)
        return f"{x:.1f},{y:.1f}"

    pieces: list[list[str]] = [[]]
    for day, value in zip(days, rows["value"], strict=True):
        if pd.isna(value):
            pieces.append([])
        else:
            pieces[-1].append(point(day, value))
            if points:
                pieces.append([])
    path = " ".join("M" + " L".join(piece) for piece in pieces if len(piece) > 1)
    lonely = [piece[0].split(",") for piece in pieces if len(piece) == 1]  # a period with no neighbour: a dot
    dots = "".join(f"<circle cx='{x}' cy='{y}' r='1.5' fill='{colour}'/>" for x, y in lonely)
    last = point(days[known.index[-1]], known["value"].iloc[-1]).split(",")
    return (
        f"<svg class='om-spark' role='img' aria-label='{html.escape(label, quote=True)}' width='{SPARK_WIDTH}' height='{SPARK_HEIGHT}' "
        f"viewBox='0 0 {SPARK_WIDTH} {SPARK_HEIGHT}'><path d='{path}' fill='none' stroke='{colour}' stroke-width='2' "
        f"stroke-linejoin='round'/>{dots}<circle cx='{last[0]}' cy='{last[1]}' r='3' fill='{colour}'/></svg>"
    )


def y_rangemode(indicator: Indicator) -> str:
    """Plotly's y rangemode: the axis includes zero, so a small change does not look dramatic,
    unless the catalogue gives a reason not to (``axis_reason``), which ``axis_note`` states."""
    return "normal" if indicator.axis_reason_nl else "tozero"


def axis_note(indicator: Indicator) -> str:
    """The words under a chart whose axis does not start at zero ('' when it does)."""
    reason = pick(indicator, "axis_reason")
    return t("axis_not_zero", reason=reason) if reason else ""


def chart_notes(indicator: Indicator, targets: list[TargetStatus]) -> list[str]:
    """What a chart alone does not say, for the lines under it: an axis that does not start
    at zero, and why a target the page's story promises is not drawn."""
    notes = [axis_note(indicator)]
    if not targets:
        notes.append(pick(indicator, "target_note"))
    return [note for note in notes if note]


def _add_target(fig: go.Figure, status: TargetStatus, indicator: Indicator) -> None:
    """A target as a labelled star in its year (a band for ranges), or a dashed line for
    yearly amounts; plus the straight path from the latest value that would reach it."""
    target = status.target
    label = pick(target, "label")
    hover = f"{t('target_line')}: {html.escape(label)}<br>{t('source_label')}: {html.escape(target.source)}"
    if target.kind == "annual":
        fig.add_hline(
            y=target.value, line=dict(color=TARGET_COLOUR, dash="dash", width=2), annotation_position="top left",
            annotation_text=_wrap(f"{t('target_line')}: {label}"), annotation_bgcolor="white",
        )
        return
    if target.kind == "cumulative" or status.goal is None or target.year is None:
        return  # cumulative targets are judged on the sum, shown beside the chart
    when = pd.Timestamp(target.year, 1, 1)
    fig.add_trace(
        go.Scatter(
            x=[when], y=[status.goal], mode="markers", name=_wrap(f"{t('target_line')}: {label}"),
            marker=dict(symbol="star", size=16, color=TARGET_COLOUR), hovertext=[hover], hoverinfo="text",
        )
    )
    if status.goal_to is not None:
        fig.add_trace(go.Scatter(x=[when, when], y=[status.goal, status.goal_to], mode="lines", line=dict(color=TARGET_COLOUR, width=8), opacity=0.4, showlegend=False, hoverinfo="skip"))
    if status.current is not None and status.current_year is not None and status.current_year < target.year:
        start = pd.Timestamp(int(status.current_year), 1, 1)
        fig.add_trace(
            go.Scatter(
                x=[start, when], y=[status.current, status.goal], mode="lines", line=dict(color=TARGET_COLOUR, dash="dash", width=1.5),
                name=t("path_to_target"), hoverinfo="skip",
            )
        )


def chart_summary(frame: pd.DataFrame, indicator: Indicator, regions: list[str], trend: Trend | None = None, targets: list[TargetStatus] = ()) -> str:
    """What a chart shows, in words, for screen readers (a plotly chart is opaque to them):
    the latest value per region, the first region's trend and every target's verdict.
    Returns escaped HTML for ``st.markdown(..., unsafe_allow_html=True)``."""
    unit, decimals = pick(indicator, "unit"), indicator.decimals
    values = []
    for code in regions:
        latest = latest_change(frame, code)
        if latest is None:
            continue
        name = frame.loc[frame["region_code"] == code, "region_name"].iloc[0]
        status = f" ({t('status_' + latest.status)})" if latest.status else ""
        values.append(f"{name}: {fmt.value_with_unit(latest.value, unit, decimals)} in {fmt.period(latest.period)}{status}")
    parts = [f"{pick(indicator, 'title')}. " + "; ".join(values) + "."]
    if trend is not None:
        parts.append(f"{t('trend')}: {verdict(trend.verdict)}.")
    goals = [f"{pick(s.target, 'label')}: {verdict(s.verdict)}" for s in targets]
    if goals:
        parts.append(f"{t('target')}: " + "; ".join(goals) + ".")
    else:
        parts.append(f"{t('target')}: " + (pick(indicator, "target_note") or t("no_target") + "."))
    return f"<p class='om-sr-only om-chart-summary'>{html.escape(' '.join(parts))}</p>"


def _with_gaps(rows: pd.DataFrame, regions: list[str]) -> pd.DataFrame:
    """Every region's rows with an empty row where a period is missing (see ``with_gaps``)."""
    return pd.concat([rows.iloc[:0]] + [with_gaps(rows[rows["region_code"] == code]) for code in regions])


def _legend_height(fig: go.Figure) -> int:
    """Pixels the legend needs when a phone stacks every entry on its own row: the chart
    grows by that much and the legend may take it, so it is never a scroll box."""
    entries = [trace.name for trace in fig.data if trace.showlegend is not False and trace.name]
    lines = sum(name.count("<br>") + 1 for name in entries)
    return LEGEND_LINE_PX * lines + LEGEND_GAP_PX * len(entries) + 10


def _wrap(label: str) -> str:
    """A legend or annotation label in lines of at most LEGEND_WIDTH characters."""
    return "<br>".join(textwrap.wrap(html.escape(label), LEGEND_WIDTH)) or label


def _axis_unit(indicator: Indicator, mode: str) -> str:
    if mode == "index":
        return "index"
    if mode == "verandering":
        return "%"
    return pick(indicator, "unit")


def _years_shown(rows: pd.DataFrame) -> int:
    if rows.empty:
        return 0
    years = rows["period_start"].dt.year
    return int(years.max() - years.min() + 1)
