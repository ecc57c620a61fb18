"""A survey figure's 95% margin on a chart: a light band behind the region's line, in the
line's colour, named in the legend (so its meaning does not rest on colour), and the bounds in
the line's hover."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from . import format as fmt
from .texts import t

BAND_OPACITY = 0.18


def has_margins(series: pd.DataFrame) -> bool:
    return {"lower", "upper"} <= set(series.columns) and bool((series["lower"].notna() & series["upper"].notna()).any())


def add_band(fig: go.Figure, series: pd.DataFrame, name: str, colour: str, group: str) -> None:
    """The band between ``lower`` and ``upper``; call before the line so it lies behind it.
    Like the line, it breaks where a year has no figure (a fill would bridge the gap)."""
    for n, rows in enumerate(_runs(series)):
        fig.add_trace(go.Scatter(
            x=rows["period_start"], y=rows["upper"], mode="lines", line=dict(width=0), hoverinfo="skip",
            showlegend=False, legendgroup=group,
        ))
        fig.add_trace(go.Scatter(
            x=rows["period_start"], y=rows["lower"], mode="lines", line=dict(width=0), fill="tonexty",
            fillcolor=_rgba(colour, BAND_OPACITY), hoverinfo="skip", legendgroup=group,
            name=f"{name}: {t('margin_band')}", showlegend=n == 0,
        ))


def _runs(series: pd.DataFrame) -> list[pd.DataFrame]:
    """The stretches of consecutive periods that have a value and both bounds."""
    rows = series.sort_values("period_start")
    complete = rows[["value", "lower", "upper"]].notna().all(axis=1)
    yearly = (rows["frequency"].astype(str) == "year").all()
    years = rows["period_start"].dt.year
    skipped = yearly & (years.diff() > 1)  # a year without a row at all
    run = ((~complete) | skipped).cumsum()
    return [part for _, part in rows[complete].groupby(run[complete]) if len(part)]


def hover_suffix(lower, upper, decimals: int) -> str:
    if pd.isna(lower) or pd.isna(upper):
        return ""
    return f"<br>{t('margin_band')}: {fmt.number(lower, decimals)} – {fmt.number(upper, decimals)}"


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"
