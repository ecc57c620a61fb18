"""The Regio's tab's ranking picture: every region of one level in one period, in rank order,
Nederland's value as a marked line, the chosen regions highlighted by colour, shape and name
(never by colour alone). Provinces as named bars; municipalities, too many to name, as a
row of dots with the chosen ones labelled."""
from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from data_sources.catalogue import Indicator

from . import format as fmt
from .charts import FONT, PALETTE, TEXT_COLOUR, separators
from .language import pick
from .texts import t

NAMED_BARS = 40  # up to this many regions each gets a named bar; more become dots
OTHERS = "#7F8C99"  # 3.5:1 on white: a graphical object (WCAG 1.4.11 asks 3:1)
CHOSEN = PALETTE[1]
NATIONAL = "#1A1A1A"
AXIS = dict(gridcolor="#E3E7EB", zerolinecolor="#9AA5B1", linecolor="#9AA5B1", tickfont=dict(color=TEXT_COLOUR),
            separatethousands=True, exponentformat="none", automargin=True)


def rank_words(indicator: Indicator) -> str:
    """What rank 1 means: the best one, the largest one (totals) or the highest one."""
    if indicator.total:
        return "largest"
    return "highest" if indicator.better == "neutraal" else "best"


def ranking_figure(table: pd.DataFrame, indicator: Indicator, chosen: list[str], national: float | None) -> go.Figure:
    """``table``: region_code, region_name, value, rank (rank 1 first)."""
    unit, decimals = pick(indicator, "unit"), indicator.decimals
    is_chosen = table["region_code"].isin(chosen).to_numpy()
    names = [("▶ " if c else "") + html.escape(str(n)) for n, c in zip(table["region_name"], is_chosen, strict=True)]
    hover = [f"<b>{html.escape(str(n))}</b><br>{html.escape(fmt.value_with_unit(v, unit, decimals))}"
             f"<br>{html.escape(t('rank_' + rank_words(indicator), rank=r, n=len(table)))}"
             for n, v, r in zip(table["region_name"], table["value"], table["rank"], strict=True)]
    colours = [CHOSEN if c else OTHERS for c in is_chosen]
    # the unit is on the axis: the short marker fits a phone
    marker = "" if national is None else html.escape(t("map_national", value=fmt.value_with_unit(national, unit, decimals)))
    fig = go.Figure()
    if len(table) <= NAMED_BARS:
        fig.add_trace(go.Bar(x=table["value"], y=names, orientation="h", marker_color=colours,
                             hovertext=hover, hoverinfo="text", name=pick(indicator, "title"), showlegend=False))
        fig.update_yaxes(autorange="reversed", tickfont=dict(color=TEXT_COLOUR), automargin=True, ticksuffix=" ")
        low, high = min(0.0, float(table["value"].min())), max(0.0, float(table["value"].max()))
        fig.update_xaxes(title=unit, range=[low * 1.05, high * 1.05], **AXIS)  # from zero; never stretched by the marker's text
        if national is not None:
            fig.add_trace(_national_line([national, national], [names[0], names[-1]], marker))
        height = 90 + 26 * len(table)
    else:
        fig.add_trace(go.Scatter(x=table["rank"], y=table["value"], mode="markers", showlegend=False, name=pick(indicator, "title"),
                                 marker=dict(color=OTHERS, size=6), hovertext=hover, hoverinfo="text"))
        picked = table[is_chosen]
        if not picked.empty:
            fig.add_trace(go.Scatter(x=picked["rank"], y=picked["value"], mode="markers+text", showlegend=False,
                                     text=[html.escape(str(n)) for n in picked["region_name"]],
                                     # alternately above and below, towards the middle: neighbours' names do not overlap
                                     textposition=[("top " if n % 2 == 0 else "bottom ") + ("left" if r > len(table) / 2 else "right")
                                                   for n, r in enumerate(picked["rank"])],
                                     marker=dict(color=CHOSEN, size=13, symbol="diamond", line=dict(color="black", width=1.5)),
                                     hovertext=[h for h, c in zip(hover, is_chosen, strict=True) if c], hoverinfo="text"))
        fig.update_xaxes(title=t("rank_axis_" + rank_words(indicator)), **AXIS)
        fig.update_yaxes(title=unit, rangemode="tozero", **AXIS)
        if national is not None:
            fig.add_trace(_national_line([1, len(table)], [national, national], marker))
        height = 420
    fig.update_layout(height=height, font=FONT, separators=separators(), plot_bgcolor="white", paper_bgcolor="white",
                      margin=dict(l=70, r=20, t=40, b=60), hovermode="closest", dragmode=False,
                      legend=dict(orientation="h", x=0, y=1, yanchor="bottom"))  # a legend wraps on a phone; an annotation is cut
    return fig


def _national_line(x: list, y: list, label: str) -> go.Scatter:
    """Nederland's value as a dashed line, named in the legend."""
    return go.Scatter(x=x, y=y, mode="lines", line=dict(color=NATIONAL, dash="dash", width=2), name=label, hoverinfo="skip")
