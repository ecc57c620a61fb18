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
from .language import current, pick
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


def add(fig: go.Figure, moments: list[Moment], rows: pd.DataFrame) -> None:
    """Draw ``moments`` (those within ``rows``' span) on ``fig`` and make room for the labels."""
    shown = in_span(moments, rows)
    if not shown:
        return
    values = rows["value"].dropna()
    low, high = (float(values.min()), float(values.max())) if len(values) else (0.0, 1.0)
    for moment in shown:
        when = pd.Timestamp(moment.date)
        fig.add_shape(type="line", xref="x", yref="paper", x0=when, x1=when, y0=0, y1=1, line=LINE, layer="below", name=NAME)
        fig.add_annotation(
            x=when, xref="x", y=0, yref="paper", yanchor="top", xanchor="center", showarrow=False,
            text=html.escape(pick(moment, "title")), bgcolor="white", name=NAME,
        )
        # Invisible points along the line carry the hover: a shape has none.
        steps = [low + (high - low) * k / 10 for k in range(11)]
        fig.add_trace(go.Scatter(
            x=[when] * len(steps), y=steps, mode="markers", marker=dict(size=14, opacity=0),
            hovertext=[hover(moment)] * len(steps), hoverinfo="text", showlegend=False, name=pick(moment, "title"),
        ))
    fit_labels(fig, LABEL_FONT, NARROW_PLOT_PX)


def fit_labels(fig: go.Figure, font_px: int, plot_px: int) -> None:
    """Put the labels in rows under the year labels, for a font size and the narrowest plot
    width the chart is shown at: a label moves to a lower row where it would touch the one
    before. The bottom margin makes room (also after a slide enlarges the type)."""
    labels = sorted((a for a in fig.layout.annotations if a.name == NAME), key=lambda a: pd.Timestamp(a.x))
    if not labels:
        return
    xs = [pd.Timestamp(x) for trace in fig.data if trace.x is not None for x in trace.x if x is not None and not pd.isna(x)]
    span_days = max((max(xs) - min(xs)).days, 365)
    rows = _rows([(pd.Timestamp(a.x), len(html.unescape(a.text)) + 2) for a in labels], span_days / plot_px, font_px * PX_PER_CHAR / LABEL_FONT)
    axis_px, row_px = round(font_px * 2.4), round(font_px * 1.6)
    for label, row in zip(labels, rows, strict=True):
        label.font.size = font_px
        label.yshift = -(axis_px + row * row_px)
    for shape in fig.layout.shapes:
        if shape.name == NAME:
            shape.line.width = LINE["width"] if font_px <= LABEL_FONT else 2.5  # thin, yet visible from the back row
    fig.update_layout(margin_b=10 + axis_px + (max(rows) + 1) * row_px)


def hover(moment: Moment) -> str:
    return (
        f"<b>{html.escape(fmt.date(moment.date))}: {html.escape(pick(moment, 'title'))}</b><br>"
        f"{'<br>'.join(_lines(pick(moment, 'aim')))}<br>"
        f"{t('source_label')}: {html.escape(moment.source)}"
    )


def source_list(moments: list[Moment], shown: pd.DataFrame, switched_on: bool, frame: pd.DataFrame, region: str,
                indicator: Indicator) -> str:
    """Markdown for the Bron tab: the moments the chart draws (within the years ``shown``, when
    the switch is on) apart from those it does not, each saying why."""
    drawn = in_span(moments, shown) if switched_on else []
    others = [m for m in moments if m not in drawn]
    parts = [caption(drawn, frame, region, indicator)] if drawn else []
    if others:
        parts.append(caption(others, frame, region, indicator, "moments_outside_note" if switched_on else "moments_off_note"))
    return "\n\n".join(parts)


def caption(moments: list[Moment], frame: pd.DataFrame, region: str, indicator: Indicator, note: str = "moments_note") -> str:
    """Markdown under the chart: each moment with its date, aim and linked source, and the
    average yearly change before and after it, labelled as a description."""
    series = annual(frame, region)
    lines = [f"**{t('moments_title')}** — {t(note)}"]
    for moment in moments:
        line = (
            f"- {plain(fmt.date(moment.date))} · **{plain(pick(moment, 'title'))}**: {plain(pick(moment, 'aim'))} "
            f"({t('source_label')}: {link(moment.source, moment.source_url)})"
        )
        around = change_around(series, moment.date)
        if around.before is not None and around.after is not None:
            line += " " + plain(t(
                "moments_change", first=around.before_years[0], pivot=around.before_years[1], last=around.after_years[1],
                before=_change(around.before, indicator), after=_change(around.after, indicator)))
        lines.append(line)
    return "\n".join(lines)


def _change(value: float, indicator: Indicator) -> str:
    unit = pick(indicator, "unit")
    if unit.startswith("%"):
        unit = "procentpunt" if current() == "nl" else "percentage points"
    decimals = max(indicator.decimals, 1) if abs(value) < 100 else indicator.decimals  # 0,7 procentpunt; 4.468 woningen
    return f"{fmt.number(value, decimals, signed=True)} {unit}"


def _rows(labels: list[tuple[pd.Timestamp, int]], days_per_px: float, px_per_char: float) -> list[int]:
    """A row per label (its date and length in characters): the first row whose previous
    label ends before this one starts."""
    ends: list[pd.Timestamp] = []  # per row, where its last label ends
    rows = []
    for when, chars in labels:
        half = timedelta(days=chars * px_per_char / 2 * days_per_px)
        row = next((n for n, end in enumerate(ends) if end < when - half), len(ends))
        if row == len(ends):
            ends.append(when + half)
        else:
            ends[row] = when + half
        rows.append(row)
    return rows


def _lines(text: str, width: int = 48) -> list[str]:
    return [html.escape(line) for line in textwrap.wrap(text, width)]
