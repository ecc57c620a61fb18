"""Policy moments on a time-series chart, and the list under it that names their sources.

Each moment in the chart's time span is a thin dotted vertical line with its short title
under the year labels: below the plot, so it covers neither the figures nor the legend (which
sits above the plot). Labels that would run into each other move to a lower row. Hovering the
line gives the full title, what the moment set out to change and its source; the list under
the chart links that source. Meaning never by colour: the line is labelled."""
from __future__ import annotations

import html
import textwrap
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from analysis.moments import change_around
from analysis.series import annual
from data_sources.catalogue import Indicator, Moment

from . import format as fmt
from .safe import link, plain
from .texts import t

LINE = dict(color="#595959", width=1.5, dash="dot")  # 7:1 on white
NAME = "beleidsmoment"  # marks the shapes and labels this module draws
LABEL_FONT = 13
PX_PER_CHAR = 7.5
NARROW_PLOT_PX = 330  # a 390 px phone: labels are spaced for this width, so they never touch


def in_span(moments: list[Moment], rows: pd.DataFrame) -> list[Moment]:
    """The moments that fall within the chart's years (a yearly figure covers its whole year)."""
    starts = rows["period_start"].dropna()
    if starts.empty:
        return []
    first, last = starts.min().date(), starts.max().date()
    if (rows["frequency"].astype(str) == "year").any():
        last = date(last.year, 12, 31)
    return [m for m in moments if first <= m.date <= last]


def add(fig: go.Figure, moments: list[Moment], rows: pd.DataFrame, lang: str) -> None:
    """Draw ``moments`` (those within ``rows``' span) on ``fig`` and make room for the labels."""
    shown = in_span(moments, rows)
    if not shown:
        return
    values = rows["value"].dropna()
    low, high = (float(values.min()), float(values.max())) if len(values) else (0.0, 1.0)
    span_days = max((rows["period_start"].max() - rows["period_start"].min()).days, 365)
    label_rows = _rows(shown, span_days)
    for moment, row in zip(shown, label_rows):
        when = pd.Timestamp(moment.date)
        fig.add_shape(type="line", xref="x", yref="paper", x0=when, x1=when, y0=0, y1=1, line=LINE, layer="below", name=NAME)
        fig.add_annotation(
            x=when, xref="x", y=0, yref="paper", yanchor="top", xanchor="center", showarrow=False,
            text=html.escape(moment.title(lang)), bgcolor="white", name=f"{NAME}-{row}",
        )
        # Invisible points along the line carry the hover: a shape has none.
        steps = [low + (high - low) * k / 10 for k in range(11)]
        fig.add_trace(go.Scatter(
            x=[when] * len(steps), y=steps, mode="markers", marker=dict(size=14, opacity=0),
            hovertext=[hover(moment, lang)] * len(steps), hoverinfo="text", showlegend=False, name=moment.title(lang),
        ))
    fit_labels(fig, LABEL_FONT)


def fit_labels(fig: go.Figure, font_px: int) -> None:
    """Place the labels in their rows under the year labels for a font size, and make the
    bottom margin room for them (also after a slide enlarges the type)."""
    labels = [a for a in fig.layout.annotations if (a.name or "").startswith(NAME + "-")]
    if not labels:
        return
    axis_px, row_px = round(font_px * 2.4), round(font_px * 1.6)
    for label in labels:
        label.font.size = font_px
        label.yshift = -(axis_px + int(label.name.rsplit("-", 1)[1]) * row_px)
    for shape in fig.layout.shapes:
        if shape.name == NAME:
            shape.line.width = LINE["width"] if font_px <= LABEL_FONT else 2.5  # thin, yet visible from the back row
    rows = 1 + max(int(a.name.rsplit("-", 1)[1]) for a in labels)
    fig.update_layout(margin_b=10 + axis_px + rows * row_px)


def hover(moment: Moment, lang: str) -> str:
    return (
        f"<b>{html.escape(fmt.date(moment.date, lang))}: {html.escape(moment.title(lang))}</b><br>"
        f"{'<br>'.join(_lines(moment.in_language('aim', lang)))}<br>"
        f"{t('source_label', lang)}: {html.escape(moment.source)}"
    )


def caption(moments: list[Moment], frame: pd.DataFrame, region: str, indicator: Indicator, lang: str) -> str:
    """Markdown under the chart: each moment with its date, aim and linked source, and the
    average yearly change before and after it, labelled as a description."""
    series = annual(frame, region)
    lines = [f"**{t('moments_title', lang)}** — {t('moments_note', lang)}"]
    for moment in moments:
        line = (
            f"- {plain(fmt.date(moment.date, lang))} · **{plain(moment.title(lang))}**: {plain(moment.in_language('aim', lang))} "
            f"({t('source_label', lang)}: {link(moment.source, moment.source_url)})"
        )
        around = change_around(series, moment.date)
        if around.before is not None and around.after is not None:
            line += " " + plain(t(
                "moments_change", lang,
                first=around.before_years[0], pivot=around.before_years[1], last=around.after_years[1],
                before=_change(around.before, indicator, lang), after=_change(around.after, indicator, lang),
            ))
        lines.append(line)
    return "\n".join(lines)


def _change(value: float, indicator: Indicator, lang: str) -> str:
    unit = indicator.unit(lang)
    if unit.startswith("%"):
        unit = "procentpunt" if lang == "nl" else "percentage points"
    decimals = max(indicator.decimals, 1) if abs(value) < 100 else indicator.decimals  # 0,7 procentpunt; 4.468 woningen
    return f"{fmt.number(value, decimals, lang, signed=True)} {unit}"


def _rows(moments: list[Moment], span_days: int) -> list[int]:
    """A label row per moment: the first row whose previous label ends before this one starts
    (estimated for a narrow phone chart)."""
    days_per_px = span_days / NARROW_PLOT_PX
    ends: list[date] = []  # per row, where its last label ends
    rows = []
    for moment in moments:
        chars = max(len(moment.title_nl), len(moment.title_en)) + 2
        half = timedelta(days=chars * PX_PER_CHAR / 2 * days_per_px)
        start = moment.date - half
        row = next((n for n, end in enumerate(ends) if end < start), len(ends))
        if row == len(ends):
            ends.append(moment.date + half)
        else:
            ends[row] = moment.date + half
        rows.append(row)
    return rows


def _lines(text: str, width: int = 48) -> list[str]:
    return [html.escape(line) for line in textwrap.wrap(text, width)]
